"""Plain text -> Markdown must render back to exactly the same text."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from generator.ingest.text import decode_text, paragraph_to_markdown, paragraphs_to_markdown

# The Markdown configuration pelicanconf.py gives Pelican.
RENDERER = markdown.Markdown(extensions=["markdown.extensions.extra"], output_format="html5")


def rendered_text(markdown_text: str) -> str:
    html = RENDERER.reset().convert(markdown_text)
    return " ".join(BeautifulSoup(html, "html.parser").get_text().split())


@pytest.mark.parametrize(
    "text",
    [
        "1. Not a list",
        "1986) A year",
        "# Not a heading",
        "> Not a quote",
        "- Not a list item",
        "+ Not either",
        "*emphasis* and __strong__ and `code`",
        "[link](javascript:alert(1)) and [^1] and *[HTML]: abbr",
        "<script>alert(1)</script> <b>bold</b> <!-- comment -->",
        "&amp; &copy; &#x41; & alone",
        "&#1 &#x41 numeric references without a semicolon",
        "back\\slash \\*escaped\\*",
        "{: #attr-list }",
        "“Curly quotes” – and dashes — stay",
    ],
)
def test_markdown_syntax_in_plain_text_renders_verbatim(text: str):
    assert rendered_text(paragraph_to_markdown(text)) == " ".join(text.split())


def test_escaped_html_produces_no_elements():
    html = RENDERER.reset().convert(paragraph_to_markdown("<script>x</script><img src=x onerror=y>"))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find_all(["script", "img"]) == []


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200))
def test_any_paragraph_renders_back_to_its_own_text(text: str):
    assert rendered_text(paragraph_to_markdown(text)) == " ".join(text.split())


@given(st.lists(st.text(alphabet="ab *_#1.>-<&;[]`\\\n", min_size=1, max_size=30), max_size=6))
def test_paragraphs_stay_separate_paragraphs(paragraphs: list[str]):
    kept = [p for p in paragraphs if p.strip()]
    html = RENDERER.reset().convert(paragraphs_to_markdown(kept))
    found = [" ".join(p.get_text().split()) for p in BeautifulSoup(html, "html.parser").find_all("p")]
    assert found == [" ".join(p.split()) for p in kept]


def test_decode_text_reads_utf8_with_and_without_bom_and_falls_back_to_cp1252():
    assert decode_text("“Café”".encode()) == "“Café”"
    assert decode_text("\ufeffCafé".encode()) == "Café"
    assert decode_text("“Café”".encode("cp1252")) == "“Café”"
