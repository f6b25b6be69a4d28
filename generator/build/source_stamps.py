"""A source whose modification time changed but not its bytes keeps what the caches hold of it.

Pelican's content cache and generator.build.article_cache know a source by
its modification time. A fresh checkout gives every source a new one (the
Publish workflow builds in one, on the cache/ and output folder of its last
run: .github/workflows/publish.yml), and every source was read again:
11-13 s of a 10,000-article build whose pages then all proved unchanged.

So each file's time under the content folder is kept here with a digest of
its bytes (cache/newsdigest-sources.pickle). A file whose time changed is read
and hashed (about 16 µs a source); when its bytes are what they were, the
entries both caches hold for a source under its old time move to its new
one, before Pelican starts (saved when worth it:
generator.build.reader.worth_saving). Anything else is left to the caches'
own rule. A file is hashed only when its time changed: a build of unchanged
sources compares times, as the caches do. The digests of all files (static
ones too) tell generator.build.unchanged whether any input changed at all.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.article import read_pickle, write_pickle
from generator.build.article_cache import ArticleCache
from generator.build.reader import worth_saving

log = logging.getLogger(__name__)

STAMPS_NAME = "newsdigest-sources.pickle"

#: A source's modification time and the digest of its bytes then.
Stamp = tuple[float, bytes]


def source_times(root: Path) -> list[tuple[str, float]]:
    """Every visible file under `root` (Pelican ignores dot files: IGNORE_FILES; it follows folder
    links, as here), by absolute path (as Pelican's cache names it), with its modification time.
    Sources and static files alike: generator.build.unchanged reads them all."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        for name in files:
            if not name.startswith("."):
                path = os.path.abspath(os.path.join(folder, name))
                found.append((path, os.path.getmtime(path)))
    return found


def markdown_sources(sources: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The Markdown sources among `sources` (generator.build.prefill reads those)."""
    return [(path, mtime) for path, mtime in sources if path.endswith(".md")]


@dataclass
class Stamps:
    """Each file's stamp as the last build recorded it (`before`) and as it is now (`now`), and the
    files whose time changed but not their bytes (`moved`: the old time and the new)."""

    path: Path
    before: dict[str, Stamp]
    now: dict[str, Stamp]
    moved: dict[str, tuple[float, float]] = field(default_factory=dict)


def stamp_sources(settings: dict, sources: list[tuple[str, float]]) -> Stamps | None:
    """The stamps of `sources` (from source_times), hashing only the files whose time changed;
    None when the build loads no cache (then nothing is hashed: no cache entry to keep)."""
    if not settings.get("LOAD_CONTENT_CACHE"):
        return None
    path = Path(settings.get("CACHE_PATH", "cache")) / STAMPS_NAME
    stamps = read_pickle(path)
    before: dict[str, Stamp] = stamps if isinstance(stamps, dict) else {}
    found = Stamps(path, before, {})
    for source, mtime in sources:
        stamp = before.get(source)
        if stamp is not None and stamp[0] == mtime:
            found.now[source] = stamp
            continue
        digest = _digest(source)
        if digest is None:
            continue  # unreadable: Pelican says so when it reads it
        found.now[source] = (mtime, digest)
        if stamp is not None and stamp[1] == digest:
            found.moved[source] = (stamp[0], mtime)
    return found


def keep_unchanged(settings: dict, stamps: Stamps, reader_cache: Path) -> int:
    """Move the cached entries of each source whose time changed but not its bytes to its new time,
    in Pelican's content cache (`reader_cache`) and the article cache, then save the stamps; how
    many sources moved."""
    moved = {source: times for source, times in stamps.moved.items() if source.endswith(".md")}
    if moved:
        _move_reader_entries(reader_cache, moved)
        ArticleCache.move(settings, moved)
    if stamps.now != stamps.before:
        _save(stamps.path, stamps.now)
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
