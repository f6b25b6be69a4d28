"""The Pelican plugin: connects Pelican's signals to newsdigest's enrich stage.

Listed in pelicanconf.py's PLUGINS as "generator.plugin". It only adapts
Pelican's objects to the plain records of generator.enrich and back; the
decisions are made there, testable without Pelican.

Settings (defaults in `DEFAULTS`):

- NEWSDIGEST_RELATED_MAX: how many related stories an article page lists.

An article's own enrichment (sanitised feed HTML, highlight anchors, reading
time, description: generator.enrich.body) is done as Pelican reads it
(generator.reader). Here every article also gets its URL and machine-readable
facts (generator.article_cache, kept between builds), tag, category and author
pages are written without a scan per page (generator.listings), and the
digest's own pages are added (generator.pages).
"""

from __future__ import annotations

import functools
import logging
import pickle
from dataclasses import fields
from operator import attrgetter
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.utils import order_content

from generator.article import read_pickle, write_atomic_bytes
from generator.article_cache import ArticleCache, http_url
from generator.enrich.body import as_list, enrich_body
from generator.enrich.related import HeadlineIndex, RelatedCache, StoryDoc, link_archive
from generator.incremental import SkippingWriter, fingerprint, hash_text
from generator.listings import write_listings_directly
from generator.pages import SitePagesGenerator, absolute_base
from generator.reader import use_front_matter_reader

log = logging.getLogger(__name__)

DEFAULTS = {"NEWSDIGEST_RELATED_MAX": 5}


def _setting(settings: dict, name: str) -> int:
    value = settings.get(name, DEFAULTS[name])
    if not isinstance(value, int) or value < 0:
        log.warning("invalid setting %s=%r: must be a whole number >= 0; using %s", name, value, DEFAULTS[name])
        return DEFAULTS[name]
    return value


def _load_cache(path: Path):
    """The previous build's related-stories cache, or None (a damaged, foreign or older one is ignored)."""
    cache = read_pickle(path)
    current = isinstance(cache, RelatedCache) and vars(cache).keys() == {f.name for f in fields(RelatedCache)}
    return cache if current else None


def _save_cache(path: Path, cache) -> None:
    if cache is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic_bytes(path, pickle.dumps(cache, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as exc:
        log.warning("could not save the related-stories cache %s: %s", path, exc)


def enrich_articles(generator) -> None:
    """On article_generator_finalized: attach highlights and related stories."""
    articles = list(generator.articles)
    known = ArticleCache(generator.settings)
    for article in articles:
        article.highlights = as_list(getattr(article, "highlights", None))
        article.related_headlines = as_list(getattr(article, "related_headlines", None))
        article.contributors = as_list(getattr(article, "contributors", None))
        article.original_url = http_url(getattr(article, "link", ""))
        if not hasattr(article, "reading_minutes"):  # not read by generator.reader (not Markdown)
            article._content, own = enrich_body(article._content, article.metadata)
            for name, value in own.items():
                setattr(article, name, value)
        anchors = article.highlight_anchors
        article.highlight_items = list(zip(article.highlights, anchors[: len(article.highlights)], strict=True))
        known.describe(article)
    known.save()
    by_slug = {article.slug: article for article in articles}
    docs = [
        StoryDoc(
            key=article.slug,
            title=str(article.title),
            html=article._content,
            date=article.date,
            source=str(getattr(article, "source", "") or ""),
            tags=tuple(str(tag) for tag in getattr(article, "tags", []) or []),
            pinned=tuple(as_list(getattr(article, "related", None))),
            banned=tuple(as_list(getattr(article, "not_related", None))),
            lang=str(article.metadata.get("lang", "")),
        )
        for article in articles
    ]
    cache_file = Path(generator.settings.get("CACHE_PATH", "cache")) / "newsdigest-related.pickle"
    links = link_archive(docs, _setting(generator.settings, "NEWSDIGEST_RELATED_MAX"), _load_cache(cache_file))
    _save_cache(cache_file, links.cache)
    headlines = HeadlineIndex({article.slug: str(article.title) for article in articles})
    for article in articles:
        article.related_stories = [(by_slug[link.key], link.reason) for link in links.related.get(article.slug, ())]
        article.other_coverage = [by_slug[key] for key in links.coverage.get(article.slug, ())]
        # A day's digest shows a story once (generator.digest): one key per story.
        article.story_key = min([article.slug, *links.coverage.get(article.slug, ())])
        article.related_headline_items = [
            (headline, by_slug[key] if key else None)
            for headline, key in headlines.resolve(article.related_headlines, exclude=article.slug)
        ]
    for article in articles:
        article.fingerprint = _fingerprint(article)
        article.listing_fingerprint = _listing_fingerprint(article)


def order_ties_by_path(generator) -> None:
    """On article_generator_pretaxonomy: articles of the same date in the same order on every build.

    Pelican collects sources in a set, whose order changes with each run's
    hash seed, and sorts them by date: two stories of the same minute swapped
    places from one build to the next, and every list holding them was
    rendered again. Sorted by source path first, then in Pelican's own order.
    """
    order = generator.settings["ARTICLE_ORDER_BY"]
    for name in ("articles", "hidden_articles", "drafts"):
        setattr(generator, name, order_content(sorted(getattr(generator, name), key=attrgetter("source_path")), order))


_FROZEN: dict[type, type] = {}


def _freeze_urls(content) -> None:
    """On content_object_init, for articles: work out the URL and output path once.

    Pelican's `url` and `save_as` format them from the settings on every
    access (its check of a new article's output path, then pages, tens of
    thousands of times: related stories, lists). Nothing changes them once
    Pelican has made the article.
    """
    if not isinstance(content, Article):
        return
    cls = type(content)
    if cls not in _FROZEN:
        frozen = {name: functools.cached_property(getattr(cls, name).fget) for name in ("url", "save_as")}
        _FROZEN[cls] = type(cls.__name__, (cls,), frozen)
    content.__class__ = _FROZEN[cls]


def _fingerprint(article) -> str:
    """Everything of an article that a page showing it may print: its page is rendered again when this changes."""

    def shown(other) -> str:
        return f"{other.url}\0{other.title}\0{getattr(other, 'source', '')}\0{other.date.isoformat()}"

    parts = [
        article.search_fingerprint,
        repr([(shown(other), reason) for other, reason in article.related_stories]),
        repr([shown(other) for other in article.other_coverage]),
        repr([(headline, shown(other) if other else None) for headline, other in article.related_headline_items]),
        article.json_ld,
        article.source_url,
    ]
    return hash_text(parts)


def _listing_fingerprint(article) -> str:
    """What a list of stories shows of an article (theme/templates/_macros.html's story_list, archives)."""
    parts = [
        article.url,
        str(article.title),
        str(getattr(article, "source", "")),
        article.source_url,
        article.date.isoformat(),
        str(article.category),
        repr(article.highlights),
        article.description,
        repr([(other.url, str(other.title), str(getattr(other, "source", ""))) for other in article.other_coverage]),
    ]
    return hash_text(parts)


def fingerprint_pages(generator) -> None:
    """On page_generator_finalized: pages (About, ...) are fingerprinted by their text and metadata."""
    for page in generator.pages:
        page.fingerprint = page.listing_fingerprint = fingerprint(page.slug, page._content, dict(page.metadata))


def _site_pages_generator(pelican) -> type:
    return SitePagesGenerator


def _skipping_writer(pelican) -> type:
    return SkippingWriter


def _share_with_templates(generators) -> None:
    """Give the digest's pages the articles generator's Jinja environment (our theme, our filters),
    and every template the site's absolute address (robots.txt names the sitemap by it)."""
    for generator in generators:
        if hasattr(generator, "env") and hasattr(generator, "articles"):
            generator.context["_newsdigest_env"] = generator.env
            generator.context["NEWSDIGEST_ABSOLUTE_URL"] = absolute_base(generator.settings)


def register() -> None:
    """Pelican's plugin entry point."""
    signals.readers_init.connect(use_front_matter_reader)
    signals.content_object_init.connect(_freeze_urls)
    signals.article_generator_pretaxonomy.connect(order_ties_by_path)
    signals.article_generator_finalized.connect(enrich_articles)
    signals.article_generator_finalized.connect(write_listings_directly)
    signals.all_generators_finalized.connect(_share_with_templates)
    signals.page_generator_finalized.connect(fingerprint_pages)
    signals.get_generators.connect(_site_pages_generator)
    signals.get_writer.connect(_skipping_writer)
