"""A maintainer's hand edits survive every command (only `import --force` says otherwise)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from feed_server import FeedServer, send
from support import SAMPLES, SEED, make_site

from generator.cli import cli


def rss(body: str) -> bytes:
    item = (
        "<item><title>Harbour reopens</title><guid>h1</guid><link>https://harbour.example/1</link>"
        f"<pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate><description>{body}</description></item>"
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>H</title>{item}</channel></rss>".encode()


def run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--site", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_hand_edits_survive_import_fetch_build_and_the_feed_commands(tmp_path: Path):
    server = FeedServer()
    server.routes["/feed"] = lambda request: send(request, 200, rss("The harbour reopened on Tuesday."))
    with server.running():
        root = make_site(tmp_path / "site")
        with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
            conf.write(f"\nNEWSDIGEST_FEEDS = [{{'url': {server.url('/feed')!r}, 'name': 'Harbour'}}]\n")
        run(root, "import", *map(str, SAMPLES))
        run(root, "fetch")
        content = root / "content"
        seed = next(content.rglob("dozens-dead-after-airstike-hits-syrian-school.md"))
        item = next(content.rglob("harbour-reopens.md"))
        seed.write_text(
            seed.read_text(encoding="utf-8").replace("harsher rhetorical barbs", "harsher barbs (edited)")
            + "\nAn editor's note added by hand.\n",
            encoding="utf-8",
        )
        item.write_text(item.read_text(encoding="utf-8").replace("reopened", "reopened (corrected)"))
        edited = {path: path.read_bytes() for path in (seed, item)}
        # The item changes at its source; the seed is imported again: both would be rewritten if not edited.
        server.routes["/feed"] = lambda request: send(request, 200, rss("The harbour reopened on Wednesday."))
        opml = tmp_path / "feeds.opml"
        for command in (
            ["import", str(SEED)],
            ["import", *map(str, SAMPLES)],
            ["fetch"],
            ["build"],
            ["feeds", "export-opml"],
            ["feeds", "import-opml", str(opml)],
            ["fetch"],
            ["build"],
        ):
            output = run(root, *command)
            if command[-1] == "export-opml":
                opml.write_text(output, encoding="utf-8")
            assert {path: path.read_bytes() for path in edited} == edited, command
        assert "harsher barbs (edited)" in (root / "output").joinpath(
            "2016/10/27/dozens-dead-after-airstike-hits-syrian-school/index.html"
        ).read_text(encoding="utf-8")
