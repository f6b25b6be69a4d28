"""Plain text in, Markdown out, without changing a word.

Scraped article text is not Markdown: a paragraph that starts with "1." or
"#", or holds "*" or "<script>", would be rendered as a list, a heading,
emphasis or raw HTML. `paragraph_to_markdown` escapes exactly what Markdown
would otherwise interpret, so that the rendered page shows the source text as
it was (quotes, curly punctuation and typos included).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

import charset_normalizer

from generator.errors import SourceError

# Characters Python-Markdown treats as inline syntax anywhere in a line. "<"
# and entity-like "&name;" / "&#..." (Markdown completes "&#1" to "&#1;") are not
# backslash-escapable, so they become entities.
_INLINE = re.compile(r"([\\`*_\[\]])")
#: What Markdown would read as an entity: "&name;" and "&#..." (escaped as "&amp;").
ENTITY_LIKE = re.compile(r"&(?=#|\w+;)")
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
    text = ENTITY_LIKE.sub("&amp;", text)
    text = text.replace("<", "&lt;")
    text = _INLINE.sub(r"\\\1", text)
    match = _BLOCK_START.match(text)
    if match:
        # Escape the marker itself, or the "." / ")" after a leading number.
        cut = match.end() if match.group().isdigit() else 0
        text = f"{text[:cut]}\\{text[cut:]}"
    return text


def cut_at_word(text: str, limit: int) -> str:
    """`text` with whitespace collapsed, cut at a word boundary past `limit` characters, with "…".

    >>> cut_at_word("The storm hit the coast, again", 20)
    'The storm hit the…'
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


class Subhead(str):
    """A paragraph that is a section heading in the source ("NO FOUL PLAY SEEN")."""


def paragraphs_to_markdown(paragraphs: list[str]) -> str:
    """Join plain-text paragraphs into a Markdown body, one blank line apart; subheads become headings."""
    return "\n\n".join(
        f"## {paragraph_to_markdown(p)}" if isinstance(p, Subhead) else paragraph_to_markdown(p)
        for p in paragraphs
        if p.strip()
    )


#: Below this many non-ASCII bytes, detection guesses (six cp1252 bytes come
#: back as Chinese); such a file is decoded as cp1252.
MIN_BYTES_FOR_DETECTION = 16


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode an input file, getting every character right where that is knowable.

    In order: a byte-order mark; the charset the document declares (HTML);
    UTF-8; then detection with charset_normalizer. Detection ranks cp1250
    above cp1252 for short Western text and would turn "“Café”" into
    "„Café”"-style mojibake, so cp1252 (a superset of Latin-1's printable
    characters, and what "ANSI" news copy is saved in) wins whenever detection
    finds it plausible at all; Cyrillic, Greek or Japanese bytes do not pass
    as cp1252 and get their own codec.
    """
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    for codec in (declared, "utf-8"):
        if codec:
            try:
                return data.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue
    if sum(byte > 0x7F for byte in data) < MIN_BYTES_FOR_DETECTION:
        # Too little evidence for detection to beat the most common legacy codec.
        return data.decode("cp1252", errors="replace")
    matches = charset_normalizer.from_bytes(data)
    if any(match.encoding == "cp1252" for match in matches) or not matches:
        return data.decode("cp1252", errors="replace")
    return str(matches.best())


def read_input_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of an input file (an article to import, a local feed), or SourceError saying why not.

    Only a regular file is opened: a FIFO would block the run forever and
    /dev/zero would fill memory. At most `max_bytes` are read, whatever the
    file system says of its size.
    """
    try:
        status = os.stat(path)
        if stat.S_ISDIR(status.st_mode):
            raise SourceError(path, "is a folder, not a file")
        if not stat.S_ISREG(status.st_mode):
            raise SourceError(path, "is not a regular file (a FIFO, socket or device): not read")
        if status.st_size > max_bytes:
            raise SourceError(path, f"file is {status.st_size:,} bytes; the limit is {max_bytes:,}")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise SourceError(path, "no such file") from exc
    except OSError as exc:
        raise SourceError(path, f"cannot be read: {exc.strerror}") from exc
    if len(data) > max_bytes:
        raise SourceError(path, f"file grew past the limit of {max_bytes:,} bytes while read")
    return data
