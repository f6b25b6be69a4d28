"""An article's own enrichment, done as Pelican reads its source. Pure.

What depends on one source alone: its feed HTML sanitised once more (the
importer already did; this holds even for a hand-edited source), the ids
that generated highlights link to, its reading time and its description.
generator.build.reader does it as it reads a source, so Pelican's content cache
keeps the result: a rebuild does it only for sources that changed, and a
cold build does it in parallel (generator.build.prefill). Done after reading, for
every article on every build, it took 4-5 s of a rebuild at 10,000 articles.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

from generator.build.metadata import reading_minutes
from generator.ingest.text import cut_at_word

#: A block of Markdown's HTML that can hold a highlight: its tag, attributes, inner HTML.
_BLOCK = re.compile(r"<(p|li|blockquote)\b([^>]*)>(.*?)</\1>", re.DOTALL)
_ID = re.compile(r'\bid="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"""\bsrc=["']([^"']*)["']""", re.IGNORECASE)
DESCRIPTION_LENGTH = 200


def enrich_body(content: str, metadata: dict, remote_images: bool = False) -> tuple[str, dict]:
    """The rendered body of one source, and what its page needs of it alone, to add to its metadata:

    `highlight_anchors` (each highlight's paragraph id, or None),
    `reading_minutes` and `description` (the first highlight, else the
    body's start). Images from other sites are dropped unless `remote_images`
    (NEWSDIGEST_FEED_IMAGES) allows https ones (see `image_allowed`).
    """
    highlights = as_list(metadata.get("highlights"))
    if came_from_outside(metadata):
        from generator.sanitize import clean_html  # nh3 and BeautifulSoup: not for a build with nothing to read

        content = clean_html(content)  # untrusted, whatever the source file now says
    content = _IMG.sub(lambda img: img.group(0) if image_allowed(_src(img.group(0)), remote_images) else "", content)
    anchors: list[str | None] = [None] * len(highlights)
    if metadata.get("highlights_from") == "generated":
        content, anchors = anchor_sentences(content, highlights)
    text = body_text(content)
    return content, {
        "highlight_anchors": anchors,
        "reading_minutes": reading_minutes(text),
        "description": highlights[0] if highlights else cut_at_word(text, DESCRIPTION_LENGTH),
    }


def image_allowed(src: str, remote_images: bool) -> bool:
    """Whether the page may show an image from `src`: the site's own (a relative address) always;
    another site's only over https and only when `remote_images` is on. The page's
    Content-Security-Policy (theme/templates/base.html) allows exactly these: an image it would
    block would show as broken, so it is not on the page (nor in the site's feeds) at all."""
    scheme = urlsplit(src).scheme.lower()
    if not scheme and not src.startswith("//"):
        return True
    return remote_images and scheme == "https"


def _src(img_tag: str) -> str:
    found = _SRC.search(img_tag)
    return unescape(found.group(1)) if found else ""


#: Front matter that only fetch and import write: a source holding any of them came from a feed or a page.
OUTSIDE_MARKS = ("guid", "link", "import_id", "content_hash")


def came_from_outside(metadata: dict) -> bool:
    """Whether a source was fetched or imported (its HTML untrusted), even after a hand edit removed
    some of what says so; only a source written by hand from scratch has none of OUTSIDE_MARKS."""
    return any(metadata.get(mark) for mark in OUTSIDE_MARKS)


def as_list(value: object) -> list[str]:
    """Front matter edited by hand may hold one string where a list is expected."""
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def body_text(html: str) -> str:
    """The text of rendered Markdown (trusted: our own reader's), tags dropped and entities decoded."""
    return " ".join(unescape(_TAG.sub(" ", html or "")).split())


def anchor_sentences(html: str, sentences: list[str]) -> tuple[str, list[str | None]]:
    """Give the paragraph holding each sentence an id ("highlight-1", ...), so a highlight can link to it.

    Returns the new HTML (unchanged but for the ids) and each sentence's
    anchor (None when no paragraph holds it). A regular expression over
    Markdown's own output, not a parser: this runs for thousands of articles.
    """
    blocks = [(match, body_text(match.group(3))) for match in _BLOCK.finditer(html)]
    chosen: dict[int, tuple[re.Match, str]] = {}  # block start -> (block, its id)
    anchors: list[str | None] = []
    for number, sentence in enumerate(sentences, start=1):
        wanted = " ".join(sentence.split())
        holder = next((match for match, text in blocks if wanted in text), None)
        if holder is None:
            anchors.append(None)
            continue
        if holder.start() not in chosen:
            existing = _ID.search(holder.group(2))
            chosen[holder.start()] = (holder, existing.group(1) if existing else f"highlight-{number}")
        anchors.append(chosen[holder.start()][1])
    for start in sorted(chosen, reverse=True):  # from the end, so earlier offsets stay valid
        holder, anchor = chosen[start]
        if not _ID.search(holder.group(2)):
            html = f'{html[: holder.start(2)]} id="{anchor}"{html[holder.start(2) :]}'
    return html, anchors
