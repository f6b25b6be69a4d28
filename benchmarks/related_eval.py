"""Related stories and story clusters, measured on real news labelled by event.

    python benchmarks/related_eval.py [--split dev] [--split test] [--fast] [--summaries 300]

For each corpus of ../shared/eval/clusters/<split>/ (general news from 94
publishers; local US gun-violence reports from 1,098 publishers: one topic,
the same cities, the hard case), every article becomes a source with the
front matter contract (`title`, `date`, `source`, `link`, `slug`, `lang`),
the whole split is built as one site with `newsdigest build` (real Pelican,
our theme), and each article page is read back: the links in its `.coverage`
(other coverage) and `.related` (related stories) elements. Per corpus:

- shown precision: of all the links the pages show, the share to an article
  reporting the same event;
- partner recall: of all (article, same-event partner) pairs in the archive,
  the share whose partner the article's page shows;
- links on the pages of articles that have no partner in the archive.

Beside it, a tuned TF-IDF baseline: each page shows up to 5 articles whose
cosine (headline and body, English stop words) is at least a threshold,
the one with the best F1 of precision and recall on dev/. `--fast` skips the
site and reads `link_archive` directly (what the training script tunes on).

`--summaries N` cuts every text to its sentences within the first N
characters (or N characters, when the first sentence is longer than that),
as most feeds give an item: a headline and a summary. The articles, their
events and their dates stay the same: what changes is how much text tells
two of them apart.

Cleaning, as the data's PROVENANCE.md describes its noise: articles with an
empty text, and texts that open with the same 300 characters as an article
of another event (paywall, "verify your e-mail" and furniture pages), are
left out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import yaml
from bs4 import BeautifulSoup
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import site  # noqa: E402
from generator.enrich.related import StoryDoc, link_archive  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "clusters"
CORPORA = ("giveme5w1h_news_cluster", "gva_incidents")
LABELS = {"giveme5w1h_news_cluster": "general news", "gva_incidents": "gun-violence reports"}
BASELINE_LIMIT = 5


def load_split(split: str, corpus: str) -> list[dict]:
    """The split's articles of `corpus`, cleaned (see the module docstring)."""
    path = EVAL / split / f"{corpus}.jsonl"
    if not path.is_file():
        sys.exit(f"{path} is missing: ../shared/eval/clusters must be beside the repository")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [row for row in rows if row["text"].strip()]
    events_by_opening: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        events_by_opening[_opening(row["text"])].add(row["cluster"])
    return [row for row in rows if len(events_by_opening[_opening(row["text"])]) == 1]


def as_summary(text: str, length: int) -> str:
    """`text`'s sentences within its first `length` characters, as a feed's summary; the first
    `length` characters when the first sentence is longer than that (0: the whole text)."""
    if not length or len(text) <= length:
        return text
    head = text[:length]
    end = max(head.rfind(mark) for mark in (". ", "? ", "! ", '." '))
    return head[: end + 1] if end > 0 else head


def _opening(text: str) -> str:
    return " ".join(text.split())[:300]


def _date(row: dict) -> dt.datetime:
    date = dt.datetime.fromisoformat(row["date"])
    return date if date.tzinfo else date.replace(tzinfo=dt.UTC)


def story_docs(rows: list[dict]) -> list[StoryDoc]:
    """The rows as `link_archive` sees them: key a{n}, the row's title, text, date, source and language."""
    return [
        StoryDoc(
            key=f"a{n}",
            title=row["title"],
            text=row["text"],
            date=_date(row),
            source=row["source"],
            lang="" if row.get("lang", "en") == "en" else row["lang"],
        )
        for n, row in enumerate(rows)
    ]


def score(rows: list[dict], shown: dict[int, set[int]]) -> dict[str, float]:
    """Shown precision, partner recall, and links per page of articles without a partner."""
    events = [row["cluster"] for row in rows]
    members: dict[str, list[int]] = defaultdict(list)
    for i, event in enumerate(events):
        members[event].append(i)
    links = right = partners = found = 0
    lonely: list[int] = []
    for i, event in enumerate(events):
        page = shown.get(i, set())
        links += len(page)
        right += sum(events[j] == event for j in page)
        mine = [j for j in members[event] if j != i]
        if mine:
            partners += len(mine)
            found += sum(j in page for j in mine)
        else:
            lonely.append(len(page))
    return {
        "precision": right / links if links else 1.0,
        "recall": found / partners if partners else 1.0,
        "lonely_links": float(np.mean(lonely)) if lonely else 0.0,
        "lonely_pages": len(lonely),
    }


def shown_by_links(rows: list[dict]) -> dict[int, set[int]]:
    """What each page would show, read from `link_archive` directly (no site)."""
    docs = story_docs(rows)
    links = link_archive(docs)
    index = {doc.key: i for i, doc in enumerate(docs)}
    return {
        index[doc.key]: {index[link.key] for link in links.related.get(doc.key, ())}
        | {index[key] for key in links.coverage.get(doc.key, ())}
        for doc in docs
    }


def shown_by_site(rows: list[dict], corpus: str) -> dict[int, set[int]]:
    """What each article page of a real build shows in its .coverage and .related elements."""
    root = Path(tempfile.mkdtemp(prefix=f"newsdigest-eval-{corpus}-"))
    try:
        shutil.copy(ROOT / "pelicanconf.py", root / "pelicanconf.py")
        for n, row in enumerate(rows):
            source = root / "content" / "eval" / f"a{n}.md"
            source.parent.mkdir(parents=True, exist_ok=True)
            front = {
                "title": row["title"] or f"Article {n}",
                "date": _date(row).isoformat(),
                "source": row["source"],
                "link": row.get("url", ""),
                "slug": f"a{n}",
                "lang": row.get("lang", "en"),
            }
            body = "\n\n".join(" ".join(p.split()) for p in row["text"].split("\n") if p.strip())
            source.write_text(f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n\n{body}\n", encoding="utf-8")
        settings = site.load_settings(root, overrides={"NEWSDIGEST_SEARCH": False})
        report = site.build(settings)
        if report.errors:
            sys.exit(f"the build of {corpus} failed: {report.errors[:3]}")
        shown: dict[int, set[int]] = {}
        for page in Path(settings["OUTPUT_PATH"]).glob("[0-9]*/*/*/a*/index.html"):
            html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            targets = {
                a["href"].rstrip("/").rsplit("/", 1)[-1]
                for box in html.select(".coverage, .related")
                for a in box.find_all("a", href=True)
            }
            shown[int(page.parent.name[1:])] = {int(t[1:]) for t in targets if t[:1] == "a" and t[1:].isdigit()}
        return shown
    finally:
        shutil.rmtree(root, ignore_errors=True)


def baseline_cosines(rows: list[dict]) -> np.ndarray:
    texts = [f"{row['title']} {row['text']}" for row in rows]
    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    cosines = (vectors @ vectors.T).toarray()
    np.fill_diagonal(cosines, -1.0)
    return cosines


def shown_by_baseline(cosines: np.ndarray, threshold: float) -> dict[int, set[int]]:
    shown = {}
    for i, row in enumerate(cosines):
        best = np.argsort(-row, kind="stable")[:BASELINE_LIMIT]
        shown[i] = {int(j) for j in best if row[j] >= threshold}
    return shown


def tuned_threshold(dev: dict[str, list[dict]]) -> float:
    """The baseline's threshold with the best mean F1 of precision and recall over dev/'s corpora."""
    cosines = {corpus: baseline_cosines(rows) for corpus, rows in dev.items()}

    def f1(threshold: float) -> float:
        values = []
        for corpus, rows in dev.items():
            s = score(rows, shown_by_baseline(cosines[corpus], threshold))
            values.append(2 * s["precision"] * s["recall"] / ((s["precision"] + s["recall"]) or 1))
        return float(np.mean(values))

    return max(np.arange(0.05, 0.8, 0.025), key=f1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", action="append", choices=("dev", "test"), help="default: both")
    parser.add_argument("--fast", action="store_true", help="read link_archive directly instead of building sites")
    parser.add_argument("--summaries", type=int, default=0, metavar="N", help="texts cut to N-character summaries")
    args = parser.parse_args()
    splits = args.split or ["dev", "test"]
    threshold = tuned_threshold({corpus: load_split("dev", corpus) for corpus in CORPORA})
    print(f"TF-IDF baseline: up to {BASELINE_LIMIT} links at cosine >= {threshold:.3f} (best F1 on dev/)")
    header = f"{'split':5} {'corpus':22} {'method':11} {'articles':>8} {'precision':>9} {'recall':>7}"
    print(f"\n{header} {'no-partner links':>17}")
    for split in splits:
        for corpus in CORPORA:
            rows = [dict(row, text=as_summary(row["text"], args.summaries)) for row in load_split(split, corpus)]
            ours = shown_by_links(rows) if args.fast else shown_by_site(rows, corpus)
            for method, shown in (
                ("newsdigest", ours),
                ("TF-IDF", shown_by_baseline(baseline_cosines(rows), threshold)),
            ):
                s = score(rows, shown)
                print(
                    f"{split:5} {LABELS[corpus]:22} {method:11} {len(rows):8} {s['precision']:9.3f} {s['recall']:7.3f}"
                    f" {s['lonely_links']:8.2f} ({s['lonely_pages']} pages)"
                )


if __name__ == "__main__":
    main()
