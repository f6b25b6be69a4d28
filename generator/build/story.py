"""One frozen record per story: everything a page shows of it, made by one pure function.

Templates read a story only through its record (`article.story`): the
article page reads the whole `Story`, every list of stories reads its `Card`.
A page is rendered again exactly when a record it shows changes: its
fingerprint (generator.build.incremental) hashes those records, all their
fields, so a field added to a record for a template is in the fingerprint
without anyone listing it. What a template can print and what decides
"did not change" cannot drift apart.

`card_record` and `story_record` are the only places an article's state is
made: from what Pelican read (its metadata and rendered body), what the
article alone gives with the settings (`Own`, from
generator.build.article_cache, kept between builds) and what the archive
gives (related stories and other coverage, from generator.enrich.related).
They set nothing on Pelican's object; the plugin attaches the record as
`article.story` and nothing else.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from pelican.utils import get_relative_path, path_to_url

from generator.build.metadata import StoryFacts
from generator.enrich.body import as_list, enrich_body
from generator.ingest.text import cut_at_word

#: Scripts written right to left: Arabic, Hebrew, Persian, Urdu, Pashto, Sindhi, Yiddish, Dhivehi, Uyghur, Sorani.
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "yi", "dv", "ug", "ckb"})


class Record:
    """A frozen dataclass whose `fingerprint` is a hash of all its fields, in order, whatever is
    added later; a nested record by its own fingerprint, worked out once (a story's links are
    the cards of others)."""

    @functools.cached_property
    def fingerprint(self) -> str:
        return hash_text(_fields_described(self))


def carry_fingerprint(record: Record, fingerprint: str) -> None:
    """Give a record just made the fingerprint the last build worked out for one made of the same
    inputs (generator.build.carried), before anything works it out."""
    record.__dict__["fingerprint"] = fingerprint


def _fields_described(record: object) -> list[str]:
    parts = [type(record).__name__]
    for name in record.__dataclass_fields__:
        _describe(getattr(record, name), parts)
    return parts


def _describe(value: object, parts: list[str]) -> None:
    """`value` as text parts: a string by its length, then itself (the length says where it
    ends, whatever it holds, without `repr`'s pass over a page's whole body: a third of a story's
    fingerprint), a record by its fingerprint, a tuple item by item, any other dataclass field by
    field, everything else by its `repr` (never "s" and digits: no part of one reads as another's)."""
    if type(value) is str:
        parts.append(f"s{len(value)}")
        parts.append(value)
    elif isinstance(value, Record):
        parts.append(value.fingerprint)
    elif isinstance(value, tuple):
        parts.append("(")
        for item in value:
            _describe(item, parts)
        parts.append(")")
    elif hasattr(value, "__dataclass_fields__"):
        parts.extend(_fields_described(value))
    else:
        parts.append(repr(value))


def hash_text(parts: Iterable[str]) -> str:
    """A short hash of text parts: what every fingerprint and cache key of the build is made of."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Term(Record):
    """A name with a page on this site (a category, tag or source); `url` is "" when it has none."""

    name: str
    url: str = ""

    def __str__(self) -> str:
        return self.name

    def __bool__(self) -> bool:
        return bool(self.name)


@dataclass(frozen=True)
class Link(Record):
    """Another story as a page links to it."""

    url: str
    title: str
    source: Term
    date: dt.datetime
    locale_date: str


@dataclass(frozen=True)
class Card(Record):
    """What a list of stories shows of one (theme/templates/_macros.html's story_list, archives)."""

    url: str
    title: str
    source: Term
    date: dt.datetime
    locale_date: str
    category: Term
    highlights: tuple[str, ...]
    description: str
    reading_minutes: int
    #: The other reports of the same story.
    coverage: tuple[Link, ...]
    #: One key per story (a day's digest lists a story once: generator.build.digest).
    story_key: str
    #: False when the source stated no date: `date` is when a feed's item was first seen, or what
    #: the text implies (generator.ingest.dates); `date_note` says which ("first seen", "date inferred").
    dated: bool = True
    date_note: str = ""
    #: The original site's domain ("theguardian.com"), "" when the story has no original link.
    domain: str = ""
    #: The headline as lists and the page's heading show it: an inferred one (the text's first
    #: sentence) cut at a word past SHORT_HEADLINE characters; `title` keeps it whole.
    headline: str = ""

    @property
    def source_count(self) -> int:
        """How many distinct sources reported the story (this report's and its coverage's)."""
        return len({self.source.name or self.url, *(link.source.name or link.url for link in self.coverage)})

    @property
    def more(self) -> tuple[Link, ...]:
        """One report per other source, for the "More: Reuters, BBC" line."""
        first: dict[str, Link] = {}
        for link in self.coverage:
            if link.source.name != self.source.name:
                first.setdefault(link.source.name, link)
        return tuple(first.values())


@dataclass(frozen=True)
class Story(Record):
    """Everything the article page shows of a story (theme/templates/article.html)."""

    card: Card
    #: False for a `status: hidden` source: its page is built, listed nowhere, not searched.
    listed: bool
    absolute_url: str
    #: The article's own language when it declares one ("" otherwise: the site's).
    lang: str
    rtl: bool
    original_url: str
    location: str
    authors: tuple[str, ...]
    contributors: tuple[str, ...]
    tags: tuple[Term, ...]
    image: str
    image_caption: str
    image_credit: str
    #: "generated" when the highlights are ours, not the source's.
    highlights_from: str
    #: Each highlight with the id of the paragraph it comes from (or "").
    highlight_items: tuple[tuple[str, str], ...]
    #: The rendered, sanitised body (trusted HTML).
    content: str
    json_ld: str
    #: What the search index holds of it (generator.build.search): its own text and metadata only.
    search_fingerprint: str
    #: The source's own "RELATED:" lines, with the story here each names (or None).
    related_headlines: tuple[tuple[str, Link | None], ...]
    #: Related stories here, each with why.
    related: tuple[tuple[Link, str], ...]
    facts: StoryFacts

    @property
    def highlights_in_body(self) -> bool:
        """Every highlight is a sentence of the body (each has the id of the paragraph holding it):
        the search index leaves the highlight box out, as it holds no word the body does not."""
        return bool(self.highlight_items) and all(anchor for _, anchor in self.highlight_items)


@dataclass(frozen=True)
class Own:
    """What one article gives with the settings, whatever the archive holds (generator.build.article_cache)."""

    url: str
    source_url: str
    json_ld: str
    search_fingerprint: str
    facts: StoryFacts
    #: The original story's site ("theguardian.com"), or "".
    domain: str = ""


def body_and_metadata(article, siteurl: str) -> tuple[str, dict]:
    """An article's rendered body (its links resolved by Pelican for a page at `siteurl`) and
    metadata, with what the body alone gives (highlight anchors, reading time, description).

    generator.build.reader adds those as it reads a Markdown source (so
    Pelican's cache keeps them); a source read by another of Pelican's
    readers (HTML, reStructuredText) gets them here.
    """
    content, metadata = article.get_content(siteurl), article.metadata
    if "reading_minutes" in metadata:
        return content, metadata
    content, own = enrich_body(content, dict(metadata))
    return content, {**metadata, **own}


def page_siteurl(article, settings: Mapping) -> str:
    """The SITEURL an article's own page is written with (as Pelican's writer: relative to the page).

    Pelican's `get_relative_path` depends only on where the path's separators are: worked out
    for the path's shape ("x/x/x/x/x"), once for all pages as deep, not once a page (0.6 s of one
    new article's build at 100,000 stories)."""
    if settings.get("RELATIVE_URLS"):
        return _root_from(_BETWEEN_SEPARATORS.sub("x", article.save_as))
    return settings["SITEURL"]


_BETWEEN_SEPARATORS = re.compile(r"[^/\\]+")


@functools.cache
def _root_from(shape: str) -> str:
    """The site's root seen from a page whose path has this shape, as Pelican's writer gives it."""
    return path_to_url(get_relative_path(shape))


def link_to(card: Card) -> Link:
    return Link(url=card.url, title=card.title, source=card.source, date=card.date, locale_date=card.locale_date)


class Terms:
    """Each category, tag or author of a build as a Term, made once: Pelican formats a term's URL
    from the settings on every access (about 40,000 at 10,000 articles)."""

    def __init__(self) -> None:
        self.made: dict[tuple[type, str], Term] = {}

    def __call__(self, wrapper) -> Term:
        key = (type(wrapper), str(wrapper))
        term = self.made.get(key)
        if term is None:
            term = self.made[key] = Term(str(wrapper), wrapper.url)
        return term


def card_record(
    article, own: Own, metadata: Mapping, terms: Terms, coverage: tuple[Link, ...] = (), story_key: str = ""
) -> Card:
    """The card of a Pelican article (its `title`, `date`, `locale_date`, `category` are Pelican's)."""
    highlights = tuple(as_list(metadata.get("highlights")))
    source = str(metadata.get("source", "") or "").strip()
    title = str(article.title)
    return Card(
        url=own.url,
        title=title,
        source=Term(source, own.source_url),
        date=article.date,
        locale_date=str(article.locale_date),
        category=terms(article.category),
        highlights=highlights,
        description=str(metadata.get("description", "")),
        reading_minutes=int(metadata.get("reading_minutes", 1)),
        coverage=coverage,
        story_key=story_key or str(article.slug),
        dated=not metadata.get("date_inferred"),
        date_note=_date_note(metadata),
        domain=own.domain,
        headline=cut_at_word(title, SHORT_HEADLINE) if metadata.get("title_inferred") else title,
    )


def _date_note(metadata: Mapping) -> str:
    """What a story's date is when its source stated none (see `first_seen`): "first seen" or "date inferred"."""
    if not metadata.get("date_inferred"):
        return ""
    return "first seen" if first_seen(metadata) else "date inferred"


def first_seen(metadata: Mapping) -> bool:
    """Whether a source's date is only when it was first seen: an undated feed item (it has a guid or
    a link). An imported text's inferred date (from its caption: generator.ingest.dates) is a real
    estimate; the time a feed was fetched says nothing of when its item happened."""
    return bool(metadata.get("date_inferred") and (metadata.get("guid") or metadata.get("link")))


#: An inferred headline longer than this is cut at a word for display (a phone shows ~30 characters a line).
SHORT_HEADLINE = 90


def domain_of(url: str) -> str:
    """ "https://www.theguardian.com/x" -> "theguardian.com"; "" for no URL."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def story_record(
    article,
    content: str,
    metadata: Mapping,
    own: Own,
    card: Card,
    terms: Terms,
    related: tuple[tuple[Link, str], ...] = (),
    related_headlines: tuple[tuple[str, Link | None], ...] = (),
) -> Story:
    """The full record of a Pelican article: its card, and what its own page shows, with the
    related stories and the source's own related headlines (resolved to stories here) the archive gives."""
    highlights = card.highlights
    anchors = list(metadata.get("highlight_anchors") or [])
    anchors += [None] * (len(highlights) - len(anchors))
    lang = str(metadata.get("lang", "") or "")
    return Story(
        card=card,
        listed=getattr(article, "status", "published") == "published",
        absolute_url=own.facts.url,
        lang=lang,
        rtl=lang.split("-")[0].lower() in RTL_LANGUAGES,
        original_url=own.facts.original_url,
        location=str(metadata.get("location", "") or ""),
        authors=tuple(own.facts.authors),
        contributors=tuple(as_list(metadata.get("contributors"))),
        tags=tuple(terms(tag) for tag in getattr(article, "tags", []) or []),
        image=own.facts.image,
        image_caption=str(metadata.get("image_caption", "") or ""),
        image_credit=str(metadata.get("image_credit", "") or ""),
        highlights_from=str(metadata.get("highlights_from", "") or ""),
        highlight_items=tuple((text, anchor or "") for text, anchor in zip(highlights, anchors, strict=False)),
        content=content,
        json_ld=own.json_ld,
        search_fingerprint=own.search_fingerprint,
        related_headlines=related_headlines,
        related=related,
        facts=own.facts,
    )
