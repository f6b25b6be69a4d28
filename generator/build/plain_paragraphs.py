"""Markdown bodies of plain paragraphs to HTML without Python-Markdown: the same bytes, 12-30x faster.

Python-Markdown was 58% of reading a source (py-spy of a cold build of
2,000 articles), about 1.9 ms for a body of 3,000 characters; most bodies
are paragraphs of text and nothing else (182 of the 383 articles of
../shared/corpus/ built into one site, 487 of 558 CNN/Daily Mail stories of
../shared/eval/, every article of the build benchmark). For such a body
Python-Markdown's work comes down to this: blocks are split at blank
lines, each becomes `<p>` with its text as it stands, and two spaces at
a line's end make a `<br>`. `paragraphs_html` does that and nothing
more. A body with any character that could start something else (markup,
an entity, an escape, a control character, a line opening with
whitespace, "#", ">", "-", "+", "=", ":", "~", "|" or "1.") gets None and
goes to Python-Markdown as before; so does every body when the site's
MARKDOWN setting is not newsdigest's own. tests/test_plain_paragraphs.py
compares the two on generated bodies and on real ones. Per body: 0.06 against
2.1 ms (the benchmark's), 0.09 against 1.0 ms (CNN/Daily Mail stories).
"""

from __future__ import annotations

import re

import markdown

#: Pelican's MARKDOWN setting as its Markdown reader leaves it (it adds `meta`), for newsdigest's
#: default (generator.defaults.MARKDOWN): the only configuration whose output this module knows.
KNOWN_SETTINGS = {
    "extension_configs": {"markdown.extensions.extra": {}},
    "extensions": ["markdown.extensions.extra", "markdown.extensions.meta"],
    "output_format": "html5",
}

#: Characters that may mean something to Python-Markdown or its `extra` extensions (or its
#: placeholders: STX, ETX), control characters, and line separators other than "\n".
_NOT_PLAIN = re.compile(r"[\\`*_\[\]<>&{}|\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
#: What opens a block other than a paragraph at a line's start (or indents it: code, lists' lines).
_BLOCK_START = re.compile(r"^(?:[^\S\n]|[#>+=:~-]|\d+\.)", flags=re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{2,}")
#: Python-Markdown's line break: the last two spaces before a newline, and what it writes for it.
_LINE_BREAK, _BREAK_HTML = "  \n", "<br>\n"


def paragraphs_html(source: str) -> str | None:
    """What Python-Markdown (extra, html5) makes of `source`, when it is plain paragraphs; else None."""
    if _NOT_PLAIN.search(source) or _BLOCK_START.search(source):
        return None
    blocks = _BLANK_LINES.split(source.strip("\n"))
    return "\n".join(f"<p>{block.replace(_LINE_BREAK, _BREAK_HTML)}</p>" for block in blocks if block)


class PlainParagraphsFirst(markdown.Markdown):
    """Python-Markdown, which hands a body of plain paragraphs to `paragraphs_html`."""

    def convert(self, source: str) -> str:
        html = paragraphs_html(source)
        return super().convert(source) if html is None else html
