"""Which feeds to fetch: NEWSDIGEST_FEEDS in pelicanconf.py, plus the site's feeds.opml.

pelicanconf.py is for feeds configured by hand; feeds.opml is what
`newsdigest feeds import-opml` writes, so that importing a reader's
subscriptions never rewrites Python. Our settings travel as OPML outline
attributes (category, sections, tags, max_items, fulltext, keep, drop,
max_age_days, headers), which other readers ignore.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

from generator.article import write_atomic
from generator.errors import SourceError
from generator.feeds.plan import FeedConfig

log = logging.getLogger(__name__)

OPML_FILE = "feeds.opml"
_FIELDS = {f.name for f in fields(FeedConfig)}


def configs_from_settings(entries: Iterable[object]) -> list[FeedConfig]:
    """NEWSDIGEST_FEEDS entries (dicts, or bare URL strings) as FeedConfig; bad ones are logged and skipped."""
    configs = []
    for position, entry in enumerate(entries or []):
        data = {"url": entry} if isinstance(entry, str) else entry
        if not isinstance(data, dict) or not data.get("url"):
            log.warning("NEWSDIGEST_FEEDS[%d]: needs at least a 'url'; skipped", position)
            continue
        unknown = set(data) - _FIELDS
        if unknown:
            log.warning("NEWSDIGEST_FEEDS[%d]: unknown keys %s ignored", position, ", ".join(sorted(unknown)))
        configs.append(_config({k: v for k, v in data.items() if k in _FIELDS}))
    return configs


def read_opml(path: Path) -> list[FeedConfig]:
    """Every feed outline (one with an xmlUrl) in an OPML file, nested folders included."""
    try:
        root = ElementTree.parse(path).getroot()
    except FileNotFoundError as exc:
        raise SourceError(path, "no such file") from exc
    except ElementTree.ParseError as exc:
        raise SourceError(path, f"not valid OPML: {exc}", line=exc.position[0]) from exc
    configs = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl")
        if url and not _web_address(url):
            # Local paths come only from pelicanconf.py or the command line: an OPML file from
            # elsewhere must not point fetch at /dev/zero or a private file.
            log.warning("%s: outline %r: xmlUrl %r is not an http(s) address; skipped", path, outline.get("text"), url)
        elif url:
            configs.append(
                _config(
                    {
                        "url": url,
                        "name": outline.get("title") or outline.get("text") or "",
                        "category": outline.get("category", ""),
                        "sections": outline.get("sections", ""),
                        "keep": outline.get("keep", ""),
                        "drop": outline.get("drop", ""),
                        "max_age_days": outline.get("max_age_days", 0),
                        "headers": outline.get("headers", ""),
                        "tags": [t for t in outline.get("tags", "").split(",") if t.strip()],
                        "max_items": outline.get("max_items", FeedConfig.max_items),
                        "fulltext": outline.get("fulltext", "false").lower() == "true",
                    }
                )
            )
    return configs


def write_opml(configs: Iterable[FeedConfig], title: str = "newsdigest feeds") -> str:
    """OPML 2.0 text for `configs`."""
    root = ElementTree.Element("opml", version="2.0")
    ElementTree.SubElement(ElementTree.SubElement(root, "head"), "title").text = title
    body = ElementTree.SubElement(root, "body")
    for config in configs:
        attributes = {"type": "rss", "text": config.name or config.url, "xmlUrl": config.url}
        if config.name:
            attributes["title"] = config.name
        if config.category:
            attributes["category"] = config.category
        if config.tags:
            attributes["tags"] = ",".join(config.tags)
        if config.sections:
            attributes["sections"] = ";".join(f"{label}={section}" for label, section in config.sections)
        for name in ("keep", "drop"):
            if getattr(config, name):
                attributes[name] = ";".join(getattr(config, name))
        if config.max_age_days:
            attributes["max_age_days"] = str(config.max_age_days)
        if config.headers:
            attributes["headers"] = ";".join(f"{name}={value}" for name, value in config.headers)
        if config.max_items != FeedConfig.max_items:
            attributes["max_items"] = str(config.max_items)
        if config.fulltext:
            attributes["fulltext"] = "true"
        ElementTree.SubElement(body, "outline", attributes)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def merge_opml(site: Path, incoming: list[FeedConfig]) -> tuple[int, int]:
    """Add `incoming` feeds to the site's feeds.opml (by URL, existing ones kept); returns (added, already there)."""
    path = site / OPML_FILE
    current = read_opml(path) if path.is_file() else []
    known = {config.url for config in current}
    added = [config for config in incoming if config.url not in known]
    write_atomic(path, write_opml([*current, *added]))
    return len(added), len(incoming) - len(added)


def site_configs(site: Path, settings: dict) -> list[FeedConfig]:
    """Every feed the site fetches: NEWSDIGEST_FEEDS first, then feeds.opml; the first of a URL wins."""
    configs = configs_from_settings(settings.get("NEWSDIGEST_FEEDS", []))
    opml = site / OPML_FILE
    if opml.is_file():
        configs += read_opml(opml)
    unique: dict[str, FeedConfig] = {}
    for config in configs:
        unique.setdefault(config.url, config)
    return list(unique.values())


def _web_address(url: str) -> bool:
    """True for an http(s) URL with a host that parses (not "https://[bad", "file:", "mailto:")."""
    try:
        parts = urlsplit(url.strip())
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def _config(data: dict) -> FeedConfig:
    tags = data.get("tags", ())
    return FeedConfig(
        url=str(data["url"]).strip(),
        name=str(data.get("name") or ""),
        category=str(data.get("category") or ""),
        tags=tuple(str(t).strip() for t in ([tags] if isinstance(tags, str) else tags)),
        sections=_pairs(data.get("sections") or {}, "sections", "map a feed's category to a section"),
        keep=_rules(data.get("keep") or ()),
        drop=_rules(data.get("drop") or ()),
        max_age_days=_whole_number(data.get("max_age_days") or 0, "max_age_days", minimum=0),
        headers=_pairs(data.get("headers") or {}, "headers", "map header names to values"),
        max_items=_whole_number(data.get("max_items", FeedConfig.max_items), "max_items"),
        fulltext=bool(data.get("fulltext", False)),
    )


def _pairs(value: object, name: str, must: str) -> tuple[tuple[str, str], ...]:
    """A feed's `sections` or `headers`: a dict ({"Nacional": "Portugal"}) or OPML's "Nacional=Portugal;Mundo=World"."""
    if isinstance(value, str):
        value = dict(pair.split("=", 1) for pair in value.split(";") if "=" in pair)
    if not isinstance(value, dict):
        log.warning("feed %s=%r: must %s; ignored", name, value, must)
        return ()
    return tuple((str(key).strip(), str(item).strip()) for key, item in value.items() if str(item).strip())


def _rules(value: object) -> tuple[str, ...]:
    """A feed's `keep` or `drop`: a list of rules, one rule, or OPML's "rule;rule"."""
    rules = value.split(";") if isinstance(value, str) else value if isinstance(value, (list, tuple)) else [value]
    return tuple(str(rule).strip() for rule in rules if str(rule).strip())


def _whole_number(value: object, name: str, minimum: int = 1) -> int:
    default = getattr(FeedConfig, name)
    try:
        number = int(str(value))
    except ValueError:
        number = minimum - 1
    if number < minimum:
        log.warning("feed %s=%r: must be a whole number >= %d; using %d", name, value, minimum, default)
        return default
    return number
