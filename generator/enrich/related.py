"""Related stories: for each article, the other articles worth reading next.

The foundation method is deliberately simple and explainable: articles that
share more tags rank higher; an article that shares no tag but has the same
category is a weaker match. Ties go to the story closest in time, then to the
slug, so two builds of the same archive give the same links. Every link
carries the reason it was chosen, which the theme shows to the reader.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class StoryRef:
    """What relating needs to know of one article."""

    #: The article's slug: unique across the site.
    key: str
    tags: frozenset[str]
    category: str
    date: dt.datetime


@dataclass(frozen=True)
class RelatedLink:
    """One related story and why it was chosen."""

    key: str
    reason: str


def related_stories(stories: Sequence[StoryRef], limit: int = 5) -> dict[str, tuple[RelatedLink, ...]]:
    """Map each story's key to at most `limit` related stories, best first."""
    index = {story.key: story for story in stories}
    by_tag: dict[str, list[StoryRef]] = defaultdict(list)
    by_category: dict[str, list[StoryRef]] = defaultdict(list)
    for story in stories:
        for tag in story.tags:
            by_tag[tag.casefold()].append(story)
        by_category[story.category.casefold()].append(story)

    result = {}
    for story in stories:
        shared: dict[str, list[str]] = defaultdict(list)
        for tag in sorted(story.tags, key=str.casefold):
            for other in by_tag[tag.casefold()]:
                if other.key != story.key:
                    shared[other.key].append(tag)
        others = {s.key: s for s in by_category[story.category.casefold()] if s.key != story.key}
        others.update({key: index[key] for key in shared})

        def rank(other: StoryRef, shared=shared, story=story) -> tuple:
            distance = abs((other.date - story.date).total_seconds())
            return (-len(shared.get(other.key, ())), distance, other.key)

        chosen = sorted(others.values(), key=rank)[:limit]
        result[story.key] = tuple(
            RelatedLink(
                key=other.key,
                reason=(
                    f"Shared tags: {', '.join(shared[other.key])}"
                    if other.key in shared
                    else f"Also in {story.category}"
                ),
            )
            for other in chosen
        )
    return result
