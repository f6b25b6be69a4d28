"""CNN/DailyMail .story files: body, then one @highlight line before each highlight."""

from __future__ import annotations

import datetime as dt

import pytest
from support import CORPUS

from generator.errors import SourceError
from generator.ingest.parts import build_article
from generator.ingest.story import is_story, split_story

STORY = """WASHINGTON (CNN) -- Doctors removed polyps on Saturday.

"It went well," a spokesman said.  Watch the spokesman »

CNN's Ann Lee contributed to this report.

@highlight

Doctors removed five small polyps

@highlight

None were worrisome, spokesman says
"""

STORIES = sorted((CORPUS / "articles").glob("*.story"))


def test_highlights_body_dateline_and_credits_are_split():
    parts = split_story(STORY)
    assert parts.highlights == ("Doctors removed five small polyps", "None were worrisome, spokesman says")
    assert parts.paragraphs == ("Doctors removed polyps on Saturday.", '"It went well," a spokesman said.')
    assert (parts.location, parts.source) == ("WASHINGTON", "CNN")
    assert parts.contributors == ("Ann Lee",)
    assert parts.related_headlines == ("Watch the spokesman »",)


def test_title_comes_from_the_first_highlight_and_is_marked():
    parts = split_story(STORY)
    with pytest.raises(SourceError, match="no publication date"):
        build_article(parts, "x.story")
    article = build_article(parts, "x.story", date=dt.datetime(2007, 7, 21, tzinfo=dt.UTC))
    assert (article.title, article.title_inferred) == ("Doctors removed five small polyps", True)
    assert article.highlights_from == "source"


def test_a_story_with_no_body_is_an_error():
    with pytest.raises(SourceError, match=r"^x\.story: no body text before the first @highlight line$"):
        split_story("@highlight\n\nOnly a highlight\n", "x.story")


def test_is_story_needs_a_line_of_its_own():
    assert is_story(STORY)
    assert not is_story("Mentions @highlight inline only.")


@pytest.mark.skipif(not STORIES, reason="../shared/corpus is not beside the repo")
@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_corpus_story_keeps_its_highlights_and_no_marker_text(path):
    text = path.read_text(encoding="utf-8")
    parts = split_story(text, str(path))
    assert len(parts.highlights) == text.count("@highlight")
    assert all(highlight in text for highlight in parts.highlights)
    assert not any("@highlight" in p for p in parts.paragraphs)
    assert parts.source in ("CNN", "Reuters") or path.name.startswith("cnn-miami")
