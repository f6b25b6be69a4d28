"""What a maintainer controls per feed: keep/drop rules, an age limit, request headers; and prune."""

from __future__ import annotations

import datetime as dt
import logging
from email.utils import format_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from feed_server import FeedServer, conditional, send
from support import make_site

from generator.article import parse_source
from generator.cli import cli
from generator.feeds.config import configs_from_settings
from generator.feeds.fetch import Limits
from generator.feeds.plan import FeedConfig
from generator.feeds.run import run_fetch

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
FAST = Limits(connect_timeout=1, read_timeout=1, total_timeout=3, retries=0)
ITEMS = [
    ("Storm Ilse reaches the coast", "Tue, 24 Nov 2026 10:00:00 GMT", "Weather", "Anna Vos"),
    ("Cup final goes to penalties", "Tue, 24 Nov 2026 11:00:00 GMT", "Sport", "Bram Visser"),
    ("Harbour company plans an IPO", "Wed, 25 Nov 2026 08:00:00 GMT", "Business", "Anna Vos"),
    ("Lighthouse keeper retires after forty years", "Sun, 01 Nov 2026 08:00:00 GMT", "People", "Cor Smit"),
]


def feed() -> bytes:
    items = "".join(
        f"<item><title>{title}</title><guid>g{n}</guid><pubDate>{date}</pubDate><category>{category}</category>"
        f"<author>{author}</author><description>The text of: {title}.</description></item>"
        for n, (title, date, category, author) in enumerate(ITEMS)
    )
    return f"<rss version='2.0'><channel><title>Quay Post</title>{items}</channel></rss>".encode()


def fetched_titles(content: Path) -> set[str]:
    return {parse_source(p.read_text(encoding="utf-8"), p).title for p in content.rglob("*.md")}


@pytest.mark.parametrize(
    ("keep", "drop", "expected"),
    [
        ((), ("sport",), {0, 2, 3}),  # a keyword: whole words, any field (the category "Sport")
        (("title:storm", "/\\bIPO\\b/"), (), {0, 2}),  # keep: only what a rule matches
        (("author:anna vos",), ("title:/ipo/",), {0}),  # drop wins over keep; case-insensitive
        (("categories:/^(weather|business)$/",), (), {0, 2}),
        ((), ("/(?-i:storm)/",), {0, 1, 2, 3}),  # case-sensitive when the expression says so
    ],
)
def test_keep_and_drop_rules_decide_which_items_are_fetched(tmp_path: Path, keep, drop, expected):
    with FeedServer().running() as server:
        server.routes["/feed"] = conditional(feed())
        config = FeedConfig(url=server.url("/feed"), name="Quay Post", keep=keep, drop=drop, highlights=0)
        (result,) = run_fetch([config], tmp_path / "content", NOW, FAST)
    assert fetched_titles(tmp_path / "content") == {ITEMS[n][0] for n in expected}
    left_out = len(ITEMS) - len(expected)
    assert result.line().endswith(f", {left_out} skipped ({left_out} left out by a rule)") if left_out else True


def test_a_rule_that_does_not_compile_is_reported_with_the_feed_and_skipped(tmp_path, caplog):
    with FeedServer().running() as server, caplog.at_level(logging.WARNING):
        server.routes["/feed"] = conditional(feed())
        config = FeedConfig(url=server.url("/feed"), name="Quay Post", drop=("/[unclosed/", "sport"), highlights=0)
        run_fetch([config], tmp_path / "content", NOW, FAST)
    assert "Quay Post: rule '/[unclosed/' does not compile" in caplog.text
    assert "Cup final goes to penalties" not in fetched_titles(tmp_path / "content")  # the other rule applied


def test_items_older_than_max_age_days_are_not_fetched(tmp_path: Path):
    with FeedServer().running() as server:
        server.routes["/feed"] = conditional(feed())
        config = FeedConfig(url=server.url("/feed"), name="Quay Post", max_age_days=7, highlights=0)
        (result,) = run_fetch([config], tmp_path / "content", NOW, FAST)
    assert "Lighthouse keeper retires after forty years" not in fetched_titles(tmp_path / "content")
    assert result.line().endswith("1 skipped (1 older than 7 days)")


def test_a_feeds_own_headers_are_sent_for_a_cdn_that_blocks_default_clients(tmp_path: Path):
    def cdn(request) -> None:
        if "Mozilla" in request.headers.get("User-Agent", "") and request.headers.get("X-Token") == "t0ken":
            send(request, 200, feed())
        else:
            send(request, 403, b"blocked", "text/html")

    with FeedServer().running() as server:
        server.routes["/feed"] = cdn
        url = server.url("/feed")
        (plain,) = run_fetch([FeedConfig(url=url, highlights=0)], tmp_path / "a", NOW, FAST)
        (config,) = configs_from_settings(
            [{"url": url, "headers": {"User-Agent": "Mozilla/5.0 (Quay)", "X-Token": "t0ken"}}]
        )
        (with_headers,) = run_fetch([config], tmp_path / "b", NOW, FAST)
    assert plain.status == "failed" and "403" in plain.error
    assert with_headers.new == len(ITEMS)


def test_feeds_test_rules_shows_each_items_verdict_and_writes_nothing(tmp_site: Path):
    with FeedServer().running() as server:
        server.routes["/feed"] = conditional(feed())
        with (tmp_site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
            entry = {
                "url": server.url("/feed"),
                "name": "Quay Post",
                "keep": ["title:storm", "/\\bIPO\\b/"],
                "drop": ["sport"],
            }
            conf.write(f"\nNEWSDIGEST_FEEDS = [{entry!r}]\n")
        result = CliRunner().invoke(cli, ["--site", str(tmp_site), "feeds", "test-rules", "Quay Post"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Quay Post (3 rule(s)): 2 kept, 2 left out",
        "  kept  Storm Ilse reaches the coast  (keep 'title:storm')",
        "  out   Cup final goes to penalties  (drop 'sport')",
        "  kept  Harbour company plans an IPO  (keep '/\\\\bIPO\\\\b/')",
        "  out   Lighthouse keeper retires after forty years  (no keep rule matches)",
    ]
    assert not list((tmp_site / "content").rglob("*.md"))


def test_prune_lists_then_deletes_only_old_fetched_untouched_sources(tmp_path: Path):
    root = make_site(tmp_path / "site")
    content = root / "content"
    now = dt.datetime.now(dt.UTC)
    dates = {"Old and untouched": now - dt.timedelta(days=40), "Old and edited": now - dt.timedelta(days=41)}
    dates["Recent"] = now - dt.timedelta(days=2)
    items = "".join(
        f"<item><title>{title}</title><guid>{title}</guid><pubDate>{format_datetime(date)}</pubDate>"
        f"<description>The text of {title.lower()}.</description></item>"
        for title, date in dates.items()
    )
    with FeedServer().running() as server:
        server.routes["/feed"] = conditional(f"<rss version='2.0'><channel>{items}</channel></rss>".encode())
        config = FeedConfig(url=server.url("/feed"), name="Quay Post", highlights=0)
        run_fetch([config], content, now, FAST)
        sources = {parse_source(p.read_text(encoding="utf-8"), p).title: p for p in content.rglob("*.md")}
        edited = sources["Old and edited"]
        edited.write_text(edited.read_text(encoding="utf-8").replace("The text", "The edited text"), encoding="utf-8")
        imported = content / "imported.md"
        imported.write_text(
            "---\ntitle: Old and imported\nslug: old\ndate: 2020-01-01\n---\n\nText.\n", encoding="utf-8"
        )

        dry = CliRunner().invoke(cli, ["--site", str(root), "prune", "--older-than", "30"])
        assert dry.exit_code == 0, dry.output
        assert dry.output.splitlines() == [
            "kept     content/imported.md (imported; --all to prune it)",
            f"kept     {edited.relative_to(root)} (edited by hand; --all to prune it)",
            f"would go {sources['Old and untouched'].relative_to(root)}",
            "1 source(s) older than 30 days to delete; run again with --delete to delete them",
        ]
        assert all(path.exists() for path in [*sources.values(), imported])  # a dry run deletes nothing
        done = CliRunner().invoke(cli, ["--site", str(root), "prune", "--older-than", "30", "--delete"])
        assert done.exit_code == 0, done.output
        assert not sources["Old and untouched"].exists()
        assert edited.exists() and imported.exists() and sources["Recent"].exists()

        # The feed still lists the pruned item, changed: the next fetch does not bring it back.
        changed = items.replace("The text", "New text")
        server.routes["/feed"] = conditional(f"<rss version='2.0'><channel>{changed}</channel></rss>".encode(), '"v2"')
        (again,) = run_fetch([config], content, now, FAST)
    assert again.status != "failed" and not sources["Old and untouched"].exists()
