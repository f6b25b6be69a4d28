"""The digest: the archive arranged as an editor would, most-covered stories first.

The front page (`front_page`) leads with what most sources covered: one
entry per story (its newest report, which names the others), ranked by how
many distinct sources reported it, then by recency, over a window of dated
news: the 48 hours before the newest dated report, widened a day at a time
until it holds FRONT_MIN stories (never a near-empty front page). A story
whose date its source did not state (`dated` false: it carries the time a
feed's item was first seen, or a date inferred from its text) never sits
above a dated one: such stories follow the dated ones, marked.

A day's digest holds the stories reported that day, one entry per story,
grouped by category (busiest first) and ranked the same way within each.

Pure: it works on any records with `date`, `category`, `title` and
`story_key`, and optionally `dated` and `source_count` (generator.build.story's
cards), so it is tested without Pelican.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from generator.sources import slug_for


class _Page:
    """A page of ours at its `url` (a folder, which the subclass gives): written as its index.html."""

    @property
    def save_as(self) -> str:
        return self.url + "index.html"


@dataclass(frozen=True)
class Section:
    """One category's stories on one day, ranked (`rank`)."""

    category: Any
    stories: tuple[Any, ...]


_WORDS = re.compile(r"\w+")
#: The front page's window: this long before the newest dated report...
FRONT_WINDOW = dt.timedelta(hours=48)
#: ...widened a day at a time until it holds this many stories, when the archive has them.
FRONT_MIN = 12
#: The front page lists at most this many stories.
FRONT_MAX = 30
#: The first this many stories of the front page show their highlights; the rest their summary.
TOP_STORIES = 5


@dataclass(frozen=True)
class FrontPage:
    """The front page: `stories` ranked (`rank`), reported from `start` to `end`."""

    stories: tuple[Any, ...]
    start: dt.datetime | None
    end: dt.datetime | None
    top: int = TOP_STORIES


def front_page(articles: Iterable[Any]) -> FrontPage:
    """The stories of the front page (see the module's docstring).

    Its window is known once the newest FRONT_MIN dated stories are: the leads
    are taken newest first until the first one older than that (not every
    story of the archive: 0.3 s at 100,000)."""
    leads: list[Any] = []
    dated: list[dt.datetime] = []
    start = None
    for lead in _each_lead(articles):
        if start is not None and lead.date < start:
            break
        leads.append(lead)
        if _dated(lead):
            dated.append(lead.date)
            if len(dated) == FRONT_MIN:  # the newest dated ones, and as many of all: the window is known
                start = _window_start(dated, [lead.date for lead in leads])
    if not leads:
        return FrontPage(stories=(), start=None, end=None)
    every = [lead.date for lead in leads]
    start = start or _window_start(dated or every, every)
    window = sorted((lead for lead in leads if lead.date >= start), key=rank)
    return FrontPage(stories=tuple(window[:FRONT_MAX]), start=start, end=max(dated or every))


def _window_start(dated: list[dt.datetime], every: list[dt.datetime]) -> dt.datetime:
    """FRONT_WINDOW before the newest of `dated`, widened until it holds FRONT_MIN of `dated` (or
    every one); then, if the page is still short, until it holds FRONT_MIN of `every` (those
    undated come after the dated ones)."""
    return _widened(_widened(max(dated) - FRONT_WINDOW, dated), every)


def _widened(start: dt.datetime, dates: list[dt.datetime]) -> dt.datetime:
    """`start` moved back by whole days until FRONT_MIN of `dates` (or all) fall on or after it."""
    wanted = sorted(dates, reverse=True)[:FRONT_MIN][-1]
    if wanted >= start:
        return start
    return start - dt.timedelta(days=-((wanted - start) // dt.timedelta(days=1)))


def rank(story: Any) -> tuple:
    """Dated stories before undated ones (an undated story never leads), then most sources first,
    then newest, then by title (a stable order)."""
    return (not _dated(story), -getattr(story, "source_count", 1), *_newest_first(story))


def _dated(story: Any) -> bool:
    return getattr(story, "dated", True)


def _each_lead(articles: Iterable[Any]) -> Iterator[Any]:
    """One report per story, its newest; and one per headline a day (a wire story that two feeds
    carry, an item a feed repeats under a new GUID): the same words the same day are one story.
    Newest first."""
    keys: set[object] = set()
    headlines: set[tuple[str, dt.date]] = set()
    for article in sorted(articles, key=_newest_first):
        key = getattr(article, "story_key", id(article))
        headline = (" ".join(_WORDS.findall(str(article.title).casefold())), article.date.date())
        if key not in keys and headline not in headlines:
            keys.add(key)
            headlines.add(headline)
            yield article


@dataclass(frozen=True)
class DigestDay(_Page):
    """The digest of one day: its sections, busiest category first."""

    day: dt.date
    sections: tuple[Section, ...]

    @property
    def url(self) -> str:
        return f"{self.day:%Y/%m/%d}/"

    @property
    def story_count(self) -> int:
        return sum(len(section.stories) for section in self.sections)


def digest_days(articles: Iterable[Any]) -> list[DigestDay]:
    """Every day that has an article, newest first.

    Articles sharing a `story_key` (one event, several reports), or a headline, are one
    entry a day: the day's newest report. Without a key, every article is its own story.
    """
    by_day: dict[dt.date, list[Any]] = defaultdict(list)
    for article in articles:
        by_day[article.date.date()].append(article)
    days = []
    for day in sorted(by_day, reverse=True):
        by_category: dict[str, list[Any]] = defaultdict(list)
        for article in sorted(_each_lead(by_day[day]), key=rank):
            by_category[str(article.category)].append(article)
        sections = [Section(category=stories[0].category, stories=tuple(stories)) for stories in by_category.values()]
        sections.sort(key=lambda section: (-len(section.stories), str(section.category).casefold()))
        days.append(DigestDay(day=day, sections=tuple(sections)))
    return days


@dataclass(frozen=True)
class Month(_Page):
    """A month of the archive: its days' digests, newest first (a light page: headlines only)."""

    year: int
    month: int
    days: tuple[DigestDay, ...]

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def url(self) -> str:
        return f"{self.year:04d}/{self.month:02d}/"

    @property
    def story_count(self) -> int:
        return sum(day.story_count for day in self.days)


def archive_months(days: Sequence[DigestDay]) -> list[Month]:
    """`days` (newest first) grouped by month, newest first."""
    grouped: dict[tuple[int, int], list[DigestDay]] = defaultdict(list)
    for day in days:
        grouped[(day.day.year, day.day.month)].append(day)
    return [Month(year, month, tuple(grouped[(year, month)])) for year, month in grouped]


def _newest_first(article: Any) -> tuple:
    return (-article.date.timestamp(), str(article.title))


@dataclass(frozen=True)
class Source(_Page):
    """A news source's page: every article it published here, newest first."""

    name: str
    slug: str
    articles: list[Any] = field(default_factory=list, compare=False)

    @property
    def url(self) -> str:
        return f"source/{self.slug}/"

    def __str__(self) -> str:
        return self.name


@functools.lru_cache(maxsize=4096)
def source_slug(name: str) -> str:
    """The slug of a source's page: "Harbour Herald" → "harbour-herald". Kept for each name: a
    build asks it of every story's source (slugifying takes 10 µs; a site has a few hundred)."""
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
