"""The Article record and its source file: round trips, atomic writes, clear errors."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.article import Article, parse_source, render_source, write_atomic
from generator.errors import SourceError

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda s: s.strip() == s and s.strip()
)
DATES = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC))


@given(
    title=TEXT,
    date=DATES,
    tags=st.lists(TEXT, max_size=4).map(tuple),
    highlights=st.lists(TEXT, max_size=3).map(tuple),
    caption=st.one_of(st.just(""), TEXT),
    inferred=st.booleans(),
)
def test_article_survives_a_round_trip_through_its_source(title, date, tags, highlights, caption, inferred):
    article = Article(
        title=title,
        date=date,
        slug="a-slug",
        body="First paragraph.\n\nSecond “quoted” paragraph.",
        tags=tags,
        highlights=highlights,
        highlights_from="source" if highlights else "",
        image_caption=caption,
        date_inferred=inferred,
    )
    text = render_source(article)
    assert parse_source(text, "x.md") == article
    assert render_source(parse_source(text, "x.md")) == text


def test_unknown_front_matter_fields_added_by_hand_are_kept():
    text = "---\ntitle: T\ndate: '2020-01-02T03:04:05+00:00'\nslug: t\nmy_note: keep me\n---\n\nBody.\n"
    article = parse_source(text, "x.md")
    assert article.extra == {"my_note": "keep me"}
    assert "my_note: keep me" in render_source(article)


def test_a_date_without_timezone_written_by_hand_is_read_as_utc():
    article = parse_source("---\ntitle: T\ndate: 2020-01-02 03:04\nslug: t\n---\n\nBody.\n", "x.md")
    assert article.date == dt.datetime(2020, 1, 2, 3, 4, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Body only\n", r"^x\.md:1: no YAML front matter"),
        ("---\ntitle: T\n", r"^x\.md: the front matter is never closed"),
        ("---\ntitle: [oops\nslug: s\n---\n", r"^x\.md:\d+: invalid YAML front matter"),
        ("---\n- a list\n---\n", r"^x\.md: the front matter is not a mapping"),
        ("---\ntitle: T\n---\n", r"^x\.md: missing front matter field\(s\): date, slug$"),
        ("---\ntitle: T\ndate: soon\nslug: s\n---\n", r"^x\.md: date 'soon' is not ISO 8601$"),
    ],
)
def test_bad_sources_name_the_file_and_what_is_wrong(text: str, message: str):
    with pytest.raises(SourceError, match=message):
        parse_source(text, "x.md")


def test_write_atomic_writes_then_leaves_identical_text_alone(tmp_path: Path):
    target = tmp_path / "deep" / "a.md"
    assert write_atomic(target, "one\n") is True
    os.utime(target, (1, 1))
    assert write_atomic(target, "one\n") is False
    assert target.stat().st_mtime == 1  # not rewritten
    assert write_atomic(target, "two\n") is True
    assert target.read_text() == "two\n"
    assert [p.name for p in target.parent.iterdir()] == ["a.md"]  # no temporary file left


def test_write_atomic_leaves_the_old_file_whole_when_writing_fails(tmp_path: Path):
    target = tmp_path / "a.md"
    target.write_text("old\n")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "bad \udc80 surrogate")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_hand_edited_scalars_where_lists_or_text_are_expected_are_normalised():
    text = "---\ntitle: 2016\ndate: '2020-01-02T00:00:00+00:00'\nslug: s\ntags: Syria\nimage_caption: 42\n---\n\nB\n"
    article = parse_source(text, "x.md")
    assert article.tags == ("Syria",)
    assert (article.title, article.image_caption) == ("2016", "42")
