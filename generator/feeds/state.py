"""What fetching remembers between runs, kept under content/_feeds/ and committed.

- state.json: per feed, the validators for conditional GET, the keys of every
  item seen (so that an item is never written twice, even after its source
  was deleted), and since when the feed is gone (HTTP 410).
- health.json: per feed, the last check, the last success, the last HTTP
  status and error, items seen and consecutive failures; the site's Sources
  page is made from it.

Both are written atomically with sorted keys, so that a scheduled job's
commit shows only what changed. A lock file (flock, released by the OS if
the process dies) keeps two fetches from interleaving their writes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator.article import write_atomic
from generator.errors import SourceError
from generator.locks import hold_lock

#: A feed failing for this long is flagged in the fetch summary and on the Sources page.
FAILING_FLAG_AFTER = dt.timedelta(days=7)

FEEDS_DIR = "_feeds"
#: Keys remembered per feed; older ones are forgotten (a feed never goes back that far).
MAX_SEEN_KEYS = 5000


@dataclass
class FeedState:
    etag: str = ""
    last_modified: str = ""
    #: Dedupe keys of every item this feed gave, newest last.
    seen: list[str] = field(default_factory=list)
    #: ISO time of the 410 that retired the feed; "" while it is alive.
    gone_since: str = ""


@dataclass
class FeedHealth:
    name: str = ""
    last_checked: str = ""
    last_success: str = ""
    last_status: int | None = None
    last_error: str = ""
    items_seen: int = 0
    consecutive_failures: int = 0
    #: ISO time of the first failure in the current run of failures.
    failing_since: str = ""


@dataclass(frozen=True)
class SourceRow:
    """One line of the site's Sources page."""

    url: str
    health: FeedHealth
    #: Failing for longer than `flag_after` at the time of the latest check.
    flagged: bool


def source_rows(health: dict[str, FeedHealth], flag_after: dt.timedelta) -> list[SourceRow]:
    """Every feed's health, by name, flagging those failing for longer than `flag_after`.

    "Now" is the latest check recorded, not the build's clock: the same
    health file always renders the same page.
    """
    checks = [h.last_checked for h in health.values() if h.last_checked]
    latest = max(dt.datetime.fromisoformat(c) for c in checks) if checks else None
    rows = []
    for url, feed in health.items():
        since = dt.datetime.fromisoformat(feed.failing_since) if feed.failing_since else None
        flagged = bool(latest and since and latest - since > flag_after)
        rows.append(SourceRow(url=url, health=feed, flagged=flagged))
    return sorted(rows, key=lambda row: ((row.health.name or row.url).casefold(), row.url))


def feeds_dir(content_dir: Path) -> Path:
    return content_dir / FEEDS_DIR


def load_state(content_dir: Path) -> dict[str, FeedState]:
    return {url: FeedState(**data) for url, data in _load(feeds_dir(content_dir) / "state.json").items()}


def load_health(content_dir: Path) -> dict[str, FeedHealth]:
    return {url: FeedHealth(**data) for url, data in _load(feeds_dir(content_dir) / "health.json").items()}


def save_state(content_dir: Path, state: dict[str, FeedState]) -> None:
    for feed in state.values():
        feed.seen = feed.seen[-MAX_SEEN_KEYS:]
    _save(feeds_dir(content_dir) / "state.json", {url: asdict(feed) for url, feed in state.items()})


def save_health(content_dir: Path, health: dict[str, FeedHealth]) -> None:
    _save(feeds_dir(content_dir) / "health.json", {url: asdict(feed) for url, feed in health.items()})


def fetch_lock(content_dir: Path) -> contextlib.AbstractContextManager[None]:
    """Hold the fetch lock, or raise Locked at once."""
    return hold_lock(feeds_dir(content_dir) / "fetch.lock", "fetch")


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(path, f"not valid JSON ({exc}); fix or delete it") from exc
    return data.get("feeds", {}) if isinstance(data, dict) else {}


def _save(path: Path, feeds: dict) -> None:
    text = json.dumps({"version": 1, "feeds": feeds}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomic(path, text)
