"""The plain-paragraph path writes what Python-Markdown writes, for every body it takes."""

from __future__ import annotations

import datetime as dt

import markdown
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pelican.settings import read_settings
from support import CORPUS, EVAL, make_site

from generator.build.plain_paragraphs import KNOWN_SETTINGS, PlainParagraphsFirst, paragraphs_html
from generator.build.reader import FrontMatterReader
from generator.errors import FeedParseError
from generator.feeds.parse import parse_feed
from generator.feeds.plan import FeedConfig, article_for_entry
from generator.ingest.story import split_story
from generator.ingest.text import paragraphs_to_markdown

PYTHON_MARKDOWN = markdown.Markdown(
    extensions=["markdown.extensions.extra"],
    extension_configs={"markdown.extensions.extra": {}},
    output_format="html5",
)


def python_markdown(source: str) -> str:
    return PYTHON_MARKDOWN.reset().convert(source)


# Words; each character Markdown, its `extra` extensions or HTML give a meaning to; every
# kind of blank (runs of spaces before a newline are line breaks); line starts that open blocks.
BODIES = st.lists(
    st.one_of(
        st.from_regex(r"[A-Za-zÀ-ÿ0-9]{1,9}", fullmatch=True),
        st.sampled_from(list("\\`*_[]<>&{}|#!~:=+-.,;()'\"")),
        st.sampled_from(["1.", "2)", "10. ", "- ", "+ ", "> ", "# ", "---", "===", ": ", "~~~", "```", "*[A]: b"]),
        st.sampled_from(["[^1]", "&amp;", "&#1;", "<b>", "{: #x}", "a | b", "///Footnotes Go Here///"]),
        st.sampled_from([" ", "  ", "   ", "\n", "\n\n", "\n\n\n", "  \n", "   \n", " \n ", "\t", "\r\n", "\r"]),
        st.sampled_from(["\u00a0", "\u3000", "\x0c", "\x02", "\x03", "\u2028", "\x85", "\u200b", "\ufeff", "“", "…"]),
    ),
    max_size=30,
).map("".join)


#: Mostly what the plain path takes: words, punctuation, blanks of every kind inside lines.
PLAIN_BODIES = st.lists(
    st.one_of(
        st.from_regex(r"[A-Za-zÀ-ÿ0-9]{1,9}", fullmatch=True),
        st.sampled_from([*".,;:!?()'\"%$/#-+=~", "“", "»", "…", "—"]),
        st.sampled_from([" ", "  ", "   ", "\n", "\n", "\n\n", "\n\n\n", "  \n", "   \n", "\u00a0", "\u3000"]),
    ),
    max_size=40,
).map("".join)


@given(st.one_of(BODIES, PLAIN_BODIES))
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example("A line  \nbroken, kept  \n\nand a paragraph   \nwith three spaces.  ")
@example("\n\nOne.\n\n\n\nTwo\nlines.\n\n")
@example("Trailing space \n\nand none")
@example("Q: what\n: a definition")
@example("Heading\n===")
@example("2024. A year")
def test_the_plain_path_writes_what_python_markdown_writes(source):
    html = paragraphs_html(source)
    if html is not None:
        assert html == python_markdown(source)


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("", ""),
        ("One.\n\nTwo,\nthree.", "<p>One.</p>\n<p>Two,\nthree.</p>"),
        ("Broken  \nline", "<p>Broken<br>\nline</p>"),
        ("Über «Zitate» — “quotes” and 'single' ones, 50% $3 (a) é\u00a0b", None),
    ],
)
def test_plain_paragraphs_take_the_plain_path(source, html):
    assert paragraphs_html(source) == (html if html is not None else python_markdown(source))


@pytest.mark.parametrize(
    "source",
    [
        "A [link](https://example.org)",
        "*em*",
        "x\n- item",
        "1. one",
        "> quote",
        "# Head",
        "    code",
        "a & b",
        "x\n: def",
        "a | b\n--- | ---",
        "x\t",
        "Tom\\'s",
        "x\r\ny",
    ],
)
def test_anything_else_goes_to_python_markdown(source):
    assert paragraphs_html(source) is None


def _eval_bodies() -> list[str]:
    files = sorted((EVAL / "highlights").glob("dev/*.story"))
    return [paragraphs_to_markdown(split_story(p.read_text(encoding="utf-8"), str(p)).paragraphs) for p in files]


def _feed_bodies() -> list[str]:
    bodies = []
    now = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
    for path in sorted((CORPUS / "feeds").glob("*.xml")):
        try:
            feed = parse_feed(path.read_bytes(), "https://example.org/feed")
        except FeedParseError:
            continue  # the corpus's broken feeds: tests/feeds/test_parse.py
        config = FeedConfig(url="https://example.org/feed", name=path.stem)
        bodies += [article_for_entry(config, feed, entry, now).body for entry in feed.entries]
    return bodies


@pytest.mark.skipif(not EVAL.is_dir() or not CORPUS.is_dir(), reason="../shared is not beside the repo")
def test_real_bodies_agree_and_most_take_the_plain_path():
    """CNN/Daily Mail stories as `newsdigest import` writes them, and every item of the corpus's feeds."""
    bodies = _eval_bodies() + _feed_bodies()
    plain = [body for body in bodies if paragraphs_html(body) is not None]
    assert [paragraphs_html(body) for body in plain] == [python_markdown(body) for body in plain]
    assert len(plain) > len(bodies) / 3, f"{len(plain)} of {len(bodies)} bodies took the plain path"


def test_the_reader_uses_the_plain_path_only_with_newsdigests_markdown_setting(tmp_path):
    root = make_site(tmp_path)
    source = root / "content" / "a.md"
    source.write_text("---\ntitle: A\ndate: 2026-11-25\n---\n\nPlain  \ntext.\n", encoding="utf-8")
    site = read_settings(str(root / "pelicanconf.py"))
    assert site["MARKDOWN"] | {"extensions": KNOWN_SETTINGS["extensions"]} == KNOWN_SETTINGS
    reader = FrontMatterReader(site)
    assert type(reader._md) is PlainParagraphsFirst
    assert reader.read(str(source))[0].startswith("<p>Plain<br>\ntext.</p>")
    other = FrontMatterReader({**site, "MARKDOWN": {"extension_configs": {"markdown.extensions.smarty": {}}}})
    assert type(other._md) is markdown.Markdown
