"""Reliability, round two (issue 19): each case reproduced against a real local server or site."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from feed_server import FeedServer, conditional, send
from support import make_site

from generator.article import parse_source
from generator.feeds.config import read_opml
from generator.feeds.fetch import Limits
from generator.feeds.plan import FeedConfig
from generator.feeds.run import FAILED, NEW, run_fetch
from generator.feeds.state import load_health, load_state
from generator.locks import hold_lock

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
FAST = Limits(connect_timeout=1, read_timeout=1, total_timeout=3, retries=0, backoff=0.01)
GOOD = (
    b"<?xml version='1.0'?><rss version='2.0'><channel><title>Good</title><item><title>Harbour reopens</title>"
    b"<guid>g1</guid><pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate><description>Ferries run.</description>"
    b"</item></channel></rss>"
)


def json_feed(items: list) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": items}).encode()


@pytest.fixture
def server():
    with FeedServer().running() as running:
        yield running


def test_any_failure_of_one_feed_is_its_failed_line_and_the_run_goes_on(server, tmp_path: Path):
    """Case 1: a redirect to mailto:, "tags": null, a date past year 9999, deeply nested JSON each
    raised out of the whole fetch (state and health unsaved, the feeds after it not written)."""
    server.routes["/mailto"] = lambda r: send(r, 302, b"", "text/plain", Location="mailto:editor@example.org")
    server.routes["/null-tags"] = conditional(
        json_feed([{"id": "1", "title": "Null tags", "content_text": "Text.", "tags": None}]), etag='"n"'
    )
    server.routes["/year-10000"] = conditional(
        json_feed(
            [{"id": "2", "title": "Far", "content_text": "Text.", "date_published": "9999-12-31T23:59:59-05:00"}]
        ),
        etag='"y"',
    )
    server.routes["/deep"] = lambda r: send(
        r, 200, b'{"items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "application/json"
    )
    server.routes["/good"] = conditional(GOOD)
    names = ["/mailto", "/null-tags", "/year-10000", "/deep", "/good"]
    configs = [FeedConfig(url=server.url(name), name=name) for name in names]
    configs.append(FeedConfig(url="https://[bad", name="bad address"))
    results = run_fetch(configs, tmp_path, NOW, FAST)
    by_name = {result.config.name: result for result in results}
    assert by_name["/good"].status == NEW  # the feed after the bad ones was written
    assert by_name["/mailto"].status == FAILED
    assert by_name["/deep"].status == FAILED
    assert by_name["bad address"].status == FAILED and by_name["bad address"].error == "not a valid address"
    for name in ("/null-tags", "/year-10000"):  # read, or failed alone: never the whole run
        assert by_name[name].status in (NEW, FAILED), by_name[name].line()
    assert server.url("/good") in load_state(tmp_path) and server.url("/mailto") in load_health(tmp_path)


def test_the_cli_fetch_exits_0_with_one_line_per_failed_feed(server, tmp_path: Path):
    server.routes["/mailto"] = lambda r: send(r, 302, b"", "text/plain", Location="mailto:editor@example.org")
    server.routes["/good"] = conditional(GOOD)
    root = make_site(tmp_path / "site")
    feeds = [{"url": server.url("/mailto"), "name": "Mailto"}, {"url": server.url("/good"), "name": "Good"}]
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"\nNEWSDIGEST_FEEDS = {feeds!r}\n")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--site", str(root), "fetch"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert any(line.startswith("Mailto: failed: ") for line in done.stdout.splitlines()), done.stdout
    assert any(line.startswith("Good: 1 new") for line in done.stdout.splitlines()), done.stdout


def test_an_item_dated_in_the_far_future_is_undated(server, tmp_path: Path):
    """Case 6: an item dated 9999-12-31 led the front page for as long as it stayed in the feed."""
    future = GOOD.replace(b"Tue, 24 Nov 2026 10:00:00 GMT", b"Fri, 31 Dec 9999 12:00:00 GMT")
    server.routes["/future"] = conditional(future)
    (result,) = run_fetch([FeedConfig(url=server.url("/future"), name="Future")], tmp_path, NOW, FAST)
    assert result.status == NEW
    (path,) = tmp_path.rglob("*.md")
    article = parse_source(path.read_text(encoding="utf-8"), path)
    assert article.date == NOW and article.date_inferred  # the time it was first seen, marked as such


def test_opml_brings_only_http_feeds(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    """Cases 7 and 8: an OPML entry could point fetch at /dev/zero or any local file."""
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        "<opml version='2.0'><body>"
        "<outline text='zero' xmlUrl='file:///dev/zero'/><outline text='passwd' xmlUrl='/etc/passwd'/>"
        "<outline text='bad' xmlUrl='https://[bad'/><outline text='ok' xmlUrl='https://example.org/feed'/>"
        "</body></opml>",
        encoding="utf-8",
    )
    assert [config.url for config in read_opml(opml)] == ["https://example.org/feed"]
    assert len([m for m in caplog.messages if "is not an http(s) address; skipped" in m]) == 3


def test_built_files_are_readable_by_a_web_server_running_as_another_user(tmp_path: Path):
    """Case 4: feeds/all.json and pagefind/parts.json were 0600 (mkstemp)."""
    root = make_site(tmp_path / "site")
    (root / "content" / "note.md").write_text(
        "---\ntitle: Council note\ndate: 2026-11-20T10:00:00+00:00\n---\n\nText of the note.\n", encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--site", str(root), "build"],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert done.returncode == 0, done.stderr
    output = root / "output"
    for name in ("feeds/all.json", "pagefind/parts.json", "sitemap.xml", "index.html"):
        assert stat.S_IMODE((output / name).stat().st_mode) == 0o644, name
    wrong = [
        path.relative_to(output).as_posix()
        for path in output.rglob("*")
        if stat.S_IMODE(path.stat().st_mode) & (0o005 if path.is_dir() else 0o004)
        != (0o005 if path.is_dir() else 0o004)
    ]
    assert wrong == []


def test_a_second_build_of_a_site_exits_at_once_saying_why(tmp_path: Path):
    """Case 5: two builds at once hung inside Pagefind; now the second says another is running."""
    root = make_site(tmp_path / "site")
    with hold_lock(root / "cache" / "build.lock", "build of this site"):
        done = subprocess.run(
            [sys.executable, "-m", "generator", "--site", str(root), "build"],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    assert done.returncode == 1
    assert done.stderr.strip().endswith(
        "build.lock: another build of this site is running; try again when it has finished"
    )
    assert not (root / "output").exists()


def source(root: Path, name: str, title: str, extra: str = "") -> Path:
    path = root / "content" / name
    path.write_text(
        f"---\ntitle: {title}\ndate: 2026-11-20T10:00:00+00:00\n{extra}---\n\nThe text of {title}.\n", encoding="utf-8"
    )
    return path


def build(root: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "generator", "--site", str(root), "build"]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)


def test_draft_and_hidden_sources_build_and_are_not_published(tmp_path: Path):
    """Case 3: `status: draft` or `hidden` crashed the build (no index.html written)."""
    root = make_site(tmp_path / "site")
    source(root, "shown.md", "Shown story")
    source(root, "draft.md", "Draft story", "status: draft\n")
    source(root, "hidden.md", "Hidden story", "status: hidden\n")
    done = build(root)
    assert done.returncode == 0, done.stderr
    output = root / "output"
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in output.rglob("*") if p.is_file())
    assert "Draft story" not in everything and not (output / "drafts").exists()
    hidden = output / "2026" / "11" / "20" / "hidden-story" / "index.html"
    assert hidden.is_file() and "data-pagefind-body" not in hidden.read_text(encoding="utf-8")
    listed = [p for p in output.rglob("*") if p.is_file() and p != hidden and "pagefind" not in p.parts]
    assert not any("Hidden story" in p.read_text(encoding="utf-8", errors="replace") for p in listed)
    assert "Shown story" in (output / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("slug: shown-story\n", "has the address 2026/11/20/shown-story/ of "),
        (
            "template: ../../etc/passwd\n",
            "`template: ../../etc/passwd` is not a template of the theme; remove the field",
        ),
    ],
    ids=["two sources, one slug", "a template outside the theme"],
)
def test_a_hand_edit_that_cannot_be_built_is_one_line_and_output_is_untouched(tmp_path: Path, extra, expected):
    """Case 3: two sources with one slug (FileOverwriteFailedError, output/ half written) and
    `template: ../../etc/passwd` (PelicanTemplateNotFound) ended in tracebacks."""
    root = make_site(tmp_path / "site")
    source(root, "a-shown.md", "Shown story")
    assert build(root).returncode == 0
    before = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    edited = source(root, "b-edited.md", "Edited story", extra)
    done = build(root)
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"Error: {edited}: ") and expected in line, line
    assert {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("command", ["import", "fetch"])
def test_a_fifo_or_a_device_is_one_clear_line_never_a_hang(tmp_path: Path, command: str):
    """Case 8: `import` or `fetch` of a FIFO blocked forever; /dev/zero read until memory ran out."""
    root = make_site(tmp_path / "site")
    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    inputs = [str(fifo), "/dev/zero"]
    if command == "fetch":
        with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
            conf.write(f"\nNEWSDIGEST_FEEDS = {inputs!r}\n")
        inputs = []
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--site", str(root), command, *inputs],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    said = done.stdout + done.stderr
    assert said.count("is not a regular file (a FIFO, socket or device): not read") == 2, said
    assert "Traceback" not in said


def test_two_texts_with_one_source_headline_and_day_both_survive_and_reimport_is_idempotent(tmp_path: Path):
    """Case 9: importing two different "Live updates: storm hits the coast" texts printed one path
    twice; the first story was lost."""
    root = make_site(tmp_path / "site")
    texts = []
    for n, body in enumerate(["The storm reached the coast at dawn.", "By evening the water had gone down."]):
        text = tmp_path / f"live-{n}.txt"
        text.write_text(
            f"Live updates: storm hits the coast\n\nZEELAND, Netherlands (Harbour Herald) -- {body} "
            "Ferries stayed in port and schools closed.\n",
            encoding="utf-8",
        )
        texts.append(str(text))
    command = [sys.executable, "-m", "generator", "--site", str(root), "import", "--date", "2026-11-24", *texts]
    first = subprocess.run(command, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    written = sorted((root / "content").rglob("*.md"))
    assert len(written) == 2
    bodies = {parse_source(p.read_text(encoding="utf-8"), p).body for p in written}
    assert any("at dawn" in body for body in bodies) and any("water had gone down" in body for body in bodies)
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    assert again.returncode == 0 and sorted((root / "content").rglob("*.md")) == written
    assert {p: p.read_bytes() for p in written} == {p: p.read_bytes() for p in sorted((root / "content").rglob("*.md"))}


@pytest.mark.parametrize(
    ("date", "why"),
    [("2026-13-45", "month must be in 1..12"), ("next tuesday-ish", "Unknown string format")],
    ids=["a YAML timestamp out of range", "text that is no date"],
)
def test_a_bad_date_says_where_and_why(tmp_path: Path, date: str, why: str):
    """Minor: Pelican said only "Could not process ./bad.md", never why."""
    root = make_site(tmp_path / "site")
    source(root, "good.md", "Good story")
    bad = root / "content" / "bad.md"
    bad.write_text(f"---\ntitle: Bad date\ndate: {date}\n---\n\nText.\n", encoding="utf-8")
    done = build(root)
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line == (f"Error: {bad}:3: date: {date!r} is not a date ({why}); write it as YYYY-MM-DD or YYYY-MM-DD HH:MM")
    assert "Good story" in (root / "output" / "index.html").read_text(encoding="utf-8")


def test_a_fetched_source_hand_edited_without_its_guid_is_still_sanitised(tmp_path: Path):
    """Minor: the build re-sanitised only sources with a `guid`; one edited without it kept <script>."""
    root = make_site(tmp_path / "site")
    edited = source(root, "edited.md", "Edited story", "link: https://harbour.example/1\n")
    edited.write_text(
        edited.read_text(encoding="utf-8") + '\n<script>alert(1)</script><p onclick="x()">Hello</p>\n', encoding="utf-8"
    )
    assert build(root).returncode == 0
    page = (root / "output" / "2026" / "11" / "20" / "edited-story" / "index.html").read_text(encoding="utf-8")
    assert "Hello" in page and "alert(1)" not in page and "onclick" not in page
