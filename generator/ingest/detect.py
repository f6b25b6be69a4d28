"""Which format an input is, decided by its content, not its file name.

A scraped article saved as .txt may be a .story file or an HTML page, and a
.story file may arrive without its extension; only the content is reliable.
"""

from __future__ import annotations

import re

from generator.ingest.story import is_story

RAW, STORY, HTML = "raw", "story", "html"

# An HTML document announces itself in its first bytes: a doctype, an <html>
# or <head> tag, or (for fragments saved from a browser) a <meta charset>.
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta\s+charset)\b", re.I | re.S)


def detect_format(text: str) -> str:
    """One of RAW, STORY or HTML."""
    if _HTML_START.match(text[:4096]):
        return HTML
    if is_story(text):
        return STORY
    return RAW
