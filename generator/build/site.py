"""The site on disk: its settings, a Pelican build of it, and a local server.

A site is a folder holding pelicanconf.py. Building runs real Pelican with
those settings (our plugin and theme are listed there) and counts the errors
Pelican logs: a source Pelican cannot read is reported and skipped, the rest
of the site is still written, and the caller decides the exit code.
generator.build.search brings the search index up to date as soon as the article
pages are written, on another core while Pelican writes the lists.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import gc
import http.server
import importlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pelican import Pelican, signals
from pelican.settings import read_settings

from generator.article import write_atomic
from generator.build import carried, unchanged, written
from generator.build.article_cache import CACHE_NAME
from generator.build.incremental import code_and_settings
from generator.build.links_ahead import AHEAD, KNOWN_DOCS, LINKS_CACHE, LinksAhead, Spare
from generator.build.prefill import prefill, reader_cache
from generator.build.search import BackgroundIndexing, made_with
from generator.build.source_stamps import (
    MOVED,
    TIMES,
    BuildOnly,
    Stamps,
    markdown_sources,
    save_stamps,
    source_times,
    stamp_sources,
)
from generator.build.written import GONE, GoneFiles, output_record
from generator.errors import NewsdigestError, SettingsError
from generator.locks import hold_lock
from generator.settings import refused, resolve

SETTINGS_FILE = "pelicanconf.py"


@dataclass
class BuildReport:
    """What one build did."""

    output_path: Path
    articles: int = 0
    pages: int = 0
    seconds: float = 0.0
    #: Every ERROR logged during the build, as "logger: message".
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Nothing it reads changed since the last complete build: the output was left as it was
    #: (generator.build.unchanged).
    unchanged: bool = False


def find_site(start: Path) -> Path:
    """The site root: `start` itself, which must hold pelicanconf.py."""
    if not (start / SETTINGS_FILE).is_file():
        raise NewsdigestError(f"{start}: no {SETTINGS_FILE} here; run inside a site folder or pass --site DIR")
    return start


def load_settings(site: Path, settings_file: Path | None = None, overrides: dict | None = None) -> dict:
    """Pelican's settings for `site`, with relative paths resolved against the settings file and
    every NEWSDIGEST_* setting resolved (generator.settings). Raises SettingsError for settings
    newsdigest cannot build with."""
    path = settings_file or site / SETTINGS_FILE
    if not path.is_file():
        raise NewsdigestError(f"{path}: settings file not found")
    settings = read_settings(str(path), override=dict(overrides or {}))
    # Pelican's Markdown reader adds to MARKDOWN in place, and the dict is generator.defaults' own:
    # a second build in one process saw other settings, and started cold.
    settings["MARKDOWN"] = copy.deepcopy(settings.get("MARKDOWN", {}))
    # Pelican resolves PATH, THEME and the like against the settings file, not the templates a site
    # overrides: relative to the working directory, `newsdigest --site DIR` would miss DIR/templates.
    settings["THEME_TEMPLATES_OVERRIDES"] = [
        str((path.parent / folder).resolve()) for folder in settings.get("THEME_TEMPLATES_OVERRIDES") or []
    ]
    reason = refused(settings)
    if reason:
        raise SettingsError(path, reason)
    return {**settings, **resolve(settings)}


def build(settings: dict, spare: Spare | None = None) -> BuildReport:
    """Run Pelican once with `settings`, collecting counts and logged problems. `spare`: a process
    started before, for the related step worked out ahead (generator.build.links_ahead), if any.

    One build of a site at a time (its cache folder's build.lock): a second
    raises Locked at once, saying why."""
    with hold_lock(Path(settings.get("CACHE_PATH", "cache")) / "build.lock", "build of this site"):
        return _build(settings, spare)


def _build(settings: dict, spare: Spare | None) -> BuildReport:
    report = BuildReport(output_path=Path(settings["OUTPUT_PATH"]))
    start = time.perf_counter()
    stamp = Path(settings.get("CACHE_PATH", "cache")) / "newsdigest-reader-stamp"
    code_settings = code_and_settings(settings)  # before Pelican adds to the settings
    _drop_stale_cache(settings, stamp, code_settings)
    cache = reader_cache(settings)
    sources = source_times(Path(settings["PATH"])) if cache is not None else []
    stamps = stamp_sources(settings, sources) if cache is not None else None
    inputs = unchanged.inputs_of(settings, stamps)
    last = unchanged.last_build(settings, report.output_path, inputs)
    if last is not None:  # nothing to do: the output is what this build would write
        report.articles, report.pages, report.unchanged = last.articles, last.pages, True
        report.seconds = time.perf_counter() - start
        return report
    unchanged.forget(settings, report.output_path)
    # Pelican writes its cache in place: a build killed then may leave it torn.
    # No stamp until this build has finished means the next one starts afresh.
    stamp.unlink(missing_ok=True)
    search = None
    if settings.get("NEWSDIGEST_SEARCH", True):
        record = output_record(settings, report.output_path, "search")
        search = BackgroundIndexing(report.output_path, made_with(settings), record)

    def count(generators: list) -> None:
        for generator in generators:
            report.articles += len(getattr(generator, "articles", []))
            report.pages += len(getattr(generator, "pages", []))
            if search and hasattr(generator, "articles") and hasattr(generator, "tags"):
                search.expect(generator.articles, [*generator.hidden_articles, *generator.drafts])

    def on_written(path: str, **signal_values) -> None:
        if search:
            search.written(path)

    # While the pool reads, the plugin and the related-stories models (SciPy, sparse-dot-topn)
    # are imported: so many new sources will need them. A build with few changes has no pool,
    # and its related step is worked out ahead, in a process of its own.
    with (
        _last_files_looked_up_apart(settings, report.output_path, sources),
        _links_worked_out_ahead(settings, stamps, spare),
        _collector_paused_while_reading(),
    ):
        if cache is not None:
            settings[TIMES] = BuildOnly(sources)
            if stamps is not None:
                settings[MOVED] = BuildOnly(stamps.moved)
            prefill(settings, markdown_sources(sources), meanwhile=_import_the_models)
        with search or contextlib.nullcontext():
            signals.all_generators_finalized.connect(count)
            signals.content_written.connect(on_written)
            try:
                with _collect_logs(report):
                    Pelican(settings).run()
            finally:
                signals.all_generators_finalized.disconnect(count)
                signals.content_written.disconnect(on_written)
        if stamps is not None:
            save_stamps(stamps)
        if settings.get("CACHE_CONTENT"):
            with contextlib.suppress(OSError):
                write_atomic(stamp, code_settings, durable=False)
        if search:
            report.errors.extend(search.finish())
    if inputs is not None and not report.errors:
        with contextlib.suppress(OSError):
            unchanged.remember(settings, report.output_path, unchanged.LastBuild(inputs, report.articles, report.pages))
    report.seconds = time.perf_counter() - start
    return report


@contextlib.contextmanager
def _last_files_looked_up_apart(settings: dict, output: Path, sources: list) -> Iterator[None]:
    """The files the last build wrote looked up by a process of its own (generator.build.written),
    for a build of `written.APART_FROM` sources or more that loads its caches: its writer skips pages.
    Not when Pelican empties the output folder first (DELETE_OUTPUT_DIRECTORY): every file
    would be gone after the look-up."""
    pages = output_record(settings, output, "pages")
    if len(sources) < written.APART_FROM or settings.get("DELETE_OUTPUT_DIRECTORY") or not pages.is_file():
        yield
        return
    gone = GoneFiles(pages)
    settings[GONE] = BuildOnly(files=gone)
    try:
        yield
    finally:
        gone.close()
        del settings[GONE]


@contextlib.contextmanager
def _links_worked_out_ahead(settings: dict, stamps: Stamps | None, spare: Spare | None) -> Iterator[None]:
    """The related step worked out ahead (generator.build.links_ahead.LinksAhead) for a build
    that loads its caches and has few files changed, in `spare`'s process if there is one; stopped
    at its end."""
    process = None
    if stamps is not None and LinksAhead.worth_starting(settings, stamps.before, stamps.now):
        process = LinksAhead(settings, stamps.now, spare.take() if spare else None)
    if spare is not None:
        spare.close()  # not taken: its core is the build's again
    if stamps is None:
        yield
        return
    settings[AHEAD] = BuildOnly(process=process, digests=stamps.now)
    try:
        yield
    finally:
        if process is not None:
            process.close()
        del settings[AHEAD]


@contextlib.contextmanager
def _collector_paused_while_reading() -> Iterator[None]:
    """Python's garbage collector off until Pelican has read and enriched every source, and what
    that made kept out of its sight until the build ends. Reading makes the site's objects, kept
    to the end: each full collection walked them all again as they grew (7 collections, 1.2 s of a
    rebuild at 10,000 articles); reading a source leaves about five objects of cyclic garbage."""

    was_enabled = gc.isenabled()

    def collect_from_now_on(generators) -> None:
        gc.freeze()
        if was_enabled:
            gc.enable()

    gc.disable()
    signals.all_generators_finalized.connect(collect_from_now_on)
    try:
        yield
    finally:
        signals.all_generators_finalized.disconnect(collect_from_now_on)
        gc.unfreeze()  # a process that builds again (tests, `serve`) collects this build's garbage
        if was_enabled:
            gc.enable()


def _import_the_models() -> None:
    importlib.import_module("generator.build.plugin")
    importlib.import_module("generator.enrich.vectors")


def _drop_stale_cache(settings: dict, stamp: Path, code_settings: str) -> None:
    """Pelican's content cache, generator.build.article_cache and generator.build.carried, keyed by file
    times only, would outlive a change of settings or code: not here."""
    try:
        current = stamp.read_text(encoding="utf-8") == code_settings
    except OSError:
        current = False
    if not current:
        our_caches = (CACHE_NAME, LINKS_CACHE, KNOWN_DOCS, carried.CACHE_NAME)
        for name in ("ArticlesGenerator-Readers", "PagesGenerator-Readers", *our_caches):
            (Path(settings.get("CACHE_PATH", "cache")) / name).unlink(missing_ok=True)


class _ListHandler(logging.Handler):
    def __init__(self, report: BuildReport):
        super().__init__(level=logging.WARNING)
        self.report = report
        #: Sources whose front matter error is reported (generator.build.reader then
        #: raises, and Pelican's "Could not process" line would say it twice).
        self.front_matter_failed: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if source_error := getattr(record, "source_error", None):
            self.front_matter_failed.add(source_error.path)
            self.report.errors.append(str(source_error))  # already says where and what
            return
        message = f"{record.name}: {record.getMessage()}"
        error = record.exc_info[1] if record.exc_info else None
        if record.name == "pelican.plugins.yaml_metadata.yaml_metadata" and record.args:
            self.front_matter_failed.add(str(record.args[0]))
        elif record.msg == "Could not process %s" and record.args and self._already_reported(str(record.args[0])):
            return
        if isinstance(error, yaml.MarkedYAMLError) and record.args:
            # pelican-yaml-metadata parses the text that follows "---" on its own
            # line, counting lines from 0 there: its line N is the file's N + 1.
            # The construct's start (context) beats where parsing gave up.
            mark = error.context_mark or error.problem_mark
            where = f"{record.args[0]}:{mark.line + 1}" if mark else str(record.args[0])
            self.report.errors.append(f"{where}: invalid YAML front matter: {error.problem}")
            return
        if error is not None:
            # Plugins log the exception separately; its text says what is wrong.
            message += f": {' '.join(str(error).split())}"
        if record.levelno >= logging.ERROR:
            self.report.errors.append(message)
        else:
            self.report.warnings.append(message)

    def _already_reported(self, relative: str) -> bool:
        """Pelican names a source relative to content/; the reader, by its full path."""
        suffix = "/" + relative.removeprefix("./")
        return any(path.endswith(suffix) for path in self.front_matter_failed)


@contextlib.contextmanager
def _collect_logs(report: BuildReport) -> Iterator[None]:
    handler = _ListHandler(report)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)


def make_server(directory: Path, port: int = 8000, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """A static file server for `directory`, bound to loopback by default."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files; logs requests at debug level instead of to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        logging.getLogger(__name__).debug(format, *args)
