"""Feed bytes -> `ParsedFeed`: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed here.

Real feeds lie about their encoding and break their XML. feedparser copes
with much of it, but when it has to guess an encoding it falls back to
windows-1252 and turns KOI8-R or Shift_JIS into mojibake; and a stray byte
can hide every entry. So whenever feedparser flags a problem ("bozo"), a
second, lenient pass re-decodes the bytes with detection
(generator.ingest.text), drops the XML declaration that may have lied, and
parses the text again; it wins unless it finds fewer entries. For bytes that
were valid UTF-8 all along the second pass reads the same text.

feedparser 6 does not read JSON Feed, which is simple enough to map here.
Pure: no I/O, no clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

import feedparser
from dateutil import parser as date_parser

from generator.errors import FeedParseError
from generator.ingest.text import decode_text


@dataclass(frozen=True)
class FeedEntry:
    """One item as the feed gave it; HTML fields are untrusted and unsanitised."""

    guid: str
    link: str
    title: str
    #: Published (or else updated) time; None when the feed gives neither.
    date: dt.datetime | None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    summary_html: str = ""
    content_html: str = ""
    image: str = ""
    #: The URL relative links in this entry resolve against.
    base_url: str = ""
    #: The date as written, when the feed gave one that feedparser could not read
    #: (one in another language: generator.feeds.dates reads it once the item's language is known).
    date_text: str = ""


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    link: str
    #: The feed's own date, for entries that have none.
    updated: dt.datetime | None
    entries: tuple[FeedEntry, ...]
    #: The feed's declared language (RSS <language>, Atom xml:lang, JSON Feed "language"); "" when none.
    language: str = ""
    #: The feed's own categories (RSS <channel><category>, Atom <feed><category>).
    categories: tuple[str, ...] = ()


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def parse_feed(body: bytes, url: str = "", content_type: str = "") -> ParsedFeed:
    """Parse feed bytes; raises FeedParseError when they hold no feed at all."""
    if "json" in content_type.lower() or body.lstrip()[:1] == b"{":
        return _parse_json_feed(body, url)
    headers = {"content-location": url} if url else {}
    # A local file has no Content-Type; XML's own rules then apply.
    headers["content-type"] = content_type or "application/xml"
    if _utf8_despite_prolog(body):
        body = _XML_DECLARATION.sub("", body.decode("utf-8"), count=1).encode("utf-8")
    first = _feedparser(body, headers)
    result = first
    if first.bozo:
        text = _XML_DECLARATION.sub("", decode_text(body), count=1)
        headers["content-type"] = "application/xml; charset=utf-8"
        second = _feedparser(text.encode("utf-8"), headers)
        if len(second.entries) >= len(first.entries):
            result = second
    if not result.entries and result.bozo:
        raise FeedParseError(url, f"not a readable feed, no items found: {_describe(result.get('bozo_exception'))}")
    if not result.entries and not result.get("version"):
        raise FeedParseError(url, "not a feed: no RSS, Atom or RDF document found")
    feed = result.feed
    base = feed.get("link") or url
    return ParsedFeed(
        title=_text(feed.get("title")),
        link=feed.get("link", ""),
        updated=_struct_time(_get(feed, "updated_parsed") or _get(feed, "published_parsed")),
        entries=tuple(_entry(entry, base) for entry in result.entries),
        language=_text(_get(feed, "language")),
        categories=_terms(feed.get("tags", [])),
    )


def _feedparser(body: bytes, headers: dict):
    # feedparser's own sanitiser is slow and redundant: every field is
    # sanitised (nh3) or reduced to text before it is used. So is its pass that
    # resolves relative links (two thirds of its time): the sanitiser resolves
    # them against the base feedparser found for the field (xml:base, or the feed's URL).
    return feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)


def _utf8_despite_prolog(body: bytes) -> bool:
    """True when the prolog names a legacy charset but the bytes are valid, non-ASCII UTF-8.

    Valid multi-byte UTF-8 almost never happens by accident in cp1252 or
    Latin-1 text: such bytes are UTF-8 whatever the declaration says.
    """
    match = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([\w.-]+)", body)
    if not match or match[1].lower() in (b"utf-8", b"utf8") or body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _entry(entry, base: str) -> FeedEntry:
    content = entry.get("content") or []
    html_parts = [part.get("value", "") for part in content if "html" in part.get("type", "text/html")]
    image = ""
    for media in (*entry.get("media_content", []), *entry.get("media_thumbnail", [])):
        if media.get("url") and media.get("medium", "image") == "image":
            image = media["url"]
            break
    if not image:
        for enclosure in entry.get("enclosures", []):
            if enclosure.get("type", "").startswith("image/") and enclosure.get("href"):
                image = enclosure["href"]
                break
    authors = [a.get("name", "") for a in entry.get("authors", []) if a.get("name")]
    if not authors and entry.get("author"):
        authors = [entry["author"]]
    date = _struct_time(_get(entry, "published_parsed") or _get(entry, "updated_parsed"))
    return FeedEntry(
        guid=entry.get("id", "") or "",
        link=entry.get("link", "") or "",
        title=_text(entry.get("title")),
        date=date,
        date_text="" if date else _text(_get(entry, "published") or _get(entry, "updated")),
        authors=tuple(a.strip() for a in authors if a.strip()),
        tags=_terms(entry.get("tags", [])),
        summary_html=entry.get("summary", "") or "",
        content_html="\n".join(html_parts),
        image=image,
        base_url=_web_base((content[0] if content else entry.get("summary_detail", {})).get("base"))
        or entry.get("link")
        or base,
    )


def _web_base(base: str | None) -> str:
    """`base` when it is an http(s) URL: for a feed read from a file, feedparser's base is its
    path, against which "/timetables" stays relative (and is dropped): the item's link does better."""
    return base if base and urlsplit(base).scheme in ("http", "https") else ""


def _parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        data = json.loads(decode_text(body))
    except json.JSONDecodeError as exc:
        raise FeedParseError(url, f"not a readable JSON Feed: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FeedParseError(url, "not a JSON Feed: no 'items' list")
    base = str(data.get("home_page_url") or url)
    entries = []
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        people = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        entries.append(
            FeedEntry(
                guid=str(item.get("id", "")),
                link=str(item.get("url") or item.get("external_url") or ""),
                title=_text(item.get("title")),
                date=_iso(item.get("date_published") or item.get("date_modified")),
                authors=tuple(str(p.get("name")) for p in people if isinstance(p, dict) and p.get("name")),
                tags=tuple(str(t) for t in item.get("tags", []) if isinstance(t, str)),
                summary_html=_escape_text(item.get("summary")),
                content_html=str(item.get("content_html") or _escape_text(item.get("content_text"))),
                image=str(item.get("image") or item.get("banner_image") or ""),
                base_url=str(item.get("url") or base),
            )
        )
    language = data.get("language")
    return ParsedFeed(
        title=_text(data.get("title")),
        link=base,
        updated=None,
        entries=tuple(entries),
        language=language if isinstance(language, str) else "",
    )


def _terms(tags) -> tuple[str, ...]:
    """feedparser's category dicts as their terms, blanks and repeats dropped."""
    return tuple(dict.fromkeys(term for tag in tags if (term := " ".join(str(tag.get("term") or "").split()))))


def _get(mapping, key: str):
    """A FeedParserDict value without feedparser's deprecated implicit fallbacks (and their warnings)."""
    return dict.get(mapping, key)


def _struct_time(value) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _iso(value) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = date_parser.isoparse(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _text(value) -> str:
    return " ".join(str(value).split()) if value else ""


def _escape_text(value) -> str:
    return f"<p>{escape(str(value))}</p>" if value else ""


def _describe(exception) -> str:
    if exception is None:
        return "no feed element found"
    return " ".join(f"{type(exception).__name__}: {exception}".split())
