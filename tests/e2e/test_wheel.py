"""The distribution alone: a wheel built from a clean clone, installed in a new virtual environment
that cannot see this repository, starts a digest, fetches, builds and publishes it (issue #18).

Slow (a virtual environment and every dependency): about a minute. Offline: the wheel is built
and every dependency installed from the wheelhouse `make test` fills with the locked versions
(.venv/wheelhouse), never from a package index.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from feed_server import FeedServer, conditional
from support import REPO, parse_html

WHEELHOUSE = REPO / ".venv" / "wheelhouse"

FEED = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Quay Post</title>
<item><title>Harbour crane restored after the gale</title><guid>q1</guid><link>https://quay.example/1</link>
<pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate>
<description>Engineers restored the harbour crane on Tuesday. It lifted a container by noon.</description></item>
<item><title>Ferry timetable returns to normal</title><guid>q2</guid><link>https://quay.example/2</link>
<pubDate>Wed, 25 Nov 2026 08:00:00 GMT</pubDate>
<description>The ferry company said every crossing would run on time from Thursday.</description></item>
</channel></rss>"""


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: int = 900) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A new virtual environment holding newsdigest from a wheel built from a clean clone."""
    if not (WHEELHOUSE / ".made").is_file():
        message = f"no wheelhouse at {WHEELHOUSE}: run `make test` (it makes one)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    work = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PYTHON", "VIRTUAL_ENV", "PIP_"))}
    # No package index: everything from the wheelhouse (the locked versions).
    env |= {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(WHEELHOUSE), "PIP_CONFIG_FILE": os.devnull}
    clone = work / "clone"
    run(["git", "clone", "--quiet", str(REPO), str(clone)], work, env)
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work / "dist"), str(clone)], work, env)
    (wheel,) = (work / "dist").glob("newsdigest-*.whl")
    venv = work / "venv"
    run([sys.executable, "-m", "venv", str(venv)], work, env)
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], work, env)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return venv, env


def test_the_wheel_alone_gives_a_working_cli(installed, tmp_path: Path):
    venv, env = installed
    assert "Usage: newsdigest" in run(
        [
            str(
                venv / "bin" / "newsdigest",
            ),
            "--help",
        ],
        tmp_path,
        env,
    )
    where = run([str(venv / "bin" / "python"), "-c", "import generator; print(generator.__file__)"], tmp_path, env)
    assert str(venv) in where and str(REPO) not in where  # the installed copy, not this repository


def test_a_new_digest_from_the_wheel_fetches_builds_and_publishes(installed, tmp_path: Path):
    venv, env = installed
    newsdigest = str(venv / "bin" / "newsdigest")
    with FeedServer().running() as server:
        server.routes["/feed.xml"] = conditional(FEED.encode())
        url = server.url("/feed.xml")
        said = run(
            [
                newsdigest,
                "init",
                "harbour",
                "--name",
                "Harbour Daily",
                "--url",
                "https://harbour.example",
                "--feed",
                url,
            ],
            tmp_path,
            env,
        )
        assert "Next:" in said
        site = tmp_path / "harbour"
        assert "2 new" in run([newsdigest, "fetch"], site, env)
    run([newsdigest, "build"], site, env)
    output = site / "output"
    pages = [parse_html(path) for path in output.rglob("index.html") if "pagefind" not in path.parts]
    assert pages and all(page.select_one(".site-name").get_text(strip=True) == "Harbour Daily" for page in pages)
    headlines = {a.get_text(strip=True) for a in parse_html(output / "index.html").select(".story-list .headline a")}
    assert headlines == {"Harbour crane restored after the gale", "Ferry timetable returns to normal"}
    assert not [path for path in output.rglob("*.html") if re.search(r"airstike|storm-ilse|lisbon", str(path))]

    # Publish by git push to a bare repository whose hook builds with the installed newsdigest.
    bare, live = tmp_path / "harbour.git", tmp_path / "www" / "harbour"
    run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(bare)], tmp_path, env)
    run([newsdigest, "publish", "install-hook", "--repo", str(bare), "--target", str(live)], tmp_path, env)
    git = ["git", "-c", "user.name=Maintainer", "-c", "user.email=maintainer@harbour.example"]
    run(["git", "init", "--quiet", "--initial-branch=main"], site, env)
    run([*git, "add", "-A"], site, env)
    run([*git, "commit", "--quiet", "-m", "Harbour Daily"], site, env)
    said = run([*git, "push", "--quiet", str(bare), "main"], site, env)
    assert "newsdigest: published" in said, said
    front = parse_html(live / "index.html")
    assert front.select_one(".site-name").get_text(strip=True) == "Harbour Daily"
    assert "Harbour crane restored after the gale" in front.get_text()
