"""A source whose modification time changed but not its bytes keeps what the caches hold of it.

Pelican's content cache and generator.build.article_cache know a source by
its modification time. A fresh checkout gives every source a new one (the
Publish workflow builds in one, on the cache/ and output folder of its last
run: .github/workflows/publish.yml), and every source was read again:
11-13 s of a 10,000-article build whose pages then all proved unchanged.

So each source's time is kept here with a digest of its bytes
(cache/newsdigest-sources.pickle). A source whose time changed is read and
hashed (about 16 µs); when its bytes are what they were, the entries both
caches hold for it under its old time move to its new one, before Pelican
starts (saved when worth it: generator.build.reader.worth_saving). Anything
else is left to the caches' own rule. A source is hashed only when its time
changed: a build of unchanged sources compares times, as the caches do.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from generator.article import read_pickle, write_pickle
from generator.build.article_cache import ArticleCache
from generator.build.reader import worth_saving

log = logging.getLogger(__name__)

STAMPS_NAME = "newsdigest-sources.pickle"

#: A source's modification time and the digest of its bytes then.
Stamp = tuple[float, bytes]


def source_times(root: Path) -> list[tuple[str, float]]:
    """Every visible .md file under `root` (Pelican ignores dot files: IGNORE_FILES), by absolute
    path (as Pelican's cache names it), with its modification time."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in files:
            if name.endswith(".md") and not name.startswith("."):
                path = os.path.abspath(os.path.join(folder, name))
                found.append((path, os.path.getmtime(path)))
    return found


def keep_unchanged(settings: dict, sources: list[tuple[str, float]], reader_cache: Path) -> int:
    """Move the cached entries of each source whose time changed but not its bytes to its new time,
    in Pelican's content cache (`reader_cache`) and the article cache; how many sources moved."""
    if not settings.get("LOAD_CONTENT_CACHE"):
        return 0  # no cache is read: nothing to keep
    path = Path(settings.get("CACHE_PATH", "cache")) / STAMPS_NAME
    stamps = read_pickle(path)
    before: dict[str, Stamp] = stamps if isinstance(stamps, dict) else {}
    now: dict[str, Stamp] = {}
    moved: dict[str, tuple[float, float]] = {}
    for source, mtime in sources:
        stamp = before.get(source)
        if stamp is not None and stamp[0] == mtime:
            now[source] = stamp
            continue
        digest = _digest(source)
        if digest is None:
            continue  # unreadable: Pelican says so when it reads it
        now[source] = (mtime, digest)
        if stamp is not None and stamp[1] == digest:
            moved[source] = (stamp[0], mtime)
    if moved:
        _move_reader_entries(reader_cache, moved)
        ArticleCache.move(settings, moved)
    if now != before:
        _save(path, now)
    return len(moved)


def _digest(source: str) -> bytes | None:
    try:
        with open(source, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).digest()
    except OSError:
        return None


def _move_reader_entries(reader_cache: Path, moved: dict[str, tuple[float, float]]) -> None:
    """Pelican's content cache ({path: (mtime, what the reader returned)}) with each moved source's
    entry under its new time, when the entry is the one read at its old time; saved when worth it
    (else Pelican reads those sources again, as few as they are)."""
    cache = read_pickle(reader_cache)
    if not isinstance(cache, dict):
        return
    count = 0
    for source, (old, new) in moved.items():
        entry = cache.get(source)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == old:
            cache[source] = (new, entry[1])
            count += 1
    if worth_saving(count, len(cache)):
        _save(reader_cache, cache)


def _save(path: Path, data: object) -> None:
    try:
        write_pickle(path, data)
    except OSError as exc:
        log.warning("could not save %s: %s", path, exc)
