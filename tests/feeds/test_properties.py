"""The feed-to-Markdown path over generated HTML (hypothesis): never a crash, never a lost word."""

from __future__ import annotations

import re
from html import escape

import markdown
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.sanitize import html_to_markdown

RENDERER = markdown.Markdown(extensions=["markdown.extensions.extra"], output_format="html5")
NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")

# Words, and the characters Markdown and HTML give meaning to.
TEXT = st.lists(
    st.one_of(
        st.from_regex(r"[A-Za-z]{1,9}", fullmatch=True),
        st.sampled_from(["*", "_", "#", "[", "]", "(", ")", "<", ">", "&", "`", "|", "\\", "-", "+", "1.", "!", "~"]),
        st.sampled_from([" ", " ", " ", "\n", "\u00a0", "“", "”", "—"]),
    ),
    min_size=1,
    max_size=12,
).map("".join)
INLINE = ["b", "i", "em", "strong", "span", "code", "a", "u", "sup", "sub", "abbr", "cite"]
#: Blocks that hold only inline content (HTML's phrasing content), and blocks that hold any.
PHRASING_BLOCK = ["p", "h2", "h3", "pre"]
FLOW_BLOCK = ["div", "blockquote", "li", "section", "article", "figure", "figcaption"]


def element(children: list[str], tag: str) -> str:
    attributes = ' href="https://example.org/x?a=1&amp;b=2"' if tag == "a" else ""
    inner = "".join(children)
    if tag == "li":
        return f"<ul><li>{inner}</li></ul>"
    return f"<{tag}{attributes}>{inner}</{tag}>"


# Valid nesting, as browsers build it: inline elements, paragraphs, headings and
# <pre> hold inline content; other blocks hold either; a link may wrap blocks
# (HTML allows it, and feeds do it).
INLINES = st.recursive(
    TEXT.map(escape),
    lambda children: st.one_of(
        st.builds(element, st.lists(children, min_size=1, max_size=4), st.sampled_from(INLINE)),
        st.builds(lambda parts: "<br>".join(parts), st.lists(children, min_size=2, max_size=3)),
    ),
    max_leaves=12,
)
NODES = st.recursive(
    st.one_of(INLINES, st.builds(element, st.lists(INLINES, min_size=1, max_size=4), st.sampled_from(PHRASING_BLOCK))),
    lambda children: st.one_of(
        st.builds(element, st.lists(children, min_size=1, max_size=4), st.sampled_from(FLOW_BLOCK)),
        st.builds(element, st.lists(children, min_size=1, max_size=3), st.just("a")),
    ),
    max_leaves=25,
)
HOSTILE = st.sampled_from(["<script>var hidden = 1;</script>", "<style>p { color: red }</style>", "<!-- note -->"])
DOCUMENTS = st.lists(st.one_of(NODES, HOSTILE), min_size=1, max_size=6).map("".join)


def visible_letters(html: str) -> str:
    """The letters and digits a reader sees, in order (spacing and punctuation aside)."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style"]):
        hidden.decompose()
    return NOT_ALNUM.sub("", soup.get_text())


# Derandomised: the same 250 documents on every run, so that CI is repeatable. A
# longer random search still finds rarer cases (README, "Noticed and left").
@settings(max_examples=250, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_feed_html_becomes_markdown_that_keeps_every_visible_word_in_order(html: str):
    source = html_to_markdown(html, "https://example.org/feed")
    assert visible_letters(RENDERER.reset().convert(source)) == visible_letters(html), (html, source)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_as_feed_html_never_crashes_and_never_yields_markup(text: str):
    source = html_to_markdown(text, "https://example.org/feed")
    rendered = RENDERER.reset().convert(source)
    soup = BeautifulSoup(rendered, "html.parser")
    assert not soup.find_all(["script", "style", "iframe", "object", "embed"])
    assert not [name for tag in soup.find_all(True) for name in tag.attrs if name.lower().startswith("on")]
