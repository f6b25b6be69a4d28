"""The seed, every raw and .story corpus file and five evaluation files import to their reviewed front matter.

The expectations live in tests/golden/ (see tests/golden_files.py for how
they are made and reviewed).
"""

from __future__ import annotations

import pytest
import yaml
from golden_files import golden_inputs, golden_path, imported
from support import CORPUS

INPUTS = golden_inputs()


def test_every_corpus_input_has_a_golden_file():
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the repo")
    assert len(INPUTS) == 31  # the seed, 5 raw scrapes, 20 .story files, 5 evaluation files
    assert all(golden_path(path).is_file() for path in INPUTS)


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_import_matches_the_reviewed_golden(path):
    if not path.is_file():
        pytest.skip("../shared/corpus is not beside the repo")
    expected = yaml.safe_load(golden_path(path).read_text(encoding="utf-8"))
    assert imported(path) == expected
