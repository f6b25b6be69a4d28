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

import functools
import hashlib
import logging
import pickle
import re
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals

from generator.article import read_pickle, write_atomic_bytes
from generator.digest import source_slug
from generator.enrich.related import HeadlineIndex, RelatedCache, StoryDoc, link_archive
from generator.incremental import SkippingWriter, fingerprint
from generator.ingest.text import cut_at_word
from generator.metadata import StoryFacts, news_article, reading_minutes, script_json
from generator.pages import SitePagesGenerator, absolute_base
from generator.reader import use_front_matter_reader
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


#: A block of Markdown's HTML that can hold a highlight: its tag, attributes, inner HTML.
_BLOCK = re.compile(r"<(p|li|blockquote)\b([^>]*)>(.*?)</\1>", re.DOTALL)
_ID = re.compile(r'\bid="([^"]*)"')


def anchor_sentences(html: str, sentences: list[str]) -> tuple[str, list[str | None]]:
    """Give the paragraph holding each sentence an id ("highlight-1", ...), so a highlight can link to it.

    Returns the new HTML (unchanged but for the ids) and each sentence's
    anchor (None when no paragraph holds it). A regular expression over
    Markdown's own output, not a parser: this runs for thousands of articles.
    """
    blocks = [(match, " ".join(_text_of(match.group(3)).split())) for match in _BLOCK.finditer(html)]
    chosen: dict[int, tuple[re.Match, str]] = {}  # block start -> (block, its id)
    anchors: list[str | None] = []
    for number, sentence in enumerate(sentences, start=1):
        wanted = " ".join(sentence.split())
        holder = next((match for match, text in blocks if wanted in text), None)
        if holder is None:
            anchors.append(None)
            continue
        if holder.start() not in chosen:
            existing = _ID.search(holder.group(2))
            chosen[holder.start()] = (holder, existing.group(1) if existing else f"highlight-{number}")
        anchors.append(chosen[holder.start()][1])
    for start in sorted(chosen, reverse=True):  # from the end, so earlier offsets stay valid
        holder, anchor = chosen[start]
        if not _ID.search(holder.group(2)):
            html = f'{html[: holder.start(2)]} id="{anchor}"{html[holder.start(2) :]}'
    return html, anchors


def _load_cache(path: Path):
    """The previous build's related-stories cache, or None (a damaged or foreign one is ignored)."""
    cache = read_pickle(path)
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


class _MembershipList(list):
    """A list of articles whose `in` is a set lookup.

    Pelican writes each tag and category page after `[a for a in dates if a in
    articles]`: a scan of the whole archive per tag, against that tag's list
    (about 5 s for 300 tags at 10,000 articles). Same order, same list.
    """

    def __contains__(self, item: object) -> bool:
        if not hasattr(self, "_ids"):
            self._ids = {id(member) for member in self}
        return id(item) in self._ids


def _fast_membership(generator) -> None:
    for tag, tagged in list(generator.tags.items()):
        generator.tags[tag] = _MembershipList(tagged)
    for terms in (generator.categories, generator.authors):
        terms[:] = [(term, _MembershipList(members)) for term, members in terms]


def enrich_articles(generator) -> None:
    """On article_generator_finalized: attach highlights and related stories."""
    _fast_membership(generator)
    articles = list(generator.articles)
    for article in articles:
        _freeze_urls(article)
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
        article.plain_text = _text_of(article._content)  # once: for the description, reading time and similarity
        describe(article, generator.settings)
    by_slug = {article.slug: article for article in articles}
    docs = [
        StoryDoc(
            key=article.slug,
            title=str(article.title),
            text=article.plain_text,
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
    for article in articles:
        article.search_fingerprint = _search_fingerprint(article)
        article.fingerprint = _fingerprint(article)
        article.listing_fingerprint = _listing_fingerprint(article)


_FROZEN: dict[type, type] = {}


def _freeze_urls(content) -> None:
    """Work out the content's URL and output path once: Pelican's `url` and `save_as` format them
    from the settings on every access, and pages ask tens of thousands of times (related
    stories, lists). Nothing changes them once Pelican has read the article."""
    cls = type(content)
    if cls not in _FROZEN:
        frozen = {name: functools.cached_property(getattr(cls, name).fget) for name in ("url", "save_as")}
        _FROZEN[cls] = type(cls.__name__, (cls,), frozen)
    content.__class__ = _FROZEN[cls]


def _hash(parts: list[str]) -> str:
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _search_fingerprint(article) -> str:
    """What the search index holds of an article (its page's `data-pagefind-body`): the article's own
    text and metadata, never its links to others (generator.search re-indexes a month when it changes).

    The text form of plain values and Pelican's own objects (a Tag prints its
    name), hashed: this runs for every article on every build.
    """
    return _hash(
        [
            article.url,
            article._content,
            repr(sorted((key, str(value)) for key, value in article.metadata.items())),
            repr(article.highlight_items),
        ]
    )


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
    return _hash(parts)


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
    return _hash(parts)


def fingerprint_pages(generator) -> None:
    """On page_generator_finalized: pages (About, ...) are fingerprinted by their text and metadata."""
    for page in generator.pages:
        page.fingerprint = page.listing_fingerprint = fingerprint(page.slug, page._content, dict(page.metadata))


def describe(article, settings: dict) -> None:
    """Reading time, a description and the facts that JSON-LD, Open Graph and the JSON Feed repeat."""
    text = article.plain_text
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
    signals.article_generator_finalized.connect(enrich_articles)
    signals.all_generators_finalized.connect(_share_with_templates)
    signals.page_generator_finalized.connect(fingerprint_pages)
    signals.get_generators.connect(_site_pages_generator)
    signals.get_writer.connect(_skipping_writer)
