"""Highlights, measured: ROUGE against human highlights on real CNN/Daily Mail stories.

    python benchmarks/highlights_eval.py [--split dev] [--split test]

For every `.story` file of ../shared/eval/highlights/<split>/, each method
picks 3 sentences of the body as the importer reads it (sentencex sentences), and
rouge-score compares them with the human highlights: ROUGE-1, ROUGE-2 and
ROUGE-Lsum F1 x 100, with stemming, averaged over the stories. Side by side:
Lead-3, LexRank and TextRank (sumy, with our sentence splitter: sumy's own
tokenizer downloads NLTK data at run time), newsdigest's method, and a greedy
oracle (the best 3 sentences for ROUGE-2: the limit of any extractive method).
Then newsdigest minus Lead-3 per story, with a 95% bootstrap interval (10,000
resamples of the stories, fixed seed).

The model was trained on dev/ (benchmarks/train_highlights.py), so dev/ is
the figure it was fitted to and test/ the one that counts.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.enrich.highlights import choose_highlights  # noqa: E402
from generator.enrich.sentences import split_sentences  # noqa: E402
from generator.ingest.story import split_story  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "highlights"
SCORER = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
KEYS = ("rouge1", "rouge2", "rougeLsum")
COUNT = 3
RESAMPLES = 10_000


class _Tokenizer:
    """What sumy needs of a tokenizer, without NLTK data: our sentences, regex words."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [s.text for s in split_sentences([paragraph])]

    def to_words(self, sentence: str) -> list[str]:
        return re.findall(r"[\w'’-]+", sentence)


def _sumy(summarizer_class, sentences: list[str]) -> list[str]:
    parser = PlaintextParser.from_string("\n".join(sentences), _Tokenizer())
    picked = {str(s) for s in summarizer_class(Stemmer("english"))(parser.document, COUNT)}
    return [s for s in sentences if s in picked][:COUNT]


def _oracle(sentences: list[str], reference: str) -> list[str]:
    chosen: list[str] = []
    for _ in range(COUNT):
        best = max(
            (s for s in sentences if s not in chosen),
            key=lambda s: SCORER.score(reference, "\n".join([*chosen, s]))["rouge2"].fmeasure,
            default=None,
        )
        if best is None:
            break
        chosen.append(best)
    return [s for s in sentences if s in chosen]


METHODS = {
    "Lead-3": lambda sentences, paragraphs, reference: sentences[:COUNT],
    "LexRank (sumy)": lambda sentences, paragraphs, reference: _sumy(LexRankSummarizer, sentences),
    "TextRank (sumy)": lambda sentences, paragraphs, reference: _sumy(TextRankSummarizer, sentences),
    "newsdigest": lambda sentences, paragraphs, reference: [h.text for h in choose_highlights(paragraphs, COUNT)],
    "oracle (greedy, R-2)": lambda sentences, paragraphs, reference: _oracle(sentences, reference),
}


def score_split(split: str) -> dict[str, np.ndarray]:
    """Per method, a (stories x 3) array of ROUGE-1, -2, -Lsum F1 x 100."""
    paths = sorted((EVAL / split).glob("*.story"))
    if not paths:
        sys.exit(f"no .story files in {EVAL / split}")
    scores: dict[str, list[list[float]]] = {name: [] for name in METHODS}
    for path in paths:
        parts = split_story(path.read_text(encoding="utf-8"), str(path))
        paragraphs = list(parts.paragraphs)
        sentences = [s.text for s in split_sentences(paragraphs)]
        reference = "\n".join(parts.highlights)
        for name, method in METHODS.items():
            result = SCORER.score(reference, "\n".join(method(sentences, paragraphs, reference)))
            scores[name].append([100 * result[key].fmeasure for key in KEYS])
    return {name: np.array(rows) for name, rows in scores.items()}


def bootstrap_interval(differences: np.ndarray) -> tuple[float, float]:
    """The 95% percentile interval of the mean of `differences`, resampling stories."""
    rng = np.random.default_rng(17)
    means = differences[rng.integers(0, len(differences), (RESAMPLES, len(differences)))].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def report(split: str, scores: dict[str, np.ndarray]) -> None:
    stories = len(scores["Lead-3"])
    print(f"\n{split}/: {stories} stories, {COUNT} sentences each; ROUGE F1 x 100 (rouge-score, stemming)")
    print(f"{'method':24} {'R-1':>6} {'R-2':>6} {'R-Lsum':>7}")
    for name, rows in scores.items():
        r1, r2, rl = rows.mean(axis=0)
        print(f"{name:24} {r1:6.1f} {r2:6.1f} {rl:7.1f}")
    for index, key in enumerate(("R-1", "R-2", "R-Lsum")):
        differences = scores["newsdigest"][:, index] - scores["Lead-3"][:, index]
        low, high = bootstrap_interval(differences)
        print(f"newsdigest minus Lead-3, {key:6}: {differences.mean():+.2f}  95% interval [{low:+.2f}, {high:+.2f}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", action="append", choices=("dev", "test"), help="default: both")
    for split in parser.parse_args().split or ["dev", "test"]:
        report(split, score_split(split))


if __name__ == "__main__":
    main()
