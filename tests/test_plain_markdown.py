"""The plain-HTML converter writes what markdownify writes, on every generated document it takes."""

from __future__ import annotations

from html import escape

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.plain_markdown import block_texts, plain_markdown, plain_tree
from generator.sanitize import clean_html, general_markdown, markdown_and_paragraphs

# Words, the characters Markdown and HTML give meaning to, and every kind of blank
# the two converters might treat apart (a form feed, a no-break space, tabs, runs).
TEXT = st.lists(
    st.one_of(
        st.from_regex(r"[A-Za-z]{1,9}", fullmatch=True),
        st.sampled_from(["*", "_", "#", "##", "[", "]", "(", ")", "<", ">", "&", "&amp;", "`", "\\", "!", "~"]),
        st.sampled_from(["-", "--", "+", "1.", "2)", "10.", ".", "&#1;", "https://example.org/a_b"]),
        st.sampled_from([" ", " ", "  ", "\n", "\n\n", "\t", " \n ", "\x0c", "\u00a0", "\r\n", "“", "”"]),
    ),
    min_size=1,
    max_size=10,
).map("".join)
URLS = st.sampled_from(["https://example.org/x?a=1&b=2", "https://example.org/a_b", "mailto:a@example.org", ""])


def attribute(name: str, value: str) -> str:
    return f' {name}="{escape(value)}"' if value else ""


def link(children: list[str], href: str, title: str) -> str:
    return f"<a{attribute('href', href)}{attribute('title', title)}>{''.join(children)}</a>"


IMAGES = st.builds(
    lambda src, alt, title: f"<img{attribute('src', src)}{attribute('alt', alt)}{attribute('title', title)}>",
    URLS,
    st.sampled_from(["", " ", "A map", 'The "map"']),
    st.sampled_from(["", 'A "title"']),
)
INLINES = st.recursive(
    st.one_of(TEXT.map(escape), IMAGES, st.just("<br>")),
    lambda children: st.one_of(
        st.builds(
            lambda parts, tag: f"<{tag}>{''.join(parts)}</{tag}>",
            st.lists(children, min_size=1, max_size=4),
            st.sampled_from(["b", "strong", "i", "em"]),
        ),
        st.builds(link, st.lists(children, min_size=1, max_size=3), URLS, st.sampled_from(["", 'Say "x"'])),
        # A link whose text is its address: Markdown's <autolink>.
        URLS.filter(bool).map(lambda url: link([escape(url)], url, "")),
    ),
    max_leaves=10,
)
BLANKS = st.sampled_from(["", " ", "\n", "\n\n  ", "\t"])
PARAGRAPHS = st.builds(lambda parts: f"<p>{''.join(parts)}</p>", st.lists(INLINES, max_size=4))
# Paragraphs, loose inline content (libxml2 wraps what leads in a <p>), links around paragraphs.
DOCUMENTS = st.lists(
    st.one_of(
        PARAGRAPHS,
        INLINES,
        BLANKS,
        st.builds(link, st.lists(PARAGRAPHS, min_size=1, max_size=2), URLS, st.just("")),
    ),
    min_size=1,
    max_size=6,
).map("".join)


@settings(max_examples=600, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
@example("<b>a</b>\x0c<b>c</b> \x0c <i>d</i>")  # blanks BeautifulSoup shortens to one space
def test_plain_documents_convert_as_markdownify_converts_them(html: str):
    clean = clean_html(html, "https://example.org/feed")
    tree = plain_tree(clean)
    if tree is None:  # the sanitiser left nothing, or nothing but text libxml2 makes no tree of
        assert not clean.strip() or "<" not in clean
        return
    assert (plain_markdown(tree), block_texts(tree)) == general_markdown(clean), clean


@pytest.mark.parametrize(
    "html",
    [
        "<ul><li>A list</li></ul>",
        "<p>Text</p><h2>A heading</h2>",
        "<p>Some <code>code</code></p>",
        "<blockquote>A quote</blockquote>",
        "<p>Text</p><!-- a comment -->",
        "\ufeff<p>A byte order mark first</p>",
    ],
)
def test_anything_but_plain_html_is_left_to_markdownify(html: str):
    assert plain_tree(html) is None


def test_a_plain_item_converts_to_markdown_and_its_paragraphs():
    html = '<p>One <a href="https://example.org/a">link</a> and <b>bold</b> text.</p><p>Second<br>line</p>'
    assert markdown_and_paragraphs(html) == (
        "One [link](https://example.org/a) and <strong>bold</strong> text.\n\nSecond  \nline",
        ["One link and bold text.", "Second line"],
    )
