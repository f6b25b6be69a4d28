"""The build's related step: the archive's related stories and stories (generator.enrich.related).

Three ways to the same links, cheapest first:

- nothing they are made from changed (archive_fingerprint): the last build's;
- a few sources new or changed: worked out *ahead* (`work_ahead`), in a
  process started as the build starts (generator.build.links_ahead), while
  this one has Pelican read every source. It knows the rest of the archive
  from the last build (KNOWN_DOCS: what relating reads of each article, by
  its source's digest: generator.build.source_stamps) and reads only the
  new and changed sources itself. Its links count only when the archive it
  linked is, by fingerprint, the one Pelican read: a source it read
  otherwise than Pelican would (another status, a folder Pelican leaves
  out) costs the time, never a wrong link. One new story among 10,000:
  0.5 s less (median of four builds each, alternated: 5.6 s against 6.1 s);
  among 100,000, 60 s against 84 s (docs/speed.md).
- else worked out here, with the last build's model (generator.enrich.vectors).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from operator import attrgetter
from pathlib import Path

from pelican.contents import Article
from pelican.readers import Readers

from generator.article import read_pickle, write_pickle
from generator.build.links_ahead import AHEAD, AHEAD_SUFFIX, KNOWN_DOCS, LINKS_CACHE, MODEL_CACHE, MOST_READ_AHEAD
from generator.build.reader import FrontMatterReader
from generator.build.story import body_and_metadata, first_seen, page_siteurl
from generator.enrich.body import as_list
from generator.enrich.related import (
    ArchiveLinks,
    LanguageModel,
    RelatedCache,
    StoryDoc,
    archive_fingerprint,
    link_archive,
)
from generator.enrich.tfidf import FittedTfidf

log = logging.getLogger(__name__)

#: The order of the archive the process working ahead knows how to follow (Pelican's default).
NEWEST_FIRST = "reversed-date"


def story_doc(article, content: str, metadata: Mapping, fingerprint: str = "") -> StoryDoc:
    """What relating reads of one of Pelican's articles, its body and metadata (body_and_metadata);
    `fingerprint`: the one it had when its source was last read, if known."""
    return StoryDoc(
        key=article.slug,
        title=str(article.title),
        html=content,
        date=article.date,
        source=str(metadata.get("source", "") or ""),
        tags=tuple(str(tag) for tag in getattr(article, "tags", []) or []),
        pinned=tuple(as_list(metadata.get("related"))),
        banned=tuple(as_list(metadata.get("not_related"))),
        lang=str(metadata.get("lang", "") or ""),
        dated=not first_seen(metadata),
        known_fingerprint=fingerprint,
    )


def archive_links(docs: list[StoryDoc], sources: list[str], settings: dict, meanwhile: Callable[[], object]):
    """The archive's related stories and stories; `sources`: each doc's source path. `meanwhile` is
    called once (generator.enrich.related.link_archive)."""
    limit = settings["NEWSDIGEST_RELATED_MAX"]
    cache_path = Path(settings.get("CACHE_PATH", "cache"))
    fingerprint = archive_fingerprint(docs, limit)
    ahead = settings.get(AHEAD) or {}
    process, digests = ahead.get("process"), ahead.get("digests")
    taken = process is not None and process.take(fingerprint)
    last = read_pickle(cache_path / LINKS_CACHE)
    if isinstance(last, tuple) and len(last) == 2 and last[0] == fingerprint and isinstance(last[1], ArchiveLinks):
        if not taken and digests is not None and not (cache_path / KNOWN_DOCS).is_file():
            _save_known_docs(cache_path, docs, sources, digests)
        meanwhile()
        return last[1]
    links = link_archive(docs, limit, load_model(cache_path / MODEL_CACHE), meanwhile)
    _save(cache_path / MODEL_CACHE, links.cache)
    _save(cache_path / LINKS_CACHE, (fingerprint, replace(links, cache=None)))
    if digests is not None:
        _save_known_docs(cache_path, docs, sources, digests)
    return links


def load_model(path: Path) -> RelatedCache | None:
    """The previous build's related-stories model, or None (a damaged, foreign or older one is
    ignored: an older one held scikit-learn's vectorizers, not FittedTfidf, or other fields)."""
    cache = read_pickle(path)
    if not _made_now(cache, RelatedCache):
        return None
    models = cache.models.values()
    # Before, a model's candidates were lists by key: with these fields, of another shape.
    if not all(_made_now(model, LanguageModel) and isinstance(model.candidates, list) for model in models):
        return None
    fitted = all(
        vectorizer is None or _made_now(vectorizer, FittedTfidf) for model in models for vectorizer in model.vectorizers
    )
    return cache if fitted else None


def _made_now(value: object, kind: type) -> bool:
    """Whether `value`, unpickled, is a `kind` (a dataclass) with the fields `kind` has today."""
    return isinstance(value, kind) and vars(value).keys() == {f.name for f in fields(kind)}


def _save(path: Path, value) -> None:
    if value is None:
        return
    try:
        write_pickle(path, value)
    except OSError as exc:
        log.warning("could not save the related-stories cache %s: %s", path, exc)


class NotKept(Exception):
    """The body of an article known from the last build was asked for: only the whole archive
    modelled again reads it, and that is not worked out ahead."""


@dataclass(frozen=True)
class KnownDoc(StoryDoc):
    """An article as the last build's relating read it: all but its body, and the fingerprint it had."""

    @property
    def body(self) -> str:
        raise NotKept(self.key)


def known(doc: StoryDoc) -> KnownDoc:
    """`doc` without its body."""
    kept = {
        f.name: getattr(doc, f.name) for f in fields(StoryDoc) if f.name not in ("text", "html", "known_fingerprint")
    }
    return KnownDoc(**kept, known_fingerprint=doc.fingerprint)


def _without_body(doc: StoryDoc | None) -> KnownDoc | None:
    return doc if doc is None or isinstance(doc, KnownDoc) else known(doc)


def _save_known_docs(cache_path: Path, docs: Sequence[StoryDoc], sources: Sequence[str], digests: Mapping) -> None:
    """Each source of this build by its digest, with what relating read of it (None for a page, a
    draft, a file that is not a source), for the next build's LinksAhead."""
    of_source = dict(zip(sources, docs, strict=True))
    entries = {}
    for path, (_, digest) in digests.items():
        doc = of_source.get(path)
        entries[path] = (digest, None if doc is None else known(doc))
    _save(cache_path / KNOWN_DOCS, entries)


def work_ahead(settings: dict, digests: Mapping) -> str | None:
    """In the process working ahead: the fingerprint of the archive it linked, once its files are
    written; None when it did not."""
    logging.disable(logging.CRITICAL)  # any error is Pelican's to report, when it reads the source
    try:
        return _link_ahead(settings, digests)
    except Exception:  # any failure: the build works the links out itself
        return None


def _link_ahead(settings: dict, digests: Mapping) -> str | None:
    cache_path = Path(settings.get("CACHE_PATH", "cache"))
    entries = read_pickle(cache_path / KNOWN_DOCS)
    if not isinstance(entries, dict) or settings.get("ARTICLE_ORDER_BY") != NEWEST_FIRST:
        return None
    changed = [path for path, (_, digest) in digests.items() if entries.get(path, (None,))[0] != digest]
    if len(changed) > MOST_READ_AHEAD:
        return None
    reader = _ArticleReader(settings)
    now = {path: entries[path] for path in digests.keys() & entries.keys()}
    read = {path: (digests[path][1], reader.doc(path)) for path in changed}
    now.update(read)
    docs = [now[path][1] for path in sorted(now) if now[path][1] is not None]
    docs.sort(key=attrgetter("date"), reverse=True)  # Pelican's order: by path, then newest first
    limit = settings["NEWSDIGEST_RELATED_MAX"]
    fingerprint = archive_fingerprint(docs, limit)
    last = read_pickle(cache_path / LINKS_CACHE)
    if not (isinstance(last, tuple) and len(last) == 2 and last[0] == fingerprint):
        try:
            links = link_archive(docs, limit, load_model(cache_path / MODEL_CACHE))
        except NotKept:
            return None
        _save(cache_path / (MODEL_CACHE + AHEAD_SUFFIX), links.cache)
        _save(cache_path / (LINKS_CACHE + AHEAD_SUFFIX), (fingerprint, replace(links, cache=None)))
    # Known without their bodies: those of the last build's record already (0.5 s for 100,000 again).
    now.update({path: (digest, _without_body(doc)) for path, (digest, doc) in read.items()})
    _save(cache_path / (KNOWN_DOCS + AHEAD_SUFFIX), now)
    return fingerprint


class _ArticleReader:
    """A new or changed source read as Pelican's article generator reads it, into a StoryDoc; None
    for what would not be a published article there (a page, a draft, a file no reader takes)."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.root = settings["PATH"]
        self.readers = Readers(settings)  # no cache name: Pelican's content cache is left alone
        for extension in FrontMatterReader.file_extensions:
            self.readers.readers[extension] = FrontMatterReader(settings)

    def doc(self, path: str) -> StoryDoc | None:
        relative = os.path.relpath(path, self.root)
        if not self._an_article_source(relative):
            return None
        try:
            article = self.readers.read_file(base_path=self.root, path=relative, content_class=Article, context={})
            if not isinstance(article, Article) or not article.is_valid() or article.status != "published":
                return None
            return story_doc(article, *body_and_metadata(article, page_siteurl(article, self.settings)))
        except Exception:  # Pelican reports it, and leaves it out of the archive
            return None

    def _an_article_source(self, relative: str) -> bool:
        """Under ARTICLE_PATHS, not ARTICLE_EXCLUDES, read by a reader (as Pelican's get_files)."""
        parts = Path(relative).parts

        def under(folders) -> bool:
            return any(parts[: len(Path(folder).parts)] == Path(folder).parts for folder in folders)

        extension = os.path.splitext(relative)[1].lstrip(".")
        return (
            under(self.settings["ARTICLE_PATHS"])
            and not under(self.settings["ARTICLE_EXCLUDES"])
            and extension in self.readers.extensions
        )
