"""A fitted TF-IDF vectorizer, kept and applied to new texts without scikit-learn.

After one new article, a rebuild models that article alone with the archive's
vocabulary (generator.enrich.vectors). The cache held scikit-learn's fitted
TfidfVectorizer, and unpickling it imported scikit-learn (1.2 s, SciPy's
statistics among it) for one `transform`. The cache keeps this instead: what
`transform` reads of a TfidfVectorizer(sublinear_tf=True) with its default l2
norm, applied step for step as scikit-learn applies it, float32 rounding
included (tests/enrich/test_related.py compares the two on real news).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np


@dataclass(frozen=True)
class FittedTfidf:
    """A TfidfVectorizer's vocabulary (term -> column), IDF weights and tokenising, once fitted."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    token_pattern: str
    lowercase: bool
    stop_words: frozenset[str]

    @classmethod
    def of(cls, vectorizer) -> FittedTfidf:
        """What `transform` needs of a fitted TfidfVectorizer (sublinear tf, l2 norm, float32)."""
        return cls(
            vocabulary=dict(vectorizer.vocabulary_),
            idf=np.asarray(vectorizer.idf_, dtype=np.float32),
            token_pattern=vectorizer.token_pattern,
            lowercase=vectorizer.lowercase,
            stop_words=frozenset(vectorizer.get_stop_words() or ()),
        )

    def terms(self) -> np.ndarray:
        """Each column's term, as get_feature_names_out gives them."""
        terms = np.empty(len(self.vocabulary), dtype=object)
        for term, column in self.vocabulary.items():
            terms[column] = term
        return terms

    def transform(self, texts: Sequence[str]):
        """The texts' TF-IDF rows (a SciPy CSR matrix, float32): 1 + log of each known term's
        count, times its IDF, each row scaled to unit length."""
        import scipy.sparse as sp  # only when modelling: a rebuild with no change needs none

        pattern = re.compile(self.token_pattern)
        columns: list[int] = []
        counts: list[int] = []
        starts = [0]
        for text in texts:
            tokens = pattern.findall(text.lower() if self.lowercase else text)
            found = Counter(
                self.vocabulary[token] for token in tokens if token not in self.stop_words and token in self.vocabulary
            )
            for column in sorted(found):
                columns.append(column)
                counts.append(found[column])
            starts.append(len(columns))
        values = np.asarray(counts, dtype=np.float32)
        indices = np.asarray(columns, dtype=np.int32)
        np.log(values, out=values)
        values += 1.0
        values *= self.idf[indices]
        values = _unit_rows(values, starts)
        shape = (len(starts) - 1, len(self.vocabulary))
        return sp.csr_matrix((values, indices, np.asarray(starts, dtype=np.int32)), shape=shape)


def _unit_rows(values: np.ndarray, starts: list[int]) -> np.ndarray:
    """Each row divided by its length, as scikit-learn's normalize does it: squares in float32,
    summed in float64 in order, each value divided in float64 and rounded back (an empty or
    all-zero row left as it is)."""
    squares = (values * values).tolist()
    lengths = []
    for start, end in pairwise(starts):
        total = 0.0
        for square in squares[start:end]:
            total += square
        lengths.append(math.sqrt(total) if total else 1.0)
    return (values.astype(np.float64) / np.repeat(lengths, np.diff(starts))).astype(np.float32)
