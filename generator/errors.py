"""Exceptions: one base class, each subclass naming the input that failed.

    NewsdigestError
     └── SourceError(path, line)   an input or source file that cannot be used

The CLI turns these into one line on stderr and an exit code; library code
raises them and never exits.
"""

from __future__ import annotations

from pathlib import Path


class NewsdigestError(Exception):
    """Base class for every error newsdigest raises on purpose."""


class SourceError(NewsdigestError):
    """A file that cannot be read, parsed or written, with what is wrong."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path = str(path)
        self.message = message
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")
