"""FittedTfidf applies a fitted vectorizer to new texts exactly as scikit-learn does."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from support import EVAL

from generator.enrich import vectors
from generator.enrich.tfidf import FittedTfidf


def eval_texts() -> list[str]:
    """Real news from the clusters' dev half: headline and body, many sources and years."""
    texts = []
    for path in sorted((EVAL / "clusters" / "dev").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("text", "").strip():
                texts.append(f"{row['title']} {row['text']}")
    return texts


STOP = sorted(vectors.stop_words_for("en"))
# The three models vectors.fit makes: words, headlines, names (case kept, a pattern of its own).
MODELS = {
    "words": {"stop_words": STOP, "min_df": 2, "max_df": 0.5},
    "titles": {"stop_words": STOP},
    "names": {
        "lowercase": False,
        "token_pattern": vectors._NAME_TOKEN,
        "stop_words": [form for word in STOP for form in (word, word.capitalize())],
        "min_df": 2,
    },
}


@pytest.mark.parametrize("options", MODELS.values(), ids=MODELS.keys())
def test_new_texts_get_scikit_learns_vectors_to_the_bit(options: dict):
    texts = eval_texts()
    assert len(texts) > 1000
    fitted, new = texts[:-400], [*texts[-400:], "", "the and of", "Ünïcode ÉTÉ été Zeeland"]
    vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options).fit(fitted)
    ours = pickle.loads(pickle.dumps(FittedTfidf.of(vectorizer)))  # as the next build finds it
    expected, got = vectorizer.transform(new).tocsr(), ours.transform(new)
    assert got.shape == expected.shape and got.dtype == expected.dtype == np.float32
    assert np.array_equal(got.indptr, expected.indptr) and np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)  # float32 rounding and all
    assert expected.nnz > 5_000
    assert list(ours.terms()) == list(vectorizer.get_feature_names_out())
