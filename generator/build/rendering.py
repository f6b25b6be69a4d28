"""Pages rendered on every core: Pelican decides what to write, forked processes render it.

Pelican renders each page when a generator asks for it, in one process: at
10,000 articles, rendering is about 40% of a cold build. Here the writer
(generator.build.incremental.SkippingWriter) still runs Pelican's own
`write_file` for each page, so Pelican does everything it does for a page
(its local context, pagination, the output path, the check for a file
written twice), but with a `Deferred` template: rendering it only records a
`Job` (`Jobs`). Every BATCH jobs, a process is forked to render and write
them while this one goes on asking Pelican for pages; the rest are rendered
when Pelican is done (its `finalized` signal). A forked process is a copy of
this one as it is then: every value a job renders was made before the job.
Few pages (a rebuild after one new article) are rendered here, at the end.
With one process (NEWSDIGEST_WORKERS = 1; by default, two cores and the
search index on) nothing is deferred: pages are rendered as Pelican asks.

A page is rendered from the same template and values either way: the output
is the same byte for byte (tests/e2e/test_parallel_writing.py). One thing
Pelican does between pages is done again before each: it sets the shared
context's `localsiteurl`, which an article's content reads for its links.
Pelican announces a page (content_written, which the search index waits
for) when its file is written: here, when its batch is.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.errors import PageError

log = logging.getLogger(__name__)

#: Fewer pages than this are rendered here: a fork costs more than it saves.
MIN_JOBS = 300
#: Pages per forked process (each fork copies some of this process's memory: not too many).
BATCH = 1000


@dataclass
class Job:
    """One page to render: what Pelican's writer would have rendered, and where."""

    template: object
    #: The values the template is rendered with (Pelican's local context for the page).
    localcontext: dict
    #: The context Pelican was given for the page; rendering sets its `localsiteurl` first.
    context: dict
    #: Where the page goes; set when Pelican opens the file.
    path: str = ""
    #: Pelican chose not to write it (a file another page overrides), or a later job overwrites it.
    discard: bool = False
    #: It overwrites a page a forked process may be writing: rendered after them all.
    late: bool = False

    def release(self) -> None:
        """Rendered, or with a forked process: keep only what announcing the page needs (its own
        article or page), not the copy of the whole context (100,000 of them would not fit)."""
        self.localcontext = {key: self.localcontext[key] for key in ("article", "page") if key in self.localcontext}
        self.template = self.context = None


class Deferred:
    """A template's stand-in: rendering it records a Job and gives an empty page."""

    def __init__(self, template, context: dict, jobs: Jobs) -> None:
        self.template, self.context, self.jobs = template, context, jobs

    def render(self, localcontext: dict) -> str:
        self.jobs.add(Job(self.template, localcontext, self.context))
        return ""


def worker_count(setting: int | None, busy: int = 0) -> int:
    """NEWSDIGEST_WORKERS: as set; else one process per core, at most four, less the `busy` cores
    other work keeps busy meanwhile."""
    return setting or max(1, min(os.cpu_count() or 1, 4) - busy)


@dataclass
class Jobs:
    """The pages of a build to render, in the order Pelican asked for them, and the processes
    rendering them: while Pelican runs, at most `workers` - 1 beside this one; at the end, what
    is left split among `workers` more."""

    workers: int
    items: list[Job] = field(default_factory=list)
    #: Forked processes not yet waited for: (first job, end, process, the end of its pipe).
    running: list[tuple] = field(default_factory=list)
    #: Jobs before this one are with a forked process.
    handed: int = 0
    #: Path -> the job writing it.
    writes: dict[str, int] = field(default_factory=dict)

    def add(self, job: Job) -> None:
        self.items.append(job)

    def placed(self, path: str, discard: bool) -> None:
        """Pelican opened the last job's file: where it goes (or that it goes nowhere)."""
        job = self.items[-1]
        job.path, job.discard = path, discard
        if not discard:
            earlier = self.writes.get(path)
            if earlier is not None and earlier >= self.handed:
                self.items[earlier].discard = True
            job.late = earlier is not None and earlier < self.handed
            self.writes[path] = len(self.items) - 1
        if self.workers > 1 and len(self.items) - self.handed >= BATCH and self._busy() < self.workers - 1:
            self._fork(len(self.items))

    def drop_after(self, count: int) -> None:
        """Forget the jobs after the first `count`: Pelican refused their page (the pages it wrote
        before refusing, with a forked process already, stay, as they would in Pelican)."""
        del self.items[max(count, self.handed) :]

    def finish(self) -> Iterator[Job]:
        """Render what is left, wait for every process; yield the jobs, in order, once their
        pages are on disk. A path two jobs write (an overridden page) is the last one's, as in Pelican."""
        left = len(self.items) - self.handed
        parallel = self.workers > 1 and (self.running or left >= MIN_JOBS)
        where = f"{self.workers} processes" if parallel else "this process"
        log.info("rendering %d pages in %s", len(self.items), where)
        if not parallel:  # nothing forked: each page announced as soon as it is written, as Pelican does
            for job in self.items:
                if not job.discard:
                    _write(job)
                    job.release()
                yield job
            return
        size = max(1, -(-left // self.workers))
        while self.handed < len(self.items):
            self._fork(min(len(self.items), self.handed + size))
        done = 0
        try:
            for first, end, process, reader in self.running:
                try:
                    error = reader.recv()
                except EOFError:  # it died before saying (out of memory?)
                    process.join()
                    error = PageError(self.items[first].path, f"stopped: exit status {process.exitcode}")
                process.join()
                if error is not None:
                    raise error
                yield from self.items[done:end]
                done = end
        finally:
            for _, _, process, _ in self.running:
                process.join()
            self.running = []
            gc.unfreeze()
        for job in self.items:
            if job.late:
                _write(job)
                job.release()
        yield from self.items[done:]

    def _fork(self, end: int) -> None:
        gc.freeze()  # a fork's collections leave the site's objects alone: fewer memory pages copied
        reader, writer = multiprocessing.get_context("fork").Pipe(duplex=False)
        jobs = list(self._final(self.handed, end))
        process = multiprocessing.get_context("fork").Process(target=_write_all, args=(jobs, writer), daemon=True)
        process.start()
        writer.close()
        for job in self.items[self.handed : end]:
            if not job.late:
                job.release()
        self.running.append((self.handed, end, process, reader))
        self.handed = end

    def _busy(self) -> int:
        return sum(process.is_alive() for _, _, process, _ in self.running)

    def _final(self, first: int, end: int) -> Iterator[Job]:
        """The jobs first..end that write their page now: not discarded, not late."""
        return (job for job in self.items[first:end] if not (job.discard or job.late))


def _write_all(jobs: list[Job], pipe) -> None:
    """In a forked process: render and write `jobs`; send None, or the error that stopped it."""
    try:
        for job in jobs:
            _write(job)
    except PageError as error:
        pipe.send(error)
    else:
        pipe.send(None)


def _write(job: Job) -> None:
    if job.localcontext["localsiteurl"]:
        job.context["localsiteurl"] = job.localcontext["localsiteurl"]
    try:
        output = job.template.render(job.localcontext)
    except Exception as exc:  # a template's error: said with the page, in a form a forked process can send back
        raise PageError(job.path, f"{job.template.name}: {type(exc).__name__}: {exc}") from None
    with open(job.path, "w", encoding="utf-8") as file:
        file.write(output)
