"""Formats are told apart by content, whatever the file is called."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support import SEED

from generator.ingest.detect import HTML, RAW, STORY, detect_format
from generator.ingest.files import read_article

PAGE = (
    "<!DOCTYPE html><html lang='en'><head><title>Page headline - Site</title>"
    "<meta property='og:site_name' content='Site'><meta property='article:published_time' "
    "content='2020-05-01T10:00:00Z'></head><body><article><h1>Page headline</h1>"
    + "<p>The first paragraph of the page says something worth reading today.</p>" * 3
    + "</article></body></html>"
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (PAGE, HTML),
        ("  <!-- saved --> <html><body>x</body></html>", HTML),
        ("Body.\n\n@highlight\n\nA highlight\n", STORY),
        ("Head\n(CNN) -- Body <b>with</b> a tag.\n", RAW),
    ],
)
def test_detect_format(text: str, kind: str):
    assert detect_format(text) == kind


def test_the_extension_does_not_decide(tmp_path: Path):
    disguised = tmp_path / "page.txt"
    disguised.write_text(PAGE, encoding="utf-8")
    assert read_article(disguised).title == "Page headline"
    story = tmp_path / "story.html"
    story.write_text("(CNN) -- Body text here.\n\n@highlight\n\nThe highlight\n", encoding="utf-8")
    assert read_article(story, date=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)).title == "The highlight"
    raw = tmp_path / "seed.story"
    raw.write_bytes(SEED.read_bytes())
    assert read_article(raw).title == "Dozens dead after airstike hits Syrian school"
