"""Progress for long commands: a rich bar on a terminal, one plain line per item in logs.

A scheduled CI job's log is read line by line, so each feed's result is one
line on stdout as it is written; on a terminal a bar on stderr also shows
the feeds arriving.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from generator.feeds.run import FAILED, GONE, FeedResult


@dataclass
class FeedReporter:
    """The two callbacks a fetch run takes: a feed arrived; a feed was written."""

    fetched: Callable[[], None]
    finished: Callable[[FeedResult], None]


@contextlib.contextmanager
def feed_progress(total: int, quiet: bool = False) -> Iterator[FeedReporter]:
    """A bar on a terminal (stderr) while feeds arrive; one line per feed on stdout as each is written."""

    def line(result: FeedResult) -> None:
        if not quiet or result.status in (FAILED, GONE):
            click.echo(result.line())

    if not sys.stderr.isatty():
        yield FeedReporter(fetched=lambda: None, finished=line)
        return
    columns = (TextColumn("fetching feeds"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("fetch", total=total)
        yield FeedReporter(fetched=lambda: progress.advance(task), finished=line)
