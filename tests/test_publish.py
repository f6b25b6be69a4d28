"""Publishing by git push: a real bare repository, a clone, and the post-receive hook."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import REPO, article_pages, parse_html

from generator.cli import cli

SEED_PAGE = "2016/10/27/dozens-dead-after-airstike-hits-syrian-school/index.html"
SEED_SOURCE = "content/cnn/dozens-dead-after-airstike-hits-syrian-school.md"
GIT_ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
    "GIT_AUTHOR_NAME": "Test Maintainer",
    "GIT_AUTHOR_EMAIL": "maintainer@example.org",
    "GIT_COMMITTER_NAME": "Test Maintainer",
    "GIT_COMMITTER_EMAIL": "maintainer@example.org",
}


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True, check=True)


def push(clone: Path, message: str) -> str:
    """Commit everything and push; returns what the server's hook said (git's stderr)."""
    git("add", "-A", cwd=clone)
    git("commit", "--quiet", "-m", message, cwd=clone)
    return git("push", "--quiet", "origin", "HEAD:main", cwd=clone).stderr


@pytest.fixture
def server_and_clone(tmp_path: Path):
    bare, clone, live = tmp_path / "news.git", tmp_path / "work", tmp_path / "www" / "news"
    git("init", "--quiet", "--bare", "--initial-branch=main", str(bare), cwd=tmp_path)
    result = CliRunner().invoke(
        cli,
        ["publish", "install-hook", "--repo", str(bare), "--target", str(live), "--site-url", "https://news.example"],
    )
    assert result.exit_code == 0, result.output
    git("clone", "--quiet", str(bare), str(clone), cwd=tmp_path)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(REPO / name, clone / name)
    shutil.copytree(REPO / "content", clone / "content")
    return clone, live


def test_push_builds_then_a_broken_push_keeps_the_live_site_then_a_fix_updates_it(server_and_clone):
    clone, live = server_and_clone

    said = push(clone, "Add the sample site")
    assert "newsdigest: published" in said
    assert live.is_symlink()
    first_release = os.readlink(live)
    page = parse_html(live / SEED_PAGE)
    assert page.find("h1").get_text() == "Dozens dead after airstike hits Syrian school"
    assert page.select_one("link[rel=stylesheet]")["href"].startswith("https://news.example/")  # publishconf.py

    source = clone / SEED_SOURCE
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("title: Dozens dead", "title: [Dozens dead", 1), encoding="utf-8")
    said = push(clone, "Break the front matter")
    assert "the build of" in said and "failed; the live site was not changed." in said
    assert "dozens-dead-after-airstike-hits-syrian-school.md" in said
    assert "expected ',' or ']'" in said  # what is wrong, not only where
    assert os.readlink(live) == first_release
    assert (live / SEED_PAGE).is_file()

    source.write_text(good.replace("title: Dozens dead after", "title: Many dead after"), encoding="utf-8")
    said = push(clone, "Fix the front matter, edit the headline")
    assert "newsdigest: published" in said
    assert os.readlink(live) != first_release
    fixed = parse_html(live / "2016/10/27/dozens-dead-after-airstike-hits-syrian-school/index.html")
    assert fixed.find("h1").get_text() == "Many dead after airstike hits Syrian school"


def test_pushes_to_other_branches_publish_nothing(server_and_clone):
    clone, live = server_and_clone
    git("checkout", "--quiet", "-b", "draft", cwd=clone)
    git("add", "-A", cwd=clone)
    git("commit", "--quiet", "-m", "Draft", cwd=clone)
    said = git("push", "--quiet", "origin", "draft", cwd=clone).stderr
    assert "newsdigest" not in said
    assert not live.exists()


def test_install_hook_refuses_what_it_cannot_manage(tmp_path: Path):
    not_bare = tmp_path / "plain"
    not_bare.mkdir()
    result = CliRunner().invoke(
        cli, ["publish", "install-hook", "--repo", str(not_bare), "--target", str(tmp_path / "x")]
    )
    assert result.exit_code == 1
    assert "not a bare git repository" in result.output
    bare = tmp_path / "b.git"
    git("init", "--quiet", "--bare", str(bare), cwd=tmp_path)
    existing = tmp_path / "www"
    existing.mkdir()
    result = CliRunner().invoke(cli, ["publish", "install-hook", "--repo", str(bare), "--target", str(existing)])
    assert result.exit_code == 1
    assert "exists and is not a symlink" in result.output


def test_a_rollback_to_the_live_commit_changes_nothing_and_removes_nothing(server_and_clone):
    """Issue 19, case 10: pushing the commit already live deleted the live release folder before
    the new one was in place (the front page was missing for a moment)."""
    clone, live = server_and_clone
    push(clone, "Add the sample site")
    live_commit = git("rev-parse", "HEAD", cwd=clone).stdout.strip()
    release = Path(os.readlink(live))
    stamp = (release / "index.html").stat().st_mtime_ns
    source = clone / SEED_SOURCE
    source.write_text(source.read_text(encoding="utf-8").replace("title: Dozens", "title: [Dozens", 1), "utf-8")
    assert "failed; the live site was not changed." in push(clone, "Break the front matter")
    git("reset", "--quiet", "--hard", live_commit, cwd=clone)
    said = git("push", "--quiet", "--force", "origin", "HEAD:main", cwd=clone).stderr
    assert f"{live_commit[:12]} is already live" in said
    assert Path(os.readlink(live)) == release and (release / "index.html").stat().st_mtime_ns == stamp


def test_two_pushes_close_together_end_on_the_newer_commit(server_and_clone, tmp_path: Path):
    """Issue 19, case 2: push A (a slow build), then push B while A's hook builds: both said
    "published" and the live site ended on A while main was B."""
    clone, live = server_and_clone
    git("add", "-A", cwd=clone)
    git("commit", "--quiet", "-m", "A: the sample site", cwd=clone)
    first = subprocess.Popen(
        ["git", "push", "--quiet", "origin", "HEAD:main"], cwd=clone, env=GIT_ENV, stderr=subprocess.PIPE, text=True
    )
    releases = live.parent / f".{live.name}.releases"
    while first.poll() is None and not (releases / ".work").exists():
        time.sleep(0.02)  # until A's hook is building (or has finished: then B simply comes after)
    source = clone / SEED_SOURCE
    source.write_text(
        source.read_text(encoding="utf-8").replace("title: Dozens dead", "title: Now dozens dead"), "utf-8"
    )
    said_b = push(clone, "B: a new headline")
    _, said_a = first.communicate(timeout=600)
    assert first.returncode == 0, said_a
    assert "newsdigest: published" in said_a and "newsdigest: published" in said_b
    tip = git("rev-parse", "HEAD", cwd=clone).stdout.strip()
    assert Path(os.readlink(live)).name.startswith(tip[:12])
    assert parse_html(live / SEED_PAGE).find("h1").get_text() == "Now dozens dead after airstike hits Syrian school"


def test_a_pushed_symlink_out_of_the_repository_is_refused_in_one_line(server_and_clone):
    clone, live = server_and_clone
    assert "newsdigest: published" in push(clone, "Add the sample site")
    first_release = os.readlink(live)

    (clone / "content" / "passwd.md").symlink_to("/etc/passwd")
    said = push(clone, "A symlink to the server's files")
    assert "content/passwd.md: a symlink to an absolute path" in said
    assert "the live site was not changed" in said
    assert "Traceback" not in said
    assert os.readlink(live) == first_release


def test_a_push_builds_on_the_live_site_and_after_a_failed_build_starts_afresh(server_and_clone):
    """The hook keeps the build's cache and builds into a copy of the live site: pages no change
    touched are not rendered again, a deleted source's page is gone. After a failed build the cache's
    record is not the live site's: the next build renders every page."""
    clone, live = server_and_clone
    push(clone, "Add the sample site")
    first = Path(os.readlink(live))
    gone = next((clone / "content").rglob("rotterdam-port-tests-a-crewless-tug-on-the-maasvlakte.md"))
    (deleted,) = [page.relative_to(first) for page in article_pages(first) if page.parent.name == gone.stem]
    gone.unlink()
    source = clone / SEED_SOURCE
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("title: Dozens dead after", "title: Many dead after"), encoding="utf-8")
    assert "newsdigest: published" in push(clone, "Edit a headline, delete a story")
    second = Path(os.readlink(live))
    assert parse_html(second / SEED_PAGE).find("h1").get_text() == "Many dead after airstike hits Syrian school"
    assert not (second / deleted).exists()
    html = sorted(page.relative_to(second) for page in second.rglob("*.html"))
    kept = [
        page
        for page in html
        if (first / page).is_file() and (second / page).stat().st_mtime_ns == (first / page).stat().st_mtime_ns
    ]
    assert kept and (Path(SEED_PAGE) not in kept)  # pages the change does not touch: copied, not rendered
    source.write_text(good.replace("title: Dozens", "title: [Dozens", 1), encoding="utf-8")
    assert "failed; the live site was not changed." in push(clone, "Break the front matter")
    source.write_text(good, encoding="utf-8")
    assert "newsdigest: published" in push(clone, "Fix it")
    third = Path(os.readlink(live))
    assert parse_html(third / SEED_PAGE).find("h1").get_text() == "Dozens dead after airstike hits Syrian school"
    assert sorted(page.relative_to(third) for page in third.rglob("*.html")) == html  # nothing left behind
    assert [page for page in html if (third / page).stat().st_mtime_ns == (second / page).stat().st_mtime_ns] == []


def test_two_commits_of_the_same_second_each_publish_their_own_text(server_and_clone):
    """git archive gives files their commit's time, in seconds: the kept cache must not take a source
    changed within the same second for the one it read."""
    clone, live = server_and_clone
    same_second = {
        **GIT_ENV,
        "GIT_AUTHOR_DATE": "2026-11-27T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-11-27T12:00:00+00:00",
    }
    source = clone / SEED_SOURCE
    for headline in ("Dozens dead after", "Scores dead after"):
        source.write_text(
            source.read_text(encoding="utf-8").replace("title: Dozens dead after", f"title: {headline}"), "utf-8"
        )
        subprocess.run(["git", "add", "-A"], cwd=clone, env=same_second, check=True)
        subprocess.run(["git", "commit", "--quiet", "-m", headline], cwd=clone, env=same_second, check=True)
        said = subprocess.run(
            ["git", "push", "--quiet", "origin", "HEAD:main"],
            cwd=clone,
            env=same_second,
            capture_output=True,
            text=True,
        ).stderr
        assert "newsdigest: published" in said, said
        assert parse_html(live / SEED_PAGE).find("h1").get_text() == f"{headline} airstike hits Syrian school"
