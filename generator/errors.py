"""Every exception newsdigest raises on purpose, each naming the input that failed and why.

    NewsdigestError
     ├── SettingsError(path)          settings newsdigest cannot build with
     ├── SourceError(path, line)      an input or source file that cannot be used
     ├── FetchError(url, status)      a feed that could not be fetched
     ├── FeedParseError(url)          fetched bytes that hold no feed
     ├── PageError(path)              a page the theme's template could not render
     └── Locked(path)                 another fetch or build holds the lock

`str()` of each is one line: "where: what is wrong". The CLI prints it and
picks the exit code; library code raises them and never exits. (A module's
private exceptions, caught where they are raised, stay in it: `_Retry`,
`_NotPublic`, `_Unknown`.) They pickle
(a feed is parsed in a worker process and its error handed back).
"""

from __future__ import annotations

from pathlib import Path


class NewsdigestError(Exception):
    """Base class for every error newsdigest raises on purpose."""


class _Located(NewsdigestError):
    """An error about one file or URL: `where`, then `message`."""

    def __init__(self, where: Path | str, message: str):
        self.where = str(where)
        self.message = message
        super().__init__(f"{self.where}: {message}")

    def __reduce__(self):
        return (_rebuild, (type(self), dict(vars(self))))


def _rebuild(cls: type, state: dict) -> _Located:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    Exception.__init__(error, f"{state['where']}: {state['message']}")
    return error


class SettingsError(_Located):
    """Settings newsdigest cannot build with (`where` is the settings file)."""


class SourceError(_Located):
    """A file that cannot be read, parsed or written, with what is wrong (and the line, when known)."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        super().__init__(f"{self.path}:{line}" if line else self.path, message)


class FetchError(_Located):
    """A fetch that failed, saying at which step; `status` is the HTTP status when there was one."""

    def __init__(self, url: str, message: str, status: int | None = None):
        self.url = url
        self.status = status
        super().__init__(url, message)

    @property
    def gone(self) -> bool:
        return self.status == 410


class FeedParseError(_Located):
    """Bytes fetched from `url` that hold no feed we can read."""


class Locked(_Located):
    """Another fetch or build holds the lock file `where`."""


class PageError(_Located):
    """A page that could not be rendered (`where` is the page's file): a template's error, said in one
    line (it may come from a worker process, generator.build.rendering)."""
