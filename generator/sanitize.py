"""Untrusted HTML -> safe HTML -> Markdown.

Everything a feed or a fetched page says is untrusted. `clean_html` keeps an
allowlist of tags and attributes (nh3, the Python binding of the ammonia
sanitiser): no script, style, iframe, object, form or SVG; no on* handlers;
only http(s) and mailto URLs, relative ones resolved against the item's base
first; every link gets rel="nofollow noopener ugc".

`html_to_markdown` then converts the clean HTML with markdownify, escaping
"<" and entity-like "&" in text: markdownify turns the text "&lt;script&gt;"
back into a literal "<script>", which Markdown would pass through as HTML.
HTML of only paragraphs, links, emphasis, line breaks and images (most feed
items) goes through generator.plain_markdown instead, which writes the same
Markdown a quarter of the time.
The build sanitises feed items' rendered HTML once more (generator.build.plugin),
so that a hand edit or a converter bug cannot reopen the hole.
"""

from __future__ import annotations

import functools
import warnings
from html import unescape
from urllib.parse import urljoin, urlsplit

import nh3
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag
from markdownify import MarkdownConverter, abstract_inline_conversion, chomp, strip_pre

from generator.plain_markdown import block_texts, escape_text, plain_markdown, plain_tree

ALLOWED_TAGS = frozenset(
    """a abbr b blockquote br caption cite code dd del dl dt em figcaption figure h2 h3 h4 h5 h6 hr i img
    ins kbd li ol p pre q s small strong sub sup table tbody td tfoot th thead time tr u ul""".split()
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener ugc"
_URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
# Everything parsed here is markup from a feed, even when it looks like a file name ("index.html").
warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning, module=__name__)
#: The blocks whose text makes a paragraph for highlights and language detection.
_BLOCKS = frozenset({"p", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "td"})


def safe_url(value: str, base_url: str = "") -> str | None:
    """`value` resolved against `base_url`, or None unless it is http(s) or mailto."""
    value = value.strip()
    if not value:
        return None
    resolved = urljoin(base_url, value) if base_url else value
    return resolved if urlsplit(resolved).scheme.lower() in URL_SCHEMES else None


def clean_html(html: str, base_url: str = "") -> str:
    """Untrusted HTML reduced to the allowlist, relative links made absolute."""
    return _cleaner(base_url).clean(html)


@functools.lru_cache(maxsize=16)
def _cleaner(base_url: str) -> nh3.Cleaner:
    """The allowlist as an nh3 sanitiser, built once for each base URL: a build cleans every feed
    item's body with none (building the sanitiser was a third of each call, 0.5 s at 10,000)."""

    def filter_attribute(tag: str, attribute: str, value: str) -> str | None:
        if attribute in _URL_ATTRIBUTES:
            return safe_url(value, base_url)
        return value

    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=filter_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


class _TextSafeConverter(MarkdownConverter):
    """markdownify, with "<", "&", "`", "[" and "]" in text kept as text (a stray backtick
    pair would make a code span and show its entities raw; a "]" would break a link)."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return escape_text(text)

    # Emphasis as HTML, not "*"/"**": markers side by side ("**a****b**") or against
    # a letter lose text in Markdown's emphasis rules. The build sanitises it again.
    convert_b = convert_strong = abstract_inline_conversion(lambda self: "<strong>")
    convert_i = convert_em = abstract_inline_conversion(lambda self: "<em>")

    def convert_code(self, el, text, parent_tags):
        # As HTML, its text escaped as any text's: two code spans side by side run together
        # ("`a``` ` ``": the backticks of one close or open the other's). The build sanitises it again.
        if "_noformat" in parent_tags:  # inside <pre> or another <code>: its text as it is
            return text
        prefix, suffix, text = chomp(text)
        return f"{prefix}<code>{self.escape(' '.join(text.split()), parent_tags)}</code>{suffix}" if text else ""

    def convert_pre(self, el, text, parent_tags):
        # In a quote, a line of code each: Python-Markdown reads no fence there, and the text
        # would be lost to Markdown's other rules ("#" a heading, "*" emphasis, "<b>" a tag).
        if "blockquote" not in parent_tags:
            return super().convert_pre(el, text, parent_tags)
        lines = [
            f"<code>{self.escape(line, set())}</code>" if line.strip() else "" for line in strip_pre(text).split("\n")
        ]
        return "\n\n" + "  \n".join(lines) + "\n\n" if any(lines) else ""

    def convert_a(self, el, text, parent_tags):
        # A link may wrap paragraphs (HTML allows it; Markdown's link text is one line).
        return super().convert_a(el, " ".join(text.split()), parent_tags)

    def convert_img(self, el, text, parent_tags):
        # No src: the sanitiser removed an unsafe one (data:, javascript:). No alt:
        # the image cannot be described to a reader who cannot see it.
        return super().convert_img(el, text, parent_tags) if el.get("src") and el.get("alt", "").strip() else ""


class _Tag(Tag):
    """bs4's Tag, with `find_parent(name)` a walk up the tree: markdownify asks it of every tag
    (for a <pre> above), and bs4's general matcher made that a third of the conversion."""

    def find_parent(self, name=None, attrs=None, **kwargs):
        if not isinstance(name, str) or attrs or kwargs:
            return super().find_parent(name, attrs, **kwargs)
        parent = self.parent
        while parent is not None and parent.name != name:
            parent = parent.parent
        return parent


#: One converter for every call: it holds only its options and a cache of its methods.
_CONVERTER = _TextSafeConverter(heading_style="ATX", bullets="-")


def html_to_markdown(html: str, base_url: str = "") -> str:
    """Untrusted HTML as safe Markdown."""
    return markdown_and_paragraphs(html, base_url)[0]


def markdown_and_paragraphs(html: str, base_url: str = "") -> tuple[str, list[str]]:
    """Untrusted HTML as safe Markdown, and the text of each of its blocks: sanitised and parsed
    once for both (a feed item needs both, and parsing is most of their cost)."""
    clean = clean_html(html, base_url)
    tree = plain_tree(clean)  # paragraphs, links, emphasis, breaks, images: most items
    if tree is not None:
        markdown, texts = plain_markdown(tree), block_texts(tree)
    else:
        markdown, texts = general_markdown(clean)
    if texts:
        return markdown, texts
    whole = html_to_text(html)  # no block elements: the text is one paragraph
    return markdown, [whole] if whole else []


def general_markdown(clean: str) -> tuple[str, list[str]]:
    """markdownify's Markdown of sanitised HTML, and the text of each innermost block."""
    # lxml parses several times faster than markdownify's default html.parser; attributes kept as
    # text (bs4 splits "class" and "rel" into lists, a fifth of its tree building here, and the
    # converter reads neither).
    soup = BeautifulSoup(clean, "lxml", element_classes={Tag: _Tag}, multi_valued_attributes=None)
    # Walked by hand: bs4's find_all and find matchers cost more than the walk.
    blocks = [node for node in soup.descendants if node.name in _BLOCKS]
    innermost = [block for block in blocks if not any(node.name in ("p", "li") for node in block.descendants)]
    texts = [" ".join(block.get_text(" ").split()) for block in innermost]
    return _CONVERTER.convert_soup(soup).strip(), [text for text in texts if text]


def html_to_text(html: str) -> str:
    """The text of untrusted HTML, whitespace collapsed: for titles and summaries,
    which the theme escapes when it shows them."""
    text_only = nh3.clean(html, tags=set(), clean_content_tags={"script", "style"}, strip_comments=True)
    return " ".join(unescape(text_only).split())
