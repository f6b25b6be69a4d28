"""A real HTTP server on 127.0.0.1 for feed tests: routes with switchable behaviours.

Each route maps a path to a handler `(request) -> None` that writes the whole
answer; `server.requests` records (path, headers) of every request, so tests
can assert what conditional GET sent.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
import zlib
from collections.abc import Callable, Iterator

Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.hits: dict[str, int] = {}
        server = self

        class RequestHandler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                server.requests.append((path, dict(self.headers)))
                server.hits[path] = server.hits.get(path, 0) + 1
                handler = server.routes.get(path)
                try:
                    if handler is None:
                        send(self, 404, b"not found", "text/plain")
                    else:
                        handler(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up: a cap or a timeout did its job

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.httpd.daemon_threads = True
        # A client hanging up on a kept-alive connection is normal here (caps,
        # timeouts); socketserver would print a traceback into the test's output.
        self.httpd.handle_error = lambda request, client_address: None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    @contextlib.contextmanager
    def running(self) -> Iterator[FeedServer]:
        thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.httpd.shutdown()
            self.httpd.server_close()


def send(request, status: int, body: bytes = b"", content_type: str = "application/rss+xml", **headers) -> None:
    request.send_response(status)
    request.send_header("Content-Type", content_type)
    request.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        request.send_header(name.replace("_", "-"), value)
    request.end_headers()
    request.wfile.write(body)


def conditional(body: bytes, etag: str = '"v1"', last_modified: str = "Wed, 25 Nov 2026 09:00:00 GMT") -> Handler:
    """200 with validators, 304 when the request sends them back."""

    def handle(request) -> None:
        if request.headers.get("If-None-Match") == etag or request.headers.get("If-Modified-Since") == last_modified:
            request.send_response(304)
            request.send_header("ETag", etag)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        send(request, 200, body, ETag=etag, Last_Modified=last_modified)

    return handle


def status(code: int, **headers) -> Handler:
    return lambda request: send(request, code, b"error page", "text/html", **headers)


def then(first: Handler, afterwards: Handler, times: int = 1) -> Handler:
    """`first` for the first `times` requests, then `afterwards`."""
    count = {"n": 0}

    def handle(request) -> None:
        count["n"] += 1
        (first if count["n"] <= times else afterwards)(request)

    return handle


def redirect_to(path: str) -> Handler:
    return lambda request: send(request, 302, b"", "text/plain", Location=path)


def slow(seconds: float, body: bytes = b"") -> Handler:
    def handle(request) -> None:
        time.sleep(seconds)
        send(request, 200, body)

    return handle


def endless(chunk: bytes = b"<item>" + b"x" * 65530) -> Handler:
    """A 1 GB answer, streamed without end (chunked), until the client hangs up."""

    def handle(request) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Transfer-Encoding", "chunked")
        request.end_headers()
        for piece in (b"<rss><channel>", *(chunk for _ in range(1024**3 // len(chunk)))):
            request.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")

    return handle


def gzip_bomb(megabytes: int = 200) -> Handler:
    """A small gzip body that inflates to `megabytes` of zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1024 * 1024)
    body = b"".join(compressor.compress(zeros) for _ in range(megabytes)) + compressor.flush()
    return lambda request: send(request, 200, body, Content_Encoding="gzip")
