"""Raw article text scraped from a news page -> `ArticleParts`.

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

Scraped pages vary: a gallery caption "1 of 4. ..." instead of a credit, a
promo for another story or a reader plug before the dateline, video links
glued to the end of a paragraph ("... said.  Watch the announcement »"), a
Reuters credit line "(Reporting by ...; Editing by ...)". Each block and each
such piece is classified by a small recogniser; whatever none of them claims
is body text, so a sentence can be misfiled but never dropped.

`split_body` is shared with the .story format, whose body is the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.errors import SourceError
from generator.ingest.dates import calendar_dates
from generator.ingest.parts import ArticleParts
from generator.ingest.text import Subhead

_PHOTO_CREDIT = re.compile(r"\s*\(Photo credit should read (?P<credit>[^)]*)\)\s*$", re.IGNORECASE)
_GALLERY_CAPTION = re.compile(r"^\d{1,3} of \d{1,3}\.\s+(?P<caption>.+)$")
_VIDEO = re.compile(r"^(?P<duration>\d{1,2}(?::\d\d){1,2})\s+-\s+Source:\s*(?P<source>.+)$")
_HIGHLIGHTS_HEADER = re.compile(r"^story highlights:?$", re.IGNORECASE)
# "Washington CNN  —", "LONDON, England (CNN) --", "(CNN) --", "JAKARTA (Reuters) -",
# the 2015 style "Marseille, France (CNN)The prosecutor..." and "(CNN)[Breaking
# news update]" (the body's first character right after the parenthesis), and
# "Washington (CNN) A huge ..." with a space but no dash: an optional place,
# then the source. Only a known outlet may stand before a plain space, so that
# "The United Nations (UN) Security Council ..." stays prose.
_KNOWN_OUTLETS = r"CNN\w*|Reuters|AP|AFP|BBC|NPR|EW\.com|Mashable"
_DATELINE = re.compile(
    r"^(?:(?P<place>[A-Z][^()\n]{0,60}?)\s+)?(?:"
    r"\((?P<paren_source>[A-Za-z][\w .&'’-]{0,30})\)(?:\s*(?:—|–|--|-)(?:\s+|$)|(?=[A-Z“\"‘'\[]))"
    rf"|\((?P<spaced_source>{_KNOWN_OUTLETS})\)\s+(?=[A-Z“\"‘'\[])"
    rf"|(?P<bare_source>CNN|AP|AFP|BBC|NPR)\s*(?:—|–|--|-)(?:\s+|$))"
)
# The Daily Mail's byline and time stamps, flattened into the first line of
# the body with " . " between their pieces: "By . Associated Press .
# PUBLISHED: . 14:11 EST, 25 October 2013 . | . UPDATED: . 15:36 EST, 25
# October 2013 ." or "By . Ted Thornhill . Last updated at 2:18 PM on 30th
# December 2011 .". Page furniture, not the story's first sentence.
_BYLINE_FURNITURE = re.compile(
    r"^By \.\s+[^.]{1,80}?\s\.\s+(?:and [^.]{1,80}?\s\.\s+)*"
    r"(?:(?:\|\s+\.\s+)?(?:PUBLISHED|UPDATED):\s+\.\s+[^.|]{1,40}?\s\.\s+)*"
    r"(?:Last updated at [^.]{1,60}?\s\.\s+)?"
)
_RELATED = re.compile(r"^(?:RELATED|READ|WATCH|READ MORE|MORE)\s*:\s*(?P<headline>.+)$")
# A link glued to the end of a paragraph: "...,” he said.  Watch what led to it »"
_TRAILING_LINK = re.compile(r"\s+(?P<link>(?:Watch|See|Go inside|Listen to|Read|Check out)\b[^»]{0,200}»)\s*$")
_TRAILING_FURNITURE = re.compile(r"\s+(?P<furniture>E-mail to a friend)\s*$")
_CONTRIBUTED = re.compile(
    r"^(?:(?P<org>[\w.&-]+(?: [\w.&-]+)?)[’']s?\s+)?(?P<names>.+?)\s+contributed to this report(?:\s+[^.]*)?\.?$"
)
# "CNN's Stella Chan reported from Los Angeles.": only with the outlet's
# possessive, so that "He reported from Kabul." stays prose.
_REPORTED_FROM = re.compile(
    r"^(?P<org>[\w.&-]+(?: [\w.&-]+)?)[’']s\s+(?P<names>.+?\s(?:reported|wrote)\s+from\s.+?)\.?$"
)
_COPYRIGHT = re.compile(r"^(?:Copyright|©)\b.*\ball rights reserved", re.IGNORECASE)
_WIRE_CREDITS = re.compile(
    r"^\((?P<credits>(?:additional\s+)?(?:reporting|writing|editing|compiled)\s+by\b.*)\)$", re.IGNORECASE
)
_ENDS_SENTENCE = re.compile(r"[.!?][\"”’')]*$")
_SENTENCES = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[A-Z“\"‘(])")
#: A body line this short that does not end a sentence is a link to another
#: story ("Anne Frank's final entry"), or, in capitals or after an ellipsis,
#: a section head of this one; not prose either way.
MAX_INLINE_HEADLINE_WORDS = 14
_NAME_PARTICLES = frozenset("de da del della der den di du la le van von bin al ibn y".split())


@dataclass
class _Body:
    """What `split_body` found, before it is frozen into `ArticleParts`."""

    location: str = ""
    source: str = ""
    paragraphs: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)


def split_raw(text: str, path: str = "<string>") -> ArticleParts:
    """Take raw scraped text apart. Raises `SourceError` naming `path` when it cannot."""
    blocks = [line.strip() for line in text.splitlines() if line.strip()]
    if not blocks:
        raise SourceError(path, "the file is empty")
    dateline_at = next((i for i, block in enumerate(blocks) if _DATELINE.match(block)), None)
    head = blocks if dateline_at is None else blocks[:dateline_at]

    found: dict = {}
    headline = ""
    highlights: list[str] = []
    in_highlights = False
    leftover: list[str] = []
    for block in head:
        credit = _PHOTO_CREDIT.search(block)
        gallery = _GALLERY_CAPTION.match(block)
        video = _VIDEO.match(block)
        if credit and "image_caption" not in found:
            found["image_caption"] = block[: credit.start()].strip()
            found["image_credit"] = credit["credit"].strip()
        elif gallery and "image_caption" not in found:
            found["image_caption"] = gallery["caption"]
        elif video and "video_duration" not in found:
            found["video_duration"] = video["duration"]
            found["video_source"] = video["source"].strip()
        elif _HIGHLIGHTS_HEADER.match(block):
            in_highlights = True
        elif in_highlights and (dateline_at is not None or not _ENDS_SENTENCE.search(block)):
            highlights.append(block)
        elif not headline and not _is_sentence(block):
            headline = block
        elif not headline and not leftover and "image_caption" not in found and calendar_dates(block):
            # A dated sentence opening the page is a photo caption without a credit.
            found["image_caption"] = block
        else:
            # Without a dateline, the first finished sentence ends the highlights.
            in_highlights = False
            leftover.append(block)

    if dateline_at is None:
        if not headline:
            raise SourceError(
                path, "no headline found: the first line should be the headline (a line that is not a sentence)"
            )
        # Without a dateline the head is all there is: what is left is body.
        body = split_body(leftover)
    else:
        # Before the dateline, lines that are neither caption nor headline
        # belong to the page (promos, reader plugs), not to the story.
        body = split_body(blocks[dateline_at:])
        body.unplaced[:0] = leftover
    if not body.paragraphs:
        raise SourceError(path, "no body text found after the headline")
    return ArticleParts(
        headline=headline,
        highlights=tuple(highlights),
        **found,
        **_freeze(body),
    )


def split_body(blocks: list[str]) -> _Body:
    """Dateline, paragraphs, related links, credits and page furniture of a body."""
    body = _Body()
    blocks = list(blocks)
    furniture = _BYLINE_FURNITURE.match(blocks[0]) if blocks else None
    if furniture:
        body.unplaced.append(furniture[0].strip())
        blocks[0] = blocks[0][furniture.end() :]
    if blocks:
        dateline = _DATELINE.match(blocks[0])
        if dateline:
            body.location = (dateline["place"] or "").strip(" ,")
            body.source = dateline["paren_source"] or dateline["spaced_source"] or dateline["bare_source"]
            rest = blocks[0][dateline.end() :].strip()
            blocks[0:1] = [rest] if rest else []
    last = len(blocks) - 1
    for index, block in enumerate(blocks):
        related = _RELATED.match(block)
        if related:
            body.related.append(related["headline"].strip())
            continue
        if index >= last - 1 and _take_credits(block, body):
            continue
        paragraph = _strip_trailing(block, body)
        if _COPYRIGHT.match(paragraph):
            body.unplaced.append(paragraph)
        elif index > 0 and paragraph and _looks_like_headline(paragraph):
            if paragraph.isupper() or paragraph.startswith(("...", "…")):
                # "NO FOUL PLAY SEEN", "... and automobiles": the story's own section heads.
                body.paragraphs.append(Subhead(paragraph))
            else:
                body.related.append(paragraph)
        elif paragraph:
            body.paragraphs.append(paragraph)
    return body


def _freeze(body: _Body) -> dict:
    return {
        "location": body.location,
        "source": body.source,
        "paragraphs": tuple(body.paragraphs),
        "related_headlines": tuple(body.related),
        "contributors": tuple(dict.fromkeys(body.contributors)),
        "unplaced_lines": tuple(body.unplaced),
    }


def _strip_trailing(block: str, body: _Body) -> str:
    """Move links and furniture glued to the end of a paragraph out of it."""
    while True:
        link = _TRAILING_LINK.search(block)
        furniture = _TRAILING_FURNITURE.search(block)
        if link:
            body.related.append(link["link"])
            block = block[: link.start()]
        elif furniture:
            body.unplaced.append(furniture["furniture"])
            block = block[: furniture.start()]
        else:
            return block.strip()


def _take_credits(block: str, body: _Body) -> bool:
    """Read a closing credit line into `body.contributors`; True when `block` was one.

    A CNN line may open with other sentences ("X reported from Marseille. CNN's
    Y contributed to this report."): those stay in the body.
    """
    wire = _WIRE_CREDITS.match(block)
    if wire:
        for role in wire["credits"].split(";"):
            _, _, names = role.partition(" by ")
            body.contributors.extend(_split_names(names))
        return True
    # Cut at sentence ends, each cut after any closing quote, so that the
    # prose kept before a credit is the block's own text to the character.
    starts = [0, *(gap.end() for gap in _SENTENCES.finditer(block))]
    sentences = [block[start:end].strip() for start, end in zip(starts, [*starts[1:], len(block)], strict=True)]
    credits = [_CONTRIBUTED.match(s) or _REPORTED_FROM.match(s) for s in sentences]
    if not credits[-1]:
        return False
    # Credit sentences at the end of the block; any before them stay prose.
    first_credit = len(credits)
    while first_credit and credits[first_credit - 1]:
        first_credit -= 1
    for credit in credits[first_credit:]:
        body.contributors.extend(_split_names(credit["names"]))
    if first_credit:
        body.paragraphs.append(block[: starts[first_credit]].strip())
    return True


def _split_names(names: str) -> list[str]:
    """ "A, B and C in JAKARTA" -> ["A", "B", "C"]; drops places and job titles."""
    found = []
    for piece in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s+while\s+", names):
        piece = re.split(r"\s+(?:in|from|reported|wrote)\b", piece.strip(), maxsplit=1)[0]
        words = piece.split()
        # "senior producer Wayne Drash" -> "Wayne Drash"; "Pieter de Vries" stays.
        titles = [i for i, word in enumerate(words) if word.islower() and word not in _NAME_PARTICLES]
        words = words[titles[-1] + 1 :] if titles else words
        if words:
            found.append(" ".join(words))
    return found


def _is_sentence(block: str) -> bool:
    """Headlines do not end with a full stop; captions, promos and prose do."""
    return block.endswith(".") or block.endswith(".”") or block.endswith('."')


def _looks_like_headline(block: str) -> bool:
    return (
        len(block.split()) <= MAX_INLINE_HEADLINE_WORDS
        and not _ENDS_SENTENCE.search(block)
        and not block.endswith((":", ",", ";"))
        and block[0] not in "“\"‘'("
    )
