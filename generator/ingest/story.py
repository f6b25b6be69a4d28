"""CNN/DailyMail `.story` files -> `ArticleParts`.

The format of the DeepMind Q&A release: the article body, then each
human-written highlight after its own "@highlight" line. There is no headline
and no date: the title is made from the first highlight (marked
`title_inferred`), the date is inferred from the text or given with --date.
The body is scraped CNN text, parsed by the raw format's `split_body`.
"""

from __future__ import annotations

import re

from generator.errors import SourceError
from generator.ingest.parts import ArticleParts
from generator.ingest.raw import split_body

HIGHLIGHT_MARKER = "@highlight"
_MARKER_LINE = re.compile(rf"^{HIGHLIGHT_MARKER}\s*$", re.MULTILINE)


def is_story(text: str) -> bool:
    """True when `text` has at least one "@highlight" line."""
    return _MARKER_LINE.search(text) is not None


def split_story(text: str, path: str = "<string>") -> ArticleParts:
    """Take a .story file apart. Raises `SourceError` when it has no body."""
    body_text, *highlight_chunks = _MARKER_LINE.split(text)
    highlights = []
    for chunk in highlight_chunks:
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if lines:
            highlights.append(" ".join(lines))
    blocks = [line.strip() for line in body_text.splitlines() if line.strip()]
    body = split_body(blocks)
    if not body.paragraphs:
        raise SourceError(path, "no body text before the first @highlight line")
    return ArticleParts(
        headline="",
        highlights=tuple(highlights),
        location=body.location,
        source=body.source,
        paragraphs=tuple(body.paragraphs),
        related_headlines=tuple(body.related),
        contributors=tuple(dict.fromkeys(body.contributors)),
        unplaced_lines=tuple(body.unplaced),
    )
