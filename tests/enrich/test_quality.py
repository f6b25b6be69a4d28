"""Related stories and clusters on the labelled pairs (tests/enrich/quality.yaml): a regression guard."""

from __future__ import annotations

import pytest
from quality_archive import build_archive, measure
from support import CORPUS


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repo")
def test_related_links_and_clusters_on_the_labelled_pairs():
    scores = measure(*build_archive())
    assert scores["related_precision_at_5"] == 1.0
    assert scores["related_recall"] >= 0.9
    assert scores["cluster_precision"] == 1.0
    # Same-source follow-ups (AirAsia day 1 and 2) are related, not one story: clusters are across sources.
    assert scores["cluster_recall"] >= 0.7
