"""The sources under content/: where an article goes, and whether it may be written.

Three promises, kept here for every importer:

- **Unique slugs.** Pelican treats two articles with one slug as translations
  of each other and drops one, so a slug is unique across content/. When a
  different article already holds it, the newcomer gets a suffix made from
  its own identity (`-3f9a1c`): stable, whatever order inputs arrive in.
- **Idempotence.** An article is recognised by its `import_id`, a hash of its
  feed GUID, its original URL, or its source, headline and day. Importing it
  again finds the same file and writes nothing when nothing changed.
- **No duplicates.** `dedupe_keys` names an article by GUID, normalised link
  (scheme and host lowercased, tracking parameters dropped) and headline plus
  day; a feed item sharing any key with an existing source is that source.
- **Hand edits win.** Each written source carries a `content_hash` of its own
  text. A source whose text no longer matches its hash was edited by hand
  (or written by hand, with no hash at all) and is never overwritten, unless
  the caller forces it.

`plan_save` decides (pure); `save_article` reads the index and writes.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from slugify import slugify

from generator.article import (
    Article,
    has_hand_edits,
    parse_source,
    read_front_matter,
    render_source,
    write_atomic,
    write_atomic_bytes,
)
from generator.errors import SourceError


class Outcome(enum.Enum):
    """What happened to an article's source."""

    WRITTEN = "written"
    UNCHANGED = "unchanged"
    #: Edited by hand since it was imported: left as the maintainer wrote it.
    KEPT = "kept"


#: Where SourceIndex.scan keeps what it read (relative to content/).
CACHE_FILE = "_feeds/.source-index.json"
#: Query parameters that track a click, not name a page.
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref", "cmpid", "ocid")


@dataclass(frozen=True)
class IndexedSource:
    path: Path
    slug: str
    import_id: str
    keys: tuple[str, ...] = ()


@dataclass
class SourceIndex:
    """Every source under content/, by slug, by import_id and by dedupe key.

    Entries are cached in content/_feeds/.source-index.json (git-ignored),
    keyed by path, size and modification time: on an archive of thousands of
    sources a rescan costs a stat per file, not a YAML parse. `save` writes
    the cache; the commands call it once their writes are done.
    """

    by_slug: dict[str, IndexedSource]
    by_import_id: dict[str, IndexedSource]
    by_key: dict[str, IndexedSource]
    content_dir: Path | None = None
    #: Cache entries by path relative to content/: [size, mtime_ns, slug, import_id, keys].
    entries: dict[str, list] = field(default_factory=dict)
    saved: dict[str, list] = field(default_factory=dict)

    @classmethod
    def scan(cls, content_dir: Path) -> SourceIndex:
        """Index every source; reads only the files changed since the last scan."""
        cached = _load_cache(content_dir / CACHE_FILE)
        index = cls({}, {}, {}, content_dir=content_dir, saved=cached)
        for path in sorted(content_dir.rglob("*.md")):
            if path.name.startswith("."):
                continue
            stat = path.stat()
            entry = cached.get(path.relative_to(content_dir).as_posix())
            if entry and entry[:2] == [stat.st_size, stat.st_mtime_ns]:
                index.add(IndexedSource(path=path, slug=entry[2], import_id=entry[3], keys=tuple(entry[4])))
            else:
                index.add(_indexed(path))
        return index

    def add(self, source: IndexedSource) -> None:
        self.by_slug[source.slug] = source
        if source.import_id:
            self.by_import_id[source.import_id] = source
        for key in source.keys:
            self.by_key.setdefault(key, source)
        if self.content_dir is not None:
            with contextlib.suppress(OSError, ValueError):
                stat = source.path.stat()
                name = source.path.relative_to(self.content_dir).as_posix()
                self.entries[name] = [stat.st_size, stat.st_mtime_ns, source.slug, source.import_id, list(source.keys)]

    def save(self) -> None:
        """Write the cache, if anything changed since it was read."""
        if self.content_dir is None or self.entries == self.saved:
            return
        with contextlib.suppress(OSError):  # a read-only checkout still works, only slower
            write_atomic(self.content_dir / CACHE_FILE, json.dumps(self.entries, sort_keys=True) + "\n", durable=False)
            self.saved = dict(self.entries)


def _load_cache(path: Path) -> dict[str, list]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def normalize_link(url: str) -> str:
    """The link two feeds would agree on: scheme and host lowercased, tracking parameters dropped.

    >>> normalize_link("HTTPS://Example.COM/a?utm_source=x&id=3#top")
    'https://example.com/a?id=3'
    """
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith(_TRACKING)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), ""))


def dedupe_keys(guid: str, link: str, title: str, day: str) -> tuple[str, ...]:
    """An item's names, most reliable first: GUID, normalised link, headline and day."""
    keys = []
    if guid:
        keys.append(f"guid:{guid.strip()}")
    if link:
        keys.append(f"link:{normalize_link(link)}")
    if title:
        headline = " ".join(title.casefold().split())
        keys.append("title:" + hashlib.sha256(f"{headline}|{day}".encode()).hexdigest()[:16])
    return tuple(keys)


def article_keys(article: Article) -> tuple[str, ...]:
    return dedupe_keys(article.guid, article.link, article.title, article.date.date().isoformat())


def import_id(article: Article) -> str:
    """A stable identity: the feed GUID, else the original URL, else source, headline, day and text.

    Without a GUID or a link, two texts can share source, headline and day
    ("Live updates: storm hits the coast"): their text tells them apart, so
    both are kept, and importing the same text again still finds its file.
    """
    if article.guid or article.link:
        return _legacy_import_id(article)
    text = hashlib.sha256(" ".join(article.body.split()).encode("utf-8")).hexdigest()
    return hashlib.sha256(f"{_headline_key(article)}\n{text}".encode()).hexdigest()[:12]


def _headline_key(article: Article) -> str:
    return f"{article.source}\n{article.title}\n{article.date.date().isoformat()}"


def _legacy_import_id(article: Article) -> str:
    """The identity before text was part of it (sources imported then still carry it)."""
    key = f"guid:{article.guid}" if article.guid else article.link or _headline_key(article)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


#: Long enough for a headline's gist; well inside every file system's name limit.
SLUG_MAX_LENGTH = 80
#: Names Windows reserves for devices, with any extension: a checkout there would fail.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}
)


def slug_for(text: str, fallback: str) -> str:
    """A file and URL name for `text`: ASCII letters, digits and hyphens, at most
    SLUG_MAX_LENGTH long, never a Windows device name; `fallback` when nothing is left.

    >>> slug_for("../../etc/passwd", "item"), slug_for("CON", "item"), slug_for("🔥\u200b", "item")
    ('etc-passwd', 'con-story', 'item')
    """
    slug = slugify(text, max_length=SLUG_MAX_LENGTH, word_boundary=True, save_order=True) or fallback
    return f"{slug}-story" if slug in WINDOWS_RESERVED else slug


def plan_save(content_dir: Path, index: SourceIndex, article: Article) -> tuple[Path, Article]:
    """Where `article` goes, and the article as it will be written there (final slug and id)."""
    identity = import_id(article)
    known = index.by_import_id.get(identity) or _imported_before(index, article)
    if known:
        return known.path, _with(article, known.slug, identity)
    folder = content_dir / slug_for(article.source, "articles")
    for slug in (article.slug, f"{article.slug}-{identity[:6]}"):
        if slug not in index.by_slug:
            return folder / f"{slug}.md", _with(article, slug, identity)
    raise SourceError(folder / f"{article.slug}.md", "slug taken by two other articles; set a slug by hand")


def save_article(
    content_dir: Path, article: Article, force: bool = False, index: SourceIndex | None = None
) -> tuple[Path, Outcome]:
    """Write `article`'s source unless that would lose a hand edit; returns where and what happened."""
    index = index or SourceIndex.scan(content_dir)
    path, article = plan_save(content_dir, index, article)
    text = render_source(article)
    try:
        existing = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        existing = None
    if existing == text:
        return path, Outcome.UNCHANGED
    if existing is not None and not force and has_hand_edits(existing):
        return path, Outcome.KEPT
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic_bytes(path, text.encode("utf-8"))  # known to differ: write_atomic would read it again
    index.add(IndexedSource(path=path, slug=article.slug, import_id=article.import_id, keys=article_keys(article)))
    return path, Outcome.WRITTEN


def _imported_before(index: SourceIndex, article: Article) -> IndexedSource | None:
    """The source this same text was imported to under the identity without text, if any."""
    known = index.by_import_id.get(_legacy_import_id(article))
    if known is None or article.guid or article.link:
        return None
    try:
        existing = parse_source(known.path.read_text(encoding="utf-8"), known.path)
    except (OSError, SourceError):
        return None
    return known if " ".join(existing.body.split()) == " ".join(article.body.split()) else None


def _with(article: Article, slug: str, identity: str) -> Article:
    return replace(article, slug=slug, import_id=identity)


def _indexed(path: Path) -> IndexedSource:
    """Index entry for one source; a source whose front matter is unreadable still holds its file name."""
    data = read_front_matter(path.read_text(encoding="utf-8", errors="replace"))
    keys = dedupe_keys(
        str(data.get("guid") or ""),
        str(data.get("link") or ""),
        str(data.get("title") or ""),
        str(data.get("date"))[:10],
    )
    return IndexedSource(
        path=path, slug=str(data.get("slug") or path.stem), import_id=str(data.get("import_id") or ""), keys=keys
    )
