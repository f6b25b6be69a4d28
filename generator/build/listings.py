"""Tag, category and author pages, written without a scan of the whole archive for each.

Pelican writes each of these pages after `[a for a in dates if a in
articles]`: every article of the site checked against the page's own list,
once per tag (about 3 million checks for 300 tags at 10,000 articles, over
a second even with set lookups). Here each page's articles are put in the
archive's date order directly. The pages get the same values Pelican gives
them, under the same names; a term whose slug is empty is skipped as Pelican
skips it.
"""

from __future__ import annotations

import functools
import logging

from pelican.writers import FileOverwriteFailedError

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
        dates = sorted(articles, key=lambda article: position[id(article)])
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
