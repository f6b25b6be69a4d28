"""One process at a time: the lock files a fetch and a build hold while they run.

An advisory lock (flock) on a file: held as long as the process lives, so
a killed run leaves nothing to clean up, and a second run finds out at once
and says why, instead of waiting or running alongside (two builds at once
could hang inside Pagefind and write one output/ twice).
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from generator.errors import Locked


@contextlib.contextmanager
def hold_lock(path: Path, what: str, wait: bool = False) -> Iterator[None]:
    """Hold the lock file `path`; when another process holds it, raise Locked at once saying that
    another `what` is running, or with `wait`, wait for it (publishing pushes one after another)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise Locked(path, f"another {what} is running; try again when it has finished") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
