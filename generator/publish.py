"""Publishing by git push to any git server: a post-receive hook that builds and swaps.

`install_hook` writes hooks/post-receive into a bare repository. On a push to
the published branch the hook calls `receive`, which:

1. waits for any other push's hook to finish (one build at a time), then
   takes the branch's tip: pushes that arrive during a build are published
   in order and the site always ends on the newest commit (two pushes close
   together once left the older one live);
2. when the tip is already live, changes nothing;
3. exports the tip (git archive) into `.<target>.releases/.work/source/` and
   builds it in a fresh process with the site's publishconf.py, into
   `.work/output/`, a copy of the live site: the build's caches (kept in
   source/cache/ from one push to the next) and its record of that site let
   it read, render and index only what changed, as a build in a working copy
   does. When the live site is not the last one built there (the first push,
   after a failed build), the output starts empty and every page is rendered;
4. on success, moves the build into a new `.<target>.releases/<commit>-<n>/`
   (never over a folder that may be live) and points the `<target>` symlink
   at it with a rename, which is atomic: a reader gets the old site or the
   new one, never half of each, and no folder is removed while live;
5. on failure, leaves `<target>` as it was and prints why; git shows the
   pushing client everything a hook prints, prefixed "remote:".

The three newest releases are kept, so that going back is a symlink away.
"""

from __future__ import annotations

import io
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterable
from pathlib import Path

from generator.defaults import CACHE_PATH
from generator.errors import NewsdigestError
from generator.locks import hold_lock

KEEP_RELEASES = 3
ZERO_SHA = "0" * 40

HOOK = """#!/bin/sh
# Installed by `newsdigest publish install-hook`. On a push to {branch}, builds the
# pushed commit and swaps it into {target} atomically; a failed build leaves the
# live site as it was and says why.
exec {command}
"""


def install_hook(repo: Path, target: Path, branch: str = "main", site_url: str = "") -> Path:
    """Write the post-receive hook into bare repository `repo`; returns its path."""
    if not (repo / "HEAD").is_file() or not (repo / "objects").is_dir():
        raise NewsdigestError(f"{repo}: not a bare git repository (no HEAD and objects/ in it)")
    target = target.resolve()
    if target.exists() and not target.is_symlink():
        raise NewsdigestError(f"{target}: exists and is not a symlink; pick a new path (the hook manages it)")
    command = [sys.executable, "-m", "generator", "publish", "receive"]
    command += ["--target", str(target), "--branch", branch]
    if site_url:
        command += ["--site-url", site_url]
    hook = repo / "hooks" / "post-receive"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(HOOK.format(branch=branch, target=target, command=shlex.join(command)), encoding="utf-8")
    hook.chmod(0o755)
    return hook


def receive(repo: Path, target: Path, branch: str, site_url: str, updates: Iterable[str]) -> int:
    """Handle the "old new ref" lines git gives a post-receive hook; 0 when all went well."""
    pushed = [line.split() for line in updates]
    if not any(len(p) == 3 and p[2] == f"refs/heads/{branch}" and p[1] != ZERO_SHA for p in pushed):
        return 0
    releases = _releases(target)
    with hold_lock(releases / ".publish.lock", "publish", wait=True):
        tip = _tip(repo, branch)
        if tip is None:
            return 0  # the branch was deleted meanwhile
        return deploy(repo, tip, target, site_url)


def deploy(repo: Path, commit: str, target: Path, site_url: str = "") -> int:
    """Build `commit` of `repo` and swap it into `target`; 0 on success, 1 (live site untouched) on failure."""
    short = commit[:12]
    releases = _releases(target)
    live = _live(target)
    if live is not None and live.name.split("-")[0] == short:
        _say(f"newsdigest: {short} is already live at {target}; nothing to do")
        return 0
    work = releases / WORK
    source, output = work / "source", work / "output"
    try:
        _export_keeping_cache(repo, commit, source)
    except NewsdigestError as error:
        _say(f"newsdigest: {short} cannot be published: {error}; the live site was not changed.")
        return 1
    _start_from(live, output, work)
    ok, log = _build(source, output, site_url)
    if not ok:
        shutil.rmtree(output, ignore_errors=True)
        _say(f"newsdigest: the build of {short} failed; the live site was not changed.")
        for line in log.splitlines():
            _say(f"  {line}")
        return 1
    release = _new_release(releases, short)
    output.rename(release)
    (work / BUILT).write_text(release.name, encoding="utf-8")
    _point(target, release)
    _prune(releases, keep=release)
    _say(f"newsdigest: published {short} to {target}")
    return 0


#: Under the releases folder: the tree being built, its cache/ and its site, kept between pushes.
WORK = ".work"
#: In WORK: the release the last build made (its cache's record of the site describes it).
BUILT = "built"


def _export_keeping_cache(repo: Path, commit: str, source: Path) -> None:
    """The tree of `commit` into `source`, with the cache/ the last build left there (newsdigest's
    caches know a source by its path: the tree is always exported to the same folder)."""
    incoming = source.with_name("incoming")
    shutil.rmtree(incoming, ignore_errors=True)
    incoming.parent.mkdir(parents=True, exist_ok=True)
    try:
        _export(repo, commit, incoming)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    if (source / CACHE_PATH).is_dir() and not (incoming / CACHE_PATH).exists():
        (source / CACHE_PATH).rename(incoming / CACHE_PATH)
    shutil.rmtree(source, ignore_errors=True)
    incoming.rename(source)


def _start_from(live: Path | None, output: Path, work: Path) -> None:
    """`output`, the folder the build writes, as a copy of the live site when the last build into
    it made that site (the cache's record of what it wrote is then the live site's); else empty (a
    page no record lists would never be removed), and every page is rendered. Either way the record
    is void until this build succeeds: a failed or killed build leaves the cache describing a site
    that is not live."""
    shutil.rmtree(output, ignore_errors=True)
    built = work / BUILT
    recorded = built.read_text(encoding="utf-8") if built.is_file() else None
    built.unlink(missing_ok=True)
    if live is not None and live.is_dir() and recorded == live.name:
        shutil.copytree(live, output, symlinks=True)


def _releases(target: Path) -> Path:
    releases = target.parent / f".{target.name}.releases"
    releases.mkdir(parents=True, exist_ok=True)
    return releases


def _live(target: Path) -> Path | None:
    """The release folder `target` points at, or None."""
    return target.resolve() if target.is_symlink() else None


def _new_release(releases: Path, short: str) -> Path:
    """A release folder name not used yet: "<commit>-<n>" (a re-push or a rollback never builds into
    the folder that is live)."""
    number = 1
    while (releases / f"{short}-{number}").exists():
        number += 1
    return releases / f"{short}-{number}"


def _tip(repo: Path, branch: str) -> str | None:
    """The commit the branch points at now, or None when it no longer exists."""
    done = subprocess.run(
        ["git", "--git-dir", str(repo), "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
        env=_clean_env(),
    )
    return done.stdout.strip() or None


def _export(repo: Path, commit: str, destination: Path) -> None:
    """The tree of `commit` into `destination`; a file the tree should not hold (a symlink out of it,
    a device) is a NewsdigestError naming it."""
    archive = subprocess.run(
        ["git", "--git-dir", str(repo), "archive", "--format=tar", commit],
        capture_output=True,
        check=True,
        env=_clean_env(),
    ).stdout
    destination.mkdir()
    # git archive gives every file its commit's time, in whole seconds: a source changed by a commit
    # of the same second as the last one built would keep the time the build's caches know it by.
    # Every file gets the time of this export instead (generator.build.source_stamps then keeps
    # what the caches hold of each source whose bytes did not change).
    exported = time.time()

    def data_exported_now(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo:
        return tarfile.data_filter(member, path).replace(mtime=exported, deep=False)

    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        try:
            tar.extractall(destination, filter=data_exported_now)
        except tarfile.FilterError as error:
            raise NewsdigestError(f"{error.tarinfo.name}: {_FILTER_REASONS.get(type(error), error)}") from None


#: Why the "data" tar filter refused a file, in a pusher's words.
_FILTER_REASONS = {
    tarfile.AbsoluteLinkError: "a symlink to an absolute path (a site holds its files, never the server's)",
    tarfile.LinkOutsideDestinationError: "a symlink that points outside the repository",
    tarfile.AbsolutePathError: "an absolute path",
    tarfile.OutsideDestinationError: "a path outside the repository",
    tarfile.SpecialFileError: "not a regular file, folder or symlink",
}


def _build(source: Path, output: Path, site_url: str) -> tuple[bool, str]:
    """Run `newsdigest build` on the exported tree in a fresh process."""
    settings = source / "publishconf.py"
    if not settings.is_file():
        settings = source / "pelicanconf.py"
    env = _clean_env()
    if site_url:
        env["NEWSDIGEST_SITEURL"] = site_url
    command = [sys.executable, "-m", "generator", "--site", str(source), "build"]
    command += ["--settings", str(settings), "--output", str(output)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=source)
    return result.returncode == 0, (result.stderr + result.stdout).strip()


def _point(target: Path, release: Path) -> None:
    """Make `target` a symlink to `release` with one atomic rename."""
    fresh = target.with_name(f".{target.name}.new")
    fresh.unlink(missing_ok=True)
    fresh.symlink_to(release, target_is_directory=True)
    os.replace(fresh, target)


def _prune(releases: Path, keep: Path) -> None:
    """Keep the KEEP_RELEASES newest releases, the live one (`keep`) among them."""
    finished = sorted(
        (p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in [p for p in finished if p != keep][KEEP_RELEASES - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def _clean_env() -> dict[str, str]:
    """The environment minus git's hook variables (GIT_DIR and friends point at the bare repository)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
