"""The digest: the archive arranged as a reader meets it, one day at a time.

A day's digest holds the stories reported that day, one entry per story
(the day's newest report of a story that several sources covered, which
lists the others), grouped by category. Pure: it works on any records with
`date`, `category`, `title` and `story_key` (generator.build.story's cards),
so it is tested without Pelican.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from generator.sources import slug_for


@dataclass(frozen=True)
class Section:
    """One category's stories on one day, newest first."""

    category: Any
    stories: tuple[Any, ...]


@dataclass(frozen=True)
class DigestDay:
    """The digest of one day: its sections, busiest category first."""

    day: dt.date
    sections: tuple[Section, ...]

    @property
    def url(self) -> str:
        return f"{self.day:%Y/%m/%d}/"

    @property
    def save_as(self) -> str:
        return self.url + "index.html"

    @property
    def story_count(self) -> int:
        return sum(len(section.stories) for section in self.sections)


def digest_days(articles: Iterable[Any]) -> list[DigestDay]:
    """Every day that has an article, newest first.

    Articles sharing a `story_key` (one event, several reports) are one entry
    a day: the day's newest report. Without a key, every article is its own story.
    """
    leads: dict[dt.date, dict[object, Any]] = defaultdict(dict)
    for article in sorted(articles, key=_newest_first):
        leads[article.date.date()].setdefault(getattr(article, "story_key", id(article)), article)
    days = []
    for day in sorted(leads, reverse=True):
        by_category: dict[str, list[Any]] = defaultdict(list)
        for article in leads[day].values():
            by_category[str(article.category)].append(article)
        sections = [Section(category=stories[0].category, stories=tuple(stories)) for stories in by_category.values()]
        sections.sort(key=lambda section: (-len(section.stories), str(section.category).casefold()))
        days.append(DigestDay(day=day, sections=tuple(sections)))
    return days


def _newest_first(article: Any) -> tuple:
    return (-article.date.timestamp(), str(article.title))


@dataclass(frozen=True)
class Source:
    """A news source's page: every article it published here, newest first."""

    name: str
    slug: str
    articles: list[Any] = field(default_factory=list, compare=False)

    @property
    def url(self) -> str:
        return f"source/{self.slug}/"

    @property
    def save_as(self) -> str:
        return self.url + "index.html"

    def __str__(self) -> str:
        return self.name


def source_slug(name: str) -> str:
    """The slug of a source's page: "Harbour Herald" → "harbour-herald"."""
    return slug_for(name, "source")


def sources_of(articles: Sequence[Any], source_of: Callable[[Any], str] = attrgetter("source")) -> list[Source]:
    """One Source per distinct source name (`source_of` an article), sorted by name; two names that
    slugify alike share a page."""
    by_slug: dict[str, Source] = {}
    for article in sorted(articles, key=_newest_first):
        name = str(source_of(article) or "").strip()
        if not name:
            continue
        slug = source_slug(name)
        source = by_slug.setdefault(slug, Source(name=name, slug=slug))
        source.articles.append(article)
    return sorted(by_slug.values(), key=lambda source: source.name.casefold())
