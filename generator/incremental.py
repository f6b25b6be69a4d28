"""Rebuilds that render only what changed: a Pelican writer that skips unchanged pages.

Pelican renders and writes every page on every build, even with its content
cache. This writer fingerprints what each page is made from (the site-wide
inputs, the template, and every value passed to it) and skips the page when
the fingerprint matches the previous build's and the file is still there.
An article is known by two fingerprints: `fingerprint`, all that its own
page shows, and `listing_fingerprint`, what a list of stories shows of it
(a new related story changes its page, not the category pages listing it).
Skipped pages are announced as written (pelican-sitemap lists pages from
that signal).

Site-wide inputs: the settings (their JSON-able values), the theme's files,
newsdigest's own code and the list of categories (every page's navigation).
A value it cannot fingerprint (an object it does not know) means "render".
Pages written from the global context alone (tags, archives) are passed the
full article lists by Pelican, so they are rendered when any article changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from pelican import __version__ as pelican_version
from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper
from pelican.writers import Writer

from generator.article import write_atomic

log = logging.getLogger(__name__)

#: Values Pelican passes that our theme never reads (`all_articles` is the
#: whole archive, passed to every category page).
IGNORED = frozenset({"all_articles"})
PACKAGE = Path(__file__).resolve().parent


class Unknown(Exception):
    """A value this module cannot fingerprint: the page is rendered."""


#: The values a page is *about* (its own article or page), by their full fingerprint.
OWN_CONTENT = frozenset({"article", "page"})


def _parts(value: object) -> Iterator[str]:
    """A stable text form of `value`, for hashing; raises Unknown for what it cannot describe.

    Content is described as a list shows it (`listing_fingerprint`).
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        yield repr(value)
    elif isinstance(value, Content):
        yield _listed(value)
    elif isinstance(value, URLWrapper):
        yield f"{type(value).__name__}:{value.name}:{value.url}"
    elif isinstance(value, (dt.date, dt.datetime)):
        yield value.isoformat()
    elif isinstance(value, (list, tuple)):
        yield "["
        for item in value:  # lists of stories are long: no nested generator for each
            if isinstance(item, Content):
                yield _listed(item)
            else:
                yield from _parts(item)
        yield "]"
    elif isinstance(value, dict):
        for key in sorted(value):
            yield repr(key)
            yield from _parts(value[key])
    elif hasattr(value, "__dataclass_fields__"):
        yield type(value).__name__
        for name in value.__dataclass_fields__:
            yield from _parts(getattr(value, name))
    else:
        raise Unknown(type(value).__name__)


def _listed(content: Content) -> str:
    fingerprint = getattr(content, "listing_fingerprint", None)
    if fingerprint is None:
        raise Unknown(type(content).__name__)
    return fingerprint


def fingerprint(*values: object) -> str | None:
    """A hash of `values`, or None when one of them cannot be described."""
    try:
        return hash_text(part for value in values for part in _parts(value))
    except Unknown:
        return None


def hash_text(parts: Iterable[str]) -> str:
    """A short hash of text parts: what every fingerprint and cache key here is made of."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _files_hash(folder: Path, pattern: str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob(pattern)):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def code_and_settings(settings: dict) -> str:
    """A hash of the settings (their JSON-able values), the installed Pelican and newsdigest's own code."""
    plain = {key: value for key, value in settings.items() if key.isupper() and _jsonable(value)}
    return hash_text([json.dumps(plain, sort_keys=True), pelican_version, _files_hash(PACKAGE, "*.py")])


def code_settings_and_theme(settings: dict) -> str:
    """code_and_settings(), and the theme's files: what every page is made with."""
    return hash_text([code_and_settings(settings), _files_hash(Path(settings["THEME"]), "*")])


def site_fingerprint(settings: dict, categories: list) -> str:
    """What every page depends on: settings and code, the theme, the categories in the navigation."""
    return hash_text([code_settings_and_theme(settings), json.dumps([str(category) for category, _ in categories])])


def _jsonable(value: object) -> bool:
    try:
        json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        return False
    return True


class SkippingWriter(Writer):
    """Pelican's writer, skipping pages whose fingerprint did not change."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.manifest_path = _manifest_path(settings, output_path)
        self.previous = _load(self.manifest_path)
        self.current: dict[str, list] = {}
        self.site = None
        self.skipped = self.rendered = 0
        self._paths: list[str] | None = None
        signals.finalized.connect(self._finalized)

    def _finalized(self, pelican) -> None:
        signals.finalized.disconnect(self._finalized)
        self.save()

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None, **kwargs):
        if not name:
            return super().write_file(name, template, context, relative_urls, paginated, template_name, **kwargs)
        if self.site is None:
            self.site = site_fingerprint(self.settings, context.get("categories", []))
        inputs = {key: value for key, value in kwargs.items() if key not in IGNORED | OWN_CONTENT}
        own = [getattr(kwargs[name], "fingerprint", None) for name in OWN_CONTENT if name in kwargs]
        key = (
            None
            if None in own
            else fingerprint(self.site, template.name, relative_urls, template_name, paginated, inputs, own)
        )
        before = self.previous.get(name)
        if key is not None and before and before[0] == key and all(Path(path).is_file() for path in before[1]):
            self.current[name] = before
            self.skipped += 1
            for path in before[1]:
                signals.content_written.send(path, context={"article": kwargs.get("article")})
            return None
        self._paths = []
        try:
            super().write_file(name, template, context, relative_urls, paginated, template_name, **kwargs)
        finally:
            paths, self._paths = self._paths, None
        self.rendered += 1
        if key is not None:
            self.current[name] = [key, paths]
        return None

    def _open_w(self, filename, encoding, override=False):
        if self._paths is not None:
            self._paths.append(str(filename))
        return super()._open_w(filename, encoding, override)

    def save(self) -> None:
        """Keep this build's fingerprints for the next (on the `finalized` signal)."""
        try:
            self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.manifest_path, json.dumps(self.current), durable=False)
        except OSError as exc:
            log.warning("could not save %s: %s", self.manifest_path, exc)
        log.info("pages rendered: %d, unchanged and skipped: %d", self.rendered, self.skipped)


def _manifest_path(settings: dict, output_path) -> Path:
    """One manifest per output folder (a build into another folder starts afresh)."""
    where = hashlib.blake2b(str(Path(output_path).resolve()).encode(), digest_size=8).hexdigest()
    return Path(settings.get("CACHE_PATH", "cache")) / f"newsdigest-pages-{where}.json"


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
