"""What a build works out of each article alone, kept for the next build by source file time.

Pelican keeps what its reader returned for each source (by the file's
modification time) but makes new article objects on every build, and the
page URL, the JSON-LD and the search fingerprint were worked out again for
every article every time: about 2 s of a rebuild at 10,000 articles. They
depend on nothing but the source file and the settings, so they are kept
here under the same rule as Pelican's own content cache (the file's
modification time), and dropped with it when the settings or the code
change (generator.site). Plain strings, so that loading them is quick.
"""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from generator.article import read_pickle, write_atomic_bytes
from generator.digest import source_slug
from generator.incremental import hash_text
from generator.metadata import StoryFacts, news_article, script_json
from generator.pages import absolute_base

log = logging.getLogger(__name__)

CACHE_NAME = "newsdigest-articles.pickle"


class Known(NamedTuple):
    """What one article gives, with the settings, whatever the rest of the archive holds."""

    #: The source file's modification time when these were worked out.
    mtime: float
    url: str
    #: The source's page on this site ("source/<slug>/"), or "".
    source_url: str
    json_ld: str
    #: What the search index holds of the article (generator.search).
    search_fingerprint: str


class ArticleCache:
    """The previous build's Known facts by source path, and this build's."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.path = Path(settings.get("CACHE_PATH", "cache")) / CACHE_NAME
        known = read_pickle(self.path) if settings.get("LOAD_CONTENT_CACHE") else None
        self.known: dict[str, Known] = known if isinstance(known, dict) else {}
        self.current: dict[str, Known] = {}
        self.worked_out = 0

    def describe(self, article) -> None:
        """Give `article` its url, absolute_url, source_url, facts, json_ld and search_fingerprint
        (its highlights and original link already set by generator.plugin)."""
        try:
            mtime = os.path.getmtime(article.source_path)
        except OSError:
            mtime = None
        known = self.known.get(article.source_path)
        current = isinstance(known, Known) and mtime is not None and known.mtime == mtime
        if current:
            article.__dict__["url"] = known.url  # generator.plugin made `url` a cached property
        article.facts = story_facts(article, self.settings)
        if not current:
            source = article.facts.source
            known = Known(
                mtime=mtime or 0.0,
                url=article.url,
                source_url=f"source/{source_slug(source)}/" if source else "",
                json_ld=script_json(news_article(article.facts)),
                search_fingerprint=search_fingerprint(article),
            )
            self.worked_out += 1
        if mtime is not None:
            self.current[article.source_path] = known
        article.absolute_url = article.facts.url
        article.source_url = known.source_url
        article.json_ld = known.json_ld
        article.search_fingerprint = known.search_fingerprint

    def save(self) -> None:
        """Keep this build's facts for the next, when any changed."""
        if not self.worked_out and self.current.keys() == self.known.keys():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic_bytes(self.path, pickle.dumps(self.current, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as exc:
            log.warning("could not save %s: %s", self.path, exc)


def story_facts(article, settings: dict) -> StoryFacts:
    """The facts that JSON-LD, Open Graph and the JSON Feed repeat."""
    modified = getattr(article, "modified", None)
    return StoryFacts(
        url=f"{absolute_base(settings)}/{article.url}",
        title=str(article.title),
        date=article.date,
        modified=modified if modified and modified != article.date else None,
        description=article.description,
        site_name=str(settings.get("SITENAME", "")),
        section=str(article.category),
        tags=[str(tag) for tag in getattr(article, "tags", []) or []],
        authors=[str(author) for author in getattr(article, "authors", []) or []],
        source=str(getattr(article, "source", "") or "").strip(),
        original_url=article.original_url,
        image=http_url(getattr(article, "image", "")),
        lang=str(article.metadata.get("lang", "") or settings.get("DEFAULT_LANG", "")),
    )


def search_fingerprint(article) -> str:
    """What the search index holds of an article (its page's `data-pagefind-body`): its own text and
    metadata, never its links to others (generator.search indexes a month again when it changes)."""
    parts = [
        article.url,
        article._content,
        repr(sorted((key, str(value)) for key, value in article.metadata.items())),
        repr(article.highlight_items),
    ]
    return hash_text(parts)


def http_url(value: object) -> str:
    """`value` if it is an http(s) URL, else "": a "javascript:" link never reaches a page."""
    url = str(value or "").strip()
    return url if urlsplit(url).scheme.lower() in ("http", "https") else ""
