"""Plain text in, Markdown out, without changing a word.

Scraped article text is not Markdown: a paragraph that starts with "1." or
"#", or holds "*" or "<script>", would be rendered as a list, a heading,
emphasis or raw HTML. `paragraph_to_markdown` escapes exactly what Markdown
would otherwise interpret, so that the rendered page shows the source text as
it was (quotes, curly punctuation and typos included).
"""

from __future__ import annotations

import re

# Characters Python-Markdown treats as inline syntax anywhere in a line. "<"
# and entity-like "&name;" / "&#..." (Markdown completes "&#1" to "&#1;") are not
# backslash-escapable, so they become entities.
_INLINE = re.compile(r"([\\`*_\[\]])")
_ENTITY_LIKE = re.compile(r"&(?=#|\w+;)")
# What makes a one-line paragraph a block element when it starts it: a
# heading, a quote, a list item, or an ordered item ("1986. A year..."). Other
# block syntax (tables, setext headings, definition lists, fences) needs a
# second line, and `paragraph_to_markdown` always returns a single line.
_BLOCK_START = re.compile(r"^(?:[#>+\-]|\d+(?=[.)]))")


def paragraph_to_markdown(paragraph: str) -> str:
    """Escape one paragraph of plain text so Markdown renders it verbatim.

    >>> paragraph_to_markdown("1. Not a list, *not* <b>bold</b> & fine")
    '1\\\\. Not a list, \\\\*not\\\\* &lt;b>bold&lt;/b> & fine'
    """
    text = " ".join(paragraph.split())
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = text.replace("<", "&lt;")
    text = _INLINE.sub(r"\\\1", text)
    match = _BLOCK_START.match(text)
    if match:
        # Escape the marker itself, or the "." / ")" after a leading number.
        cut = match.end() if match.group().isdigit() else 0
        text = f"{text[:cut]}\\{text[cut:]}"
    return text


def paragraphs_to_markdown(paragraphs: list[str]) -> str:
    """Join plain-text paragraphs into a Markdown body, one blank line apart."""
    return "\n\n".join(paragraph_to_markdown(p) for p in paragraphs if p.strip())


def decode_text(data: bytes) -> str:
    """Decode an input file: UTF-8 (with or without BOM) first, then cp1252.

    cp1252 is a superset of Latin-1 for printable text and is what Windows
    tools save "ANSI" news copy in; the importer issue adds detection.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
