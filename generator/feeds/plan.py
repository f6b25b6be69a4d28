"""Parsed feed + what we already have -> what to write. Pure: the clock is passed in.

For each entry, in the feed's order and up to the feed's `max_items`:

- an entry that shares a dedupe key (GUID, normalised link, headline + day)
  with an existing source from the *same* feed item is that item: it is
  written again, and `generator.sources` decides whether anything changed and
  whether a hand edit must be kept;
- one that shares a key with a source from elsewhere (another feed, an
  imported article) is a duplicate and is skipped;
- one whose keys this feed gave before, but whose source is gone, was
  deleted by a maintainer and is not brought back;
- anything else is new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from generator.article import Article
from generator.enrich.highlights import generated_highlights
from generator.feeds.dates import read_foreign_date
from generator.feeds.parse import FeedEntry, ParsedFeed, parse_feed
from generator.feeds.rules import compile_rules, verdict
from generator.ingest.classify import infer_category
from generator.ingest.language import article_language
from generator.ingest.parts import MAX_DERIVED_TITLE
from generator.ingest.sections import section_for
from generator.ingest.text import cut_at_word, paragraph_to_markdown, paragraphs_to_markdown
from generator.sanitize import html_to_text, markdown_and_paragraphs, safe_url
from generator.settings import HIGHLIGHTS
from generator.sources import SourceIndex, dedupe_keys, import_id, slug_for

#: A summary in the front matter is cut at a word past this many characters.
MAX_SUMMARY = 300
WRITE, DUPLICATE, SEEN, JUNK = "write", "duplicate", "seen", "junk"
LEFT_OUT = "left out by a rule"
#: A headline needs this many characters, one of them a letter or digit ("¤" and "…" are not headlines).
MIN_TITLE = 3


@dataclass(frozen=True)
class FeedConfig:
    """One feed to fetch, as NEWSDIGEST_FEEDS or an OPML outline gives it."""

    url: str
    #: Shown as the articles' source; the feed's own title when empty.
    name: str = ""
    #: Every item's category (section); when empty, the item's and the feed's own categories name it
    #: (generator.ingest.sections), else its text does (generator.ingest.classify).
    category: str = ""
    #: Added to every item's own categories.
    tags: tuple[str, ...] = ()
    #: Items beyond this many (in the feed's order) are ignored.
    max_items: int = 50
    #: Fetch each new item's page and take its main text as the body.
    fulltext: bool = False
    #: Generated highlights per item (the fetch command sets NEWSDIGEST_HIGHLIGHTS_MAX).
    highlights: int = HIGHLIGHTS
    #: The feed's own category labels mapped to sections, ahead of the table: (("Nacional", "Portugal"),).
    sections: tuple[tuple[str, str], ...] = ()
    #: Keep/drop rules on its items (generator.feeds.rules).
    keep: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    #: Items older than this many days (at fetch time) are not fetched; 0: any age.
    max_age_days: int = 0
    #: Extra request headers for this feed (a User-Agent a CDN accepts, a token): (("Name", "value"),).
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ItemPlan:
    entry: FeedEntry
    action: str
    #: The article to write (WRITE), or the one left out (JUNK).
    article: Article | None = None
    keys: tuple[str, ...] = ()
    #: Why the item is not published (JUNK only): "no title", "no text", LEFT_OUT, "older than N days".
    reason: str = ""
    #: The keep/drop rule that decided the item, if one did (generator.feeds.rules.Verdict.rule).
    rule: str = ""


@dataclass(frozen=True)
class ConvertedFeed:
    """A feed parsed and its entries made into articles: the CPU-heavy, pure part of a fetch."""

    feed: ParsedFeed
    items: tuple[tuple[FeedEntry, Article], ...]


def convert_feed(
    config: FeedConfig, body: bytes, url: str, content_type: str, fetched_at: dt.datetime
) -> ConvertedFeed:
    """Parse a feed and build the article of each entry it keeps (up to `config.max_items`).

    Pure and picklable: a fetch runs it in worker processes while other feeds
    are still arriving. Raises FeedParseError.
    """
    feed = parse_feed(body, url, content_type)
    entries = feed.entries[: config.max_items]
    return ConvertedFeed(feed, tuple((entry, article_for_entry(config, feed, entry, fetched_at)) for entry in entries))


def plan_items(
    converted: ConvertedFeed,
    seen: set[str],
    index: SourceIndex,
    config: FeedConfig | None = None,
    fetched_at: dt.datetime | None = None,
) -> list[ItemPlan]:
    """What to do with each of the feed's articles, given what we have (`index`), what it gave before
    (`seen`) and the feed's rules and age limit (`config`, at `fetched_at`)."""
    plans = []
    config = config or FeedConfig(url="")
    keep, drop = (compile_rules(rules, config.name or config.url) for rules in (config.keep, config.drop))
    oldest = fetched_at - dt.timedelta(days=config.max_age_days) if fetched_at and config.max_age_days else None
    for entry, article in converted.items:
        decision = verdict(article, keep, drop)
        reason = junk_reason(article) or _too_old(article, oldest, config.max_age_days)
        reason = reason or ("" if decision.kept else LEFT_OUT)
        if reason:  # its keys not kept: an item fixed later, or a rule changed, makes it new
            plans.append(ItemPlan(entry, JUNK, article=article, reason=reason, rule=decision.rule))
            continue
        keys = dedupe_keys(entry.guid, article.link, article.title, article.date.date().isoformat())
        known = next((index.by_key[key] for key in keys if key in index.by_key), None)
        if known is not None and known.import_id != article.import_id:
            plans.append(ItemPlan(entry, DUPLICATE, keys=keys))
        elif known is None and seen.intersection(keys):
            plans.append(ItemPlan(entry, SEEN, keys=keys))
        else:
            plans.append(ItemPlan(entry, WRITE, article=article, keys=keys, rule=decision.rule))
    return plans


def _too_old(article: Article, oldest: dt.datetime | None, max_age_days: int) -> str:
    """ "older than N days" when the item is dated before `oldest` (undated items are never too old)."""
    if oldest is not None and not article.date_inferred and article.date < oldest:
        return f"older than {max_age_days} days"
    return ""


def real_title(title: str) -> bool:
    """Whether `title` can stand as a headline: MIN_TITLE characters or more, not only punctuation."""
    return len(title) >= MIN_TITLE and any(character.isalnum() for character in title)


def junk_reason(article: Article) -> str:
    """Why an item is not worth publishing ("no title", "no text"), or "" when it is."""
    if not real_title(article.title):
        return "no title"
    if not any(character.isalnum() for character in article.body):
        return "no text"
    return ""


#: How far past the fetch a feed's date may be and still be believed: the widest time zone
#: mistake (a local time labelled UTC is up to 14 hours off), and a little more.
FUTURE_TOLERANCE = dt.timedelta(hours=15)


def trusted_date(date: dt.datetime | None, fetched_at: dt.datetime) -> dt.datetime | None:
    """`date`, or None when it lies beyond the fetch time plus FUTURE_TOLERANCE (an item "from"
    9999-12-31 would lead the front page for as long as it stays in the feed)."""
    return date if date is not None and date <= fetched_at + FUTURE_TOLERANCE else None


def article_for_entry(
    config: FeedConfig,
    feed: ParsedFeed,
    entry: FeedEntry,
    fetched_at: dt.datetime,
    fulltext: list[str] | None = None,
) -> Article:
    """The article for one feed entry; `fulltext` paragraphs, when fetched, replace the feed's body."""
    base = entry.base_url or feed.link or config.url
    body_html = entry.content_html or entry.summary_html
    summary_text = html_to_text(entry.summary_html) if entry.summary_html else ""
    title, title_inferred = html_to_text(entry.title), False
    if not real_title(title):  # none, or "¤": the text's start, if it has one (else junk_reason says so)
        title, title_inferred = cut_at_word(summary_text or html_to_text(body_html), MAX_DERIVED_TITLE), True
    if fulltext:
        body, paragraphs = paragraphs_to_markdown(fulltext), fulltext
    else:
        body, paragraphs = markdown_and_paragraphs(body_html, base)
    text = " ".join(paragraphs)
    lang = article_language(feed.language, f"{title}\n{text}")
    stated = entry.date or (read_foreign_date(entry.date_text, lang or feed.language) if entry.date_text else None)
    date, date_inferred = trusted_date(stated, fetched_at), False
    if date is None:
        date, date_inferred = (trusted_date(feed.updated, fetched_at) or fetched_at), True
    highlights = (
        generated_highlights(paragraphs, config.highlights, language=lang or "en", title=title)
        if config.highlights
        else ()
    )
    article = Article(
        title=title,
        title_inferred=title_inferred,
        date=date.astimezone(dt.UTC),
        date_inferred=date_inferred,
        slug=slug_for(title, "item"),
        body=body or paragraph_to_markdown(summary_text),
        category=config.category
        or section_for(entry.tags, (feed.title, *feed.categories), dict(config.sections))
        or infer_category(title, [text]),
        tags=tuple(dict.fromkeys((*entry.tags, *config.tags))),
        lang=lang,
        source=config.name or feed.title or "",
        link=safe_url(entry.link, base) or "",
        guid=entry.guid,
        image=safe_url(entry.image, base) or "",
        authors=entry.authors,
        summary=paragraph_to_markdown(cut_at_word(summary_text, MAX_SUMMARY)) if summary_text else "",
        highlights=highlights,
        highlights_from="generated" if highlights else "",
    )
    return replace(article, import_id=import_id(article))
