"""Reading sources on every core: fill Pelican's content cache in parallel before Pelican runs.

Pelican reads sources one after another: YAML front matter and Markdown,
half of a cold build. Each source is read independently, so here the new
and changed ones are read by a pool of processes (one per core) with the
same reader Pelican would use (generator.build.reader), and the results are put
into Pelican's own content cache, in its format: Pelican then finds every
source cached and only builds its objects. A source that fails to read is
left out: Pelican reads it itself and reports the error as usual.

Worth it only for many sources (a pool costs a fork and a pickle per chunk).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pelican.readers import _filter_discardable_metadata

from generator.article import read_pickle, write_pickle
from generator.build.reader import FrontMatterReader
from generator.build.rendering import worker_count
from generator.build.source_stamps import moved_sources, take_moved

log = logging.getLogger(__name__)

#: Fewer new or changed sources than this are left to Pelican.
MIN_SOURCES = 400
CHUNK = 250
CACHE_NAME = "ArticlesGenerator-Readers"

_reader: FrontMatterReader | None = None


def reader_cache(settings: dict) -> Path | None:
    """Pelican's content cache of articles, when it is one newsdigest can fill: what Pelican's
    reader returned for each source, kept by modification time, not compressed."""
    if not (settings.get("CACHE_CONTENT") and settings.get("CONTENT_CACHING_LAYER") == "reader"):
        return None
    if settings.get("CHECK_MODIFIED_METHOD") != "mtime" or settings.get("GZIP_CACHE"):
        return None
    return Path(settings["CACHE_PATH"]) / CACHE_NAME


def prefill(
    settings: dict,
    sources: list[tuple[str, float]],
    workers: int | None = None,
    meanwhile: Callable[[], object] = lambda: None,
) -> int:
    """Read the new and changed ones of `sources` (each .md file under PATH and its modification
    time: generator.build.source_stamps.source_times) into Pelican's article cache; how many were read.

    `meanwhile` runs in this process while the pool reads (the build imports the plugin's heavy
    modules then: this process would only wait)."""
    cache_file = reader_cache(settings)
    if cache_file is None:
        return 0
    workers = workers or worker_count(settings.get("NEWSDIGEST_WORKERS"))
    load = settings.get("LOAD_CONTENT_CACHE")
    moved = moved_sources(settings)
    if workers < 2 or (load and _few_changed_since(cache_file, sources, moved)):
        return 0
    cache = read_pickle(cache_file) if load else {}
    cache = cache if isinstance(cache, dict) else {}
    take_moved(cache, moved)
    stale = [path for path, mtime in sources if cache.get(path, (None,))[0] != mtime]
    if len(stale) < MIN_SOURCES:
        return 0
    chunks = [stale[i : i + CHUNK] for i in range(0, len(stale), CHUNK)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(settings,)) as pool:
        read = pool.map(_read, chunks)
        meanwhile()
        for results in read:
            cache.update(results)
    write_pickle(cache_file, cache)
    return len(stale)


def _few_changed_since(cache_file: Path, sources: list[tuple[str, float]], moved: dict) -> bool:
    """Fewer than MIN_SOURCES sources changed since the cache was written (a `moved` one only has
    a new time): no need to load it (tens of MB at 10,000 articles) to find out which. A source
    the cache lacks although it is older (copied with its times kept) is then read by Pelican
    itself, as it would anyway."""
    try:
        written = cache_file.stat().st_mtime
    except OSError:
        return False
    return sum(mtime > written and path not in moved for path, mtime in sources) < MIN_SOURCES


def _start(settings: dict) -> None:
    global _reader
    logging.disable(logging.CRITICAL)  # errors are Pelican's to report, when it reads the source again
    _reader = FrontMatterReader(settings)


def _read(paths: list[str]) -> dict:
    results = {}
    for path in paths:
        try:
            mtime = os.path.getmtime(path)
            content, metadata = _reader.read(path)
        except Exception:  # any failure: Pelican reads the source itself and says what is wrong
            continue
        results[path] = (mtime, (content, _filter_discardable_metadata(metadata)))
    return results
