"""One fetch run: every configured feed in, sources and updated state out.

The pipeline calls the parts in order and decides nothing itself: fetch
(I/O) -> parse -> plan (pure) -> write (generator.sources). A feed that fails
at any step becomes a `FeedResult` with its reason; the others go on.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import multiprocessing
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from generator.enrich.highlights import english_stop_words
from generator.errors import FeedParseError, FetchError, NewsdigestError
from generator.feeds.fetch import (
    DEFAULT_LIMITS,
    Fetched,
    Limits,
    Validators,
    fetch_many,
    is_local,
    read_local,
)
from generator.feeds.plan import (
    DUPLICATE,
    JUNK,
    LEFT_OUT,
    WRITE,
    ConvertedFeed,
    FeedConfig,
    article_for_entry,
    convert_feed,
    plan_items,
)
from generator.feeds.state import (
    FAILING_FLAG_AFTER,
    FeedHealth,
    FeedState,
    fetch_lock,
    load_health,
    load_state,
    save_health,
    save_state,
)
from generator.ingest.language import detector
from generator.ingest.page import split_page
from generator.sources import Outcome, SourceIndex, save_article

NEW, UPDATED, UNCHANGED, FAILED, GONE = "new", "updated", "unchanged", "failed", "gone"
#: From this many HTTP feeds on, conversion runs in worker processes.
POOL_MIN_FEEDS = 8


@dataclass
class FeedResult:
    """What one feed's run did."""

    config: FeedConfig
    status: str = UNCHANGED
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    kept: int = 0
    #: Items not published, by reason ("no title": 2).
    skipped: Counter = field(default_factory=Counter)
    error: str = ""
    #: Failing for longer than FAILING_FLAG_AFTER.
    flagged: bool = False
    written: list[Path] = field(default_factory=list)

    def line(self) -> str:
        """One log line: "Digest Wire: 2 new, 1 updated, 3 unchanged" or the reason it failed."""
        name = self.config.name or self.config.url
        if self.status in (FAILED, GONE):
            flag = " [failing for over a week]" if self.flagged else ""
            return f"{name}: {self.status}: {self.error}{flag}"
        counts = f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged"
        if self.error:  # a note on a feed that did not fail ("the feed has no items")
            counts += f" ({self.error})"
        extra = "".join(
            f", {n} {label}" for n, label in ((self.duplicates, "duplicate"), (self.kept, "kept (hand-edited)")) if n
        )
        if self.skipped:
            reasons = ", ".join(f"{n} {reason}" for reason, n in self.skipped.most_common())
            extra += f", {self.skipped.total()} skipped ({reasons})"
        return f"{name}: {counts}{extra}"


def run_fetch(
    configs: Sequence[FeedConfig],
    content_dir: Path,
    now: dt.datetime,
    limits: Limits = DEFAULT_LIMITS,
    site_root: Path | None = None,
    on_fetched: Callable[[], None] | None = None,
    on_feed_done: Callable[[FeedResult], None] | None = None,
) -> list[FeedResult]:
    """Fetch every feed and write what is new; returns one result per feed, in order.

    All feeds are fetched first (concurrently), then processed one by one:
    processing may fetch item pages (full text), which needs the fetch phase
    over. `on_fetched` is called as each feed arrives, `on_feed_done` once it
    has been written.
    """
    with fetch_lock(content_dir):
        state = load_state(content_dir)
        health = load_health(content_dir)
        index = _LazyIndex(content_dir)
        results = [FeedResult(config) for config in configs]
        pending: list[int] = []
        for position, config in enumerate(configs):
            feed_state = state.setdefault(config.url, FeedState())
            if feed_state.gone_since:
                results[position].status = GONE
                results[position].error = f"removed by the publisher (HTTP 410 on {feed_state.gone_since[:10]})"
            elif not _parses(config.url):
                results[position].status, results[position].error = FAILED, "not a valid address"
            else:
                pending.append(position)

        answers: dict[int, Fetched | FetchError] = {}
        # Feeds that failed last time go first: their retries and backoff then
        # overlap the quick answers of the rest. Results keep the config order.
        remote = sorted(
            (p for p in pending if not is_local(configs[p].url)),
            key=lambda p: -health.get(configs[p].url, FeedHealth()).consecutive_failures,
        )
        with _Converter(use_processes=len(remote) >= POOL_MIN_FEEDS) as converter:

            def arrived(position: int, answer: Fetched | FetchError) -> None:
                answers[position] = answer
                if isinstance(answer, Fetched) and not answer.not_modified:
                    converter.submit(position, configs[position], answer, now)
                if on_fetched:
                    on_fetched()

            for position in pending:
                if position not in remote:
                    arrived(position, _read_local(configs[position], state, limits, site_root))
                # A feed that failed last time gets one attempt, not retries: no point
            # hammering a server that is down (its next run will try again).
            no_retry = replace(limits, retries=0)
            requests = [
                (
                    configs[p].url,
                    _validators(state[configs[p].url]),
                    no_retry if health.get(configs[p].url, FeedHealth()).consecutive_failures else limits,
                    dict(configs[p].headers),
                )
                for p in remote
            ]
            fetch_many(requests, limits, on_done=lambda i, answer: arrived(remote[i], answer))
            for position, result in enumerate(results):
                if position in answers:
                    answer, converted = answers[position], converter.result(position)
                    try:
                        _process(result, answer, converted, state[result.config.url], content_dir, index, now, limits)
                    except Exception as exc:  # one feed's failure is that feed's "failed" line; the run goes on
                        result.status, result.error = FAILED, f"{type(exc).__name__}: {' '.join(str(exc).split())}"
                    _record_health(result, answer, health.setdefault(result.config.url, FeedHealth()), now)
                if on_feed_done:
                    on_feed_done(result)
        save_state(content_dir, state)
        save_health(content_dir, health)
        if index.index is not None:
            index.index.save()
    return results


class _Converter:
    """Parses and converts feeds as they arrive: in worker processes for a large
    run (the work is pure and CPU-bound: feedparser, nh3, markdownify), inline
    for a small one, where starting processes would cost more than it saves."""

    def __init__(self, use_processes: bool) -> None:
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None
        if use_processes:
            english_stop_words()  # read once here, inherited by every worker
            detector()  # and lingua's models loaded once
            context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
            self.pool = concurrent.futures.ProcessPoolExecutor(max_workers=os.cpu_count() or 2, mp_context=context)
        self.jobs: dict[int, tuple] = {}
        self.futures: dict[int, concurrent.futures.Future] = {}

    def __enter__(self) -> _Converter:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.pool:
            self.pool.shutdown(cancel_futures=True)

    def submit(self, position: int, config: FeedConfig, answer: Fetched, now: dt.datetime) -> None:
        job = (config, answer.body, answer.url, answer.content_type, now)
        self.jobs[position] = job
        if self.pool:
            self.futures[position] = self.pool.submit(_convert, *job)

    def result(self, position: int) -> ConvertedFeed | FeedParseError | None:
        if position not in self.jobs:
            return None
        future = self.futures.get(position)
        if future is not None:
            try:
                return future.result()
            except concurrent.futures.process.BrokenProcessPool:
                pass  # a worker died (out of memory?): convert here instead
        return _convert(*self.jobs[position])


def _convert(config: FeedConfig, body: bytes, url: str, content_type: str, now: dt.datetime):
    """convert_feed, with its parse error returned rather than raised (so a worker can hand it back)."""
    try:
        return convert_feed(config, body, url, content_type, now)
    except FeedParseError as error:
        return error
    except Exception as exc:  # a feed that breaks the parser (RecursionError, OverflowError, ...) fails alone
        return FeedParseError(url, f"could not be read: {type(exc).__name__}: {' '.join(str(exc).split())}")


class _LazyIndex:
    """The source index, scanned the first time a feed has items to plan: an
    all-304 run reads no source at all."""

    def __init__(self, content_dir: Path) -> None:
        self.content_dir = content_dir
        self.index: SourceIndex | None = None

    def get(self) -> SourceIndex:
        if self.index is None:
            self.index = SourceIndex.scan(self.content_dir)
        return self.index


def preview_rules(
    config: FeedConfig, now: dt.datetime, limits: Limits = DEFAULT_LIMITS, root: Path | None = None
) -> list[tuple[str, bool, str]]:
    """What the feed's keep/drop rules and age limit make of its current items, writing nothing:
    (title, kept, why: the deciding rule or reason, "" when nothing decided). Raises FetchError
    or FeedParseError."""
    if is_local(config.url):
        answer = read_local(config.url, Validators(), limits, root)
    else:
        (answer,) = fetch_many([(config.url, Validators(), limits, dict(config.headers))], limits)
        if isinstance(answer, FetchError):
            raise answer
    converted = convert_feed(replace(config, highlights=0), answer.body, answer.url, answer.content_type, now)
    plans = plan_items(converted, set(), SourceIndex({}, {}, {}), config, now)
    return [
        (
            plan.article.title,
            plan.action == WRITE,
            plan.rule if plan.action == WRITE or plan.reason == LEFT_OUT else plan.reason,
        )
        for plan in plans
    ]


def _read_local(config: FeedConfig, state: dict, limits: Limits, root: Path | None) -> Fetched | FetchError:
    try:
        return read_local(config.url, _validators(state[config.url]), limits, root)
    except FetchError as error:
        return error


def _parses(url: str) -> bool:
    try:
        urlsplit(url)
    except ValueError:  # "https://[bad"
        return False
    return True


def _validators(feed_state: FeedState) -> Validators:
    return Validators(etag=feed_state.etag, last_modified=feed_state.last_modified)


def _process(
    result: FeedResult,
    answer: Fetched | FetchError,
    converted: ConvertedFeed | FeedParseError | None,
    feed_state: FeedState,
    content_dir: Path,
    lazy_index: _LazyIndex,
    now: dt.datetime,
    limits: Limits,
) -> None:
    if isinstance(answer, FetchError):
        result.status, result.error = (GONE if answer.gone else FAILED), answer.message
        if answer.gone:
            feed_state.gone_since = now.isoformat()
        return
    if answer.not_modified:
        result.status, result.error = UNCHANGED, "not modified since the last fetch"
        return
    if isinstance(converted, FeedParseError):
        result.status, result.error = FAILED, converted.message
        return
    config = result.config
    if not converted.feed.entries:
        result.error = "the feed has no items"
    feed = converted.feed
    index = lazy_index.get()
    plans = plan_items(converted, set(feed_state.seen), index, config, now)
    for plan in plans:
        if plan.action == DUPLICATE:
            result.duplicates += 1
        elif plan.action == JUNK:
            result.skipped[plan.reason] += 1
        elif plan.action == WRITE:
            article = plan.article
            existed = article.import_id in index.by_import_id
            if config.fulltext and article.link and not existed:
                paragraphs = _fulltext(article.link, limits)
                if paragraphs:
                    article = article_for_entry(config, feed, plan.entry, now, fulltext=paragraphs)
            try:
                path, outcome = save_article(content_dir, article, index=index)
            except NewsdigestError as error:
                result.status, result.error = FAILED, str(error)
                return
            _count(result, outcome, existed)
            result.written.append(path)
        for key in plan.keys:
            if key not in feed_state.seen:
                feed_state.seen.append(key)
    feed_state.etag, feed_state.last_modified = answer.validators.etag, answer.validators.last_modified
    result.status = NEW if result.new else UPDATED if result.updated else UNCHANGED


def _count(result: FeedResult, outcome: Outcome, existed: bool) -> None:
    if outcome is Outcome.UNCHANGED:
        result.unchanged += 1
    elif outcome is Outcome.KEPT:
        result.kept += 1
    elif existed:
        result.updated += 1
    else:
        result.new += 1


def _fulltext(link: str, limits: Limits) -> list[str]:
    """The main text of an item's page, or [] when it cannot be had (the feed's body then stands).
    Public addresses only: a feed names the link, and the page's text would be published."""
    (answer,) = fetch_many([(link, Validators())], replace(limits, public_only=True))
    if isinstance(answer, FetchError) or not answer.body:
        return []
    try:
        return list(split_page(answer.body, link).paragraphs)
    except NewsdigestError:
        return []


def _record_health(result: FeedResult, answer: Fetched | FetchError, health: FeedHealth, now: dt.datetime) -> None:
    stamp = now.isoformat()
    health.name = result.config.name or health.name
    health.last_checked = stamp
    health.last_status = answer.status
    if result.status in (FAILED, GONE):
        health.last_error = result.error
        health.consecutive_failures += 1
        health.failing_since = health.failing_since or stamp
        result.flagged = now - dt.datetime.fromisoformat(health.failing_since) > FAILING_FLAG_AFTER
    else:
        health.last_success = stamp
        health.last_error = ""
        health.consecutive_failures = 0
        health.failing_since = ""
        health.items_seen += result.new
