"""The related step worked out ahead: a process started as a build starts (generator.build.related_step).

Here only what a build needs to start it and take its work, without the
related step's libraries: a build with nothing to do (generator.build.unchanged)
imports this module and none of them.

`newsdigest build` starts that process before it imports Pelican (`Spare`):
the process imports the related step's libraries while the build imports its
own and looks at the sources, and is given its work, or stopped, once the
build knows whether there is any. Started once the build had decided, it kept
the build waiting up to 0.65 s for its links (one new article at 10,000
stories): it spent its first 0.5 s importing, and 0.4 s more importing SciPy's
sparse matrices and the sanitiser as its work reached them. A build with
nothing to do stops it as soon as it knows: its imports are then spent on
another core for nothing.
"""

from __future__ import annotations

import functools
import os
import pickle
import subprocess
from collections.abc import Mapping
from pathlib import Path

from generator.build.rendering import worker_count
from generator.enrich.fit_process import FitProcess, start_process, stop_process

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

    def __init__(
        self, settings: dict, digests: Mapping[str, tuple[float, bytes]], process: subprocess.Popen | None = None
    ) -> None:
        """`process`: a Spare's, else one started here."""
        self.cache_path = Path(settings.get("CACHE_PATH", "cache"))
        from generator.build.related_step import work_ahead  # its libraries: not for a build with nothing to do

        self._process = FitProcess(functools.partial(work_ahead, settings, dict(digests)), process=process)

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


#: What the process working ahead imports as its work reaches it: a Spare imports them first.
PRELOAD = ("generator.build.related_step", "scipy.sparse", "generator.sanitize")


class Spare:
    """A process for LinksAhead, started before the build knows whether it will work ahead: it imports
    PRELOAD meanwhile. `take` hands it over (once); `close` stops it unless taken. None is started on
    one core."""

    def __init__(self) -> None:
        self._process = start_process(PRELOAD) if worker_count(None) >= 2 else None

    def take(self) -> subprocess.Popen | None:
        process, self._process = self._process, None
        return process

    def close(self) -> None:
        if self._process is not None:
            stop_process(self.take())

    def __enter__(self) -> Spare:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
