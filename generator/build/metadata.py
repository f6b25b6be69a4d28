"""What machines read about a story: JSON-LD, JSON Feed items, reading time.

Pure functions over plain values, so the escaping that keeps untrusted
titles inside their context is tested once, here.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Adult silent reading of non-fiction, words per minute (Brysbaert, 2019).
READING_WPM = 238
_WORD = re.compile(r"\w+")


def reading_minutes(text: str) -> int:
    """Whole minutes to read `text`, at least 1.

    >>> reading_minutes("word " * 500)
    3
    """
    return max(1, math.ceil(len(_WORD.findall(text)) / READING_WPM))


def script_json(data: object) -> str:
    """JSON safe inside an HTML <script> element: "<", ">" and "&" never appear raw.

    >>> script_json({"headline": "</script><script>alert(1)</script>"})
    '{"headline": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class StoryFacts:
    """The facts about one article that its metadata repeats."""

    url: str
    title: str
    date: dt.datetime
    modified: dt.datetime | None
    description: str
    site_name: str
    section: str = ""
    tags: Sequence[str] = ()
    authors: Sequence[str] = ()
    source: str = ""
    original_url: str = ""
    image: str = ""
    lang: str = ""


def news_article(facts: StoryFacts) -> dict:
    """A schema.org NewsArticle for the page of `facts`."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": facts.title,
        "url": facts.url,
        "mainEntityOfPage": facts.url,
        "datePublished": facts.date.isoformat(),
        "dateModified": (facts.modified or facts.date).isoformat(),
        "description": facts.description,
        "publisher": {"@type": "Organization", "name": facts.site_name},
    }
    if facts.section:
        data["articleSection"] = facts.section
    if facts.tags:
        data["keywords"] = list(facts.tags)
    if facts.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in facts.authors]
    elif facts.source:
        data["author"] = {"@type": "Organization", "name": facts.source}
    if facts.original_url:
        data["isBasedOn"] = facts.original_url
    if facts.image:
        data["image"] = [facts.image]
    if facts.lang:
        data["inLanguage"] = facts.lang
    return data


def json_feed_item(facts: StoryFacts, content_html: str) -> dict:
    """One item of a JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    item: dict = {
        "id": facts.url,
        "url": facts.url,
        "title": facts.title,
        "content_html": content_html,
        "summary": facts.description,
        "date_published": facts.date.isoformat(),
    }
    if facts.modified:
        item["date_modified"] = facts.modified.isoformat()
    if facts.original_url:
        item["external_url"] = facts.original_url
    if facts.authors:
        item["authors"] = [{"name": name} for name in facts.authors]
    if facts.tags:
        item["tags"] = list(facts.tags)
    if facts.image:
        item["image"] = facts.image
    if facts.lang:
        item["language"] = facts.lang
    return item


def json_feed(title: str, home_url: str, feed_url: str, items: list[dict], lang: str = "") -> dict:
    """A JSON Feed 1.1 document holding `items`."""
    feed: dict = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home_url,
        "feed_url": feed_url,
        "items": items,
    }
    if lang:
        feed["language"] = lang
    return feed
