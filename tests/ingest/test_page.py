"""Saved HTML pages: trafilatura's text, the page's own metadata."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from support import CORPUS

from generator.errors import SourceError
from generator.ingest.page import split_page

BODY = "".join(
    f"<p>Paragraph {n} of the story, long enough to count as article text for extraction.</p>" for n in range(5)
)
PAGES = sorted((CORPUS / "html").glob("*.html"))


def page(head: str = "", body: str = BODY, lang: str = "en") -> bytes:
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head>{head}</head><body><article>{body}</article></body></html>".encode()
    )


def ld(**fields) -> str:
    return f"<script type='application/ld+json'>{json.dumps({'@type': 'NewsArticle', **fields})}</script>"


def test_json_ld_wins_over_meta_tags_and_title():
    parts = split_page(
        page(
            "<title>Title tag - Site</title><meta property='og:title' content='OG title'>"
            "<meta property='article:published_time' content='2019-01-01T00:00:00Z'>"
            + ld(
                headline="The LD headline",
                datePublished="2020-02-03T04:05:06+01:00",
                author=[{"name": "Ann Lee"}, {"name": "Bo Kim"}],
                publisher={"name": "The Paper"},
            )
        )
    )
    assert parts.headline == "The LD headline"
    assert parts.date == dt.datetime(2020, 2, 3, 4, 5, 6, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert parts.authors == ("Ann Lee", "Bo Kim")
    assert parts.source == "The Paper"
    assert parts.paragraphs[0].startswith("Paragraph 0 of the story")
    assert len(parts.paragraphs) == 5


def test_meta_tags_fill_in_and_the_site_name_is_not_part_of_the_headline():
    parts = split_page(
        page(
            "<meta property='og:title' content='Obama speaks - BBC News'><meta property='og:site_name' "
            "content='BBC News'><meta name='author' content='Ann Lee, Bo Kim and BBC News'>"
            "<meta name='pubdate' content='2015-07-24 08:00:00'>"
            "<link rel='canonical' href='https://www.bbc.com/news/1'>"
        )
    )
    assert parts.headline == "Obama speaks"
    assert parts.authors == ("Ann Lee", "Bo Kim")
    assert parts.date == dt.datetime(2015, 7, 24, 8, tzinfo=dt.UTC)  # no zone stated: UTC
    assert parts.link == "https://www.bbc.com/news/1"


def test_a_hostile_canonical_link_is_never_used():
    parts = split_page(
        page(
            "<title>T</title><link rel='canonical' href='javascript:alert(1)'>"
            "<meta property='og:url' content='https://example.org/real'>"
        )
    )
    assert parts.link == "https://example.org/real"


def test_declared_charset_and_language_are_read():
    html = page("<meta charset='windows-1252'><title>Caf\u00e9 \u201cnews\u201d</title>", lang="fr-FR")
    parts = split_page(html.decode().encode("cp1252"))
    assert parts.headline == "Caf\u00e9 \u201cnews\u201d"
    assert parts.lang == "fr-FR"


def test_a_page_without_a_headline_or_text_is_an_error_naming_it():
    with pytest.raises(SourceError, match=r"^p\.html: no headline found"):
        split_page(page(), "p.html")
    with pytest.raises(SourceError, match=r"^p\.html: no article text found"):
        split_page(page("<title>T</title>", body=""), "p.html")


@pytest.mark.parametrize("date_line", ["08.04.2015 12:46", "2015-04-08", "04/08/2015"])
def test_the_pages_own_date_line_and_heading_above_the_text_are_not_its_first_paragraphs(date_line: str):
    """The story's page shows its headline and date itself; a line of another date is text."""
    head = ld(headline="Harbour lights relit", datePublished="2015-04-08T12:46:00+02:00")
    furniture = f"<p>{date_line}</p><h1>Harbour lights relit</h1>"
    parts = split_page(page(head, furniture + BODY))
    assert parts.paragraphs[0].startswith("Paragraph 0")
    other_day = split_page(page(head, "<p>09.05.2016 10:00</p>" + BODY))
    assert other_day.paragraphs[0] == "09.05.2016 10:00"


@pytest.mark.skipif(not PAGES, reason="../shared/corpus is not beside the repo")
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_corpus_page_has_title_date_source_and_text(path):
    parts = split_page(path.read_bytes(), str(path))
    assert parts.headline and "\ufffd" not in parts.headline
    assert parts.date is not None
    assert parts.paragraphs[0] != parts.headline and not re.fullmatch(r"[\d\s./:,-]+", parts.paragraphs[0])
    assert parts.source
    assert sum(len(p) for p in parts.paragraphs) > 500
    assert not any("\ufffd" in p for p in parts.paragraphs)
