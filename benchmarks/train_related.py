"""Train the same-event pair model on dev/ and write generator/enrich/related_model.json.

    python benchmarks/train_related.py

Reads only the `dev/` halves of ../shared/eval/clusters/ (general news from
94 publishers; local gun-violence reports from 1,098), each as one archive,
with the cleaning of `related_eval.py` (no empty texts, no paywall or
furniture pages shared by different events), and each again with every text
cut to a feed's summary (`related_eval.as_summary`, SUMMARIES characters):
most feeds give an item as a headline and a line or two, and a model that
only ever saw whole articles trusted two summaries' few shared words as it
trusted two articles' many. Every candidate pair the package finds
(`generator.enrich.related.candidate_pairs`, so the features are the
package's own) is labelled by whether both articles report the same event,
and a logistic regression (scikit-learn) learns the probability. Its twelve
weights and bias are all the package ships. The general-news pairs weigh
GENERAL_WEIGHT times as much: otherwise the 42,000 pairs of one topic's
local reports drown the 2,800 of 94 publishers' general news (when it was
chosen on dev/, whole texts only: general-news recall 0.85 at precision 0.90
with weight 1, 0.88 at 0.99 with 5, the gun-violence reports going from
0.77 / 0.76 to 0.68 / 0.83; 15 cost them too much precision). With the
summaries, 10 instead of 5 kept more general-news recall on summaries (0.85
against 0.78 at 300 characters) but cost the gun-violence reports' summaries
a tenth of their precision (0.57 against 0.67).

The thresholds in related.py (CLUSTER_PROBABILITY, COHESION,
RELATED_PROBABILITY) were chosen on dev/ with `related_eval.py --split dev`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from related_eval import CORPORA, as_summary, load_split, story_docs  # noqa: E402

from generator.enrich.related import MODEL_PATH, candidate_pairs  # noqa: E402

GENERAL_WEIGHT = 5.0
#: Each corpus is learnt from whole (0) and cut to these many characters.
SUMMARIES = (0, 300, 150)


def main() -> None:
    features, labels, weights = [], [], []
    for corpus in CORPORA:
        for length in SUMMARIES:
            rows = [dict(row, text=as_summary(row["text"], length)) for row in load_split("dev", corpus)]
            first, second, pair_features = candidate_pairs(story_docs(rows))
            events = np.array([row["cluster"] for row in rows], dtype=object)
            features.append(pair_features)
            labels.append(events[first] == events[second])
            weights.append(np.full(len(first), GENERAL_WEIGHT if corpus == "giveme5w1h_news_cluster" else 1.0))
            print(
                f"{corpus}, texts {length or 'whole'}: {len(rows)} articles, {len(first)} candidate pairs, "
                f"{labels[-1].mean():.1%} same event"
            )
    model = LogisticRegression(C=1.0, max_iter=5000).fit(
        np.vstack(features), np.concatenate(labels), sample_weight=np.concatenate(weights)
    )
    shipped = {
        "about": "newsdigest same-event pair model: benchmarks/train_related.py, trained on shared/eval/clusters/dev",
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "bias": round(float(model.intercept_[0]), 6),
    }
    MODEL_PATH.write_text(json.dumps(shipped, indent=1) + "\n", encoding="utf-8")
    print(f"written to {MODEL_PATH.relative_to(ROOT)}: {shipped['weights']} + {shipped['bias']}")


if __name__ == "__main__":
    main()
