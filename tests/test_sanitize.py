"""Untrusted HTML: a list of XSS payloads, each neutralised, and what safe HTML keeps."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup

from generator.sanitize import clean_html, html_to_markdown, html_to_text

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" java\tscript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">m</mi></math>',
    '<p style="width: expression(alert(1))">css</p>',
    '<div style="background:url(javascript:alert(1))">bg</div>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<form action="https://evil.example/"><input name=q></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<<script>script>alert(1)<</script>/script>",
    "&lt;script&gt;alert('escaped text')&lt;/script&gt;",
    '<img src="x" alt="x" onmouseover="alert(1)">',
    '<a href="#" onclick="alert(1)">click</a>',
    "<!--<script>alert(1)</script>-->",
    '<template><script>alert(1)</script></template><noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]
FORBIDDEN_TAGS = [
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "base",
    "meta",
    "link",
    "svg",
    "math",
]


def rendered(payload: str) -> BeautifulSoup:
    """What a reader's browser would get: our Markdown, rendered, then the build's second clean."""
    html = clean_html(markdown.markdown(html_to_markdown(payload, "https://feed.example/item/1")))
    return BeautifulSoup(html, "html5lib")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload: str):
    page = rendered(payload)
    assert page.find_all(FORBIDDEN_TAGS) == []
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), (payload, name)
            assert name.lower() != "style"
            if name in ("href", "src"):
                assert value.split(":")[0].lower() in ("https", "http", "mailto"), (payload, value)


def test_escaped_markup_in_text_stays_visible_text():
    page = rendered("&lt;script&gt;alert('escaped text')&lt;/script&gt;")
    assert "<script>alert('escaped text')</script>" in page.get_text()


@pytest.mark.parametrize(
    ("html", "codes"),
    [
        # Two code spans side by side: as backticks, one's closing ran into the other's opening.
        ("<p>Run <code>ls</code><code>`x`</code> now</p>", ["ls", "`x`"]),
        # Code in a quote: Python-Markdown reads no fence there; "#" became a heading, "<b>" a tag.
        ("<blockquote><pre>#include &lt;b&gt;\n*p = 1;</pre></blockquote>", ["#include <b>", "*p = 1;"]),
    ],
)
def test_code_in_feed_html_shows_as_code_with_its_text_as_it_was(html: str, codes: list[str]):
    page = rendered(html)
    assert [code.get_text() for code in page.find_all("code")] == codes
    assert page.find_all(["b", "h1", "em"]) == []


def test_safe_html_survives_with_links_resolved_and_marked():
    html = clean_html(
        '<p>See <a href="/more?x=1">more</a> and <em>this</em>.</p><img src="pic.jpg" alt="A pic">',
        "https://feed.example/news/item.html",
    )
    page = BeautifulSoup(html, "html5lib")
    link = page.find("a")
    assert (link["href"], link["rel"]) == ("https://feed.example/more?x=1", ["nofollow", "noopener", "ugc"])
    assert page.find("img")["src"] == "https://feed.example/news/pic.jpg"
    assert page.find("em").get_text() == "this"


def test_text_of_html_for_titles():
    assert html_to_text("<b>Bold</b> &amp; <script>x</script> plain  text") == "Bold & plain text"
