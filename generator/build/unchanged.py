"""A build whose inputs are all as the last complete build found them is not run: its output stands.

Through Pelican, a rebuild that changes nothing still makes every article's
object and record and checks every page: 5 s at 10,000 articles, a minute at
100,000, to write nothing. Nothing the build writes depends on anything but
its inputs (no clock: a day's digest is the day of its stories), so when
all of them are as they were when the last build ended without an error,
what that build left in the output folder is what this one would write:

- every file under the content folder, by its bytes (generator.build.source_stamps
  keeps a digest of each, hashed again only when its time changed: a fresh
  checkout whose sources are the same is unchanged too);
- what every page is made with (generator.build.incremental.code_settings_and_theme:
  the settings, newsdigest's code and the site's plugins, the theme, Pelican
  and the libraries it reads and writes with, the locale dates are written in);
- the output folder, still holding every file that build wrote and every
  month of its search index.

The record (one per output folder, in the cache folder) is removed as a build
starts and written when it ends without an error: a build that failed or was
killed half-way is never taken for a complete one, and a build with errors
runs (and reports them) again.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from generator.article import write_atomic
from generator.build.incremental import code_settings_and_theme
from generator.build.search import ENTRY, PARTS_FILE, recorded_parts
from generator.build.source_stamps import Stamps
from generator.build.story import hash_text
from generator.build.written import output_record, read_record, written_files


@dataclass(frozen=True)
class LastBuild:
    """What the last complete build of an output folder was made from, and what it built."""

    inputs: str
    articles: int
    pages: int


def inputs_of(settings: dict, stamps: Stamps | None) -> str | None:
    """A hash of everything a build reads (see the module's docstring); None when there is no
    knowing: no stamps (the build loads no cache), or article dates taken from file times."""
    if stamps is None or settings.get("DEFAULT_DATE") == "fs":
        return None
    files = sorted(f"{path}\0{digest.hex()}" for path, (_, digest) in stamps.now.items())
    return hash_text([code_settings_and_theme(settings), str(settings["PATH"]), *files])


def last_build(settings: dict, output: Path, inputs: str | None) -> LastBuild | None:
    """The last complete build of `output` when it was made from `inputs` and `output` still holds
    all it wrote; else None (and the build runs)."""
    if inputs is None:
        return None
    record = read_record(output_record(settings, output, "build"))
    try:
        last = LastBuild(str(record["inputs"]), int(record["articles"]), int(record["pages"]))
    except (KeyError, TypeError, ValueError):
        return None
    return last if last.inputs == inputs and _intact(settings, output) else None


def _intact(settings: dict, output: Path) -> bool:
    """Every file the last build wrote (its writer's manifest: pages, feeds, static files, the
    sitemap) is there, and every month of its search index."""
    paths = written_files(read_record(output_record(settings, output, "pages")))
    if not paths or not all(map(os.path.isfile, paths)):
        return False
    if not settings.get("NEWSDIGEST_SEARCH", True):
        return True
    root = output / "pagefind"
    parts = recorded_parts(output, output_record(settings, output, "search"))
    return (root / PARTS_FILE).is_file() and all(
        made_from and (root / name / ENTRY).is_file() for name, made_from in parts.items()
    )


def forget(settings: dict, output: Path) -> None:
    """A build starts: until it ends without an error, no build of `output` is complete."""
    output_record(settings, output, "build").unlink(missing_ok=True)


def remember(settings: dict, output: Path, last: LastBuild) -> None:
    """A build ended without an error: the next one with the same inputs need not run."""
    path = output_record(settings, output, "build")
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"inputs": last.inputs, "articles": last.articles, "pages": last.pages}
    write_atomic(path, json.dumps(record), durable=False)
