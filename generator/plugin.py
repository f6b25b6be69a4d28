"""The Pelican plugin: connects Pelican's signals to newsdigest's enrich stage.

Listed in pelicanconf.py's PLUGINS as "generator.plugin". It only adapts
Pelican's objects to the plain records of generator.enrich and back; the
decisions are made there, testable without Pelican.

Settings (defaults in `DEFAULTS`):

- NEWSDIGEST_RELATED_MAX: how many related stories an article page lists.

It also sanitises the rendered HTML of every feed item once more (the
importer already did: this holds even for a hand-edited source), and adds a
Sources page made from content/_feeds/health.json.
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
from generator.enrich.related import HeadlineIndex, RelatedCache, StoryDoc, link_archive
from generator.feeds.run import FAILING_FLAG_AFTER
from generator.feeds.state import load_health, source_rows
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
        # The front page shows a story once: under its newest article.
        article.story_lead = all(other.date <= article.date for other in article.other_coverage)
        article.related_headline_items = [
            (headline, by_slug[key] if key else None)
            for headline, key in headlines.resolve(article.related_headlines, exclude=article.slug)
        ]


class SourcesPageGenerator:
    """Writes sources/index.html: every feed's health, from content/_feeds/health.json."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context, self.settings, self.content_path = context, settings, Path(path)

    def generate_output(self, writer) -> None:
        health = load_health(self.content_path)
        if not health:
            return
        writer.write_file(
            "sources/index.html",
            self.get_template("sources"),
            self.context,
            sources=source_rows(health, FAILING_FLAG_AFTER),
            relative_urls=self.settings["RELATIVE_URLS"],
        )

    def get_template(self, name: str):
        return self.context["_newsdigest_env"].get_template(f"{name}.html")


def _sources_generator(pelican) -> type:
    return SourcesPageGenerator


def _keep_template_env(generators) -> None:
    """Share the articles generator's Jinja environment (our theme, our filters) with the Sources page."""
    for generator in generators:
        if hasattr(generator, "env") and hasattr(generator, "articles"):
            generator.context["_newsdigest_env"] = generator.env
            generator.context["NEWSDIGEST_HAS_SOURCES"] = bool(load_health(Path(generator.path)))


def register() -> None:
    """Pelican's plugin entry point."""
    signals.article_generator_finalized.connect(enrich_articles)
    signals.all_generators_finalized.connect(_keep_template_env)
    signals.get_generators.connect(_sources_generator)
