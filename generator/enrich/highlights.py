"""Extractive highlights for articles that have none of their own.

Whole sentences of the article, in article order, chosen by a small learned
model (issue #17). For each sentence, `sentence_features` describes where it
stands, how long it is, how central it is to the article (TF-IDF), whether it
quotes or counts; a gradient-boosted tree ensemble, trained on the `dev/` half
of 558 CNN/Daily Mail stories with human highlights
(`benchmarks/train_highlights.py`) and shipped as `highlight_model.json`,
predicts how many of the human highlights' word pairs the sentence holds.
The chosen set is the one that maximises the expected ROUGE-2 F1 of the
highlights: its predicted matches over its length plus the usual length of
human highlights, so that three short informative sentences beat three long
ones that say the same.

Never chosen: sentences under MIN_WORDS words, a quotation cut in half
(unbalanced quote marks: the sentence splitter broke a quote in two), a
caption or credit line, or a near-duplicate (TF-IDF cosine above
MAX_SIMILARITY) of another chosen sentence. Nothing is downloaded: the model
is a few hundred numbers evaluated with numpy.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import numpy as np

from generator.enrich.sentences import Sentence, split_sentences

MIN_WORDS = 5
MAX_SIMILARITY = 0.6
#: Fewer sentences than this and highlights would only repeat the article.
MIN_SENTENCES = 5
#: Only the best-scored sentences are combined into candidate sets.
CANDIDATES = 10
MODEL_PATH = Path(__file__).with_name("highlight_model.json")

_CAPTION = re.compile(r"^(?:Photo|Image|Video|Watch|Read|Credit|Copyright|\d+ of \d+\.)\b", re.IGNORECASE)
_QUOTE = re.compile(r"[“”\"]")
_ATTRIBUTION = re.compile(r"\b(?:said|says|told)\b")
_FIRST_OR_SECOND_PERSON = re.compile(r"\b(?:I|we|We|my|our|you|You)\b")


def choose_highlights(paragraphs: list[str], count: int = 3, language: str = "en") -> list[Sentence]:
    """Up to `count` sentences of `paragraphs` worth highlighting, in article order."""
    return _choose(split_sentences(paragraphs, language), count)


def _choose(sentences: list[Sentence], count: int) -> list[Sentence]:
    usable = [s.position for s in sentences if _usable(s.text)]
    if not usable or count <= 0:
        return []
    texts = [s.text for s in sentences]
    features, vectors = sentence_features(texts)
    matches = predicted_matches(features)
    pairs = np.array([max(1, len(text.split()) - 1) for text in texts])
    expected = load_model()["reference_pairs"]
    # Best first by matches per word pair, counting a share of the reference's length.
    score = (-matches / (pairs + expected / count)).tolist()
    ranking = sorted(usable, key=lambda p: (score[p], p))
    ranked = np.array(ranking[: max(CANDIDATES, count)])
    candidates = np.array([vectors.row(position) for position in ranked])
    close = candidates @ candidates.T > MAX_SIMILARITY
    gains, lengths = np.maximum(0.0, matches[ranked]), pairs[ranked]
    best = ()
    # Every set of the asked size, as rows of indices into `ranked`; else of one fewer, and so on.
    for size in range(min(count, len(ranked)), 0, -1):
        sets = _index_sets(len(ranked), size)
        clash = np.zeros(len(sets), dtype=bool)
        for a, b in combinations(range(size), 2):
            clash |= close[sets[:, a], sets[:, b]]
        if clash.all():
            continue  # every set holds a near-duplicate pair
        f1 = 2 * gains[sets].sum(axis=1) / (lengths[sets].sum(axis=1) + expected)
        f1[clash] = -1.0
        best = tuple(ranked[sets[np.argmax(f1)]])  # the first of the best, in the order of `ranked`
        break
    return [sentences[position] for position in sorted(best)]


@lru_cache(maxsize=64)
def _index_sets(items: int, size: int) -> np.ndarray:
    """Every set of `size` of range(`items`), one per row, in combinations' order (read-only: shared)."""
    sets = np.array(list(combinations(range(items), size)))
    sets.setflags(write=False)
    return sets


def generated_highlights(
    paragraphs: list[str], count: int = 3, language: str = "en", title: str = ""
) -> tuple[str, ...]:
    """The highlight texts for an article without its own, or () when it is too short to need them.

    A sentence the title already shows (a title made from the lede) is not
    repeated in the box.
    """
    sentences = split_sentences(paragraphs, language)
    if len(sentences) < MIN_SENTENCES:
        return ()
    shown = " ".join(title.removesuffix("…").split()).casefold()
    picked = _choose(sentences, count + 1)
    kept = [s.text for s in picked if not (shown and s.text.casefold().startswith(shown))]
    return tuple(kept[:count])


def sentence_features(texts: list[str]) -> tuple[np.ndarray, SentenceVectors]:
    """One row of features per sentence, and the sentences' TF-IDF vectors.

    The training script computes its features with this same function, so the
    model and the code that feeds it cannot drift apart. Built column by column:
    a fetch describes every sentence of thousands of items.
    """
    vectors = sentence_vectors(texts)
    centre = np.bincount(vectors.columns, weights=vectors.values, minlength=vectors.width) / len(texts)
    centrality = vectors.dot(centre)
    centrality = centrality / (centrality.max() or 1.0)
    like_first = vectors.dot(vectors.row(0))
    like_first[0] = 1.0
    position = np.arange(len(texts))
    words = [text.split() for text in texts]
    length = np.array([len(sentence) for sentence in words])
    capitals = np.array([sum(1 for word in sentence[1:] if word[:1].isupper()) for sentence in words])

    def found(pattern: re.Pattern) -> list[bool]:
        return [bool(pattern.search(text)) for text in texts]

    columns = [
        np.ones(len(texts)),
        *(position == k for k in range(6)),
        (position >= 6) & (position < 10),
        (position >= 10) & (position < 20),
        1 / (1 + position),
        position / max(1, len(texts) - 1),
        length < 8,
        (length >= 8) & (length < 15),
        (length >= 15) & (length < 25),
        (length >= 25) & (length < 35),
        length >= 35,
        np.minimum(length, 60) / 60,
        centrality,
        like_first,
        found(_QUOTE),
        [text[:1] in "“\"'‘" for text in texts],
        [min(3, sum(map(str.isdigit, text))) / 3 for text in texts],
        capitals / np.maximum(1, length - 1),
        found(_ATTRIBUTION),
        ["?" in text for text in texts],
        found(_FIRST_OR_SECOND_PERSON),
        [not _usable(text) for text in texts],
    ]
    return np.column_stack([np.asarray(column, dtype=np.float64) for column in columns]), vectors


def predicted_matches(features: np.ndarray) -> np.ndarray:
    """The model's estimate, per sentence, of word pairs shared with human highlights.

    Every tree walked at once, as many steps as the deepest tree is deep (`_forest`: a leaf
    leads to itself), and their values added tree by tree, in the model's order, as one
    would by hand.
    """
    forest = _forest()
    sentences = len(features)
    node = np.repeat(forest.roots[:, None], sentences, axis=1)
    column = np.arange(sentences)
    for _ in range(forest.depth):
        goes_left = features[column, forest.feature[node]] <= forest.threshold[node]
        node = forest.children[goes_left * forest.feature.size + node]
    # One row per tree after the baseline, summed row by row (accumulate is sequential).
    rows = np.vstack((np.full(sentences, load_model()["baseline"]), forest.value[node]))
    return np.add.accumulate(rows, axis=0)[-1]


@dataclass(frozen=True)
class _Forest:
    """The model's trees as flat arrays over all their nodes (tree by tree, each padded to the
    largest tree's size with leaves). A node's children are absolute indices into these arrays,
    its right child at `children[node]` and its left at `children[size + node]`; a leaf is its
    own child on both sides."""

    feature: np.ndarray
    threshold: np.ndarray
    children: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    depth: int


@lru_cache(maxsize=1)
def _forest() -> _Forest:
    trees = load_model()["trees"]
    width = max(len(tree["leaf"]) for tree in trees)

    def padded(key: str, dtype, fill) -> np.ndarray:
        return np.array([list(tree[key]) + [fill] * (width - len(tree[key])) for tree in trees], dtype=dtype)

    leaf = padded("leaf", bool, True)
    own = np.arange(leaf.size).reshape(leaf.shape)
    roots = own[:, 0]
    left = np.where(leaf, own, roots[:, None] + padded("left", np.intp, 0))
    right = np.where(leaf, own, roots[:, None] + padded("right", np.intp, 0))
    return _Forest(
        feature=padded("feature", np.intp, 0).ravel(),
        threshold=padded("threshold", np.float64, 0.0).ravel(),
        children=np.concatenate((right.ravel(), left.ravel())),
        value=padded("value", np.float64, 0.0).ravel(),
        roots=roots,
        depth=max(_depth(tree) for tree in trees),
    )


def _depth(tree: dict) -> int:
    """Steps from the root to the tree's deepest leaf."""
    level, steps = [0], 0
    while inner := [node for node in level if not tree["leaf"][node]]:
        level = [child for node in inner for child in (tree["left"][node], tree["right"][node])]
        steps += 1
    return steps


@lru_cache(maxsize=1)
def load_model() -> dict:
    """The shipped tree ensemble (see benchmarks/train_highlights.py for how it was made)."""
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


def _usable(text: str) -> bool:
    quotes_balanced = text.count("“") == text.count("”") and text.count('"') % 2 == 0
    return len(text.split()) >= MIN_WORDS and quotes_balanced and not _CAPTION.match(text)


_WORD = re.compile(r"(?u)\b\w\w+\b")
_ANY_WORD = re.compile(r"(?u)\b\w+\b")


@dataclass(frozen=True)
class SentenceVectors:
    """TF-IDF rows in compressed sparse row form (SciPy's CSR layout: row i's columns are
    `columns[start[i]:start[i + 1]]`), kept as plain numpy arrays: at an article's size
    SciPy's sparse matrices cost more in checks than in arithmetic (half of a feed item's
    highlights), and a dense matrix of a long article (3,000 sentences, 20,000 words) would
    not fit in memory."""

    values: np.ndarray
    columns: np.ndarray
    start: np.ndarray
    width: int

    def row_sums(self, products: np.ndarray) -> np.ndarray:
        """Per row, the sum of `products` (one per stored value), in column order; 0 for an empty row."""
        sums = np.zeros(len(self.start) - 1)
        filled = np.diff(self.start) > 0
        if filled.any():
            sums[filled] = np.add.reduceat(products, self.start[:-1][filled])
        return sums

    def dot(self, dense: np.ndarray) -> np.ndarray:
        """Each row's dot product with the dense vector `dense`."""
        return self.row_sums(self.values * dense[self.columns])

    def row(self, index: int) -> np.ndarray:
        """Row `index` as a dense vector."""
        dense = np.zeros(self.width)
        span = slice(self.start[index], self.start[index + 1])
        dense[self.columns[span]] = self.values[span]
        return dense


def sentence_vectors(texts: list[str]) -> SentenceVectors:
    """The sentences' TF-IDF vectors, as scikit-learn's TfidfVectorizer(stop_words="english",
    sublinear_tf=True) makes them (words of two letters or more, lowercased, English stop words
    out; 1 + log tf; smoothed idf; rows of unit length), or of every word when that leaves none.

    Written out here because fitting the vectorizer costs 6 ms an article, most of it set-up, and a
    fetch makes highlights for thousands of items; tests/enrich/test_highlights.py checks the
    two agree on every eval story.
    """
    stop = english_stop_words()
    tokens = [[word for word in _WORD.findall(text.lower()) if word not in stop] for text in texts]
    if not any(tokens):  # nothing but stop words
        tokens = [_ANY_WORD.findall(text.lower()) for text in texts]
    vocabulary = {word: column for column, word in enumerate(sorted({word for row in tokens for word in row}))}
    width = len(vocabulary)
    # Each (sentence, word) pair as one number, counted: sorted, so rows come in order, columns within them.
    pairs = np.array([row * width + vocabulary[word] for row, words in enumerate(tokens) for word in words], np.intp)
    pairs, counts = np.unique(pairs, return_counts=True)
    columns = pairs % max(width, 1)
    start = np.searchsorted(pairs // max(width, 1), np.arange(len(texts) + 1))
    values = np.log(counts.astype(np.float64)) + 1
    documents = np.bincount(columns, minlength=width).astype(np.float64) + 1
    values *= (np.log((len(texts) + 1) / documents) + 1)[columns]
    vectors = SentenceVectors(values, columns, start, width)
    norms = np.sqrt(vectors.row_sums(values**2))
    norms[norms == 0] = 1.0
    values /= np.repeat(norms, np.diff(vectors.start))
    return vectors


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words, the list its TfidfVectorizer uses (and so the related
    step), read from the one data module that holds them: importing scikit-learn for them would
    cost about 2 s before a fetch's first item (the fetch calls this before forking its workers,
    which inherit it). A scikit-learn that moved the module is imported the usual way."""
    package = importlib.util.find_spec("sklearn")
    path = Path(package.origin).parent / "feature_extraction" / "_stop_words.py"
    spec = importlib.util.spec_from_file_location("newsdigest_sklearn_stop_words", path)
    if not path.is_file() or spec is None or spec.loader is None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return ENGLISH_STOP_WORDS
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ENGLISH_STOP_WORDS
