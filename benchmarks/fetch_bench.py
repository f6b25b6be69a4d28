"""Fetch 200 feeds from a local server, 10% of them faulty; time a cold run and an all-304 second run.

    python benchmarks/fetch_bench.py [--feeds 200] [--items 20]

Goals (issue #4): the cold run in at most 15 s on a 2-core machine, the
second run (every healthy feed answers 304) in at most 2 s. The server runs
in its own process so that it does not share our interpreter. The faults,
one kind per faulty feed in turn: HTTP 500 (retried with backoff, then
failed), 404, 410, malformed XML, a redirect loop, a gzip bomb, and KOI8-R
bytes labelled UTF-8 (recovered). A feed that never answers at all would cost
the read timeout times the attempts (3 x 10 s): a limits question, not a
speed one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from feed_server import FeedServer, conditional, gzip_bomb, redirect_to, send, status  # noqa: E402
from goals import record  # noqa: E402

from generator.feeds.plan import FeedConfig  # noqa: E402
from generator.feeds.run import FAILED, GONE, run_fetch  # noqa: E402

FAULTS = ["500", "404", "410", "malformed", "loop", "bomb", "charset"]


PARAGRAPH = "A paragraph of the story with <a href='/x'>a link</a>. " * 12
SECOND = "Another paragraph, <em>emphasised</em> in places. " * 10


def feed(number: int, items: int) -> bytes:
    entries = "".join(
        f"<item><title>Feed {number} story {n}: a headline of ordinary length</title>"
        f"<link>https://feed{number}.example/{n}</link><guid>f{number}-{n}</guid>"
        f"<pubDate>Tue, 24 Nov 2026 {n % 24:02d}:00:00 GMT</pubDate>"
        f"<description><![CDATA[<p>{PARAGRAPH}</p><p>{SECOND}</p>]]></description></item>"
        for n in range(items)
    )
    channel = f"<title>Feed {number}</title>{entries}"
    return f"<?xml version='1.0'?><rss version='2.0'><channel>{channel}</channel></rss>".encode()


def _mislabelled(body: bytes):
    """KOI8-R bytes served as UTF-8: recovered by the parser's second pass."""
    russian = body.replace(b"a headline of ordinary length", "заголовок обычной длины".encode())
    data = russian.decode().encode("koi8-r", errors="replace")
    return lambda request: send(request, 200, data, "application/rss+xml; charset=utf-8")


def serve(feeds: int, items: int, port_out, stop) -> None:
    server = FeedServer()
    bomb = gzip_bomb(50)
    for number in range(feeds):
        path = f"/feed{number}"
        if number % 10 == 9:
            fault = FAULTS[(number // 10) % len(FAULTS)]
            server.routes[path] = {
                "500": status(500),
                "404": status(404),
                "410": status(410),
                "malformed": lambda r: send(r, 200, b"<rss version='2.0'><channel><item><title>"),
                "loop": redirect_to(path),
                "bomb": bomb,
                "charset": _mislabelled(feed(number, items)),
            }[fault]
        else:
            server.routes[path] = conditional(feed(number, items), etag=f'"{number}"')
    with server.running():
        port_out.put(server.httpd.server_address[1])
        stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=20)
    args = parser.parse_args()
    port_out, stop = multiprocessing.Queue(), multiprocessing.Event()
    process = multiprocessing.Process(target=serve, args=(args.feeds, args.items, port_out, stop), daemon=True)
    process.start()
    port = port_out.get(timeout=60)
    configs = [FeedConfig(url=f"http://127.0.0.1:{port}/feed{n}", name=f"Feed {n}") for n in range(args.feeds)]
    now = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
    try:
        with tempfile.TemporaryDirectory() as content:
            started = time.perf_counter()
            first = run_fetch(configs, Path(content), now)
            cold = time.perf_counter() - started
            started = time.perf_counter()
            second = run_fetch(configs, Path(content), now)
            warm = time.perf_counter() - started
            written = len(list(Path(content).rglob("*.md")))
    finally:
        stop.set()
        process.join(timeout=10)
    failed = sum(1 for r in first if r.status in (FAILED, GONE))
    not_modified = sum(1 for r in second if r.error == "not modified since the last fetch")
    print(f"feeds: {args.feeds} ({failed} faulty, reported per feed), items per feed: {args.items}")
    print(f"cold run:   {cold:6.2f} s  ({written} sources written)  goal <= 15 s -> {cold / 15:.2f}x of the goal")
    print(f"second run: {warm:6.2f} s  ({not_modified} answered 304)       goal <=  2 s -> {warm / 2:.2f}x of the goal")
    record("fetch: cold run, 200 feeds", cold, 15, "s")
    record("fetch: second run (304s)", warm, 2, "s")
    for result in first:
        if result.status in (FAILED, GONE) and result.config.url.endswith(("feed9", "feed19", "feed29")):
            print("  e.g.", result.line())


if __name__ == "__main__":
    main()
