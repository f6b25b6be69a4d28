"""The Pelican plugin: connects Pelican's signals to newsdigest's build.

Listed in pelicanconf.py's PLUGINS as "generator.build.plugin". It adapts
Pelican's objects to the plain records of generator.enrich and back; the
decisions are made there and in generator.build.story, testable without
Pelican.

An article's own enrichment (sanitised feed HTML, highlight anchors, reading
time, description: generator.enrich.body) is done as Pelican reads it
(generator.build.reader). Here, once every article is read, the related
stories and stories are worked out over the archive (generator.enrich.related)
and every article gets its one record, `article.story`
(generator.build.story): the only attribute newsdigest sets on Pelican's
objects, and all that templates read of a story. Tag, category and author
pages are written without a scan per page (generator.build.listings), the
digest's own pages are added (generator.build.pages), and pages whose
records did not change are skipped (generator.build.incremental).
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import replace
from operator import attrgetter
from typing import ClassVar

from pelican import signals
from pelican.contents import Article
from pelican.generators import PelicanTemplateNotFound
from pelican.utils import order_content

from generator.build.article_cache import ArticleCache, Known
from generator.build.carried import NO_STORY, CarriedFingerprints, inputs_of
from generator.build.incremental import SkippingWriter, note_static_outputs
from generator.build.listings import StoryItems, write_listings_directly
from generator.build.pages import SitePagesGenerator
from generator.build.reader import use_front_matter_reader
from generator.build.related_step import archive_links, story_doc
from generator.build.site_parts import SiteParts
from generator.build.source_stamps import file_time
from generator.build.story import Terms, body_and_metadata, card_record, link_to, page_siteurl, story_record
from generator.enrich.body import as_list
from generator.enrich.related import HeadlineIndex
from generator.errors import SettingsError, SourceError
from generator.settings import absolute_base, refused, resolve

log = logging.getLogger(__name__)


def enrich_articles(generator) -> None:
    """On article_generator_finalized: give every article its record (generator.build.story)."""
    settings = generator.settings
    published = list(generator.articles)
    unlisted = [*generator.hidden_articles, *generator.drafts]
    check_before_writing(generator, [*published, *unlisted])
    known = StoryArticle.known or ArticleCache(settings)
    bodies = {
        id(article): body_and_metadata(article, page_siteurl(article, settings)) for article in [*published, *unlisted]
    }
    doc_of = {
        id(article): story_doc(article, *bodies[id(article)], known.doc_fingerprint(article.source_path))
        for article in published
    }
    docs = list(doc_of.values())
    read = {}

    def describe() -> None:
        """What each article alone gives (generator.build.article_cache): worked out while the
        related step waits for a model fitted in another process, if it does."""
        for article in [*published, *unlisted]:
            content, metadata = bodies[id(article)]
            own = known.describe(article, content, metadata, doc_of.get(id(article)))
            read[id(article)] = (content, metadata, own)
        known.save()

    links = archive_links(docs, [article.source_path for article in published], settings, meanwhile=describe)
    headlines = HeadlineIndex({article.slug: str(article.title) for article in published})
    terms = Terms()
    cards = {}
    for article in published:
        content, metadata, own = read[id(article)]
        # A day's digest shows a story once (generator.build.digest): one key per story.
        story_key = min([article.slug, *links.coverage.get(article.slug, ())])
        cards[article.slug] = card_record(article, own, metadata, terms, story_key=story_key)
    # One Link per story, shared by every page that links to it: its fingerprint is worked out once.
    link_of = {key: link_to(card) for key, card in cards.items()}
    carried = CarriedFingerprints(settings)
    stamps = {article.slug: known.stamp(article.source_path) for article in published}
    for article in published:
        content, metadata, own = read[id(article)]
        coverage_keys = links.coverage.get(article.slug, ())
        coverage = tuple(link_of[key] for key in coverage_keys)
        related_links = links.related.get(article.slug, ())
        related = tuple((link_of[other.key], other.reason) for other in related_links)
        named = headlines.resolve(as_list(metadata.get("related_headlines")), exclude=article.slug)
        related_headlines = tuple((headline, link_of[key] if key else None) for headline, key in named)
        card = replace(cards[article.slug], coverage=coverage) if coverage else cards[article.slug]
        article.story = story_record(article, content, metadata, own, card, terms, related, related_headlines)
        made_of = [
            *((("coverage", key), stamps[key]) for key in coverage_keys),
            *((("related", other.key, other.reason), stamps[other.key]) for other in related_links),
            *((("named", headline, key or ""), stamps[key] if key else NO_STORY) for headline, key in named),
        ]
        carried.carry(article.source_path, inputs_of(("listed", stamps[article.slug]), made_of), article.story)
    for article in unlisted:  # hidden or a draft: its own page only, linked from nowhere
        content, metadata, own = read[id(article)]
        named = tuple((headline, None) for headline in as_list(metadata.get("related_headlines")))
        card = card_record(article, own, metadata, terms)
        article.story = story_record(article, content, metadata, own, card, terms, (), named)
        carried.carry(
            article.source_path, inputs_of((article.status, known.stamp(article.source_path)), ()), article.story
        )
    carried.save()
    _article_pages_first(generator, carried.changed)


def _article_pages_first(generator, changed: set[str]) -> None:
    """The article pages written before the generator's feeds and lists, and those of each month
    that holds a changed story before the others.

    The search index is made a month at a time, once the writer has been past
    every page of the month (generator.build.search), and Pelican writes the
    feeds first, then the articles newest first: a new story of an older month
    waited for every later month's pages to be checked (0.3 to 0.7 s of one
    new article at 10,000 stories), its month's index last of the build, and
    every month waited for the feeds (0.16 s). Order of writing only: each
    page and feed is what it would be.
    """
    write_feeds, write_pages = generator.generate_feeds, generator.generate_pages

    def generate_pages(writer) -> None:
        write_pages(writer)
        write_feeds(writer)

    generator.generate_feeds = lambda writer: None  # written with the pages, after them
    generator.generate_pages = generate_pages
    months = {_month(article) for article in generator.articles if article.source_path in changed}
    if not months:
        return
    write_articles = generator.generate_articles

    def generate_articles(write) -> None:
        articles = generator.articles
        generator.articles = sorted(articles, key=lambda article: _month(article) not in months)
        try:
            write_articles(write)
        finally:
            generator.articles = articles

    generator.generate_articles = generate_articles


def _month(article) -> tuple[int, int]:
    return article.date.year, article.date.month


def check_before_writing(generator, articles: list) -> None:
    """Hand edits Pelican reads but cannot build, refused before anything is written (output/
    is never left half written): two sources with one address, a template the theme lacks."""
    first: dict[str, str] = {}
    using: dict[str, str] = {}  # each template named, by the first source naming it
    for article in articles:
        if not article.save_as:
            continue  # a draft (DRAFT_SAVE_AS = ""): not written
        earlier = first.setdefault(article.save_as, article.source_path)
        if earlier != article.source_path:
            raise SourceError(
                article.source_path,
                f"has the address {article.url} of {earlier}; give one of them another `slug` (or date)",
            )
        using.setdefault(article.template, article.source_path)
    for template, source_path in using.items():
        try:
            generator.get_template(template)
        except PelicanTemplateNotFound as exc:
            raise SourceError(
                source_path, f"`template: {template}` is not a template of the theme; remove the field"
            ) from exc


class StoryArticle(Article):
    """Pelican's Article, its `url` and `save_as` worked out once, or taken from the last build.

    Pelican formats both from the settings on every access: four to five
    times an article in a build (its checks, its writer, our records),
    about 1.5 s at 10,000 articles. Nothing changes them once Pelican has
    made the article, and for an unchanged source they are what the last
    build worked out (`known`: generator.build.article_cache, opened for
    each build as Pelican starts). Its check that the page stays inside
    output/ was passed then too, and its path under the content folder is
    the text after the folder's (Pelican's os.path.relpath, twice an
    article: 0.2 s of a rebuild at 10,000 between them). A class of its own
    (not a patch on Pelican's), so that it pickles.
    """

    #: This build's cache of what each article alone gives; None outside a build.
    known: ClassVar[ArticleCache | None] = None

    def _known(self) -> Known | None:
        """What the last build worked out for this article's unchanged source, or None."""
        return self.known.known_for(self.source_path) if self.known else None

    @functools.cached_property
    def url(self) -> str:
        known = self._known()
        return known.url if known else Article.url.fget(self)

    @functools.cached_property
    def save_as(self) -> str:
        known = self._known()
        return known.save_as if known else Article.save_as.fget(self)

    def _has_valid_save_as(self) -> bool:
        known = self._known()
        return known is not None or super()._has_valid_save_as()  # its save_as is the known one

    def _update_content(self, content: str, siteurl: str) -> str:
        """Pelican's, which resolves a body's links to other content of the site ("{filename}/a.md")
        for the page's SITEURL: a search of every body on every build (0.3 s at 100,000 stories).
        The body of a source the last build found none in (generator.build.article_cache) is itself."""
        known = self._known()
        if known is not None and not known.links_within and content is self._content:
            return content
        return super()._update_content(content, siteurl)

    def get_static_links(self) -> set[str]:
        """Pelican's, which searches every body for links to static files ("{static}/chart.png")
        on every build: 0.3 s at 100,000 stories. Such a link names "static" or "attach" (what
        Pelican keeps of its matches), so a body holding neither word has none."""
        content = self._content
        if isinstance(content, str) and "static" not in content and "attach" not in content:
            return set()
        return super().get_static_links()

    def get_relative_source_path(self, source_path: str | None = None) -> str | None:
        path = source_path or self.source_path
        folder = _content_folder(self.settings["PATH"])
        if os.sep == "/" and path and path.startswith(folder) and "/." not in path and "//" not in path:
            return path[len(folder) :]  # an absolute path under the folder, normalised as Pelican gives it
        return super().get_relative_source_path(source_path)


@functools.lru_cache(maxsize=8)
def _content_folder(path: str) -> str:
    """The content folder as the start of its sources' absolute paths ("/site/content/")."""
    return os.path.join(os.path.abspath(path), "")


def _story_articles(generator) -> None:
    """On article_generator_init: the generator's articles are made StoryArticles from the start.

    Made as Pelican's Article and changed after (on content_object_init), each
    took Pelican's own path under the content folder (os.path.relpath) and a
    signal's call to a receiver: 1.8 s of one new article at 100,000 stories.
    Pelican names the class it makes as it reads each source; here that name
    is ours for its Article, and only for it (a page, or another plugin's
    class, is made as asked)."""
    read_file = generator.readers.read_file

    def read_as_story(*args, content_class=Article, **kwargs):
        return read_file(*args, content_class=StoryArticle if content_class is Article else content_class, **kwargs)

    generator.readers.read_file = read_as_story


def order_ties_by_path(generator) -> None:
    """On article_generator_pretaxonomy: articles of the same date in the same order on every build.

    Pelican collects sources in a set, whose order changes with each run's
    hash seed, and sorts them by date: two stories of the same minute swapped
    places from one build to the next, and every list holding them was
    rendered again. Sorted by source path first, then in Pelican's own order.

    Pelican has just sorted them by ARTICLE_ORDER_BY: for an attribute's name,
    only each run of equal values is sorted, by path (two sorts of 100,000
    stories, comparing dates with their time zones, took 0.5 s).
    """
    order = generator.settings["ARTICLE_ORDER_BY"]
    attribute = order.removeprefix("reversed-") if isinstance(order, str) else ""

    def ordered(content: list) -> list:
        if attribute and attribute != "basename":
            try:
                return _runs_by_path(content, attrgetter(attribute))
            except AttributeError:  # Pelican then orders by slug: left to it
                pass
        return order_content(sorted(content, key=attrgetter("source_path")), order)

    generator.articles = ordered(generator.articles)
    generator.hidden_articles = ordered(generator.hidden_articles)
    generator.drafts = ordered(generator.drafts)


def _runs_by_path(content: list, key) -> list:
    """`content`, already sorted by `key`, with each run of equal keys sorted by source path."""
    keys = [key(item) for item in content]
    ordered, start = [], 0
    for end in range(1, len(content) + 1):
        if end == len(content) or keys[end] != keys[start]:
            run = content[start:end]
            ordered += sorted(run, key=attrgetter("source_path")) if len(run) > 1 else run
            start = end
    return ordered


def use_newsdigest_settings(pelican) -> None:
    """On initialized: every NEWSDIGEST_* setting resolved once (generator.settings), and settings
    newsdigest cannot build with refused."""
    reason = refused(pelican.settings)
    if reason:
        raise SettingsError("pelicanconf.py", reason)
    pelican.settings.update(resolve(pelican.settings))
    StoryArticle.known = ArticleCache(pelican.settings)


def _no_lookups_in_an_unused_cache(generator) -> None:
    """On article_generator_init: Pelican's cache of whole article objects (CONTENT_CACHING_LAYER
    "generator", refused by generator.settings) holds nothing, yet its generator looks each source
    up in it and stores each there, reading the file's time for both: two of the five times a build
    reads per source (0.1 s at 10,000, 1 s at 100,000), for nothing."""
    if generator.settings.get("CONTENT_CACHING_LAYER") != "generator":
        generator.get_cached_data = lambda filename, default=None: default
        generator.cache_data = lambda filename, data: None


def _no_walk_for_disabled_readers(generator) -> None:
    """On article_generator_init: Pelican walks the article folders once more to warn of each file
    a disabled reader (one whose library is missing) would have read, asking of every source
    whether its extension is one of them: 0.5 s at 100,000 sources, for no answer when none is."""
    if not generator.readers.disabled_readers:
        generator._check_disabled_readers = lambda paths, exclude=None: None


def _times_the_build_found(generator) -> None:
    """On article_generator_init: Pelican's content cache compares each source's time as the build
    found it at its start (generator.build.source_stamps.file_time), not asking the disk again."""
    if generator.settings.get("CHECK_MODIFIED_METHOD") == "mtime":
        generator.readers._filestamp_func = functools.partial(file_time, generator.settings)


def _site_pages_generator(pelican) -> type:
    return SitePagesGenerator


def _skipping_writer(pelican) -> type:
    return SkippingWriter


def _share_with_templates(generators) -> None:
    """Give the digest's pages the articles generator's Jinja environment (our theme, our filters),
    every page its `site_part` (generator.build.site_parts.SiteParts), the lists their
    `story_item` (generator.build.listings.StoryItems; both new for each build), and every
    template the site's absolute address (robots.txt names the sitemap by it)."""
    for generator in generators:
        if not hasattr(generator, "env"):
            continue
        generator.env.globals["site_part"] = SiteParts(generator.env, generator.context)
        if hasattr(generator, "articles"):
            generator.env.globals["story_item"] = StoryItems(generator.env)
            generator.context["_newsdigest_env"] = generator.env
            generator.context["NEWSDIGEST_ABSOLUTE_URL"] = absolute_base(generator.settings)


def register() -> None:
    """Pelican's plugin entry point."""
    signals.initialized.connect(use_newsdigest_settings)
    signals.readers_init.connect(use_front_matter_reader)
    signals.article_generator_init.connect(_no_lookups_in_an_unused_cache)
    signals.article_generator_init.connect(_no_walk_for_disabled_readers)
    signals.article_generator_init.connect(_times_the_build_found)
    signals.article_generator_init.connect(_story_articles)
    signals.article_generator_pretaxonomy.connect(order_ties_by_path)
    signals.article_generator_finalized.connect(enrich_articles)
    signals.article_generator_finalized.connect(write_listings_directly)
    signals.all_generators_finalized.connect(_share_with_templates)
    signals.get_generators.connect(_site_pages_generator)
    signals.get_writer.connect(_skipping_writer)
    signals.static_generator_finalized.connect(note_static_outputs)
