"""The sources under content/: where an article goes, and whether it may be written.

Three promises, kept here for every importer:

- **Unique slugs.** Pelican treats two articles with one slug as translations
  of each other and drops one, so a slug is unique across content/. When a
  different article already holds it, the newcomer gets a suffix made from
  its own identity (`-3f9a1c`): stable, whatever order inputs arrive in.
- **Idempotence.** An article is recognised by its `import_id`, a hash of its
  original URL or of source, headline and day. Importing it again finds the
  same file and writes nothing when nothing changed.
- **Hand edits win.** Each written source carries a `content_hash` of its own
  text. A source whose text no longer matches its hash was edited by hand
  (or written by hand, with no hash at all) and is never overwritten, unless
  the caller forces it.

`plan_save` decides (pure); `save_article` reads the index and writes.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from slugify import slugify

from generator.article import Article, has_hand_edits, render_source, write_atomic
from generator.errors import SourceError


class Outcome(enum.Enum):
    """What happened to an article's source."""

    WRITTEN = "written"
    UNCHANGED = "unchanged"
    #: Edited by hand since it was imported: left as the maintainer wrote it.
    KEPT = "kept"


@dataclass(frozen=True)
class IndexedSource:
    path: Path
    slug: str
    import_id: str


@dataclass
class SourceIndex:
    """Every source under content/, by slug and by import_id."""

    by_slug: dict[str, IndexedSource]
    by_import_id: dict[str, IndexedSource]

    @classmethod
    def scan(cls, content_dir: Path) -> SourceIndex:
        index = cls({}, {})
        for path in sorted(content_dir.rglob("*.md")):
            if not path.name.startswith("."):
                index.add(_indexed(path))
        return index

    def add(self, source: IndexedSource) -> None:
        self.by_slug[source.slug] = source
        if source.import_id:
            self.by_import_id[source.import_id] = source


def import_id(article: Article) -> str:
    """A stable identity: the original URL when known, else source, headline and day."""
    key = article.link or f"{article.source}\n{article.title}\n{article.date.date().isoformat()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def plan_save(content_dir: Path, index: SourceIndex, article: Article) -> tuple[Path, Article]:
    """Where `article` goes, and the article as it will be written there (final slug and id)."""
    identity = import_id(article)
    known = index.by_import_id.get(identity)
    if known:
        return known.path, _with(article, known.slug, identity)
    folder = content_dir / (slugify(article.source) or "articles")
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
    write_atomic(path, text)
    index.add(IndexedSource(path=path, slug=article.slug, import_id=article.import_id))
    return path, Outcome.WRITTEN


def _with(article: Article, slug: str, identity: str) -> Article:
    return replace(article, slug=slug, import_id=identity)


def _indexed(path: Path) -> IndexedSource:
    """Index entry for one source; a source whose front matter is unreadable still holds its file name."""
    text = path.read_text(encoding="utf-8", errors="replace")
    data = {}
    if text.startswith("---\n") and (end := text.find("\n---\n", 3)) != -1:
        try:
            loaded = yaml.safe_load(text[4 : end + 1])
        except yaml.YAMLError:
            loaded = None
        data = loaded if isinstance(loaded, dict) else {}
    return IndexedSource(path=path, slug=str(data.get("slug") or path.stem), import_id=str(data.get("import_id") or ""))
