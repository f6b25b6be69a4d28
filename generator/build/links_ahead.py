"""The related step worked out ahead: a process started as a build starts (generator.build.related_step).

Here only what a build needs to start it and take its work, without the
related step's libraries: a build with nothing to do (generator.build.unchanged)
imports this module and none of them.
"""

from __future__ import annotations

import functools
import os
import pickle
from collections.abc import Mapping
from pathlib import Path

from generator.build.rendering import worker_count
from generator.enrich.fit_process import FitProcess

#: In the cache folder: the last build's links, kept while nothing they are made from changes.
LINKS_CACHE = "newsdigest-links.pickle"
#: In the cache folder: the related-stories model the links were made with.
MODEL_CACHE = "newsdigest-related.pickle"
#: In the cache folder: what relating read of each article of the last build, by its source.
KNOWN_DOCS = "newsdigest-known-docs.pickle"
#: What the process working ahead writes beside each cache file, until the build takes it.
AHEAD_SUFFIX = ".ahead"
#: In the settings Pelican shares with the plugin, for this build only (lowercase: not a setting):
#: {"process": the LinksAhead or None, "digests": each file's time and digest}.
AHEAD = "_newsdigest_links_ahead"
#: More new or changed files than this and nothing is worked out ahead: the archive is modelled
#: again (generator.enrich.related.MAX_CHANGED_FOR_REUSE) or read by a pool (generator.build.prefill).
MOST_READ_AHEAD = 200


class LinksAhead:
    """The related step of a build with few new or changed sources, in a fresh process started as
    the build starts (generator.enrich.fit_process): `take` waits for it and says whether its
    links are this build's."""

    def __init__(self, settings: dict, digests: Mapping[str, tuple[float, bytes]]) -> None:
        self.cache_path = Path(settings.get("CACHE_PATH", "cache"))
        from generator.build.related_step import work_ahead  # its libraries: not for a build with nothing to do

        self._process = FitProcess(functools.partial(work_ahead, settings, dict(digests)))

    @staticmethod
    def worth_starting(settings: dict, before: Mapping, now: Mapping) -> bool:
        """At most MOST_READ_AHEAD files changed since the last build (`before` and `now`: each
        file's time and digest, generator.build.source_stamps), another core to work on
        (NEWSDIGEST_WORKERS), and settings a fresh process can be given (a function defined in
        pelicanconf.py cannot)."""
        changed = 0
        for path, (_, digest) in now.items():
            changed += before.get(path, (None, None))[1] != digest
            if changed > MOST_READ_AHEAD:
                return False
        if worker_count(settings.get("NEWSDIGEST_WORKERS")) < 2:
            return False
        try:
            pickle.dumps(settings)
        except (pickle.PicklingError, TypeError, AttributeError):
            return False
        return True

    def take(self, fingerprint: str) -> bool:
        """Wait for the process; put its files in place when it linked the archive whose fingerprint
        is `fingerprint`, and say so."""
        try:
            linked = self._process.result()
        except Exception:  # the process failed, or could not be given its work: the build links itself
            linked = None
        taken = linked == fingerprint
        if taken:
            for name in (MODEL_CACHE, LINKS_CACHE, KNOWN_DOCS):
                ahead = self.cache_path / (name + AHEAD_SUFFIX)
                if ahead.is_file():
                    os.replace(ahead, self.cache_path / name)
        self.close()
        return taken

    def close(self) -> None:
        """Stop the process if it still works (the build ended first) and remove what it left."""
        self._process.close()
        for name in (MODEL_CACHE, LINKS_CACHE, KNOWN_DOCS):
            (self.cache_path / (name + AHEAD_SUFFIX)).unlink(missing_ok=True)
