"""Related stories and clusters on the labelled pairs (tests/enrich/quality.yaml): a regression guard."""

from __future__ import annotations

import pytest
from quality_archive import build_archive, measure
from support import CORPUS


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repo")
def test_related_links_and_clusters_on_the_labelled_pairs():
    scores = measure(*build_archive())
    # Nothing unrelated is shown, as a link or as other coverage; every same-event pair is one story,
    # same-source follow-ups (AirAsia day 1 and 2) included (issue #15).
    assert scores["unrelated_shown"] == 0
    assert scores["cluster_recall"] == 1.0
    assert scores["related_recall"] >= 0.9
    # Related stories of other events (a White House spokesman and the president's health) may be
    # shown as one story: the page shows them either way. The measured figures are make eval's.
    assert scores["cluster_precision"] >= 0.7
