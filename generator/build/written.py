"""What the last build wrote into an output folder, as its records in the cache folder say, and
which of those files are gone.

A rebuild skips a page whose fingerprint is the last build's only while its
file is still there (generator.build.incremental): one look-up on disk for
each page the last build wrote, a path nine folders deep, 8 µs on this
machine's disk; 1.1 s of one new article's build at 100,000 stories, in the
build's own process. The last build's record is on disk as a build starts,
so a large build has the files looked up by a process of its own
(generator.enrich.fit_process), on the other core, while it reads its
sources (`GoneFiles`); its writer takes the answer when it checks its first
page. A file removed by hand after that is the build's to miss, as a file
removed just after its own look-up would be.

No Pelican here: the process looking the files up imports this module alone.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from pathlib import Path

from generator.enrich.fit_process import FitProcess

log = logging.getLogger(__name__)

#: In the settings Pelican shares with the writer, for this build only (lowercase: not a setting):
#: {"files": the GoneFiles}.
GONE = "_newsdigest_gone_files"
#: From this many sources a build has its last pages looked up apart (under it, a tenth of a
#: second in the build's own process).
APART_FROM = 5000


def output_record(settings: dict, output_path, kind: str) -> Path:
    """The cache file recording what was built into `output_path`: one per output folder (a build
    into another folder starts afresh)."""
    where = hashlib.blake2b(str(Path(output_path).resolve()).encode(), digest_size=8).hexdigest()
    return Path(settings.get("CACHE_PATH", "cache")) / f"newsdigest-{kind}-{where}.json"


def read_record(path: Path) -> dict:
    """A record of ours in the cache folder (output_record), {} when it is missing or damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def written_files(pages_record: dict) -> list[str]:
    """Every file the writer's record ("pages") lists: name -> [fingerprint, [files written for it]]."""
    return [path for entry in pages_record.values() if isinstance(entry, list) and len(entry) == 2 for path in entry[1]]


def gone(pages_record: str, lowest_priority: bool = False) -> frozenset[str]:
    """The files the writer's record at `pages_record` lists that are not there. `lowest_priority`:
    in a process of its own, which yields its core to the build's other work (the related step
    worked out ahead, generator.build.links_ahead, has the same core and less time to spare)."""
    if lowest_priority and hasattr(os, "nice"):  # Unix
        os.nice(19)
    return frozenset(path for path in written_files(read_record(Path(pages_record))) if not os.path.isfile(path))


class GoneFiles:
    """`gone(pages_record)`, worked out in a process of its own from now; `files()` waits for it."""

    def __init__(self, pages_record: Path) -> None:
        self._process = FitProcess(functools.partial(gone, str(pages_record), lowest_priority=True))
        self._files: frozenset[str] | None = None
        self._asked = False

    def files(self) -> frozenset[str] | None:
        """The files gone, or None if the process failed (the writer then looks each file up itself)."""
        if not self._asked:
            self._asked = True
            try:
                self._files = self._process.result()
            except Exception as exc:  # any failure there means: ask the disk here
                log.warning("could not look up the last build's files apart (%s): looked up one by one", exc)
        return self._files

    def close(self) -> None:
        if not self._asked:
            self._process.close()
