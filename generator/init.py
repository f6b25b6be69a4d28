"""`newsdigest init DIR`: a new site folder holding only what a site needs.

pelicanconf.py and publishconf.py (importing generator/defaults.py, so the
theme and every setting come with the installed newsdigest), an empty
content/, a .gitignore, requirements.txt pinning this newsdigest, the feeds
given (--feed, --opml), and with `github` the two GitHub workflows: fetch on
a schedule, build and deploy to Pages, no test suite of ours. The texts are
in generator/starter/. Nothing is overwritten unless `force`: a folder that
holds anything but hidden files is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from generator.article import write_atomic
from generator.errors import NewsdigestError
from generator.feeds.config import OPML_FILE, read_opml, write_opml

STARTER = Path(__file__).parent / "starter"


@dataclass(frozen=True)
class Starter:
    """What `init` writes: the site's name, live address, feed URLs and whether to add GitHub workflows."""

    name: str
    url: str
    feeds: tuple[str, ...] = ()
    github: bool = False


def init_site(folder: Path, starter: Starter, opml: Path | None = None, force: bool = False) -> list[Path]:
    """Write a new site into `folder`; returns the files written. Raises NewsdigestError when the
    folder is not empty (unless `force`) or the OPML file cannot be read."""
    if folder.exists() and not folder.is_dir():
        raise NewsdigestError(f"{folder}: exists and is not a folder")
    if folder.is_dir() and not force and any(not p.name.startswith(".") for p in folder.iterdir()):
        raise NewsdigestError(f"{folder}: not empty; pick a new folder, or pass --force to write over its files")
    imported = read_opml(opml) if opml else []
    values = {"name": starter.name, "url": starter.url.rstrip("/"), "version": _version()}
    values["feeds"] = _python_list([{"url": url} for url in starter.feeds])
    files = {
        "pelicanconf.py": _fill("pelicanconf.py.txt", values),
        "publishconf.py": _fill("publishconf.py.txt", values),
        ".gitignore": _fill("gitignore.txt", values),
        "requirements.txt": _fill("requirements.txt.txt", values),
        "content/.gitkeep": "",
    }
    if imported:
        files[OPML_FILE] = write_opml(imported, title=f"{starter.name} feeds")
    if starter.github:
        files[".github/workflows/publish.yml"] = _fill("publish.yml.txt", values)
        files[".github/workflows/fetch.yml"] = _fill("fetch.yml.txt", values)
    written = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
        written.append(path)
    return written


def _fill(name: str, values: dict) -> str:
    return (STARTER / name).read_text(encoding="utf-8").format(**values)


def _python_list(entries: list[dict]) -> str:
    """`entries` as Python source, one per line (repr: a URL cannot break out of its string)."""
    if not entries:
        return "[]"
    return "[\n" + "".join(f"    {entry!r},\n" for entry in entries) + "]"


def _version() -> str:
    """The installed newsdigest's version: the one the new site pins."""
    return version("newsdigest")
