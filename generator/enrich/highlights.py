"""Extractive highlights for articles that have none of their own.

Whole sentences of the article, in article order, chosen by a score with
three parts, each measured on the corpus's CNN stories against their human
highlights (benchmarks/highlights_eval.py):

- position: news puts what matters first, but not only in the first three
  sentences: the prior decays slowly, 1 / (1 + position / POSITION_SCALE);
- centrality: how close a sentence's TF-IDF vector is to the article's;
- length: human highlights are short, so a sentence is penalised for every
  word past LENGTH_CAP.

Never chosen: sentences under MIN_WORDS words, a quotation cut in half
(unbalanced quote marks: the sentence splitter broke a quote in two), a
caption or credit line, or a near-duplicate (TF-IDF cosine above
MAX_SIMILARITY) of a sentence already chosen.

The weights were picked on the same 20 stories they are measured on; the
evaluation also prints a leave-one-out estimate, which is the honest figure.
"""

from __future__ import annotations

import re

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from generator.enrich.sentences import Sentence, split_sentences

POSITION_SCALE = 8.0
CENTRALITY_WEIGHT = 1.0
LENGTH_CAP = 25
LENGTH_WEIGHT = 1.0
MIN_WORDS = 5
MAX_SIMILARITY = 0.6
#: Fewer sentences than this and highlights would only repeat the article.
MIN_SENTENCES = 5

_CAPTION = re.compile(r"^(?:Photo|Image|Video|Watch|Read|Credit|Copyright|\d+ of \d+\.)\b", re.IGNORECASE)


def choose_highlights(paragraphs: list[str], count: int = 3, language: str = "en") -> list[Sentence]:
    """Up to `count` sentences of `paragraphs` worth highlighting, in article order."""
    sentences = split_sentences(paragraphs, language)
    candidates = [s for s in sentences if _usable(s.text)]
    if not candidates:
        return []
    vectors = _vectors([s.text for s in sentences])
    centre = np.asarray(vectors.mean(axis=0)).ravel()
    centrality = vectors @ centre
    centrality = centrality / (centrality.max() or 1.0)
    scores = {
        s.position: 1 / (1 + s.position / POSITION_SCALE)
        + CENTRALITY_WEIGHT * centrality[s.position]
        - LENGTH_WEIGHT * max(0, len(s.text.split()) - LENGTH_CAP) / LENGTH_CAP
        for s in candidates
    }
    chosen: list[int] = []
    for position in sorted(scores, key=lambda p: (-scores[p], p)):
        if len(chosen) == count:
            break
        if all((vectors[position] @ vectors[other].T).toarray()[0, 0] <= MAX_SIMILARITY for other in chosen):
            chosen.append(position)
    return [sentences[position] for position in sorted(chosen)]


def generated_highlights(
    paragraphs: list[str], count: int = 3, language: str = "en", title: str = ""
) -> tuple[str, ...]:
    """The highlight texts for an article without its own, or () when it is too short to need them.

    A sentence the title already shows (a title made from the lede) is not
    repeated in the box.
    """
    if len(split_sentences(paragraphs, language)) < MIN_SENTENCES:
        return ()
    shown = " ".join(title.removesuffix("…").split()).casefold()
    picked = choose_highlights(paragraphs, count + 1, language)
    kept = [s.text for s in picked if not (shown and s.text.casefold().startswith(shown))]
    return tuple(kept[:count])


def _usable(text: str) -> bool:
    quotes_balanced = text.count("“") == text.count("”") and text.count('"') % 2 == 0
    return len(text.split()) >= MIN_WORDS and quotes_balanced and not _CAPTION.match(text)


def _vectors(texts: list[str]):
    try:
        return TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    except ValueError:  # nothing but stop words
        return TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b\w+\b").fit_transform(texts)
