"""Feed lists: NEWSDIGEST_FEEDS, OPML in and out, and the fetch command."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from feed_server import FeedServer, conditional, status

from generator.cli import cli
from generator.feeds.config import configs_from_settings, read_opml, site_configs, write_opml
from generator.feeds.plan import FeedConfig

OPML = """<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
<outline text="News"><outline text="Harbour" title="Harbour Herald" type="rss" xmlUrl="https://h.example/rss"
 category="World" tags="Zeeland,Storm" max_items="5" fulltext="true"/></outline>
<outline text="Plain" xmlUrl="https://p.example/atom"/><outline text="A folder only"/></body></opml>"""


def test_opml_outlines_nested_or_not_become_feed_configs(tmp_path: Path):
    path = tmp_path / "subs.opml"
    path.write_text(OPML)
    harbour, plain = read_opml(path)
    assert harbour == FeedConfig("https://h.example/rss", "Harbour Herald", "World", ("Zeeland", "Storm"), 5, True)
    assert plain == FeedConfig("https://p.example/atom", "Plain")


def test_opml_round_trips():
    configs = [FeedConfig("https://a.example/", "A", "World", ("x",), 7, True), FeedConfig("https://b.example/")]
    path = Path(__file__).parent / "_roundtrip.opml"
    try:
        path.write_text(write_opml(configs))
        assert read_opml(path) == [configs[0], FeedConfig("https://b.example/", "https://b.example/")]
    finally:
        path.unlink()


def test_bad_settings_entries_are_skipped_with_a_warning(caplog):
    configs = configs_from_settings(["https://ok.example/", {"name": "no url"}, {"url": "https://x/", "colour": "red"}])
    assert [c.url for c in configs] == ["https://ok.example/", "https://x/"]
    assert "NEWSDIGEST_FEEDS[1]: needs at least a 'url'; skipped" in caplog.text
    assert "NEWSDIGEST_FEEDS[2]: unknown keys colour ignored" in caplog.text


def test_import_opml_merges_into_the_sites_feeds_opml_and_export_prints_all(tmp_site: Path, tmp_path: Path):
    subs = tmp_path / "subs.opml"
    subs.write_text(OPML)
    runner = CliRunner()
    first = runner.invoke(cli, ["--site", str(tmp_site), "feeds", "import-opml", str(subs)])
    assert first.output == "2 feed(s) added to feeds.opml; 0 already there\n"
    again = runner.invoke(cli, ["--site", str(tmp_site), "feeds", "import-opml", str(subs)])
    assert again.output == "0 feed(s) added to feeds.opml; 2 already there\n"
    urls = [c.url for c in site_configs(tmp_site, {"NEWSDIGEST_FEEDS": ["https://first.example/"]})]
    assert urls == ["https://first.example/", "https://h.example/rss", "https://p.example/atom"]
    exported = runner.invoke(cli, ["--site", str(tmp_site), "feeds", "export-opml"]).output
    assert 'xmlUrl="https://h.example/rss"' in exported and 'xmlUrl="https://p.example/atom"' in exported


def test_fetch_prints_a_line_per_feed_and_a_summary_and_exits_0_unless_strict(tmp_site: Path):
    rss = (
        b"<rss version='2.0'><channel><title>T</title>"
        b"<item><title>One</title><guid>1</guid><description>Its text.</description></item></channel></rss>"
    )
    with FeedServer().running() as server:
        server.routes["/ok"] = conditional(rss)
        server.routes["/missing"] = status(404)
        urls = [server.url("/ok"), server.url("/missing")]
        result = CliRunner().invoke(cli, ["--site", str(tmp_site), "fetch", *urls])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == [
            f"{urls[0]}: 1 new, 0 updated, 0 unchanged",
            f"{urls[1]}: failed: HTTP 404 Not Found",
            "1 new, 0 updated, 0 unchanged, 1 failed feed(s) of 2",
        ]
        strict = CliRunner().invoke(cli, ["--site", str(tmp_site), "fetch", "--strict", *urls])
        assert strict.exit_code == 1
        assert (
            strict.output.splitlines()[0]
            == f"{urls[0]}: 0 new, 0 updated, 0 unchanged (not modified since the last fetch)"
        )


def test_fetch_without_feeds_is_a_usage_error(tmp_site: Path):
    with (tmp_site / "pelicanconf.py").open("a") as settings:
        settings.write("\nNEWSDIGEST_FEEDS = []\n")
    result = CliRunner().invoke(cli, ["--site", str(tmp_site), "fetch"])
    assert result.exit_code == 2
    assert "no feeds" in result.stderr
