"""SIGKILL at random moments: import, fetch and build never leave a torn file, and a re-run completes.

Each command runs as `python -m generator` in its own process group, which
is killed (with whatever it started: worker pools, Pagefind) after a random
delay within the time a whole run takes. After every kill: each source
under content/ parses and is byte for byte the one a whole run writes (or
not there yet); the feed state and health files parse; temporary files left
by the kill are hidden dot files, which nothing reads. Then a re-run must
finish with exit status 0 and give exactly the whole run's result.

NEWSDIGEST_KILLS sets the kills per command (default 6; the README's table
gives a longer run).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from feed_server import FeedServer, conditional
from support import CORPUS, SAMPLES, article_pages, make_site

from generator.article import parse_source
from generator.feeds.state import fetch_lock

KILLS = int(os.environ.get("NEWSDIGEST_KILLS", "6"))
SEED = int(os.environ.get("NEWSDIGEST_KILL_SEED", "7"))


def cli(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "--site", str(root), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def run_whole(root: Path, *args: str) -> float:
    started = time.perf_counter()
    process = cli(root, *args)
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    return time.perf_counter() - started


def kill_after(root: Path, delay: float, *args: str) -> None:
    process = cli(root, *args)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def sources(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in content.rglob("*.md") if is_visible(p, content)}


def is_visible(path: Path, content: Path) -> bool:
    return not any(part.startswith(".") for part in path.relative_to(content).parts)


def assert_whole(content: Path, reference: dict[str, bytes]) -> None:
    """Every source is complete: parses, and is the one a whole run writes."""
    for name, data in sources(content).items():
        parse_source(data.decode("utf-8"), content / name)
        assert data == reference.get(name), name
    for name in ("state.json", "health.json", ".source-index.json"):
        path = content / "_feeds" / name
        if path.exists():
            assert isinstance(json.loads(path.read_text(encoding="utf-8")), dict), name
    for leftover in (p for p in content.rglob("*") if p.is_file() and not is_visible(p, content)):
        temporary = leftover.name.startswith(".") and leftover.name.endswith(".tmp")
        assert temporary or leftover.name in ("fetch.lock", ".source-index.json"), leftover


def inputs() -> list[Path]:
    corpus = sorted((CORPUS / "articles").glob("*.story"))[:20] if CORPUS.is_dir() else []
    return [*SAMPLES, *corpus]


def delays(whole: float, count: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(0.2, whole) for _ in range(count)]


def test_import_killed_at_random_moments(tmp_path: Path):
    files = [str(path) for path in inputs()]
    reference = make_site(tmp_path / "reference")
    whole = run_whole(reference, "import", "--date", "2026-11-25", *files)
    expected = sources(reference / "content")
    root = make_site(tmp_path / "site")
    for delay in delays(whole, KILLS, SEED):
        kill_after(root, delay, "import", "--date", "2026-11-25", *files)
        assert_whole(root / "content", expected)
    run_whole(root, "import", "--date", "2026-11-25", *files)
    assert sources(root / "content") == expected


@pytest.fixture
def feed_site(tmp_path: Path):
    """A site whose NEWSDIGEST_FEEDS are 30 feeds on a local server."""
    server = FeedServer()
    for n in range(30):
        items = "".join(
            f"<item><title>Feed {n} story {i} about the harbour</title><guid>f{n}-{i}</guid>"
            f"<link>https://feed{n}.example/{i}</link><pubDate>Tue, 24 Nov 2026 {i:02d}:00:00 GMT</pubDate>"
            f"<description>Story {i} of feed {n}. The harbour reopened after the storm.</description></item>"
            for i in range(10)
        )
        body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>F{n}</title>{items}</channel></rss>"
        server.routes[f"/feed{n}"] = conditional(body.encode(), etag=f'"{n}"')
    with server.running():

        def site_for(name: str) -> Path:
            root = make_site(tmp_path / name)
            feeds = [{"url": server.url(f"/feed{n}"), "name": f"Feed {n}"} for n in range(30)]
            with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
                conf.write(f"\nNEWSDIGEST_FEEDS = {feeds!r}\n")
            return root

        site_for.server = server
        yield site_for


def test_fetch_killed_at_random_moments(feed_site):
    reference = feed_site("reference")
    whole = run_whole(reference, "fetch")
    expected = sources(reference / "content")
    assert len(expected) == 300
    root = feed_site("site")
    for delay in delays(whole, KILLS, SEED + 1):
        kill_after(root, delay, "fetch")
        assert_whole(root / "content", expected)
    run_whole(root, "fetch")
    assert sources(root / "content") == expected
    state = json.loads((root / "content" / "_feeds" / "state.json").read_text(encoding="utf-8"))
    assert len(state["feeds"]) == 30


def test_of_two_fetches_at_once_the_second_exits_at_once_and_says_why(feed_site):
    """The first fetch is this test holding the lock, for as long as it takes: no race with a
    timer, however busy the machine (a slow feed holding it for 3 s was not enough on a loaded one)."""
    root = feed_site("site")
    with fetch_lock(root / "content"):
        second = cli(root, "fetch")
        _, message = second.communicate(timeout=300)
        assert second.returncode == 1
        assert "another fetch is running; try again when it has finished" in message
        assert sources(root / "content") == {}  # it wrote nothing
    after = cli(root, "fetch")  # the lock released, a fetch runs
    after.communicate(timeout=300)
    assert after.returncode == 0
    assert len(sources(root / "content")) == 300


def test_build_killed_at_random_moments(tmp_path: Path):
    root = make_site(tmp_path / "site")
    run_whole(root, "import", "--date", "2026-11-25", *map(str, inputs()))
    content = sources(root / "content")
    reference = tmp_path / "reference"
    shutil.copytree(root, reference)
    whole = run_whole(reference, "build")
    pages = {p.relative_to(reference / "output") for p in article_pages(reference / "output")}
    for delay in delays(whole, KILLS, SEED + 2):
        kill_after(root, delay, "build")
        assert sources(root / "content") == content  # a build never writes a source
    run_whole(root, "build")
    assert {p.relative_to(root / "output") for p in article_pages(root / "output")} == pages
    for page in pages:
        assert (root / "output" / page).read_bytes() == (reference / "output" / page).read_bytes(), page
