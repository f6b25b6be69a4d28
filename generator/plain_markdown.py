"""Sanitised HTML of paragraphs, links, emphasis, line breaks and images, to Markdown, on lxml.

Most feed items hold nothing else (325 of the 444 items of ../shared/corpus/'s
feeds; every item of the fetch benchmark). For them, building BeautifulSoup's
tree and markdownify's walk over it were a third of a fetched item's cost. This
module reads the tree libxml2 makes of the same HTML (BeautifulSoup's "lxml"
builder is fed by that same parser) and writes what markdownify, as
generator.sanitize configures it, writes: byte for byte, which
tests/test_plain_markdown.py checks over generated documents against markdownify
itself. Anything else (lists, headings, tables, code, quotes) is left to
markdownify: `plain_tree` says None.

The rules below are markdownify's (1.2), narrowed to these tags: whitespace-only
text beside a paragraph's edge is dropped, text is normalised and escaped, runs
of newlines between converted children collapse to at most two.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from generator.ingest.text import ENTITY_LIKE

#: The tags this module converts; `html` and `body` are the parser's own wrapping.
PLAIN_TAGS = frozenset({"html", "body", "p", "a", "em", "i", "strong", "b", "br", "img"})

#: What starts a block in Markdown at a line's start, and may land there after a <br>:
#: "#" (Python-Markdown needs no space after it), "-", "+", "--", ">" (escaped as "\#"...),
#: and "1." or "2)" (as "1\."). A newline in HTML text is a space: it stays one.
_BLOCK_MARKER = re.compile(r"(\s|^)(#|[-+](?=\s|$)|-(?=-+(?:\s|$))|>)")
_MARKER_CHARACTERS = frozenset("#-+>")
_LIST_NUMBER = re.compile(r"(\s|^)([0-9]{1,9})([.)])(?=\s|$)")
# markdownify's whitespace rules.
_NEWLINE_AND_SPACES = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
_SPACES = re.compile(r"[\t ]+")
_EDGE_NEWLINES = re.compile(r"^(\n*)((?:.*[^\n])?)(\n*)$", flags=re.DOTALL)
#: BeautifulSoup's "whitespace" when it shortens a blank string to one space or newline.
_ASCII_BLANKS = " \n\t\x0c\r"


def escape_text(text: str) -> str:
    """Text as Markdown that shows it as it is: "<", "&", "`", "[", "]", "*", "_" and "\\" kept
    as text (a stray backtick pair would make a code span and show its entities raw; a "]"
    would break a link), and what would start a block where a line break lands escaped."""
    text = text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
    if "&" in text:
        text = ENTITY_LIKE.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace("`", "\\`")  # no code span
    text = text.replace("[", "\\[").replace("]", "\\]")  # no link
    if text.endswith("!"):
        text = text[:-1] + "\\!"  # a link may follow: "![text](url)" would be an image
    # Text that would start a list, a heading, a rule or a quote where a line
    # break lands before it ("<br>1. "): escaped wherever it follows a space.
    # (Each pattern tried only when its characters are there: most text has none.)
    if not _MARKER_CHARACTERS.isdisjoint(text):
        text = _BLOCK_MARKER.sub(r"\1\\\2", text)
    return _LIST_NUMBER.sub(r"\1\2\\\3", text) if "." in text or ")" in text else text


def plain_tree(html: str) -> etree._Element | None:
    """libxml2's tree of sanitised `html` when it holds only PLAIN_TAGS (no comment either), else None."""
    if not html or html.startswith("\ufeff"):  # BeautifulSoup drops a byte order mark: theirs to read
        return None
    parser = etree.HTMLParser(recover=True)
    try:
        parser.feed(html)
        root = parser.close()
    except etree.LxmlError:
        return None
    if root is None or any(element.tag not in PLAIN_TAGS for element in root.iter()):
        return None
    return root


def plain_markdown(root: etree._Element) -> str:
    """The Markdown of a `plain_tree`."""
    return _converted(root).strip()


def block_texts(root: etree._Element) -> list[str]:
    """The text of each paragraph of a `plain_tree`, whitespace collapsed (the sanitiser's HTML5
    parser never leaves a paragraph inside another)."""
    texts = (" ".join(" ".join(p.itertext()).split()) for p in root.iter("p"))
    return [text for text in texts if text]


def _children(element: etree._Element) -> list:
    """The element's children as BeautifulSoup lists them: texts and elements, in order."""
    children: list = [element.text] if element.text else []
    for child in element:
        children.append(child)
        if child.tail:
            children.append(child.tail)
    return children


def _is_paragraph(node) -> bool:
    return node is not None and not isinstance(node, str) and node.tag == "p"


def _converted(element: etree._Element) -> str:
    inside_block = element.tag == "p"
    children = _children(element)
    last = len(children) - 1
    parts = []
    for position, child in enumerate(children):
        before = children[position - 1] if position else None
        after = children[position + 1] if position < last else None
        if not isinstance(child, str):
            part = _converted(child)
        elif not child.strip() and (
            (inside_block and (before is None or after is None)) or _is_paragraph(before) or _is_paragraph(after)
        ):
            continue  # whitespace at a paragraph's edge
        else:
            part = _text(child, before, after, inside_block)
        if part:
            parts.append(part)
    return _CONVERSIONS.get(element.tag, _as_is)(element, _joined(parts))


def _text(text: str, before, after, inside_block: bool) -> str:
    if not text.strip(_ASCII_BLANKS):
        text = "\n" if "\n" in text else " "
    if "\n" in text or "\r" in text:
        text = _NEWLINE_AND_SPACES.sub("\n", text)
    if "\t" in text or "  " in text:
        text = _SPACES.sub(" ", text)
    text = escape_text(text)
    if _is_paragraph(before) or (inside_block and before is None):
        text = text.lstrip(" \t\r\n")
    if _is_paragraph(after) or (inside_block and after is None):
        text = text.rstrip()
    return text


def _joined(parts: list[str]) -> str:
    """The parts joined, the newlines where two meet cut to the larger side's, at most two."""
    joined = [""]
    for part in parts:
        leading, content, trailing = _EDGE_NEWLINES.match(part).groups()
        if joined[-1] and leading:
            leading = "\n" * min(2, max(len(joined.pop()), len(leading)))
        joined.extend((leading, content, trailing))
    return "".join(joined)


def _as_is(element: etree._Element, text: str) -> str:
    return text


def _paragraph(element: etree._Element, text: str) -> str:
    text = text.strip(" \t\r\n")
    return f"\n\n{text}\n\n" if text else ""


def _link(element: etree._Element, text: str) -> str:
    # A link may wrap paragraphs (HTML allows it; Markdown's link text is one line).
    text = " ".join(text.split())
    if not text:
        return ""
    href, title = element.get("href"), element.get("title")
    if text.replace("\\_", "_") == href and not title:
        return f"<{href}>"
    return f"[{text}]({href}{_title(title)})" if href else text


def _emphasis(tag: str) -> Callable[[etree._Element, str], str]:
    # As HTML, not "*"/"**": markers side by side ("**a****b**") or against a letter lose
    # text in Markdown's emphasis rules. The build sanitises it again.
    def convert(element: etree._Element, text: str) -> str:
        prefix = " " if text[:1] == " " else ""
        suffix = " " if text[-1:] == " " else ""
        text = text.strip()
        return f"{prefix}<{tag}>{text}</{tag}>{suffix}" if text else ""

    return convert


def _line_break(element: etree._Element, text: str) -> str:
    return "  \n" + text


def _image(element: etree._Element, text: str) -> str:
    # No src: the sanitiser removed an unsafe one (data:, javascript:). No alt: the
    # image cannot be described to a reader who cannot see it.
    src, alt = element.get("src") or "", element.get("alt") or ""
    return f"![{alt}]({src}{_title(element.get('title'))})" if src and alt.strip() else ""


def _title(title: str | None) -> str:
    if not title:
        return ""
    escaped = title.replace('"', '\\"')
    return f' "{escaped}"'


_CONVERSIONS = {
    "p": _paragraph,
    "a": _link,
    "em": _emphasis("em"),
    "i": _emphasis("em"),
    "strong": _emphasis("strong"),
    "b": _emphasis("strong"),
    "br": _line_break,
    "img": _image,
}
