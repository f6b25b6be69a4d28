"""Whole fetch runs against a local server: sources written, state kept, nothing twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from feed_server import FeedServer, conditional, send, status
from support import CORPUS, executable_scripts, make_site, parse_html

from generator.article import parse_source
from generator.build import site
from generator.errors import Locked
from generator.feeds.fetch import Limits
from generator.feeds.plan import FeedConfig
from generator.feeds.run import FAILED, GONE, NEW, UNCHANGED, run_fetch
from generator.feeds.state import fetch_lock, load_health, load_state

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
FAST = Limits(connect_timeout=1, read_timeout=1, total_timeout=3, retries=1, backoff=0.01)
FEEDS = sorted((CORPUS / "feeds").glob("*.xml"))


def rss(*items: str, title: str = "Test Feed", extra: str = "") -> bytes:
    channel = f"<title>{title}</title>{extra}{''.join(items)}"
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>{channel}</channel></rss>'.encode()


def item(
    title: str, guid: str = "", link: str = "", date: str = "Tue, 24 Nov 2026 10:00:00 GMT", body: str = "Body text."
) -> str:
    parts = [f"<title>{title}</title>", f"<description><![CDATA[{body}]]></description>"]
    if guid:
        parts.append(f"<guid isPermaLink='false'>{guid}</guid>")
    if link:
        parts.append(f"<link>{link}</link>")
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    return f"<item>{''.join(parts)}</item>"


@pytest.fixture
def server():
    with FeedServer().running() as running:
        yield running


def sources(content: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(content.rglob("*.md"))}


def fetch(server, content: Path, *paths: str, now: dt.datetime = NOW):
    configs = [FeedConfig(url=server.url(path), name=path.strip("/").title()) for path in paths]
    return run_fetch(configs, content, now, FAST)


@pytest.mark.skipif(not FEEDS, reason="../shared/corpus is not beside the repo")
def test_every_corpus_feed_becomes_sources_or_a_clear_failure_and_the_second_run_is_all_304(server, tmp_path):
    for path in FEEDS:
        server.routes[f"/{path.stem}"] = conditional(path.read_bytes(), etag=f'"{path.stem}"')
    content = tmp_path / "content"
    results = fetch(server, content, *(f"/{path.stem}" for path in FEEDS))
    assert len(results) == 40
    for path, result in zip(FEEDS, results, strict=True):
        if result.status == FAILED:
            assert result.error.startswith("not a readable feed, no items found: "), result.line()
            assert b"<item" not in path.read_bytes() and b"<entry" not in path.read_bytes()
        else:
            assert result.status in (NEW, UNCHANGED), result.line()
    with_sources = {p.parent.name for p in content.rglob("*.md")}
    assert len(with_sources) >= 28
    for path, result in zip(FEEDS, results, strict=True):
        if result.status != FAILED and path.stem not in with_sources and not result.error and not result.duplicates:
            # Only junk ("…", "¤", a title and no text): skipped, and the line says why (issue #16).
            assert result.skipped and " skipped (" in result.line(), result.line()
    assert sum(result.skipped.total() for result in results) >= 50
    assert sum(r.new for r in results) == len(sources(content)) >= 340
    before = sources(content)
    again = fetch(server, content, *(f"/{path.stem}" for path in FEEDS))
    assert [r.line() for r in again if r.status not in (UNCHANGED, FAILED)] == []
    assert sum(1 for r in again if r.error == "not modified since the last fetch") == 37
    assert sources(content) == before
    last_sent = {path: headers.get("If-None-Match") for path, headers in server.requests}  # the second run's
    failed_first = {f"/{p.stem}" for p, r in zip(FEEDS, results, strict=True) if r.status == FAILED}
    assert {path: etag for path, etag in last_sent.items() if path not in failed_first} == {
        f"/{p.stem}": f'"{p.stem}"' for p in FEEDS if f"/{p.stem}" not in failed_first
    }


def test_undated_items_take_the_feeds_date_else_the_fetch_time(server, tmp_path):
    feed_date = "<lastBuildDate>Mon, 23 Nov 2026 08:00:00 GMT</lastBuildDate>"
    server.routes["/dated"] = conditional(rss(item("Undated one", guid="u1", date=""), extra=feed_date))
    server.routes["/bare"] = conditional(rss(item("Undated two", guid="u2", date="")))
    fetch(server, tmp_path, "/dated", "/bare")
    found = {a.title: a for a in (parse_source(p.read_text(), p) for p in tmp_path.rglob("*.md"))}
    assert (found["Undated one"].date, found["Undated one"].date_inferred) == (
        dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC),
        True,
    )
    assert (found["Undated two"].date, found["Undated two"].date_inferred) == (NOW, True)


def test_dedupe_by_guid_link_and_headline_across_feeds_and_runs(server, tmp_path):
    server.routes["/one"] = conditional(
        rss(item("Same story", guid="g1", link="https://news.example/a?utm_source=x"), item("Other", guid="g2"))
    )
    server.routes["/two"] = conditional(
        rss(
            item("Same story, retitled", guid="g-other", link="HTTPS://NEWS.example/a"),  # same link
            item("Other", guid="g-three"),  # same headline and day
            item("Fresh", guid="g4"),
        )
    )
    first, second = fetch(server, tmp_path, "/one", "/two")
    assert (first.new, second.new, second.duplicates) == (2, 1, 2)
    assert len(sources(tmp_path)) == 3
    again = fetch(server, tmp_path, "/one", "/two")
    assert all(r.new == 0 for r in again)


def test_an_item_updated_at_its_source_updates_its_file_unless_edited_by_hand(server, tmp_path):
    server.routes["/feed"] = lambda r: send(r, 200, rss(item("Story", guid="s1", body="First version.")))
    fetch(server, tmp_path, "/feed")
    (path,) = sources(tmp_path)
    server.routes["/feed"] = lambda r: send(r, 200, rss(item("Story", guid="s1", body="Second version.")))
    (result,) = fetch(server, tmp_path, "/feed")
    assert (result.updated, "Second version." in path.read_text()) == (1, True)
    path.write_text(path.read_text().replace("Second version.", "Edited by an editor."))
    server.routes["/feed"] = lambda r: send(r, 200, rss(item("Story", guid="s1", body="Third version.")))
    (result,) = fetch(server, tmp_path, "/feed")
    assert result.kept == 1
    assert "Edited by an editor." in path.read_text()


def test_a_deleted_source_is_not_brought_back(server, tmp_path):
    server.routes["/feed"] = lambda r: send(r, 200, rss(item("Story", guid="s1")))
    fetch(server, tmp_path, "/feed")
    (path,) = sources(tmp_path)
    path.unlink()
    (result,) = fetch(server, tmp_path, "/feed")
    assert result.new == 0 and sources(tmp_path) == {}


def test_a_gone_feed_is_retired_and_no_longer_requested(server, tmp_path):
    server.routes["/gone"] = status(410)
    (result,) = fetch(server, tmp_path, "/gone")
    assert result.status == GONE
    (again,) = fetch(server, tmp_path, "/gone")
    assert again.status == GONE and "removed by the publisher" in again.error
    assert server.hits["/gone"] == 1
    assert load_state(tmp_path)[server.url("/gone")].gone_since


def test_failures_are_per_feed_and_recorded_in_health(server, tmp_path):
    server.routes["/good"] = conditional(rss(item("Fine", guid="f1")))
    server.routes["/broken"] = lambda r: send(r, 200, b"<rss version='2.0'><chan")
    server.routes["/down"] = status(503)
    good, broken, down, missing = fetch(server, tmp_path, "/good", "/broken", "/down", "/missing")
    assert good.status == NEW
    assert broken.status == FAILED and broken.error.startswith("not a readable feed")
    assert down.error == "server error (HTTP 503 Service Unavailable) (after 2 attempts)"
    assert missing.error == "HTTP 404 Not Found"
    health = load_health(tmp_path)
    assert health[server.url("/down")].consecutive_failures == 1
    assert health[server.url("/good")].last_success == NOW.isoformat()
    later = NOW + dt.timedelta(days=8)
    fetch(server, tmp_path, "/down", now=later)
    (flagged,) = fetch(server, tmp_path, "/down", now=later + dt.timedelta(hours=1))
    assert flagged.flagged and "failing for over a week" in flagged.line()


@pytest.mark.skipif(not FEEDS, reason="../shared/corpus is not beside the repo")
def test_a_wrong_charset_header_is_recovered(server, tmp_path):
    body = (CORPUS / "feeds" / "hard-koi8r-russian-no-encoding-declared.xml").read_bytes()
    server.routes["/ru"] = lambda r: send(r, 200, body, "text/xml; charset=utf-8")  # it is KOI8-R
    fetch(server, tmp_path, "/ru")
    (path,) = sources(tmp_path)
    assert parse_source(path.read_text(), path).title == "Как пережить новогоднюю ночь"


def test_fulltext_fetches_the_items_page(server, tmp_path):
    page = (
        "<html lang='en'><head><title>Long story</title></head><body><article>"
        + "<p>The full text of the story is here, at length, with detail the feed left out.</p>" * 4
        + "</article></body></html>"
    ).encode()
    server.routes["/page"] = lambda r: send(r, 200, page, "text/html; charset=utf-8")
    server.routes["/feed"] = conditional(rss(item("Long story", guid="l1", link=server.url("/page"), body="Teaser.")))
    config = FeedConfig(url=server.url("/feed"), name="Full", fulltext=True)
    run_fetch([config], tmp_path, NOW, FAST)  # a loopback page: not fetched, the feed's text stands
    (path,) = sources(tmp_path)
    assert "Teaser." in parse_source(path.read_text(), path).body
    path.unlink()
    (tmp_path / "_feeds" / "state.json").unlink()
    run_fetch([config], tmp_path, NOW, replace(FAST, allow_hosts=("127.0.0.1",)))  # a host the settings allow
    (path,) = sources(tmp_path)
    body = parse_source(path.read_text(), path).body
    assert "The full text of the story is here" in body and "Teaser." not in body


def test_a_second_fetch_cannot_run_while_one_holds_the_lock(tmp_path):
    with fetch_lock(tmp_path), pytest.raises(Locked, match="another fetch is running"):
        run_fetch([], tmp_path, NOW)


def test_hostile_feed_html_never_reaches_the_page(server, tmp_path):
    root = make_site(tmp_path / "site")
    hostile = item(
        "<script>alert('title')</script>Hostile",
        guid="x1",
        link="javascript:alert(1)",
        body='<p onclick="alert(1)">Text <img src=x onerror=alert(1)><script>alert(2)</script>'
        '<a href="javascript:alert(3)">js</a> <a href="/ok">ok</a></p><svg onload=alert(4)></svg>'
        '<iframe src="https://evil.example/"></iframe>&lt;script&gt;shown as text&lt;/script&gt;',
    )
    server.routes["/hostile"] = conditional(rss(hostile))
    run_fetch([FeedConfig(url=server.url("/hostile"), name="Hostile")], root / "content", NOW, FAST)
    report = site.build(site.load_settings(root))
    assert report.errors == []
    (page_path,) = (root / "output").glob("2026/*/*/*/index.html")
    page = parse_html(page_path)
    assert executable_scripts(page) == []
    assert page.find_all(["iframe", "svg"]) == []
    assert not [a for a in page.find_all(True) for name in a.attrs if name.startswith("on")]
    hrefs = [a["href"] for a in page.select(".body a")]
    assert hrefs == [server.url("/ok")]
    assert page.select_one(".body a")["rel"] == ["nofollow", "noopener", "ugc"]
    assert "<script>shown as text</script>" in page.select_one(".body").get_text()
    assert page.find("h1").get_text() == "Hostile"  # feedparser drops the script's text too
    assert page.select_one("a.source") is None  # its javascript: link is not shown


def test_short_items_get_no_generated_highlights_and_long_ones_do(server, tmp_path):
    """Issue #17: a one- or two-sentence item gets no highlight box rather than a copy of its summary."""
    long_body = " ".join(
        f"<p>{sentence}</p>"
        for sentence in (
            "The council report says the budget adds forty buses to the city fleet.",
            "Two bridges over the river will be repaired before the winter floods.",
            "Members voted nine to four in favour of the plan after a long debate.",
            "Critics argue that cycling lanes were left out of the spending entirely.",
            "Parking fees in the centre rise by a fifth from the first of January.",
            "The mayor promised that fares would stay the same for another year.",
            "New depots open in the northern suburbs to house the extra vehicles.",
            "Officials expect the first of the new routes to run in early spring.",
        )
    )
    server.routes["/news"] = conditional(
        rss(
            item("Two sentences", guid="a", body="The bridge reopened on Monday. Traffic was light all day."),
            item("A long report", guid="b", body=long_body),
        )
    )
    fetch(server, tmp_path, "/news")
    articles = {a.title: a for a in (parse_source(p.read_text(encoding="utf-8"), p) for p in tmp_path.rglob("*.md"))}
    assert articles["Two sentences"].highlights == ()
    assert len(articles["A long report"].highlights) == 3
    assert articles["A long report"].highlights_from == "generated"
