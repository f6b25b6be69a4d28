"""The Pelican plugin: connects Pelican's signals to newsdigest's enrich stage.

Listed in pelicanconf.py's PLUGINS as "generator.plugin". It only adapts
Pelican's objects to the plain records of generator.enrich and back; the
decisions are made there, testable without Pelican.

Settings (defaults in `DEFAULTS`):

- NEWSDIGEST_RELATED_MAX: how many related stories an article page lists.

It also sanitises the rendered HTML of every feed item once more (the
importer already did: this holds even for a hand-edited source), gives every
article its reading time and machine-readable facts (generator.metadata), and
adds the digest's own pages (generator.pages).
"""

from __future__ import annotations

import logging
import pickle
import re
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from pelican import signals

from generator.article import write_atomic_bytes
from generator.digest import source_slug
from generator.enrich.related import HeadlineIndex, RelatedCache, StoryDoc, link_archive
from generator.ingest.text import cut_at_word
from generator.metadata import StoryFacts, news_article, reading_minutes, script_json
from generator.pages import SitePagesGenerator, absolute_base
from generator.sanitize import clean_html

log = logging.getLogger(__name__)

DEFAULTS = {"NEWSDIGEST_RELATED_MAX": 5}


def _setting(settings: dict, name: str) -> int:
    value = settings.get(name, DEFAULTS[name])
    if not isinstance(value, int) or value < 0:
        log.warning("invalid setting %s=%r: must be a whole number >= 0; using %s", name, value, DEFAULTS[name])
        return DEFAULTS[name]
    return value


def _as_list(value: object) -> list[str]:
    """Front matter edited by hand may hold one string where a list is expected."""
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def anchor_sentences(html: str, sentences: list[str]) -> tuple[str, list[str | None]]:
    """Give the paragraph holding each sentence an id ("highlight-1", ...), so a highlight can link to it.

    Returns the new HTML and each sentence's anchor (None when no paragraph holds it).
    """
    soup = BeautifulSoup(html, "html.parser")
    paragraphs = [(p, " ".join(p.get_text(" ").split())) for p in soup.find_all(["p", "li", "blockquote"])]
    anchors: list[str | None] = []
    for number, sentence in enumerate(sentences, start=1):
        wanted = " ".join(sentence.split())
        holder = next((p for p, text in paragraphs if wanted in text), None)
        if holder is None:
            anchors.append(None)
            continue
        anchor = holder.get("id") or f"highlight-{number}"
        holder["id"] = anchor
        anchors.append(anchor)
    return str(soup), anchors


def _load_cache(path: Path):
    """The previous build's related-stories cache, or None (a damaged or foreign one is ignored)."""
    try:
        with path.open("rb") as handle:
            cache = pickle.load(handle)  # our own file, in the site's cache folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return cache if isinstance(cache, RelatedCache) else None


def _save_cache(path: Path, cache) -> None:
    if cache is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic_bytes(path, pickle.dumps(cache, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as exc:
        log.warning("could not save the related-stories cache %s: %s", path, exc)


def _text_of(html: str) -> str:
    """The text of rendered HTML, for similarity: tags dropped, entities decoded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html or "")).split())


def _http_url(value: object) -> str:
    """`value` if it is an http(s) URL, else "": a "javascript:" link never reaches a page."""
    url = str(value or "").strip()
    return url if urlsplit(url).scheme.lower() in ("http", "https") else ""


def enrich_articles(generator) -> None:
    """On article_generator_finalized: attach highlights and related stories."""
    articles = list(generator.articles)
    for article in articles:
        article.highlights = _as_list(getattr(article, "highlights", None))
        article.related_headlines = _as_list(getattr(article, "related_headlines", None))
        article.contributors = _as_list(getattr(article, "contributors", None))
        article.original_url = _http_url(getattr(article, "link", ""))
        if getattr(article, "guid", None):
            # From a feed: untrusted whatever the source file now says.
            article._content = clean_html(article._content)
        anchors: list[str | None] = [None] * len(article.highlights)
        if getattr(article, "highlights_from", "") == "generated":
            article._content, anchors = anchor_sentences(article._content, article.highlights)
        article.highlight_items = list(zip(article.highlights, anchors, strict=True))
        describe(article, generator.settings)
    by_slug = {article.slug: article for article in articles}
    docs = [
        StoryDoc(
            key=article.slug,
            title=str(article.title),
            text=_text_of(article._content),
            date=article.date,
            source=str(getattr(article, "source", "") or ""),
            tags=tuple(str(tag) for tag in getattr(article, "tags", []) or []),
            pinned=tuple(_as_list(getattr(article, "related", None))),
            banned=tuple(_as_list(getattr(article, "not_related", None))),
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


def describe(article, settings: dict) -> None:
    """Reading time, a description and the facts that JSON-LD, Open Graph and the JSON Feed repeat."""
    text = _text_of(article._content)
    article.reading_minutes = reading_minutes(text)
    article.description = article.highlights[0] if article.highlights else cut_at_word(text, 200)
    article.absolute_url = f"{absolute_base(settings)}/{article.url}"
    source = str(getattr(article, "source", "") or "").strip()
    article.source_url = f"source/{source_slug(source)}/" if source else ""
    modified = getattr(article, "modified", None)
    article.facts = StoryFacts(
        url=article.absolute_url,
        title=str(article.title),
        date=article.date,
        modified=modified if modified and modified != article.date else None,
        description=article.description,
        site_name=str(settings.get("SITENAME", "")),
        section=str(article.category),
        tags=[str(tag) for tag in getattr(article, "tags", []) or []],
        authors=[str(author) for author in getattr(article, "authors", []) or []],
        source=str(getattr(article, "source", "") or ""),
        original_url=article.original_url,
        image=_http_url(getattr(article, "image", "")),
        lang=str(article.metadata.get("lang", "") or settings.get("DEFAULT_LANG", "")),
    )
    article.json_ld = script_json(news_article(article.facts))


def _site_pages_generator(pelican) -> type:
    return SitePagesGenerator


def _share_with_templates(generators) -> None:
    """Give the digest's pages the articles generator's Jinja environment (our theme, our filters),
    and every template the site's absolute address (robots.txt names the sitemap by it)."""
    for generator in generators:
        if hasattr(generator, "env") and hasattr(generator, "articles"):
            generator.context["_newsdigest_env"] = generator.env
            generator.context["NEWSDIGEST_ABSOLUTE_URL"] = absolute_base(generator.settings)


def register() -> None:
    """Pelican's plugin entry point."""
    signals.article_generator_finalized.connect(enrich_articles)
    signals.all_generators_finalized.connect(_share_with_templates)
    signals.get_generators.connect(_site_pages_generator)
