"""Feed parsing: every corpus feed, lying encodings, JSON Feed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from support import CORPUS

from generator.errors import FeedParseError
from generator.feeds.dates import read_foreign_date
from generator.feeds.parse import parse_feed
from generator.feeds.plan import FeedConfig, article_for_entry

FEEDS = sorted((CORPUS / "feeds").glob("*.xml"))
needs_corpus = pytest.mark.skipif(not FEEDS, reason="../shared/corpus is not beside the repo")


def corpus(name: str):
    return parse_feed((CORPUS / "feeds" / name).read_bytes(), "https://example.org/feed")


@needs_corpus
@pytest.mark.parametrize("path", FEEDS, ids=lambda p: p.stem)
def test_every_corpus_feed_parses_or_fails_with_a_clear_message(path):
    try:
        feed = parse_feed(path.read_bytes(), "https://example.org/feed")
    except FeedParseError as error:
        assert str(error).startswith("https://example.org/feed: not a readable feed, no items found: ")
        assert b"<item" not in path.read_bytes() and b"<entry" not in path.read_bytes()
    else:
        assert all("\ufffd" not in e.title for e in feed.entries)


@needs_corpus
@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("hard-koi8r-russian-no-encoding-declared.xml", "новогоднюю"),
        ("ibash-ru-windows1251-rss2.xml", "Цитата"),
        ("hard-shiftjis-japanese-no-encoding-declared.xml", "記事投稿"),
        ("hard-uol-noticias-no-xmldecl-latin1-pt-dates.xml", "simulações"),
        ("jornal-de-noticias-pt-latin1-crlf-rss2.xml", "Mãe"),
        ("hard-cercle-psy-fr-no-xmldecl-latin1.xml", "endocriniens"),
    ],
)
def test_no_mojibake_in_feeds_that_lie_about_or_omit_their_encoding(name, word):
    feed = corpus(name)
    text = " ".join(e.title + e.summary_html + e.content_html for e in feed.entries)
    assert word in text


def test_an_undeclared_greek_feed_is_detected():
    body = (
        "<rss version='2.0'><channel><title>Ειδήσεις</title><item><title>Η Ελλάδα και η Ευρώπη σήμερα</title>"
        "<description>Η κυβέρνηση της Ελλάδας ανακοίνωσε νέα μέτρα για την οικονομία και την εργασία.</description>"
        "<guid>1</guid></item></channel></rss>"
    ).encode("iso-8859-7")
    feed = parse_feed(body)
    assert feed.entries[0].title == "Η Ελλάδα και η Ευρώπη σήμερα"


@needs_corpus
def test_a_prolog_that_names_the_wrong_charset_loses_to_valid_utf8():
    assert corpus("hard-declared-windows1252-actually-utf8.xml").title == "Euro €"


@needs_corpus
def test_undated_entries_keep_no_date_for_the_planner_to_fill():
    feed = corpus("heise-newsticker-rss090-rdf.xml")
    assert len(feed.entries) == 60
    assert all(entry.date is None for entry in feed.entries)


@needs_corpus
def test_relative_links_resolve_per_item_xml_base():
    feed = corpus("hard-insanity-industries-xml-base-relative-urls.xml")
    assert all(entry.link.startswith("http") for entry in feed.entries)


def test_relative_links_in_item_html_resolve_against_xml_base_or_the_feed_url():
    """feedparser's own resolving pass is off (it cost two thirds of its time): the sanitiser
    resolves against the base feedparser found, per item, so the result must not change."""
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://site.example/blog/">
  <title>Base</title><id>urn:x</id><updated>2026-11-24T10:00:00Z</updated>
  <entry xml:base="https://other.example/2026/"><title>One</title><id>urn:1</id>
    <link href="one.html"/><updated>2026-11-24T10:00:00Z</updated>
    <content type="html">&lt;p&gt;See &lt;a href="notes.html"&gt;notes&lt;/a&gt; and
      &lt;img src="/pic.jpg" alt="A pier"&gt;.&lt;/p&gt;</content></entry>
  <entry><title>Two</title><id>urn:2</id><link href="two.html"/><updated>2026-11-24T10:00:00Z</updated>
    <summary type="html">&lt;p&gt;See &lt;a href="../about"&gt;about&lt;/a&gt;.&lt;/p&gt;</summary></entry>
</feed>"""
    rss = b"""<rss version="2.0"><channel><title>R</title><link>https://rss.example/</link>
  <item><title>Three</title><link>https://rss.example/news/3</link>
    <description>&lt;p&gt;Read &lt;a href="more/4"&gt;more&lt;/a&gt;.&lt;/p&gt;</description></item></channel></rss>"""
    local = rss.replace(b"<title>Three</title>", b"<title>Four</title>")  # a feed read from a file
    feeds = [(atom, "https://feeds.example/atom"), (rss, "https://feeds.example/rss/feed.xml"), (local, "feeds/r.xml")]
    bodies = {}
    for body, url in feeds:
        feed = parse_feed(body, url)
        for entry in feed.entries:
            fetched = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
            bodies[entry.title] = article_for_entry(FeedConfig(url=url), feed, entry, fetched).body
    assert "(https://other.example/2026/notes.html)" in bodies["One"]
    assert "(https://other.example/pic.jpg)" in bodies["One"]
    assert "(https://site.example/about)" in bodies["Two"]
    assert "(https://feeds.example/rss/more/4)" in bodies["Three"]  # as feedparser resolved it: the feed's URL
    assert "(https://rss.example/news/more/4)" in bodies["Four"]  # a file's path is no base: the item's link is


def test_json_feed_items_map_to_entries():
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "JSON News",
            "home_page_url": "https://json.example/",
            "items": [
                {
                    "id": "a1",
                    "url": "https://json.example/a1",
                    "title": "First",
                    "content_html": "<p>Hello <b>world</b></p>",
                    "date_published": "2026-11-20T10:00:00+01:00",
                    "authors": [{"name": "Ann Lee"}],
                    "tags": ["Lisbon"],
                    "image": "https://json.example/a1.jpg",
                },
                {"id": "a2", "content_text": "Plain <text> only"},
            ],
        }
    ).encode()
    feed = parse_feed(body, "https://json.example/feed.json", "application/feed+json")
    first, second = feed.entries
    assert (feed.title, first.guid, first.link, first.title) == ("JSON News", "a1", "https://json.example/a1", "First")
    assert first.date == dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    assert (first.authors, first.tags, first.image) == (("Ann Lee",), ("Lisbon",), "https://json.example/a1.jpg")
    assert second.content_html == "<p>Plain &lt;text&gt; only</p>"


@pytest.mark.parametrize("body", [b"", b"<html><body>Not a feed</body></html>", b"{not json", b'{"items": 3}'])
def test_things_that_are_not_feeds_fail_clearly(body):
    with pytest.raises(FeedParseError, match=r"^https://example.org/f: not a (readable )?(JSON )?[Ff]eed") as raised:
        parse_feed(body, "https://example.org/f")
    assert raised.value.where == "https://example.org/f"


@needs_corpus
def test_dates_in_portuguese_are_read_once_the_language_is_known():
    """UOL writes "Seg, 24 Set 2018 19:42:40 -0300"; feedparser reads no date from it."""
    feed = corpus("hard-uol-noticias-no-xmldecl-latin1-pt-dates.xml")
    entry = feed.entries[0]
    assert entry.date is None and entry.date_text == "Seg, 24 Set 2018 19:42:40 -0300"
    fetched = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
    article = article_for_entry(FeedConfig(url="https://example.org/feed", highlights=0), feed, entry, fetched)
    assert (article.date, article.date_inferred, article.lang) == (
        dt.datetime(2018, 9, 24, 22, 42, 40, tzinfo=dt.UTC),
        False,
        "pt",
    )


@pytest.mark.parametrize(
    ("written", "language", "expected"),
    [
        ("Mi, 03 Okt 2018 12:00:00 +0200", "de", dt.datetime(2018, 10, 3, 10, tzinfo=dt.UTC)),
        ("mar., 02 oct. 2018 08:15:00 GMT", "fr", dt.datetime(2018, 10, 2, 8, 15, tzinfo=dt.UTC)),
        ("Seg, 24 Set 2018 19:42:40 -0300", "", dt.datetime(2018, 9, 24, 22, 42, 40, tzinfo=dt.UTC)),
        ("vor 2 Stunden", "de", None),  # relative to the fetch clock: not the item's date
        ("Dienstag", "de", None),
        ("", "de", None),
    ],
)
def test_foreign_dates_are_read_absolute_only(written: str, language: str, expected):
    assert read_foreign_date(written, language) == expected
