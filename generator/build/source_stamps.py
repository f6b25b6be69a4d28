"""A source whose modification time changed but not its bytes keeps what the caches hold of it.

Pelican's content cache and generator.build.article_cache know a source by
its modification time. A fresh checkout gives every source a new one (the
Publish workflow builds in one, on the cache/ and output folder of its last
run: .github/workflows/publish.yml), and every source was read again:
11-13 s of a 10,000-article build whose pages then all proved unchanged.

So each file's time under the content folder is kept here with a digest of
its bytes (cache/newsdigest-sources.pickle). A file whose time changed is read
and hashed (about 16 µs a source); a source whose bytes are what they were
is "moved" (MOVED: its old time and new), and each cache takes the entry it
holds for it under the old time as made at the new one when it loads:
Pelican's content cache (generator.build.reader, generator.build.prefill)
and the article cache (generator.build.article_cache), each then saved once,
when worth it (generator.build.reader.worth_saving). Anything else is left
to the caches' own rule. A file is hashed only when its time changed: a
build of unchanged sources compares times, as the caches do. The digests of
all files (static ones too) tell generator.build.unchanged whether any input
changed at all.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.article import read_pickle, write_pickle

log = logging.getLogger(__name__)

STAMPS_NAME = "newsdigest-sources.pickle"

#: A source's modification time and the digest of its bytes then.
Stamp = tuple[float, bytes]
#: The sources whose time changed but not their bytes ({path: (old time, new time)}), in the
#: settings Pelican shares with the caches (lowercase: not a setting, not in any fingerprint).
MOVED = "_newsdigest_moved_sources"
#: Each file's modification time as the build found it at its start ({absolute path: time}),
#: in the settings likewise: what the caches compare, rather than asking the disk again.
TIMES = "_newsdigest_source_times"


class BuildOnly(dict):
    """What a build puts in the settings for the caches (MOVED, TIMES): a dict that pickles empty.

    Pelican keeps each category, tag and author in its content cache with the
    settings it was made with, and the pool of readers (generator.build.prefill)
    sends back a copy of them with every 250 sources: with the time of every
    file in them, the cache of 100,000 stories grew from 0.4 to 3.1 GB, and a
    rebuild's memory from 2.5 to 9.4 GB. A copy unpickled is empty: the disk
    is asked, and nothing moved, as without them.
    """

    def __reduce__(self):
        return type(self), ()


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
    """The Markdown sources among `sources`: what the caches hold (generator.build.prefill reads those)."""
    return [(path, mtime) for path, mtime in sources if _markdown(path)]


def _markdown(path: str) -> bool:
    return path.endswith(".md")


@dataclass
class Stamps:
    """Each file's stamp as the last build recorded it (`before`) and as it is now (`now`), and the
    Markdown sources whose time changed but not their bytes (`moved`: the old time and the new)."""

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
        if stamp is not None and stamp[1] == digest and _markdown(source):
            found.moved[source] = (stamp[0], mtime)
    return found


def moved_sources(settings: dict) -> dict[str, tuple[float, float]]:
    """The Markdown sources of this build whose time changed but not their bytes (see MOVED)."""
    return settings.get(MOVED) or {}


def file_time(settings: dict, path: str) -> float:
    """A file's modification time as this build found it (TIMES), or the disk's now: each source's
    time is read once a build, not again by each cache that compares it (sampled at 10,000 sources:
    0.21 s of reading times before, 0.07 s after). Raises OSError as os.path.getmtime does."""
    found = (settings.get(TIMES) or {}).get(path)
    return os.path.getmtime(path) if found is None else found


def take_moved(cache: dict, moved: dict[str, tuple[float, float]]) -> int:
    """Each moved source's entry of a content cache of Pelican's ({path: (time, what the reader
    returned)}) under its new time, when it is the one read at its old time; how many moved. The
    cache is then saved once, when worth it (generator.build.reader.worth_saving)."""
    count = 0
    for source, (old, new) in moved.items():
        entry = cache.get(source)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == old:
            cache[source] = (new, entry[1])
            count += 1
    return count


def save_stamps(stamps: Stamps) -> None:
    """Keep the stamps for the next build, once this one has read (and cached) the sources: a build
    killed before leaves the last ones, and the next build finds the same sources moved."""
    if stamps.now != stamps.before:
        try:
            write_pickle(stamps.path, stamps.now)
        except OSError as exc:
            log.warning("could not save %s: %s", stamps.path, exc)


def _digest(source: str) -> bytes | None:
    try:
        with open(source, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).digest()
    except OSError:
        return None
