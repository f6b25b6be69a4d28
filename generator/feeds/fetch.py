"""Getting feed bytes, politely and within limits. I/O only: decides nothing about content.

Every request names the project in its User-Agent, sends the validators it
was given (conditional GET: a 304 costs the publisher nothing), and stays
inside `Limits`: connect and total timeouts, a redirect limit, and a cap on
the body counted in decompressed bytes as they stream in, so that neither an
endless stream nor a gzip bomb can fill memory. 5xx answers, timeouts and
dropped connections are retried with exponential backoff; a 429 waits for
its Retry-After when that is short; a 410 says the feed is gone.

Local paths (and file: URLs) are read from disk under the same size cap;
their validator is a hash of their bytes, so an unchanged file is a 304 too.
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import ipaddress
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from generator.errors import FetchError, SourceError
from generator.ingest.text import read_input_file

USER_AGENT = "newsdigest/0.1 (static news digest; feed fetcher; +https://pypi.org/project/newsdigest/)"
#: Only what _Inflater can bound: no brotli or zstd, whose decoders httpx would run unbounded.
ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True)
class Limits:
    """What one fetch may cost."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    #: Wall time for one attempt, however the server dribbles its bytes.
    total_timeout: float = 30.0
    #: Decompressed bytes; larger answers are cut off and reported.
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    #: Further attempts after a 5xx, a timeout or a dropped connection.
    retries: int = 2
    #: Seconds before the first retry; doubled for each next one.
    backoff: float = 0.5
    #: A 429 whose Retry-After is longer than this fails instead of waiting.
    max_retry_after: float = 30.0
    concurrency: int = 8
    #: Only public addresses (an item's page for full text: its link is anyone's to set), checked
    #: after DNS resolution for the first request and every redirect; these hosts excepted.
    public_only: bool = False
    allow_hosts: tuple[str, ...] = ()


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Validators:
    """What conditional GET sends back: If-None-Match and If-Modified-Since."""

    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class Fetched:
    """A successful answer: 200 with a body, or 304 without one."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    validators: Validators = Validators()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Retry(Exception):
    def __init__(self, message: str, delay: float | None = None, status: int | None = None):
        super().__init__(message)
        self.delay = delay
        self.status = status


def is_local(url: str) -> bool:
    scheme = urlsplit(url).scheme.lower()
    return scheme in ("", "file") or len(scheme) == 1  # "C:\\feeds\\x.xml" on Windows


def read_local(url: str, validators: Validators, limits: Limits, root: Path | None = None) -> Fetched:
    """A feed from disk, relative paths taken from `root`."""
    path = Path(unquote(urlsplit(url).path) if url.lower().startswith("file:") else url)
    if root is not None and not path.is_absolute():
        path = root / path
    try:
        body = read_input_file(path, limits.max_bytes)
    except SourceError as exc:
        raise FetchError(url, exc.message) from exc
    etag = f'"sha256-{hashlib.sha256(body).hexdigest()[:32]}"'
    if validators.etag == etag:
        return Fetched(url=url, status=304, validators=validators)
    return Fetched(url=url, status=200, body=body, validators=Validators(etag=etag))


def fetch_many(
    requests: Sequence[tuple],
    limits: Limits = DEFAULT_LIMITS,
    on_done: Callable[[int, Fetched | FetchError], None] | None = None,
) -> list[Fetched | FetchError]:
    """Fetch every (url, validators[, limits[, headers]]) over HTTP, `limits.concurrency` at a time,
    in input order.

    A request's own limits (fewer retries for a feed known to be failing)
    override `limits` for that request; concurrency and timeouts of the
    client are `limits`'. Its own headers (a feed's `headers` setting: a
    User-Agent a CDN accepts, a token) are sent besides ours, overriding them.
    """
    return asyncio.run(_fetch_many(requests, limits, on_done))


async def _fetch_many(requests, limits: Limits, on_done) -> list[Fetched | FetchError]:
    semaphore = asyncio.Semaphore(limits.concurrency)
    timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
    async with httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=True,
        max_redirects=limits.max_redirects,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
        limits=httpx.Limits(max_connections=limits.concurrency),
        event_hooks={"request": [_public_only(limits.allow_hosts)]} if limits.public_only else None,
    ) as client:

        async def one(index: int, url: str, validators: Validators, own: Limits, headers: dict) -> Fetched | FetchError:
            async with semaphore:
                try:
                    result: Fetched | FetchError = await fetch(client, url, validators, own, headers)
                except FetchError as error:
                    result = error
                except Exception as exc:  # whatever a hostile server makes httpx raise: this feed failed
                    result = FetchError(url, f"{type(exc).__name__}: {' '.join(str(exc).split())}")
            if on_done:
                on_done(index, result)
            return result

        jobs = (one(i, *_unpack(request, limits)) for i, request in enumerate(requests))
        return list(await asyncio.gather(*jobs))


def _unpack(request: tuple, limits: Limits) -> tuple[str, Validators, Limits, dict]:
    """(url, validators[, limits[, headers]]) with the defaults filled in."""
    url, validators, *rest = request
    return url, validators, rest[0] if rest else limits, dict(rest[1]) if len(rest) > 1 else {}


class _NotPublic(Exception):
    """A request to an address that is not public (loopback, private, link-local, metadata)."""


def _public_only(allow_hosts: tuple[str, ...]):
    """An httpx request hook refusing any address that is not global, after resolving the host:
    an item linking to http://127.0.0.1/admin or 169.254.169.254 must not get that page published."""

    async def check(request: httpx.Request) -> None:
        host = request.url.host
        if host in allow_hosts:
            return
        try:
            found = await asyncio.get_running_loop().getaddrinfo(host, request.url.port or 443)
        except OSError as exc:
            raise _NotPublic(f"{host} does not resolve: {exc}") from exc
        for *_, address in found:
            ip = ipaddress.ip_address(address[0].split("%")[0])
            if not ip.is_global:
                raise _NotPublic(f"{host} is not a public address ({ip})")

    return check


async def fetch(
    client: httpx.AsyncClient, url: str, validators: Validators, limits: Limits, extra_headers: dict | None = None
) -> Fetched:
    """One URL, retried as `limits` allow. Raises FetchError saying what failed."""
    headers = dict(extra_headers or {})
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    attempt = 0
    while True:
        try:
            async with asyncio.timeout(limits.total_timeout):
                return await _attempt(client, url, headers, limits)
        except _Retry as retry:
            reason, delay, status = str(retry), retry.delay, retry.status
        except TimeoutError:
            reason, delay, status = f"timed out: no complete answer within {limits.total_timeout:g} s", None, None
        except httpx.TimeoutException as exc:
            reason, delay, status = f"timed out while {_step(exc)}", None, None
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
            reason, delay, status = f"connection failed: {exc or type(exc).__name__}", None, None
        attempt += 1
        if attempt > limits.retries:
            tries = f" (after {attempt} attempts)" if attempt > 1 else ""
            raise FetchError(url, reason + tries, status)
        await asyncio.sleep(delay if delay is not None else limits.backoff * 2 ** (attempt - 1))


async def _attempt(client: httpx.AsyncClient, url: str, headers: dict, limits: Limits) -> Fetched:
    try:
        async with client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status == 304:
                return Fetched(url=str(response.url), status=304, validators=_validators(response, headers))
            if status == 429:
                wait = _retry_after(response.headers.get("Retry-After"))
                if wait is None or wait > limits.max_retry_after:
                    after = f"; it asks to wait {wait:g} s" if wait is not None else ""
                    raise FetchError(url, f"rate limited (HTTP 429){after}", status)
                raise _Retry("rate limited (HTTP 429)", delay=wait, status=status)
            if status >= 500:
                raise _Retry(f"server error (HTTP {status} {response.reason_phrase})", status=status)
            if status == 410:
                raise FetchError(url, "gone (HTTP 410): the feed was removed; later runs skip it", status)
            if status >= 400:
                raise FetchError(url, f"HTTP {status} {response.reason_phrase}", status)
            body = bytearray()
            inflate = _Inflater(response.headers.get("Content-Encoding", ""), limits.max_bytes)
            async for chunk in response.aiter_raw():
                body += inflate(chunk)
                if len(body) > limits.max_bytes:
                    raise FetchError(
                        url, f"answer larger than {limits.max_bytes:,} bytes (decompressed); cut off", status
                    )
            body += inflate.flush()
            return Fetched(
                url=str(response.url),
                status=status,
                body=bytes(body),
                content_type=response.headers.get("Content-Type", ""),
                validators=_validators(response, {}),
            )
    except httpx.TooManyRedirects as exc:
        raise FetchError(url, f"too many redirects (more than {limits.max_redirects})") from exc
    except (httpx.DecodingError, zlib.error) as exc:
        raise FetchError(url, f"the compressed answer is corrupt: {exc}") from exc
    except httpx.UnsupportedProtocol as exc:
        raise FetchError(url, f"not an http(s) URL: {exc}") from exc
    except _NotPublic as exc:
        raise FetchError(url, f"not fetched: {exc}") from exc


class _Inflater:
    """Decompresses a gzip or deflate body chunk by chunk, never producing more than `cap` + 1 bytes.

    httpx would inflate each network chunk whole: one 64 KB chunk of a gzip
    bomb can become tens of megabytes before any cap is checked. Here every
    call yields at most what the cap still allows (plus one byte, to notice
    going over), whatever the compression ratio.
    """

    def __init__(self, encoding: str, cap: int) -> None:
        encoding = encoding.strip().lower()
        self.remaining = cap + 1
        if encoding in ("gzip", "x-gzip"):
            self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.inflater = zlib.decompressobj()
        elif encoding in ("", "identity"):
            self.inflater = None
        else:
            raise zlib.error(f"unsupported Content-Encoding {encoding!r}")

    def __call__(self, chunk: bytes) -> bytes:
        if self.inflater is None:
            return chunk
        out = self.inflater.decompress(chunk, self.remaining)
        self.remaining -= len(out)
        return out

    def flush(self) -> bytes:
        return self.inflater.flush() if self.inflater is not None else b""


def _validators(response: httpx.Response, sent: dict) -> Validators:
    """The validators to send next time; a 304 may omit them, so keep what was sent."""
    return Validators(
        etag=response.headers.get("ETag", sent.get("If-None-Match", "")),
        last_modified=response.headers.get("Last-Modified", sent.get("If-Modified-Since", "")),
    )


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _step(exc: httpx.TimeoutException) -> str:
    return {
        httpx.ConnectTimeout: "connecting",
        httpx.ReadTimeout: "reading the answer",
        httpx.WriteTimeout: "sending the request",
        httpx.PoolTimeout: "waiting for a connection",
    }.get(type(exc), "fetching")
