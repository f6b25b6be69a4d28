"""1,000 feeds against one local server with random faults: no crash, a correct line per feed."""

from __future__ import annotations

import collections
import datetime as dt
import random
import socket
import time

from feed_server import FeedServer, conditional, send, status

from generator.feeds.fetch import Limits
from generator.feeds.plan import FeedConfig
from generator.feeds.run import FAILED, NEW, run_fetch
from generator.feeds.state import load_health

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
LIMITS = Limits(connect_timeout=2, read_timeout=2, total_timeout=5, retries=1, backoff=0.01, concurrency=32)
SEED = 20261125
#: Fault kind -> (share of feeds, the status its feed must end with).
FAULTS = {
    "ok": (0.55, NEW),
    "slow body": (0.10, NEW),  # bytes dribble in, each within the read timeout
    "5xx": (0.10, FAILED),
    "reset": (0.08, FAILED),
    "timeout": (0.07, FAILED),
    "garbage": (0.10, FAILED),
}


def rss(number: int) -> bytes:
    items = "".join(
        f"<item><title>Feed {number} story {n}</title><link>https://feed{number}.example/{n}</link>"
        f"<guid>f{number}-{n}</guid><pubDate>Tue, 24 Nov 2026 0{n}:00:00 GMT</pubDate>"
        f"<description>Story {n} of feed {number}, in a sentence or two.</description></item>"
        for n in range(2)
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>F{number}</title>{items}</channel></rss>".encode()


def reset(request) -> None:
    """Drop the connection with a TCP reset, no answer."""
    request.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    request.connection.close()
    request.close_connection = True


def hang(request) -> None:
    time.sleep(6)  # longer than the read and total timeouts, every attempt


def dribble(body: bytes):
    def handle(request) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        for start in range(0, len(body), len(body) // 3 + 1):
            request.wfile.write(body[start : start + len(body) // 3 + 1])
            request.wfile.flush()
            time.sleep(0.1)

    return handle


def garbage(rng: random.Random):
    data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000)))
    return lambda request: send(request, 200, data, "application/rss+xml")


def test_a_thousand_feeds_with_random_faults_each_get_the_right_report(tmp_path):
    rng = random.Random(SEED)
    kinds = list(FAULTS)
    weights = [FAULTS[kind][0] for kind in kinds]
    server = FeedServer()
    server.httpd.request_queue_size = 256
    expected = {}
    for number in range(1000):
        kind = rng.choices(kinds, weights)[0]
        path = f"/feed{number}"
        server.routes[path] = {
            "ok": lambda n=number: conditional(rss(n), etag=f'"{n}"'),
            "slow body": lambda n=number: dribble(rss(n)),
            "5xx": lambda: status(rng.choice([500, 502, 503, 504])),
            "reset": lambda: reset,
            "timeout": lambda: hang,
            "garbage": lambda: garbage(rng),
        }[kind]()
        expected[path] = kind
    with server.running():
        configs = [FeedConfig(url=server.url(path), name=f"Feed {path}") for path in expected]
        results = run_fetch(configs, tmp_path / "content", NOW, LIMITS)
    assert [result.config.url for result in results] == [config.url for config in configs]  # one each, in order
    wrong = collections.Counter()
    for result in results:
        kind = expected["/" + result.config.url.rsplit("/", 1)[1]]
        if result.status != FAULTS[kind][1]:
            wrong[(kind, result.status, result.error[:60])] += 1
        elif result.status == NEW:
            assert result.new == 2 and result.error == "", result.line()
        else:
            assert result.error, result.line()  # a failure always says why
    assert not wrong, wrong
    counts = collections.Counter(expected.values())
    assert all(counts[kind] > 40 for kind in kinds), counts
    # Each failure is recorded against its own feed, and only there.
    health = load_health(tmp_path / "content")
    failing = {url for url, feed in health.items() if feed.last_error}
    assert failing == {server.url(path) for path, kind in expected.items() if FAULTS[kind][1] == FAILED}
    written = list((tmp_path / "content").rglob("*.md"))
    assert len(written) == 2 * sum(1 for kind in expected.values() if FAULTS[kind][1] == NEW)
