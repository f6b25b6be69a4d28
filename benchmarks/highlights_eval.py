"""Highlights, measured: ROUGE of each method against the human highlights of the corpus .story files.

    python benchmarks/highlights_eval.py

For every CNN .story file in ../shared/corpus/articles/, each method picks 3
sentences of the body (pysbd sentences, as the importer sees the body) and
rouge-score compares them with the human highlights: ROUGE-1, ROUGE-2 and
ROUGE-Lsum F1, with stemming, averaged. Side by side: Lead-3, LexRank and
TextRank (sumy, with our sentence splitter: sumy's own tokenizer downloads
NLTK data at run time, which these machines cannot do), a greedy oracle (the
best 3 sentences for ROUGE-2, an upper bound), and newsdigest's method.
Figures the issue quotes for the same setup: Lead-3 32.2 / 13.7 / 28.7,
LexRank 24.4 / 8.5 / 21.6, TextRank 19.9 / 6.4 / 16.6, oracle 44.2 / 26.2 / 40.5.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rouge_score import rouge_scorer  # noqa: E402
from sumy.nlp.stemmers import Stemmer  # noqa: E402
from sumy.parsers.plaintext import PlaintextParser  # noqa: E402
from sumy.summarizers.lex_rank import LexRankSummarizer  # noqa: E402
from sumy.summarizers.text_rank import TextRankSummarizer  # noqa: E402

from generator.enrich import highlights  # noqa: E402
from generator.enrich.highlights import choose_highlights  # noqa: E402
from generator.enrich.sentences import split_sentences  # noqa: E402
from generator.ingest.story import split_story  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from quality_archive import build_archive, measure  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "articles"
SCORER = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
COUNT = 3


class _Tokenizer:
    """What sumy needs of a tokenizer, without NLTK data: pysbd sentences, regex words."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [s.text for s in split_sentences([paragraph])]

    def to_words(self, sentence: str) -> list[str]:
        return re.findall(r"[\w'’-]+", sentence)


def _sumy(summarizer_class, sentences: list[str]) -> list[str]:
    parser = PlaintextParser.from_string("\n".join(sentences), _Tokenizer())
    summarizer = summarizer_class(Stemmer("english"))
    picked = {str(s) for s in summarizer(parser.document, COUNT)}
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


def leave_one_out(stories: list[tuple[list[str], list[str], str]]) -> list[float]:
    """The method's ROUGE with its weights chosen on the other stories only, for each story in turn.

    The weights in generator/enrich/highlights.py were picked on these same
    stories; this is the estimate that does not flatter them.
    """
    grid = [(k, c, w) for k in (2, 4, 8) for c in (0.0, 0.5, 1.0) for w in (0.0, 0.5, 1.0)]
    scores = {}
    for k, c, w in grid:
        highlights.POSITION_SCALE, highlights.CENTRALITY_WEIGHT, highlights.LENGTH_WEIGHT = k, c, w
        scores[(k, c, w)] = [
            SCORER.score(reference, "\n".join(h.text for h in choose_highlights(paragraphs, COUNT)))
            for _, paragraphs, reference in stories
        ]
    totals = [0.0, 0.0, 0.0]
    for held in range(len(stories)):
        best = max(grid, key=lambda p: sum(s["rouge2"].fmeasure for i, s in enumerate(scores[p]) if i != held))
        for i, key in enumerate(("rouge1", "rouge2", "rougeLsum")):
            totals[i] += scores[best][held][key].fmeasure
    return [100 * t / len(stories) for t in totals]


def main() -> None:
    stories = sorted(CORPUS.glob("*.story"))
    if not stories:
        sys.exit(f"no .story files in {CORPUS}")
    methods = {
        "Lead-3": lambda sentences, paragraphs, reference: sentences[:COUNT],
        "LexRank (sumy)": lambda sentences, paragraphs, reference: _sumy(LexRankSummarizer, sentences),
        "TextRank (sumy)": lambda sentences, paragraphs, reference: _sumy(TextRankSummarizer, sentences),
        "newsdigest": lambda sentences, paragraphs, reference: [h.text for h in choose_highlights(paragraphs, COUNT)],
        "oracle (greedy, R-2)": lambda sentences, paragraphs, reference: _oracle(sentences, reference),
    }
    totals = {name: [0.0, 0.0, 0.0] for name in methods}
    prepared = []
    for path in stories:
        parts = split_story(path.read_text(encoding="utf-8"), str(path))
        paragraphs = list(parts.paragraphs)
        sentences = [s.text for s in split_sentences(paragraphs)]
        reference = "\n".join(parts.highlights)
        prepared.append((sentences, paragraphs, reference))
        for name, method in methods.items():
            scores = SCORER.score(reference, "\n".join(method(sentences, paragraphs, reference)))
            for i, key in enumerate(("rouge1", "rouge2", "rougeLsum")):
                totals[name][i] += scores[key].fmeasure
    print(f"{len(stories)} CNN stories, {COUNT} sentences each; ROUGE F1 x 100 (rouge-score, stemming)\n")
    print(f"{'method':24} {'R-1':>6} {'R-2':>6} {'R-Lsum':>7}   R-2 vs Lead-3")
    lead = totals["Lead-3"][1]
    for name, (r1, r2, rl) in totals.items():
        n = len(stories)
        print(f"{name:24} {100 * r1 / n:6.1f} {100 * r2 / n:6.1f} {100 * rl / n:7.1f}   {r2 / lead:5.2f}x")
    r1, r2, rl = leave_one_out(prepared)
    print(f"{'newsdigest, held out':24} {r1:6.1f} {r2:6.1f} {rl:7.1f}   {r2 / (100 * lead / len(stories)):5.2f}x")
    print("  (leave-one-out: weights chosen on the other 19 stories for each one; the honest estimate)")
    scores = measure(*build_archive())
    print("\nRelated stories and story clusters, on the labelled pairs of tests/enrich/quality.yaml:")
    for name, value in scores.items():
        print(f"  {name.replace('_', ' '):26} {value:.2f}")


if __name__ == "__main__":
    main()
