"""benchmarks/related_eval.py's summaries: what `--summaries N` makes of a text."""

from __future__ import annotations

import importlib.util

from support import REPO

spec = importlib.util.spec_from_file_location("related_eval", REPO / "benchmarks" / "related_eval.py")
related_eval = importlib.util.module_from_spec(spec)
spec.loader.exec_module(related_eval)


def test_a_summary_is_the_sentences_within_its_length_or_its_first_characters():
    text = "Police said two men were shot. One died at the scene. The other is in hospital with injuries."
    assert related_eval.as_summary(text, 60) == "Police said two men were shot. One died at the scene."
    assert related_eval.as_summary(text, 20) == "Police said two men "
    assert related_eval.as_summary(text, 0) == related_eval.as_summary(text, 500) == text
