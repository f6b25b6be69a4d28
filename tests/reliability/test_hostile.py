"""Hostile titles, GUIDs, source names and slugs: every file stays inside content/, with a readable name."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from feed_server import FeedServer, send
from support import article_pages, make_site, parse_html

from generator.article import parse_source
from generator.build import site
from generator.feeds.fetch import Limits
from generator.feeds.plan import FeedConfig
from generator.feeds.run import NEW, run_fetch
from generator.ingest.files import import_paths
from generator.sources import SLUG_MAX_LENGTH, WINDOWS_RESERVED

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
FAST = Limits(connect_timeout=1, read_timeout=1, total_timeout=3, retries=0)
HOSTILE = [
    "../../etc/passwd",
    "/etc/passwd",
    "..\\..\\windows\\system32\\config",
    "C:\\Windows\\win.ini",
    "nul\u0000byte in the middle",
    "CON",
    "aux.txt",
    "LPT1",
    "x" * 10_000,
    "Storm \u202eevil.exe\u202c hits coast",  # right-to-left override
    "zero\u200bwidth\u200djoiners\ufeff",
    "🔥🌊 Flood 🚨",
    "🔥🌊🚨",
    ".hidden",
    "~/.ssh/authorized_keys",
    "%2e%2e%2f%2e%2e%2fetc",
    "title\nwith\r\nnewlines",
]
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def json_feed(name: str) -> bytes:
    items = [
        {
            "id": title,  # the GUID is hostile too
            "url": f"https://news.example/{n}",
            "title": title,
            "content_html": f"<p>Story {n} says something ordinary about the weather.</p>",
            "date_published": "2026-11-24T10:00:00Z",
        }
        for n, title in enumerate(HOSTILE)
    ]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": name, "items": items}).encode()


@pytest.mark.parametrize("feed_name", ["../../outside", "x" * 5000, "CON", "🔥"])
def test_hostile_titles_guids_and_feed_names_stay_inside_content_with_readable_slugs(tmp_path: Path, feed_name: str):
    root = make_site(tmp_path / "site")
    content = root / "content"
    server = FeedServer()
    server.routes["/feed.json"] = lambda request: send(request, 200, json_feed(feed_name), "application/feed+json")
    with server.running():
        (result,) = run_fetch([FeedConfig(url=server.url("/feed.json"), name=feed_name)], content, NOW, FAST)
    assert result.status == NEW and result.new == len(HOSTILE), result.line()
    everything = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert all(path.resolve().is_relative_to(root.resolve()) for path in everything)
    sources = sorted(content.rglob("*.md"))
    assert len(sources) == len(HOSTILE)
    for path in sources:
        assert path.parent.parent == content  # content/<source>/<slug>.md, no deeper, no higher
        for name in (path.parent.name, path.stem):
            assert SLUG.fullmatch(name), name
            assert len(name) <= SLUG_MAX_LENGTH + 7 and name.split(".")[0] not in WINDOWS_RESERVED
        article = parse_source(path.read_text(encoding="utf-8"), path)
        assert article.title  # the title itself is kept (as text), whatever it holds
    slugs = {path.stem for path in sources}
    assert {"etc-passwd", "con-story", "flood"} <= slugs
    # And the site builds, its pages inside output/, titles shown as text.
    report = site.build(site.load_settings(root))
    assert report.errors == []
    pages = article_pages(root / "output")
    assert len(pages) == len(HOSTILE)
    titles = {parse_html(page).find("h1").get_text() for page in pages}
    assert "Storm \u202eevil.exe\u202c hits coast" in titles
    assert "../../etc/passwd" in titles


def test_a_hostile_headline_in_scraped_text_gives_a_safe_file_name(tmp_path: Path):
    root = make_site(tmp_path / "site")
    for n, headline in enumerate(HOSTILE):
        if "\u0000" in headline or "\n" in headline:
            continue  # a line of scraped text cannot hold these
        (tmp_path / f"in{n}.txt").write_text(
            f"{headline}\n(CNN) -- A paragraph of story number {n}, long enough to be a body.\n", encoding="utf-8"
        )
    results = list(import_paths(sorted(tmp_path.glob("in*.txt")), root / "content", date=NOW))
    assert all(result.error is None for result in results), [str(r.error) for r in results]
    for path in (root / "content").rglob("*.md"):
        assert path.resolve().is_relative_to((root / "content").resolve())
        assert SLUG.fullmatch(path.stem) and path.stem not in WINDOWS_RESERVED
