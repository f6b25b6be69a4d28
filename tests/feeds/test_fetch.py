"""HTTP fetching against a real server on 127.0.0.1: limits, retries, conditional GET."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from feed_server import FeedServer, conditional, endless, gzip_bomb, redirect_to, send, slow, status, then

from generator.errors import FetchError
from generator.feeds.fetch import USER_AGENT, Limits, Validators, fetch_many

FAST = Limits(connect_timeout=1, read_timeout=1, total_timeout=2, retries=1, backoff=0.01, max_retry_after=2)
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'


@pytest.fixture
def server():
    with FeedServer().running() as running:
        yield running


def get(server, path: str, limits: Limits = FAST, validators: Validators | None = None):
    (result,) = fetch_many([(server.url(path), validators or Validators())], limits)
    return result


def test_200_sends_user_agent_and_returns_body_and_validators(server):
    server.routes["/feed"] = conditional(RSS)
    result = get(server, "/feed")
    assert (result.status, result.body) == (200, RSS)
    assert result.validators == Validators(etag='"v1"', last_modified="Wed, 25 Nov 2026 09:00:00 GMT")
    assert server.requests[0][1]["User-Agent"] == USER_AGENT


def test_conditional_get_sends_validators_and_304_means_not_modified(server):
    server.routes["/feed"] = conditional(RSS)
    first = get(server, "/feed")
    second = get(server, "/feed", validators=first.validators)
    assert second.not_modified and second.body == b""
    headers = server.requests[1][1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Wed, 25 Nov 2026 09:00:00 GMT"
    assert second.validators == first.validators  # kept for next time


def test_a_5xx_is_retried_then_succeeds(server):
    server.routes["/flaky"] = then(status(503), conditional(RSS))
    assert get(server, "/flaky").status == 200
    assert server.hits["/flaky"] == 2


def test_a_persistent_500_fails_after_the_retries_with_its_reason(server):
    server.routes["/broken"] = status(500)
    result = get(server, "/broken")
    assert isinstance(result, FetchError)
    assert result.message == "server error (HTTP 500 Internal Server Error) (after 2 attempts)"
    assert server.hits["/broken"] == 2


@pytest.mark.parametrize(("code", "message"), [(404, "HTTP 404 Not Found"), (403, "HTTP 403 Forbidden")])
def test_client_errors_fail_at_once(server, code, message):
    server.routes["/x"] = status(code)
    result = get(server, "/x")
    assert (result.message, result.status) == (message, code)
    assert server.hits["/x"] == 1


def test_410_says_the_feed_is_gone(server):
    server.routes["/gone"] = status(410)
    result = get(server, "/gone")
    assert result.gone
    assert result.message.startswith("gone (HTTP 410)")


def test_429_waits_for_a_short_retry_after_and_gives_up_on_a_long_one(server):
    server.routes["/busy"] = then(status(429, Retry_After="1"), conditional(RSS))
    started = time.monotonic()
    assert get(server, "/busy").status == 200
    assert time.monotonic() - started >= 1
    server.routes["/later"] = status(429, Retry_After="3600")
    result = get(server, "/later")
    assert result.message == "rate limited (HTTP 429); it asks to wait 3600 s"
    assert server.hits["/later"] == 1


def test_a_redirect_loop_is_cut_at_the_limit(server):
    server.routes["/loop"] = redirect_to("/loop")
    result = get(server, "/loop")
    assert result.message == "too many redirects (more than 5)"


def test_redirects_within_the_limit_are_followed(server):
    server.routes["/old"] = redirect_to("/new")
    server.routes["/new"] = conditional(RSS)
    result = get(server, "/old")
    assert (result.status, result.url) == (200, server.url("/new"))


def test_a_silent_server_times_out_with_a_clear_reason(server):
    server.routes["/slow"] = slow(5, RSS)
    started = time.monotonic()
    result = get(server, "/slow")
    assert result.message.startswith("timed out")
    assert result.message.endswith("(after 2 attempts)")
    assert time.monotonic() - started < 6


def test_an_endless_stream_is_cut_at_the_cap_and_memory_stays_low(server):
    server.routes["/endless"] = endless()
    limits = Limits(total_timeout=20, retries=0)  # the default 10 MB cap
    tracemalloc.start()
    result = get(server, "/endless", limits)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.message == "answer larger than 10,485,760 bytes (decompressed); cut off"
    assert peak < 40 * 1024 * 1024


def test_a_gzip_bomb_is_cut_by_decompressed_size(server):
    server.routes["/bomb"] = gzip_bomb(200)
    result = get(server, "/bomb", Limits(retries=0))
    assert result.message == "answer larger than 10,485,760 bytes (decompressed); cut off"


def test_a_corrupt_gzip_body_is_reported(server):
    server.routes["/corrupt"] = lambda request: send(request, 200, b"not gzip at all", Content_Encoding="gzip")
    result = get(server, "/corrupt")
    assert result.message.startswith("the compressed answer is corrupt")


def test_nothing_listening_is_a_connection_error(server):
    server.httpd.server_close()
    (result,) = fetch_many([("http://127.0.0.1:9/feed", Validators())], FAST)
    assert result.message.startswith("connection failed")


def test_many_feeds_come_back_in_order(server):
    for n in range(20):
        server.routes[f"/f{n}"] = conditional(RSS.replace(b"<title>T", f"<title>{n}".encode()))
    results = fetch_many([(server.url(f"/f{n}"), Validators()) for n in range(20)], FAST)
    assert [r.body.count(f"<title>{n}<".encode()) for n, r in enumerate(results)] == [1] * 20


def test_a_gzip_bomb_never_inflates_past_the_cap_in_memory(server):
    server.routes["/bomb"] = gzip_bomb(200)
    tracemalloc.start()
    result = get(server, "/bomb", Limits(retries=0, max_bytes=1024 * 1024))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.message == "answer larger than 1,048,576 bytes (decompressed); cut off"
    assert peak < 8 * 1024 * 1024  # 200 MB of zeros behind it


def test_a_deflate_answer_is_inflated(server):
    import zlib

    server.routes["/deflate"] = lambda request: send(request, 200, zlib.compress(RSS), Content_Encoding="deflate")
    assert get(server, "/deflate").body == RSS
