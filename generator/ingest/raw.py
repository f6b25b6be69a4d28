"""Raw article text scraped from a news page -> `RawArticle` -> `Article`.

The shape (see samples/seed-article.txt), one block per line, blank lines
optional::

    <photo caption> (Photo credit should read <credit>)
    <headline>
    <video line: "02:22 - Source: CNN">
    Story highlights
    <highlight>
    <highlight>
    <dateline: "Washington CNN  —", "LONDON, England (CNN) --", "(CNN) --">
    <body paragraphs, some of them "RELATED: <headline>">
    <contributor line: "CNN's Richard Roth contributed to this report.">

Each block is classified by a small table of recognisers; whatever is not
recognised is body text, so a sentence can be misfiled but never dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from slugify import slugify

from generator.article import Article
from generator.errors import SourceError
from generator.ingest.classify import infer_category, infer_tags
from generator.ingest.dates import infer_publication_date
from generator.ingest.text import paragraphs_to_markdown

_PHOTO_CREDIT = re.compile(r"\s*\(Photo credit should read (?P<credit>[^)]*)\)\s*$", re.IGNORECASE)
_VIDEO = re.compile(r"^(?P<duration>\d{1,2}(?::\d\d){1,2})\s+-\s+Source:\s*(?P<source>.+)$")
_HIGHLIGHTS_HEADER = re.compile(r"^story highlights:?$", re.IGNORECASE)
# "Washington CNN  —", "LONDON, England (CNN) --", "(CNN) --", "JAKARTA (Reuters) -":
# an optional place, then the source (in parentheses, or a bare known
# broadcaster), then a dash. The dash may end the line or open the first
# sentence of the body.
_DATELINE = re.compile(
    r"^(?:(?P<place>[A-Z][^()\n]{0,60}?)\s+)?"
    r"(?:\((?P<paren_source>[A-Z][\w .&'’-]{0,30})\)|(?P<bare_source>CNN|AP|AFP|BBC|NPR))"
    r"\s*(?:—|–|--|-)(?:\s+|$)"
)
# Body paragraphs end a sentence; highlights, as publishers write them, do not.
_ENDS_SENTENCE = re.compile(r"[.!?][\"”’')]*$")
_RELATED = re.compile(r"^(?P<kind>RELATED|READ|WATCH|READ MORE|MORE)\s*:\s*(?P<headline>.+)$")
_CONTRIBUTORS = re.compile(r"^(?P<org>[\w .&-]+?)[’']s?\s+(?P<names>.+?)\s+contributed to this report\.?$")


@dataclass(frozen=True)
class RawArticle:
    """Scraped article text taken apart, every block accounted for."""

    headline: str
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


def split_raw(text: str, path: str = "<string>") -> RawArticle:
    """Take raw scraped text apart. Raises `SourceError` when it has no headline."""
    blocks = [line.strip() for line in text.splitlines() if line.strip()]
    if not blocks:
        raise SourceError(path, "the file is empty")
    dateline_at = next((i for i, block in enumerate(blocks) if _DATELINE.match(block)), None)
    head = blocks if dateline_at is None else blocks[:dateline_at]
    body = [] if dateline_at is None else blocks[dateline_at:]

    parts: dict = {}
    headline = ""
    highlights: list[str] = []
    in_highlights = False
    leftover: list[str] = []
    for block in head:
        credit = _PHOTO_CREDIT.search(block)
        video = _VIDEO.match(block)
        if credit and "image_caption" not in parts:
            parts["image_caption"] = block[: credit.start()].strip()
            parts["image_credit"] = credit["credit"].strip()
        elif video and "video_duration" not in parts:
            parts["video_duration"] = video["duration"]
            parts["video_source"] = video["source"].strip()
        elif _HIGHLIGHTS_HEADER.match(block):
            in_highlights = True
        elif in_highlights and (dateline_at is not None or not _ENDS_SENTENCE.search(block)):
            highlights.append(block)
        elif not headline:
            headline = block
        else:
            # Without a dateline, the first finished sentence ends the highlights.
            in_highlights = False
            leftover.append(block)
    if dateline_at is None:
        # Without a dateline the head is all there is: the headline and
        # highlights were found above; the rest is body.
        body, leftover = leftover, []
    if not headline:
        raise SourceError(path, "no headline found (expected a headline line before the body)")

    paragraphs: list[str] = list(leftover)
    if body:
        dateline = _DATELINE.match(body[0])
        if dateline:
            parts["location"] = (dateline["place"] or "").strip(" ,")
            parts["source"] = dateline["paren_source"] or dateline["bare_source"]
            rest = body[0][dateline.end() :].strip()
            body = ([rest] if rest else []) + body[1:]
    related: list[str] = []
    contributors: tuple[str, ...] = ()
    for index, block in enumerate(body):
        related_match = _RELATED.match(block)
        contributor_match = _CONTRIBUTORS.match(block) if index >= len(body) - 2 else None
        if related_match:
            related.append(related_match["headline"].strip())
        elif contributor_match and not contributors:
            contributors = _split_names(contributor_match["names"])
        else:
            paragraphs.append(block)
    if not paragraphs:
        raise SourceError(path, "no body text found after the headline")
    return RawArticle(
        headline=headline,
        paragraphs=tuple(paragraphs),
        highlights=tuple(highlights),
        related_headlines=tuple(related),
        contributors=contributors,
        **parts,
    )


def article_from_raw(raw: RawArticle, path: str = "<string>", date: dt.datetime | None = None) -> Article:
    """Turn a split `RawArticle` into the `Article` written under content/.

    `date` overrides the inferred publication date (the CLI's `--date`).
    """
    date_inferred = False
    if date is None:
        date = infer_publication_date("\n".join((raw.image_caption, raw.headline, *raw.highlights, *raw.paragraphs)))
        date_inferred = True
    if date is None:
        raise SourceError(path, "no publication date found in the text; pass --date YYYY-MM-DD")
    return Article(
        title=raw.headline,
        date=date,
        date_inferred=date_inferred,
        slug=slugify(raw.headline, max_length=80, word_boundary=True),
        body=paragraphs_to_markdown(list(raw.paragraphs)),
        category=infer_category(raw.headline, list(raw.paragraphs)),
        tags=infer_tags(raw.headline, [*raw.highlights, *raw.paragraphs], raw.location),
        source=raw.source,
        location=raw.location,
        contributors=raw.contributors,
        highlights=raw.highlights,
        highlights_from="source" if raw.highlights else "",
        image_caption=raw.image_caption,
        image_credit=raw.image_credit,
        video_duration=raw.video_duration,
        video_source=raw.video_source,
        related_headlines=raw.related_headlines,
    )


def _split_names(names: str) -> tuple[str, ...]:
    """ "A, B and C" -> ("A", "B", "C")."""
    pieces = re.split(r",\s*(?:and\s+)?|\s+and\s+", names)
    return tuple(piece.strip() for piece in pieces if piece.strip())
