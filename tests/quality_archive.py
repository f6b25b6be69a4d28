"""The labelled archive that related stories and clusters are measured on (tests and make eval)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from golden_files import UNDATED
from support import CORPUS, REPO

from generator.article import parse_source
from generator.build import site
from generator.enrich.related import ArchiveLinks, StoryDoc, link_archive
from generator.feeds.config import site_configs
from generator.feeds.run import run_fetch
from generator.ingest.files import import_paths

LABELS = Path(__file__).parent / "enrich" / "quality.yaml"
FETCHED_AT = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


def build_archive() -> tuple[ArchiveLinks, dict[str, str], dict[str, str]]:
    """Import every sample and corpus article, fetch the sample feeds, link them all.

    Returns the links, each labelled input name's article key, and each key's source.
    """
    content = Path(tempfile.mkdtemp(prefix="newsdigest-quality-"))
    names: dict[str, str] = {}
    inputs = [*sorted((REPO / "samples").glob("*.txt"))]
    inputs += [p for pattern in ("articles/raw/*.txt", "articles/*.story", "html/*.html") for p in CORPUS.glob(pattern)]
    for path in sorted(inputs):
        given = UNDATED.get(path.name)
        date = dt.datetime.fromisoformat(given[0]).replace(tzinfo=dt.UTC) if given else None
        (result,) = import_paths([path], content, date=date)
        if result.output:
            name = (
                path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else path.relative_to(CORPUS).as_posix()
            )
            names[name] = parse_source(result.output.read_text(encoding="utf-8"), result.output).slug
    feeds = run_fetch(site_configs(REPO, site.load_settings(REPO)), content, FETCHED_AT, site_root=REPO)
    articles = [parse_source(p.read_text(encoding="utf-8"), p) for p in sorted(content.rglob("*.md"))]
    for result in feeds:
        for path in result.written:
            article = parse_source(path.read_text(encoding="utf-8"), path)
            names[f"feed:{article.title}"] = article.slug
    docs = [
        StoryDoc(key=a.slug, title=a.title, text=a.body, date=a.date, source=a.source, tags=a.tags, lang=a.lang)
        for a in articles
    ]
    return link_archive(docs), names, {doc.key: doc.source for doc in docs}


def measure(links: ArchiveLinks, names: dict[str, str], sources: dict[str, str]) -> dict[str, float]:
    """On the labelled pairs: precision@5 and recall of related links (either direction),
    pairwise precision and recall of story clusters, how many unrelated pairs are shown, and the
    share of one source's same-event pairs shown on each other's pages. A story is one event as
    several sources report it (generator.enrich.related): a same-event pair from one source is
    missed by the clusters only when it is one article twice (`same_article`); else it must be
    shown, as a related story or in a story that other sources reported too."""
    pairs = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["pairs"]

    def top5(key: str) -> set[str]:
        return {link.key for link in links.related.get(key, ())[:5]}

    shown_relevant = shown = related = found = unrelated_shown = 0
    tp = fp = fn = 0
    one_source = one_source_shown = 0
    for a, b, label in pairs:
        ka, kb = names[a], names[b]
        linked = kb in top5(ka) or ka in top5(kb)
        together = kb in links.coverage.get(ka, ())
        shown += linked
        shown_relevant += linked and label["related"]
        related += label["related"]
        found += label["related"] and (linked or together)
        unrelated_shown += not label["related"] and (linked or together)
        a_story = label["same_event"] and (sources[ka] != sources[kb] or label.get("same_article", False))
        if label["same_event"] and not a_story:
            one_source += 1
            one_source_shown += linked or together
        tp += together and label["same_event"]  # one source's follow-up in a story of several: right
        fp += together and not label["same_event"]
        fn += a_story and not together
    return {
        "related_precision_at_5": shown_relevant / shown if shown else 1.0,
        "related_recall": found / related if related else 1.0,
        "cluster_precision": tp / (tp + fp) if tp + fp else 1.0,
        "cluster_recall": tp / (tp + fn) if tp + fn else 1.0,
        "unrelated_shown": unrelated_shown,
        "one_source_shown": one_source_shown / one_source if one_source else 1.0,
    }
