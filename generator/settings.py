"""Every NEWSDIGEST_* setting: its default, what it accepts, checked once per run.

A site sets these in pelicanconf.py. `resolve` gives the values to use: a
value that is not allowed is replaced by the default with one warning that
names the setting, what it got and what it accepts. The builds and the CLI
call it once; everything else reads the resolved values. NEWSDIGEST_FEEDS is
a list of entries checked entry by entry (generator.feeds.config).

Pelican settings newsdigest cannot work with are refused (`refused`):
CONTENT_CACHING_LAYER = "generator" would cache whole article objects
between builds, with the enrichment of the last build in them; newsdigest
keeps Pelican's reader cache and works out the rest from it on every build.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

#: Highlights generated for an article without its own (NEWSDIGEST_HIGHLIGHTS_MAX's default).
HIGHLIGHTS = 3


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    #: What it accepts, said in the warning.
    accepts: str
    check: Callable[[object], bool]


def _whole(low: int, high: int) -> Callable[[object], bool]:
    return lambda value: isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


SETTINGS = (
    Setting("NEWSDIGEST_RELATED_MAX", 5, "a whole number from 0 to 50", _whole(0, 50)),
    Setting("NEWSDIGEST_HIGHLIGHTS_MAX", HIGHLIGHTS, "a whole number from 0 to 10", _whole(0, 10)),
    Setting("NEWSDIGEST_FEED_IMAGES", False, "True or False", lambda value: isinstance(value, bool)),
    Setting("NEWSDIGEST_SEARCH", True, "True or False", lambda value: isinstance(value, bool)),
    Setting(
        "NEWSDIGEST_JSON_FEED",
        "feeds/all.json",
        "a path under output/ ending in .json, or None (no JSON Feed)",
        lambda value: value in (None, "") or (isinstance(value, str) and value.endswith(".json") and ".." not in value),
    ),
    Setting(
        "NEWSDIGEST_DIGEST_FEED",
        "feeds/digest",
        "a path under output/ without an extension, or None (no daily digest feeds and e-mail pages)",
        lambda value: (
            value in (None, "") or (isinstance(value, str) and "." not in value and not value.startswith("/"))
        ),
    ),
    Setting("NEWSDIGEST_DIGEST_DAYS", 14, "a whole number from 1 to 366", _whole(1, 366)),
    Setting("NEWSDIGEST_FEEDS", [], "a list of feeds", lambda value: isinstance(value, list)),
    Setting(
        "NEWSDIGEST_FULLTEXT_ALLOW_HOSTS",
        [],
        "a list of host names",
        lambda value: isinstance(value, list) and all(isinstance(host, str) for host in value),
    ),
    Setting(
        "NEWSDIGEST_WORKERS",
        None,
        "None (one per core, at most 4) or a whole number from 1 to 64",
        lambda value: value is None or _whole(1, 64)(value),
    ),
)
#: Settings that change how a site is built, never what is built: not inputs of any page.
HOW_NOT_WHAT = frozenset({"NEWSDIGEST_WORKERS"})
DEFAULTS = {setting.name: setting.default for setting in SETTINGS}


def resolve(settings: dict) -> dict:
    """The NEWSDIGEST_* values to use: each as set, or its default (with a warning when it was not allowed)."""
    values = {}
    for setting in SETTINGS:
        value = settings.get(setting.name, setting.default)
        if not setting.check(value):
            log.warning(
                "invalid setting %s=%r: must be %s; using %r", setting.name, value, setting.accepts, setting.default
            )
            value = setting.default
        values[setting.name] = value
    return values


def refused(settings: dict) -> str | None:
    """Why newsdigest cannot build with these Pelican settings, or None."""
    if settings.get("CACHE_CONTENT") and settings.get("CONTENT_CACHING_LAYER", "reader") != "reader":
        return (
            f"CONTENT_CACHING_LAYER = {settings['CONTENT_CACHING_LAYER']!r} is not supported: newsdigest works "
            "from Pelican's reader cache; set CONTENT_CACHING_LAYER = 'reader' (the default) in pelicanconf.py"
        )
    return None


def absolute_base(settings: dict) -> str:
    """The site's absolute address, for feeds and metadata: SITEURL, or FEED_DOMAIN when SITEURL is relative."""
    siteurl = str(settings.get("SITEURL") or "")
    if siteurl.startswith(("http://", "https://")):
        return siteurl.rstrip("/")
    return str(settings.get("FEED_DOMAIN") or "").rstrip("/")
