"""Every CNN/Daily Mail file of ../shared/eval/highlights imports without losing a character.

Issue #17: where a one-paragraph body ended in a credit line, the prose before
it lost its closing quotation mark (240 of 284 such files); Daily Mail byline
furniture was read as the first sentences. Each body must be, character for
character (whitespace aside), what was moved out of it (furniture and
dateline before, credit sentences after) around the paragraphs kept.
"""

from __future__ import annotations

import re

import pytest
from support import EVAL

from generator.ingest.story import HIGHLIGHT_MARKER, split_story

FILES = sorted((EVAL / "highlights").glob("*/*.story"))
#: What may follow the kept paragraphs: credit sentences only.
_CREDIT = re.compile(
    r"contributedtothisreport|(?:reported|wrote)from|^\((?:additional)?(?:reporting|writing|editing)by"
)
#: A place and a source in parentheses: the longest dateline in the set is under 60 characters.
MAX_DATELINE = 70


def _characters(text: str) -> str:
    return "".join(text.split())


def test_the_evaluation_set_is_there():
    if not EVAL.is_dir():
        pytest.skip("../shared/eval is not beside the repo")
    assert len(FILES) == 1099


@pytest.mark.skipif(not FILES, reason="../shared/eval is not beside the repo")
def test_every_body_keeps_every_character_in_order():
    lost = []
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        body = _characters(text.split(f"\n{HIGHLIGHT_MARKER}", 1)[0])
        parts = split_story(text, str(path))
        kept = _characters("".join(parts.paragraphs))
        start = body.find(kept)
        before, after = body[:start], body[start + len(kept) :]
        moved_before = _characters("".join(parts.unplaced_lines))
        if (
            start < 0
            or not before.startswith(moved_before)
            or len(before) - len(moved_before) > MAX_DATELINE
            or (after and not _CREDIT.search(after))
        ):
            lost.append(path.name)
    assert lost == []


@pytest.mark.skipif(not FILES, reason="../shared/eval is not beside the repo")
def test_daily_mail_bylines_are_furniture_not_sentences():
    opening_with_byline = [path for path in FILES if path.read_text(encoding="utf-8").startswith("By . ")]
    assert len(opening_with_byline) >= 25
    for path in opening_with_byline:
        parts = split_story(path.read_text(encoding="utf-8"), str(path))
        assert parts.unplaced_lines[0].startswith("By . "), path.name
        assert not parts.paragraphs[0].startswith(("By .", "PUBLISHED", "UPDATED", "|")), path.name
