"""Properties of the importer over generated inputs (hypothesis)."""

from __future__ import annotations

import datetime as dt
import re

import markdown
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import SourceError
from generator.ingest.detect import HTML, STORY, detect_format
from generator.ingest.files import read_article
from generator.ingest.page import split_page
from generator.ingest.parts import build_article
from generator.ingest.raw import split_raw
from generator.ingest.story import split_story

RENDERER = markdown.Markdown(extensions=["markdown.extensions.extra"], output_format="html5")
DATE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)

# Text shaped like news copy, with the characters that trip parsers: Markdown
# syntax, HTML, quotes, dashes, dateline and credit look-alikes, @highlight.
FRAGMENTS = st.sampled_from(
    [
        "(CNN) --",
        "(Reuters) -",
        "RELATED:",
        "@highlight",
        "Story highlights",
        "contributed to this report.",
        "<script>",
        "*",
        "_",
        "#",
        "1.",
        "“",
        "”",
        "—",
        "&amp;",
        "»",
        "E-mail to a friend",
        "Photo credit should read",
        "02:22 - Source: CNN",
        "\n",
        "\n\n",
        " ",
        "October 26, 2016",
        "Wednesday",
    ]
)
LINES = st.lists(st.one_of(st.text(max_size=40), FRAGMENTS), max_size=30).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(LINES)
def test_no_text_crashes_the_importer(text: str):
    """Every input either imports or fails with a SourceError that says why."""
    kind = detect_format(text)
    try:
        parts = (
            split_story(text, "x")
            if kind == STORY
            else split_page(text.encode(), "x")
            if kind == HTML
            else split_raw(text, "x")
        )
        build_article(parts, "x", date=DATE)
    except SourceError as error:
        assert str(error).startswith("x: ")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_no_bytes_crash_the_importer(tmp_path_factory, data: bytes):
    path = tmp_path_factory.mktemp("bytes") / "input"
    path.write_bytes(data)
    try:
        read_article(path, date=DATE)
    except SourceError as error:
        assert str(error).startswith(str(path))


WORD = st.from_regex(r"[A-Za-z][a-z]{0,8}", fullmatch=True)
SENTENCE = st.builds(
    lambda words, mark, end: " ".join(words) + mark + end,
    st.lists(WORD, min_size=3, max_size=12),
    st.sampled_from(["", ",", " *starred*", " <b>tag</b>", " 1. item", " “quoted”", " & co"]),
    st.sampled_from([".", "!", "?", ".”"]),
)
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(
    headline=st.lists(WORD, min_size=2, max_size=8).map(" ".join),
    dateline=st.sampled_from(["Washington CNN  —", "LONDON, England (CNN) --", "(CNN) --", "JAKARTA (Reuters) -"]),
    paragraphs=st.lists(PARAGRAPH, min_size=1, max_size=8),
)
def test_every_body_sentence_appears_in_the_rendered_article(headline, dateline, paragraphs):
    text = f"{headline}\n{dateline}\n" + "\n\n".join(paragraphs) + "\n"
    article = build_article(split_raw(text, "x"), "x", date=DATE)
    rendered = " ".join(BeautifulSoup(RENDERER.reset().convert(article.body), "html.parser").get_text().split())
    for paragraph in paragraphs:
        for sentence in re.split(r"(?<=[.!?”])\s+", paragraph):
            assert " ".join(sentence.split()) in rendered


def _characters(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=200, deadline=None)
@given(
    paragraphs=st.lists(PARAGRAPH, min_size=1, max_size=4),
    credit=st.sampled_from(["CNN's Jo Smith contributed to this report.", "CNN’s Al Roe reported from Kabul."]),
    one_paragraph=st.booleans(),
)
def test_no_character_of_the_prose_before_a_credit_line_is_lost(paragraphs, credit, one_paragraph):
    """Every character of the body, closing quotes included, in order (issue #17: 240 files lost a quote)."""
    separator = " " if one_paragraph else "\n\n"
    text = "(CNN) -- " + separator.join(paragraphs) + " " + credit + "\n@highlight\n\nA highlight"
    parts = split_story(text, "x")
    assert _characters("".join(parts.paragraphs)) == _characters("".join(paragraphs))
    assert parts.contributors
