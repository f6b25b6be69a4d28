"""Lists of stories: tag, category and author pages without a scan of the archive for each,
and each story's entry rendered once for all the lists that show it.

Pelican writes each of these pages after `[a for a in dates if a in
articles]`: every article of the site checked against the page's own list,
once per tag (about 3 million checks for 300 tags at 10,000 articles, over
a second even with set lookups). Here each page's articles are put in the
archive's date order directly. The pages get the same values Pelican gives
them, under the same names; a term whose slug is empty is skipped as Pelican
skips it.

A story is listed on its category's page, each of its tags', its author's
and its source's, and its day's digest: at 10,000 articles, 70,000 entries,
most of a cold build's list rendering. An entry depends only on the story's
card and how the page shows it (`StoryItems`), so it is rendered once per
build for each way and the same HTML is reused.
"""

from __future__ import annotations

import functools
import logging
import operator

from markupsafe import Markup
from pelican.writers import FileOverwriteFailedError

from generator.build.story import Card

log = logging.getLogger(__name__)

#: Template name -> the generator's attribute holding (term, articles) pairs.
KINDS = {"tag": "tags", "category": "categories", "author": "authors"}


def write_listings_directly(generator) -> None:
    """Make the articles generator write its tag, category and author pages with `write_listings`."""
    generator.generate_tags = functools.partial(write_listings, generator, "tag")
    generator.generate_categories = functools.partial(write_listings, generator, "category")
    generator.generate_authors = functools.partial(write_listings, generator, "author")


def write_listings(generator, kind: str, write) -> None:
    """Write the page of every term of `kind` ("tag", "category" or "author")."""
    template = generator.get_template(kind)
    position = {id(article): n for n, article in enumerate(generator.dates)}
    terms = getattr(generator, KINDS[kind])
    for term, articles in terms.items() if isinstance(terms, dict) else terms:
        dates = _in_order(articles, list(map(position.__getitem__, map(id, articles))))
        values = {kind: term, "url": term.url, "articles": articles, "dates": dates, "page_name": term.page_name}
        try:
            write(
                term.save_as,
                template,
                generator.context,
                template_name=kind,
                blog=True,
                all_articles=generator.articles,
                **values,
            )
        except FileOverwriteFailedError:
            if term.slug:
                log.error("could not write the %s page of %r", kind, str(term))
                raise
            log.info("%s %r has no usable slug: no page written for it", kind.capitalize(), str(term))


def _in_order(articles: list, positions: list[int]) -> list:
    """`articles` sorted by their `positions` (each its own): a copy when they are in that order
    already, as a term's stories are in the archive's by date with Pelican's default order
    (a sort's key called for each of a million stories at 100,000 took 0.5 s)."""
    if all(map(operator.lt, positions, positions[1:])):
        return list(articles)
    return [article for _, article in sorted(zip(positions, articles, strict=True), key=operator.itemgetter(0))]


class StoryItems:
    """The `story_item(card, SITEURL, heading, clock, full)` of the theme's lists (templates/_story_item.html),
    each rendered once per build for each page depth (SITEURL), heading level, clock and fullness."""

    TEMPLATE = "_story_item.html"

    def __init__(self, env) -> None:
        self.env = env
        self.rendered: dict[tuple, Markup] = {}

    @functools.cached_property
    def template(self):
        """Loaded once a build, as Pelican loads each page's: Jinja looks a template up again on each
        `get_template` and checks its file's time (22,000 times in a cold build of 10,000 stories: 0.1 s)."""
        return self.env.get_template(self.TEMPLATE)

    def __call__(self, card: Card, siteurl: str, heading: str = "h2", clock: bool = False, full: bool = True) -> Markup:
        key = (card.fingerprint, siteurl, heading, clock, full)
        html = self.rendered.get(key)
        if html is None:
            html = Markup(self.template.render(card=card, SITEURL=siteurl, heading=heading, clock=clock, full=full))
            self.rendered[key] = html
        return html
