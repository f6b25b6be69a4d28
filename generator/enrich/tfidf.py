"""TF-IDF models fitted and applied without scikit-learn, to the bit as scikit-learn does it.

Related stories are found with three TF-IDF models per language
(generator.enrich.vectors). scikit-learn's TfidfVectorizer made them, and
importing it cost 1.2 s (SciPy's statistics among it): every cold build paid
that before it could fit, and a rebuild after one new article paid it to
unpickle the fitted vectorizer for one `transform`. `count_terms` and then
`TermCounts.fitted` fit as TfidfVectorizer(sublinear_tf=True,
dtype=float32).fit_transform does, and
FittedTfidf keeps what its `transform` reads and applies it: the same
vocabulary (in the same order), IDF weights and vectors (their entries in
the same order, float32 rounding included), so the related links are the
ones scikit-learn's models gave. tests/enrich/test_tfidf.py compares both
with scikit-learn's on real news.
"""

from __future__ import annotations

import functools
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp


@dataclass(frozen=True)
class FittedTfidf:
    """A TfidfVectorizer's vocabulary (term -> column), IDF weights and tokenising, once fitted."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    token_pattern: str
    lowercase: bool
    stop_words: frozenset[str]
    #: Not scikit-learn's, for `whole_shares`: the IDF a term in one text had at the fit, and the
    #: terms dropped for being in too many texts (max_df).
    single_text_idf: float = 0.0
    common: frozenset[str] = frozenset()

    def terms(self) -> np.ndarray:
        """Each column's term, as get_feature_names_out gives them."""
        terms = np.empty(len(self.vocabulary), dtype=object)
        for term, column in self.vocabulary.items():
            terms[column] = term
        return terms

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The texts' TF-IDF rows (a SciPy CSR matrix, float32): 1 + log of each known term's
        count, times its IDF, each row scaled to unit length."""
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
        indices = np.asarray(columns, dtype=np.int32)
        return _weighted(np.asarray(counts, dtype=np.float32), indices, starts, self.idf, len(self.vocabulary))

    def whole_shares(self, texts: Sequence[str]) -> np.ndarray:
        """For each text, the length of its `transform` row over the length it would have with the
        terms this model dropped for being in too few texts (TermCounts.whole_shares): a term it
        does not know counts as a term of one text, unless it was dropped as too common."""
        pattern = re.compile(self.token_pattern)
        shares = []
        for text in texts:
            tokens = pattern.findall(text.lower() if self.lowercase else text)
            found = Counter(token for token in tokens if token not in self.stop_words and token not in self.common)
            kept = dropped = 0.0
            for token, count in found.items():
                column = self.vocabulary.get(token)
                weight = (1.0 + math.log(count)) * (self.single_text_idf if column is None else float(self.idf[column]))
                if column is None:
                    dropped += weight * weight
                else:
                    kept += weight * weight
            shares.append(math.sqrt(kept / (kept + dropped)) if kept else 1.0)
        return np.asarray(shares, dtype=np.float64)


#: scikit-learn's default: words of two or more letters or digits.
WORDS = r"(?u)\b\w\w+\b"


@dataclass
class TermCounts:
    """Texts counted (`count_terms`), the fit's first step: each term numbered as first met, and for each text
    its terms' numbers (ascending) and counts. Texts counted in two parts and joined (`then`) are
    counted as in one pass: the word model of a large archive is counted in two processes."""

    first_met: dict[str, int]
    #: Every text's term numbers, text after text, and their counts (int64).
    met: np.ndarray
    counts: np.ndarray
    #: Where each text's entries start, and the end.
    starts: list[int]
    token_pattern: str
    lowercase: bool
    stop_words: frozenset[str]

    def then(self, later: TermCounts) -> TermCounts:
        """These texts followed by `later`'s (counted with the same options), as count_terms
        counts them in one pass: later's new terms numbered after these, in later's order, and
        each of later's texts' entries sorted again by their new numbers."""
        first_met = dict(self.first_met)
        renumbered = np.array([first_met.setdefault(term, len(first_met)) for term in later.first_met], dtype=np.int64)
        numbers = renumbered[later.met]
        text_of_entry = np.repeat(np.arange(len(later.starts) - 1, dtype=np.int64), np.diff(later.starts))
        order = np.argsort(text_of_entry * len(first_met) + numbers)  # by text, then by number
        offset = len(self.met)
        return TermCounts(
            first_met,
            np.concatenate((self.met, numbers[order])),
            np.concatenate((self.counts, later.counts[order])),
            [*self.starts, *(start + offset for start in later.starts[1:])],
            self.token_pattern,
            self.lowercase,
            self.stop_words,
        )

    def fitted(self, *, min_df: int = 1, max_df: float = 1.0) -> tuple[FittedTfidf, sp.csr_matrix]:
        """A FittedTfidf of these texts and their rows, as TfidfVectorizer(sublinear_tf=True,
        dtype=np.float32, min_df=..., max_df=...).fit_transform gives them; ValueError when no
        term is left.

        Its steps: terms in fewer than `min_df` texts or more than `max_df` (a share) dropped;
        the rest numbered alphabetically, each row's entries kept in the order first met (the
        rows' lengths are summed in it); IDF ln((n + 1) / (df + 1)) + 1 in float32."""
        if not self.first_met:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        texts_count = len(self.starts) - 1
        most = max_df if isinstance(max_df, int) else max_df * texts_count
        if most < min_df:
            raise ValueError("max_df corresponds to < documents than min_df")
        numbers = self.met
        in_texts = np.bincount(numbers, minlength=len(self.first_met))
        kept = (in_texts <= most) & (in_texts >= min_df)
        if not kept.any():
            raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
        vocabulary = {term: number for term, number in self.first_met.items() if kept[number]}
        column_of = np.full(len(self.first_met), -1, dtype=np.int64)
        for column, term in enumerate(sorted(vocabulary)):
            column_of[vocabulary[term]] = column
            vocabulary[term] = column
        entries = kept[numbers]
        indices = column_of[numbers[entries]].astype(np.int32)
        kept_starts = np.concatenate(([0], np.cumsum(entries, dtype=np.int64)))[self.starts].tolist()
        frequency = np.bincount(indices, minlength=len(vocabulary)).astype(np.float32)
        frequency += 1.0
        idf = np.full_like(frequency, fill_value=texts_count + 1, dtype=np.float32)
        idf /= frequency
        np.log(idf, out=idf)
        idf += 1.0
        common = frozenset(term for term, number in self.first_met.items() if in_texts[number] > most)
        single = float(np.log(np.float32(texts_count + 1) / np.float32(2.0)) + 1.0)
        fitted = FittedTfidf(vocabulary, idf, self.token_pattern, self.lowercase, self.stop_words, single, common)
        values = self.counts.astype(np.float32)[entries]
        return fitted, _weighted(values, indices, kept_starts, idf, len(vocabulary))

    def whole_shares(self, *, min_df: int = 1, max_df: float = 1.0) -> np.ndarray:
        """For each text, the length of its `fitted` row (before it is scaled to unit length) over
        the length it would have if the terms in fewer than `min_df` texts were kept: a cosine of
        two rows times both shares is the cosine of the texts with every term but the too common.

        Not scikit-learn's. A term in one text links no two texts, so the model drops it; but
        dropped from its text's length too, it left a short text's row made of the one or two
        words it shares with any other, and two items sharing one word looked alike (0.72, where
        the whole texts share 0.08)."""
        texts_count = len(self.starts) - 1
        most = max_df if isinstance(max_df, int) else max_df * texts_count
        in_texts = np.bincount(self.met, minlength=len(self.first_met))[self.met]
        weights = (1.0 + np.log(self.counts.astype(np.float64))) * (np.log((texts_count + 1) / (in_texts + 1.0)) + 1.0)
        squares = weights * weights
        text_of_entry = np.repeat(np.arange(texts_count), np.diff(self.starts))
        kept = (in_texts >= min_df) & (in_texts <= most)
        rare = in_texts < min_df
        kept_sum = np.bincount(text_of_entry[kept], weights=squares[kept], minlength=texts_count)
        rare_sum = np.bincount(text_of_entry[rare], weights=squares[rare], minlength=texts_count)
        whole = kept_sum + rare_sum
        return np.sqrt(np.divide(kept_sum, whole, out=np.ones(texts_count), where=kept_sum > 0))


def count_terms(
    texts: Iterable[str], *, stop_words: Iterable[str] = (), token_pattern: str = WORDS, lowercase: bool = True
) -> TermCounts:
    """`texts` counted (the fit's first step: TermCounts.fitted is the rest). They are read once,
    in order: an iterator of them can still be arriving."""
    pattern = re.compile(token_pattern)
    stop = frozenset(stop_words)
    first_met: defaultdict[str, int] = defaultdict()
    first_met.default_factory = first_met.__len__  # a new term: the next number
    # Machine integers, not lists of Python ints: 8 bytes an entry, not up to 36 (millions of
    # entries: the process fitting the word model of 10,000 articles peaked 14 MB lower).
    met = array("q")
    counts = array("q")
    starts = [0]
    for text in texts:
        tokens = pattern.findall(text.lower() if lowercase else text)
        found = Counter([first_met[token] for token in tokens if token not in stop])
        ordered = sorted(found)
        met.extend(ordered)
        counts.extend(map(found.__getitem__, ordered))
        starts.append(len(met))
    first_met.default_factory = None
    as_int64 = functools.partial(np.frombuffer, dtype=np.int64)
    return TermCounts(first_met, as_int64(met), as_int64(counts), starts, token_pattern, lowercase, stop)


def _weighted(counts: np.ndarray, indices: np.ndarray, starts: list[int], idf: np.ndarray, width: int) -> sp.csr_matrix:
    """Rows of `counts` (float32, at `indices`, row i from starts[i]) as TF-IDF: 1 + log of each
    count, times its IDF, each row scaled to unit length; a SciPy CSR matrix."""
    import scipy.sparse as sp  # only when modelling: a rebuild with no change needs none

    values = counts
    np.log(values, out=values)
    values += 1.0
    values *= idf[indices]
    values = _unit_rows(values, starts)
    return sp.csr_matrix((values, indices, np.asarray(starts, dtype=np.int32)), shape=(len(starts) - 1, width))


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
