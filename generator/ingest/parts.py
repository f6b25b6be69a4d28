"""`ArticleParts`: what every input format is taken apart into, and how the
parts become an `Article`.

Each format has its own splitter (raw.py, story.py, page.py); they all return
`ArticleParts`, and `build_article` is the one place that fills the gaps: a
title where the input has no headline, a date where it states none, tags and
a category where it gives none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from generator.article import Article
from generator.enrich.highlights import generated_highlights
from generator.errors import SourceError
from generator.ingest.classify import infer_category, infer_tags
from generator.ingest.dates import infer_publication_date
from generator.ingest.language import article_language
from generator.ingest.text import cut_at_word, paragraphs_to_markdown
from generator.settings import HIGHLIGHTS
from generator.sources import slug_for

#: A title made from a sentence is cut at a word boundary past this length.
MAX_DERIVED_TITLE = 120

# The end of the first sentence: ". " before a capital, a digit or a quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[A-Z0-9“\"‘(])")


@dataclass(frozen=True)
class ArticleParts:
    """An input taken apart, every piece verbatim; nothing inferred yet."""

    #: The headline as printed; "" when the input has none.
    headline: str
    #: Body paragraphs as plain text.
    paragraphs: tuple[str, ...]
    image_caption: str = ""
    image_credit: str = ""
    video_duration: str = ""
    video_source: str = ""
    highlights: tuple[str, ...] = ()
    location: str = ""
    source: str = ""
    related_headlines: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    link: str = ""
    #: A publication date the input states (page metadata); None otherwise.
    date: dt.datetime | None = None
    #: Lines around the article that belong to the page, not the story
    #: (promos, reader plugs), kept so that nothing is lost.
    unplaced_lines: tuple[str, ...] = ()
    #: The page's declared language ("fr", "de-DE"); "" means English.
    lang: str = ""


def build_article(
    parts: ArticleParts, path: str, date: dt.datetime | None = None, highlights: int = HIGHLIGHTS
) -> Article:
    """The `Article` for `parts`; `date` (the CLI's --date) overrides any other.

    An input without highlights of its own gets up to `highlights` generated ones.

    Raises `SourceError` naming `path` when no date can be stated or inferred:
    an article is never silently dated today.
    """
    title, title_inferred = parts.headline, False
    if not title:
        title, title_inferred = derive_title(parts), True
    date_inferred = False
    if date is None and parts.date is not None:
        date = parts.date
    if date is None:
        text = "\n".join((parts.headline, *parts.highlights, *parts.paragraphs))
        date, date_inferred = infer_publication_date(parts.image_caption, text), True
    if date is None:
        raise SourceError(
            path, "no publication date: the input states none and has no dated photo caption; pass --date YYYY-MM-DD"
        )
    lang = language_of(parts, title)
    english = not lang
    count = highlights
    highlights, highlights_from = parts.highlights, "source" if parts.highlights else ""
    if not highlights and count:
        highlights = generated_highlights(list(parts.paragraphs), count, language=lang or "en", title=title)
        highlights_from = "generated" if highlights else ""
    text_for_tags = [*parts.highlights, *parts.paragraphs] if english else []
    return Article(
        title=title,
        title_inferred=title_inferred,
        date=date,
        date_inferred=date_inferred,
        slug=slug_for(title, "article"),
        body=paragraphs_to_markdown(list(parts.paragraphs)),
        category=infer_category(title, list(parts.paragraphs)) if english else "News",
        tags=infer_tags(title if english else "", text_for_tags, parts.location, parts.source),
        lang=lang,
        source=parts.source,
        link=parts.link,
        location=parts.location,
        authors=parts.authors,
        contributors=parts.contributors,
        highlights=highlights,
        highlights_from=highlights_from,
        image_caption=parts.image_caption,
        image_credit=parts.image_credit,
        video_duration=parts.video_duration,
        video_source=parts.video_source,
        related_headlines=parts.related_headlines,
        unplaced_lines=parts.unplaced_lines,
    )


def language_of(parts: ArticleParts, title: str) -> str:
    """The article's BCP 47 tag: the input's declared one, else detected from the title and first paragraphs.

    "" is English or unknown (see generator.ingest.language).
    """
    return article_language(parts.lang, "\n".join((title, *parts.paragraphs[:3])))


def derive_title(parts: ArticleParts) -> str:
    """A title for an input without a headline: its first highlight, else its first sentence.

    Highlights are the publisher's own one-line summaries, the closest thing
    to a headline a CNN .story file has; otherwise the lede sentence is.
    """
    if parts.highlights:
        sentence = parts.highlights[0]
    elif parts.paragraphs:
        sentence = _SENTENCE_END.split(parts.paragraphs[0], maxsplit=1)[0].strip()
    else:
        return ""
    return cut_at_word(sentence, MAX_DERIVED_TITLE)
