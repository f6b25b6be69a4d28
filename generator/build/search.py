"""The search index in monthly parts: a rebuild indexes again only the months whose stories changed.

Pagefind has no incremental mode, and indexing 10,000 article pages takes
10-16 s on two cores: most of a rebuild after one new article. So each
month's article pages get a Pagefind bundle of their own,
output/pagefind/YYYY-MM/, and output/pagefind/parts.json lists them, newest
first. A month of SPLIT_FROM pages or more is cut by the day into quarters
(output/pagefind/YYYY-MM-01/, -08/, -15/, -22/): at 8,300 stories a month,
indexing the month of one new article again took Pagefind 12 s of CPU (10 s
on its own) and 935 MB, a quarter of it 2.4 s and 220 MB.
What each was made from is kept in the cache folder, not published:
output/ depends only on the sources, never on where the site was built. The search page
(theme/static/js/search.js) loads the newest and merges the others
(Pagefind's `mergeIndex`).

A part is indexed again only when its fingerprint changes: the search
fingerprints of its articles (generator.build.article_cache: their own text and
metadata, not their links to others), the theme, the settings and code, and
Pagefind's version. A new part is written beside the old one and swapped in, so a failed
or killed run leaves the last good one; what a part was made from is forgotten before it is
indexed again, so a run stopped after the swap leaves that part to the next run to index.

What readers pay: a first search fetches a small entry and metadata file
per month (about 6 KB each at 850 stories a month) besides the index chunks
it needs.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from generator.article import write_atomic
from generator.build.incremental import code_settings_and_theme
from generator.build.story import hash_text

PARTS_FILE = "parts.json"
ENTRY = "pagefind-entry.json"
#: An article page's path starts with its date (pelicanconf.py's ARTICLE_SAVE_AS,
#: "YYYY/MM/DD/slug/index.html"); pages elsewhere are not searched.
_DATED_PAGE = re.compile(r"(\d{4})/(\d{2})/([^/]+)/[^/]+/index\.html$")
#: A month of this many article pages or more is indexed in quarters, each from the first day
#: named here to the day before the next (when every page's day is a number).
SPLIT_FROM = 4000
QUARTERS = (1, 8, 15, 22)
#: Pagefind holds what it indexes in memory until it writes the part: 0.7-1.0 GB for a month of
#: 8,300 article pages (a build of 100,000 stories), beside the build's own 2.6 GB. From a part
#: of this many pages, parts are indexed one at a time (at 10,000 stories a month holds 850; at
#: 100,000, a quarter of a month about 2,000).
ONE_AT_A_TIME_FROM = 4000


@dataclass(frozen=True)
class Part:
    """One month of article pages (or a quarter of a large month) and its own Pagefind bundle."""

    #: "2026-03" (a quarter of a large month: "2026-03-08"): the bundle is output/pagefind/2026-03/.
    name: str
    #: The pages, for Pagefind's --glob: "2026/03/*/*/index.html" (a quarter's: "2026/03/{08,09}/*/index.html").
    glob: str
    #: What the bundle is made from; "" when unknown (always indexed again).
    fingerprint: str
    #: Its article pages, as Pelican saves them ("2026/03/14/slug/index.html"): what indexing it
    #: while the build writes (BackgroundIndexing) waits for.
    pages: tuple[str, ...]


def made_with(settings: dict) -> str:
    """What every part depends on besides its articles: code, settings, theme, Pagefind."""
    return f"{code_settings_and_theme(settings)}:pagefind-{version('pagefind')}"


def plan_parts(pages: Iterable[tuple[str, str | None]], made_with: str) -> list[Part]:
    """One part per month of article pages (per quarter of a month of SPLIT_FROM or more), newest first.

    `pages` holds each article's (save_as, search fingerprint); a fingerprint
    of None (an article our plugin did not see) makes its part's unknown.
    """
    months: dict[tuple[str, str], list[tuple[str, str, str | None]]] = {}
    for save_as, fingerprint in pages:
        match = _DATED_PAGE.fullmatch(save_as)
        if match:
            year, month, day = match.groups()
            months.setdefault((year, month), []).append((day, save_as, fingerprint))
    parts = []
    for (year, month), held in sorted(months.items(), reverse=True):
        if len(held) < SPLIT_FROM or not all(day.isdigit() for day, _, _ in held):
            parts.append(_part(f"{year}-{month}", f"{year}/{month}/*/*/index.html", held, made_with))
            continue
        quarters: dict[int, list] = {}
        for page in held:
            quarters.setdefault(_quarter(page[0]), []).append(page)
        for first, quarter in sorted(quarters.items(), reverse=True):
            days = ",".join(sorted({day for day, _, _ in quarter}))
            parts.append(
                _part(f"{year}-{month}-{first:02d}", f"{year}/{month}/{{{days}}}/*/index.html", quarter, made_with)
            )
    return parts


def _quarter(day: str) -> int:
    """The first day of the quarter of a month that a page's day ("09") falls in."""
    return max((first for first in QUARTERS if first <= int(day)), default=QUARTERS[0])


def _part(name: str, glob: str, held: list[tuple[str, str, str | None]], made_with: str) -> Part:
    fingerprint = ""
    if all(made_from is not None for _, _, made_from in held):
        fingerprint = hash_text([made_with, *sorted(f"{save_as}\0{made_from}" for _, save_as, made_from in held)])
    return Part(name, glob, fingerprint, tuple(save_as for _, save_as, _ in held))


def parts_to_index(output: Path, parts: list[Part], record: Path) -> tuple[dict[str, str], list[Part]]:
    """What each part's bundle was made from (`recorded_parts`), and the parts whose bundle is
    missing or was made from something else: those are forgotten in `record` before any is
    indexed again, so a build stopped after swapping one in leaves it to the next to index."""
    before = recorded_parts(output, record)
    stale = [part for part in parts if not _current(output / "pagefind", part, before)]
    names = {part.name for part in stale}
    if names & before.keys():
        kept = {name: made_from for name, made_from in before.items() if name not in names}
        write_atomic(record, json.dumps(kept), durable=False)
    return before, stale


def finish_parts(
    output: Path, parts: list[Part], before: dict[str, str], problems: dict[str, str], record: Path
) -> list[str]:
    """List the parts that have a bundle (parts.json), record what each was made from, remove what
    is not a part; the problems, one line per failed part."""
    root = output / "pagefind"
    made_from = {
        # A failed part keeps the fingerprint its bundle was made from: tried again next build.
        part.name: before.get(part.name, "") if problems.get(part.name) else part.fingerprint
        for part in parts
        if (root / part.name / ENTRY).is_file()
    }
    _prune(root, keep={part.name for part in parts})
    listed = [{"name": name} for name in made_from]
    write_atomic(root / PARTS_FILE, json.dumps({"parts": listed}, indent=1), durable=False)
    record.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(record, json.dumps(made_from, indent=1), durable=False)
    return [f"pagefind: {name}: {problem}" for name, problem in problems.items() if problem]


def recorded_parts(output: Path, record: Path) -> dict[str, str]:
    """The parts output/pagefind/parts.json lists: name -> what it was made from ({} when unknown)."""
    try:
        listed = json.loads((output / "pagefind" / PARTS_FILE).read_text(encoding="utf-8"))["parts"]
        made_from = json.loads(record.read_text(encoding="utf-8"))
        return {str(part["name"]): str(made_from.get(part["name"], "")) for part in listed}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _current(root: Path, part: Part, before: dict[str, str]) -> bool:
    return bool(part.fingerprint) and before.get(part.name) == part.fingerprint and (root / part.name / ENTRY).is_file()


def _index(output: Path, part: Part) -> str:
    """Index one part into a new folder and swap it in; "" or what went wrong."""
    root = output / "pagefind"
    staging, old, final = root / f".{part.name}.new", root / f".{part.name}.old", root / part.name
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    command = [*pagefind_command(), "--site", str(output), "--glob", part.glob]
    command += ["--output-path", str(staging), "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if done.returncode != 0 or not (staging / ENTRY).is_file():
        shutil.rmtree(staging, ignore_errors=True)
        return " ".join((done.stderr or done.stdout).split()) or f"exit status {done.returncode}"
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return ""


@functools.cache
def pagefind_command() -> tuple[str, ...]:
    """Pagefind's binary from pagefind_bin, run directly: `python -m pagefind` starts a Python only
    to hand over to it (90 ms a month indexed). Where that would pick another binary
    (PAGEFIND_BINARY_PATH, the extended build), or pagefind_bin has none, it decides."""
    if os.environ.get("PAGEFIND_BINARY_PATH") is None and importlib.util.find_spec("pagefind_bin_extended") is None:
        with contextlib.suppress(ImportError, OSError):
            from pagefind_bin import get_executable

            return (str(get_executable().absolute()),)
    return (sys.executable, "-m", "pagefind")


def _prune(root: Path, keep: set[str]) -> None:
    """Remove what is not a current part: months with no stories left, the single bundle of
    earlier versions, leftovers of a killed run."""
    for path in root.iterdir():
        if path.name in keep or path.name == PARTS_FILE:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


class BackgroundIndexing:
    """Index each part as soon as its article pages are written, on other threads.

    Pelican writes the article pages first, then the lists (tags, categories,
    archives, digest pages): Pagefind indexes meanwhile, a part as soon as
    its last page is written (two at a time, or one: ONE_AT_A_TIME_FROM). Told
    the articles (`expect`) and each file written (`written`, from Pelican's
    content_written signal); `finish` indexes what is left and lists the parts.
    """

    def __init__(self, output: Path, made_with: str, record: Path, workers: int = min(2, os.cpu_count() or 1)):
        self.output = Path(os.path.abspath(output))
        self.made_with = made_with
        self.record = record
        self.pages: list[tuple[str, str | None]] = []
        self.parts: list[Part] = []
        self.before: dict[str, str] = {}
        #: A stale part's name -> its pages not yet written.
        self.waiting: dict[str, set[str]] = {}
        #: A stale part's page -> the part's name.
        self.part_of: dict[str, str] = {}
        #: Parts indexed at once (one when a part is large: see `expect`).
        self.workers = max(1, workers)
        self.pool: ThreadPoolExecutor | None = None
        self.started: dict[str, Future] = {}

    def __enter__(self) -> BackgroundIndexing:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)

    def expect(self, articles: Iterable, unlisted: Iterable = ()) -> None:
        """The articles Pelican will write (their pages, and what the index holds of each), and
        the pages of `unlisted` ones (hidden: written, not searched).

        A month's article pages that no article will write (a deleted source's, which the
        writer removes at the end of the build) are removed now, before Pagefind reads the month.
        """
        self.pages = [(article.save_as, _search_fingerprint(article)) for article in articles]
        self.parts = plan_parts(self.pages, self.made_with)
        if max((len(part.pages) for part in self.parts), default=0) >= ONE_AT_A_TIME_FROM:
            self.workers = 1  # two such parts at once would hold both in memory, beside the build
        (self.output / "pagefind").mkdir(parents=True, exist_ok=True)
        self.before, stale = parts_to_index(self.output, self.parts, self.record)
        self.waiting = {part.name: {os.path.abspath(self.output / page) for page in part.pages} for part in stale}
        self.part_of = {page: name for name, pages in self.waiting.items() for page in pages}
        kept = {path for pages in self.waiting.values() for path in pages}
        kept |= {os.path.abspath(self.output / article.save_as) for article in unlisted if article.save_as}
        for part in stale:
            for leftover in _files(self.output, part.glob):
                if os.path.abspath(leftover) not in kept:
                    leftover.unlink()

    def written(self, path: str) -> None:
        """Told by Pelican's content_written signal: `path` is written."""
        if not _DATED_PAGE.search(path):
            return
        page = os.path.abspath(path)
        name = self.part_of.get(page)
        pages = self.waiting.get(name)
        if pages:
            pages.discard(page)
            if not pages:
                self._start(name)

    def _start(self, name: str) -> None:
        if name not in self.started:
            part = next(part for part in self.parts if part.name == name)
            if self.pool is None:
                self.pool = ThreadPoolExecutor(self.workers, thread_name_prefix="search")
            self.started[name] = self.pool.submit(_index, self.output, part)

    def finish(self) -> list[str]:
        """Index the parts not yet started, wait for all; the problems."""
        for name in self.waiting:
            self._start(name)
        problems = {name: future.result() for name, future in self.started.items()}
        return finish_parts(self.output, self.parts, self.before, problems, self.record)


def _files(output: Path, glob: str) -> Iterator[Path]:
    """The files under `output` a part's glob names: Pagefind's glob, whose one group of days
    ("{08,09}", a quarter's) Python's glob does not read."""
    head, brace, tail = glob.partition("{")
    if not brace:
        return output.glob(glob)
    days, _, rest = tail.partition("}")
    return (path for day in days.split(",") for path in output.glob(head + day + rest))


def _search_fingerprint(article) -> str | None:
    story = getattr(article, "story", None)
    return story.search_fingerprint if story else None
