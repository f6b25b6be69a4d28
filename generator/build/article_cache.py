"""What a build works out of each article alone, kept for the next build by source file time.

Pelican keeps what its reader returned for each source (by the file's
modification time) but makes new article objects on every build, and the
page URL and path, the facts, the JSON-LD and the search fingerprint were
worked out again for every article every time: about 3 s of a rebuild at
10,000 articles (Pelican formats a URL from the settings for each). They
depend on nothing but the source file and the settings, so they are kept
here under the same rule as Pelican's own content cache (the file's
modification time), and dropped with it when the settings or the code
change (generator.build.site). Plain strings, so that loading them is quick.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from generator.article import read_pickle, write_pickle
from generator.build.digest import source_slug
from generator.build.metadata import StoryFacts, news_article, script_json
from generator.build.reader import worth_saving
from generator.build.source_stamps import file_time, moved_sources
from generator.build.story import Own, domain_of, hash_text
from generator.enrich.body import image_allowed
from generator.settings import absolute_base

if TYPE_CHECKING:  # numpy, imported by generator.enrich.related, is not for a build with nothing to do
    from generator.enrich.related import StoryDoc

log = logging.getLogger(__name__)

CACHE_NAME = "newsdigest-articles.pickle"


class Known(NamedTuple):
    """What one article gives, with the settings, whatever the rest of the archive holds."""

    #: The source file's modification time when these were worked out.
    mtime: float
    url: str
    save_as: str
    facts: StoryFacts
    #: The source's page on this site ("source/<slug>/"), or "".
    source_url: str
    json_ld: str
    #: What the search index holds of the article (generator.build.search).
    search_fingerprint: str
    #: What relating reads of it (generator.enrich.related.StoryDoc.fingerprint); "" when unlisted.
    doc_fingerprint: str
    #: The original story's site (generator.build.story.domain_of).
    domain: str
    #: Whether the body links to other content of the site (Pelican's `{filename}` syntax).
    links_within: bool


class ArticleCache:
    """The previous build's Known facts by source path, and this build's."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.path = Path(settings.get("CACHE_PATH", "cache")) / CACHE_NAME
        known = read_pickle(self.path) if settings.get("LOAD_CONTENT_CACHE") else None
        self.known: dict[str, Known] = known if isinstance(known, dict) else {}
        #: Sources whose time changed but not their bytes (generator.build.source_stamps).
        self.moved = moved_sources(settings)
        self.current: dict[str, Known] = {}
        #: Each source's modification time, read once a build.
        self._mtimes: dict[str, float | None] = {}
        self.worked_out = 0

    def mtime(self, source_path: str) -> float | None:
        """The source file's modification time, read once a build (None: it cannot be read)."""
        if source_path not in self._mtimes:
            try:
                self._mtimes[source_path] = file_time(self.settings, source_path)
            except OSError:
                self._mtimes[source_path] = None
        return self._mtimes[source_path]

    def known_for(self, source_path: str) -> Known | None:
        """What the last build worked out for this source, while the file is unchanged."""
        mtime = self.mtime(source_path)
        known = self.known.get(source_path)
        if not isinstance(known, Known) or mtime is None:
            return None
        if known.mtime != mtime and self.moved.get(source_path, (None,))[0] == known.mtime:
            known = self.known[source_path] = known._replace(mtime=mtime)  # the same bytes, a new time
            self.worked_out += 1  # to save
        return known if known.mtime == mtime else None

    def doc_fingerprint(self, source_path: str) -> str:
        """What relating read of this source in the last build, while the file is unchanged, or "".
        A body that links to other content of the site is kept too: relating reads its text, not
        the addresses its links resolve to."""
        known = self.known_for(source_path)
        return known.doc_fingerprint if known else ""

    def describe(self, article, content: str, metadata: Mapping, doc: StoryDoc | None) -> Own:
        """What `article` (with its rendered `content` and `metadata`) gives with the settings alone;
        `doc`: what relating reads of it (None for an article not listed)."""
        known = self.known_for(article.source_path)
        if known is None:
            facts = story_facts(article, metadata, article.url, self.settings)
            known = Known(
                mtime=self._mtimes[article.source_path] or 0.0,
                url=article.url,
                save_as=article.save_as,
                facts=facts,
                source_url=f"source/{source_slug(facts.source)}/" if facts.source else "",
                json_ld=script_json(news_article(facts)),
                search_fingerprint=hash_text(
                    [article.url, content, repr(sorted((key, str(value)) for key, value in metadata.items()))]
                ),
                doc_fingerprint=doc.fingerprint if doc else "",
                domain=domain_of(facts.original_url),
                links_within=bool(article._get_intrasite_link_regex().search(article._content)),
            )
            self.worked_out += 1
        if self._mtimes[article.source_path] is not None:
            self.current[article.source_path] = known
        return Own(
            url=known.url,
            source_url=known.source_url,
            json_ld=known.json_ld,
            search_fingerprint=known.search_fingerprint,
            facts=known.facts,
            domain=known.domain,
        )

    def stamp(self, source_path: str) -> str | None:
        """What a story's records alone are made of (generator.build.carried): its source as it was
        read (by the file's time, as Pelican's cache keeps it), once described. None for a source
        whose body links to other content of the site: its body is made of their addresses too."""
        known = self.current.get(source_path)
        if known is None or known.links_within:
            return None
        return repr(known.mtime)

    def save(self) -> None:
        """Keep this build's facts for the next, when enough changed (generator.build.reader.worth_saving)."""
        if not worth_saving(self.worked_out + len(self.known.keys() - self.current.keys()), len(self.current)):
            return
        try:
            write_pickle(self.path, self.current)
        except OSError as exc:
            log.warning("could not save %s: %s", self.path, exc)


def story_facts(article, metadata: Mapping, url: str, settings: dict) -> StoryFacts:
    """The facts that JSON-LD, Open Graph and the JSON Feed repeat."""
    modified = getattr(article, "modified", None)
    return StoryFacts(
        url=f"{absolute_base(settings)}/{url}",
        title=str(article.title),
        date=article.date,
        modified=modified if modified and modified != article.date else None,
        description=str(metadata.get("description", "")),
        site_name=str(settings.get("SITENAME", "")),
        section=str(article.category),
        tags=tuple(str(tag) for tag in getattr(article, "tags", []) or []),
        authors=tuple(str(author) for author in getattr(article, "authors", []) or []),
        source=str(metadata.get("source", "") or "").strip(),
        original_url=http_url(metadata.get("link", "")),
        image=_image(metadata, settings),
        lang=str(metadata.get("lang", "") or settings.get("DEFAULT_LANG", "")),
    )


def _image(metadata: Mapping, settings: dict) -> str:
    """The story's picture, when the page may show it (generator.enrich.body.image_allowed): else
    "", so that neither the page nor the site's feeds point at an image the setting keeps off."""
    image = http_url(metadata.get("image", ""))
    return image if image_allowed(image, settings.get("NEWSDIGEST_FEED_IMAGES", False)) else ""


def http_url(value: object) -> str:
    """`value` if it is an http(s) URL, else "": a "javascript:" link never reaches a page."""
    url = str(value or "").strip()
    return url if urlsplit(url).scheme.lower() in ("http", "https") else ""
