"""generator.build.reader: what reading a source gives, beyond Pelican's own reader."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import dateutil.tz
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.utils import SafeDatetime, get_date
from support import make_site

from generator.build import reader, site
from generator.build.reader import FrontMatterReader


def test_a_date_at_the_machines_own_offset_gets_a_fixed_zone_that_prints_the_same(tmp_path: Path):
    """dateutil gives such a date a tzlocal() of its own, slow to compare; read, it is the same
    instant, offset and zone name in a datetime.timezone. Another offset is left as dateutil gives it."""
    local = dt.datetime(2026, 3, 30, 20, 2, tzinfo=dateutil.tz.tzlocal())
    assert isinstance(get_date(local.isoformat()).tzinfo, dateutil.tz.tzlocal)  # Pelican's reading alone
    elsewhere = dt.datetime(2026, 3, 30, 20, 2, tzinfo=dt.timezone(local.utcoffset() + dt.timedelta(minutes=45)))
    root = make_site(tmp_path / "site")
    source = root / "content" / "note.md"
    source.write_text(
        f"---\ntitle: Note\ndate: '{local.isoformat()}'\nmodified: '{elsewhere.isoformat()}'\n---\n\nText.\n",
        encoding="utf-8",
    )
    _, metadata = FrontMatterReader(site.load_settings(root)).read(str(source))
    date, modified = metadata["date"], metadata["modified"]
    assert type(date.tzinfo) is dt.timezone
    assert date == local and date.utcoffset() == local.utcoffset()
    assert date.isoformat() == local.isoformat() and date.strftime("%Z %z") == local.strftime("%Z %z")
    assert modified == elsewhere and modified.tzinfo == get_date(elsewhere.isoformat()).tzinfo


@given(
    when=st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31), timezones=st.timezones()),
    other_time=st.times(),
    fmt=st.lists(
        st.sampled_from([*(f"%{c}" for c in "aAbBCdDeFgGhjmuUVwWxyYHIMSpfzZcXTRrs"), "%-d", "%-H", "%%", " ", "day "]),
        max_size=6,
    ).map("".join),
)
def test_a_date_read_formats_as_pelicans_date_whatever_the_format(when: dt.datetime, other_time: dt.time, fmt: str):
    """A date read is a StoryDate, which formats a date-only format once a day: every format gives
    Pelican's text, for two moments of one day, and again."""
    ours = reader.StoryDate.fromisoformat(when.isoformat())
    pelicans = SafeDatetime.fromisoformat(when.isoformat())
    later = dt.datetime.combine(when.date(), other_time, when.tzinfo).isoformat()
    for date, same in ((ours, pelicans), (reader.StoryDate.fromisoformat(later), SafeDatetime.fromisoformat(later))):
        assert date.strftime(fmt) == same.strftime(fmt)
        assert date.strftime(fmt) == same.strftime(fmt)


def test_dates_read_are_story_dates(tmp_path: Path):
    root = make_site(tmp_path / "site")
    source = root / "content" / "note.md"
    source.write_text("---\ntitle: Note\ndate: 2026-03-30 20:02\nmodified: '2026-03-31T08:00:00+02:00'\n---\n\nText.\n")
    _, metadata = FrontMatterReader(site.load_settings(root)).read(str(source))
    assert type(metadata["date"]) is type(metadata["modified"]) is reader.StoryDate
    assert metadata["modified"].isoformat() == "2026-03-31T08:00:00+02:00"


@pytest.fixture(params=["UTC", "Europe/Berlin", "Asia/Kathmandu"])
def machine_zone(request, monkeypatch: pytest.MonkeyPatch):
    """The machine's own zone, which decides the zone dateutil gives some offsets."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    reader._dateutil_zone.cache_clear()
    yield request.param
    monkeypatch.undo()
    time.tzset()
    reader._dateutil_zone.cache_clear()


@given(
    when=st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31)),
    minutes=st.integers(min_value=-14 * 60, max_value=14 * 60),
)
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_date_as_newsdigest_writes_it_reads_as_pelican_reads_it(machine_zone: str, when: dt.datetime, minutes: int):
    """The reader reads the dates newsdigest writes without dateutil: the same value, type, zone,
    offset and zone name as Pelican's reading (dateutil), on a machine in any zone."""
    sign, offset = ("-" if minutes < 0 else "+"), abs(minutes)
    text = f"{when:%Y-%m-%dT%H:%M:%S}{sign}{offset // 60:02}:{offset % 60:02}"
    ours, pelicans = reader.written_date(text), get_date(text)
    assert ours == pelicans and type(ours) is type(pelicans)
    assert repr(ours.tzinfo) == repr(pelicans.tzinfo)
    assert (ours.utcoffset(), ours.tzname()) == (pelicans.utcoffset(), pelicans.tzname())


@pytest.mark.parametrize(
    "value", ["2026-06-22 18:05", "2026-06-22T18:05:00", " 2026-06-22T18:05:00+00:00", "2026-02-30T10:00:00+00:00", 7]
)
def test_other_dates_are_left_to_pelican(value: object):
    assert reader.written_date(value) is None
