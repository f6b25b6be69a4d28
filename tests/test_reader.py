"""generator.build.reader: what reading a source gives, beyond Pelican's own reader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dateutil.tz
from pelican.utils import get_date
from support import make_site

from generator.build import site
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
