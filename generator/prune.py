"""`newsdigest prune --older-than DAYS`: remove fetched sources past an age.

An archive that fetches hourly grows without end; most maintainers keep a
few months. Only sources a fetch wrote and nobody edited since are
candidates: an imported article (no `guid`) or one a maintainer edited by
hand (its content hash no longer matches, generator.article.has_hand_edits)
stays unless `everything`. The fetch state keeps the pruned items' keys, so
a feed that still lists them does not bring them back. A dry run unless told
to delete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.article import has_hand_edits, parse_source
from generator.errors import SourceError
from generator.feeds.state import FEEDS_DIR


@dataclass(frozen=True)
class Candidate:
    path: Path
    date: dt.datetime
    #: Why it stays although old ("imported", "edited by hand"), "" when it goes.
    kept_because: str = ""


def _kept_because(guid: str, text: str) -> str:
    if not guid:
        return "imported"
    return "edited by hand" if has_hand_edits(text) else ""


def prune_candidates(content_dir: Path, older_than: dt.datetime, everything: bool = False) -> list[Candidate]:
    """Every source dated before `older_than`, oldest first, each saying whether it would stay.
    A source that cannot be read is never a candidate."""
    found = []
    for path in sorted(content_dir.rglob("*.md")):
        if FEEDS_DIR in path.relative_to(content_dir).parts:
            continue
        text = path.read_text(encoding="utf-8")
        try:
            article = parse_source(text, path)
        except SourceError:
            continue
        if article.date >= older_than:
            continue
        reason = (
            "" if everything else "imported" if not article.guid else "edited by hand" if has_hand_edits(text) else ""
        )
        found.append(Candidate(path, article.date, reason))
    return sorted(found, key=lambda candidate: (candidate.date, str(candidate.path)))
