"""The digest's arrangement, on plain records: days, sections, one entry per story, sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.build.digest import digest_days, sources_of


@dataclass
class Story:
    title: str
    date: dt.datetime
    category: str = "News"
    source: str = ""
    story_key: str = ""

    def __post_init__(self) -> None:
        self.story_key = self.story_key or self.title


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=dt.UTC)


def test_days_newest_first_busiest_category_first_stories_newest_first():
    articles = [
        Story("Old", at(20, 9)),
        Story("Rain", at(24, 8), "Weather"),
        Story("Match", at(24, 9), "Sport"),
        Story("Final", at(24, 20), "Sport"),
    ]
    days = digest_days(articles)
    assert [day.day for day in days] == [dt.date(2026, 11, 24), dt.date(2026, 11, 20)]
    assert [str(section.category) for section in days[0].sections] == ["Sport", "Weather"]
    assert [story.title for story in days[0].sections[0].stories] == ["Final", "Match"]
    assert days[0].url == "2026/11/24/" and days[0].story_count == 3


def test_a_story_covered_twice_in_a_day_is_one_entry_under_the_newest_report_each_day():
    storm = [
        Story("Storm nears", at(23, 7), story_key="storm"),
        Story("Storm hits", at(24, 6), story_key="storm"),
        Story("Thousands evacuated", at(24, 18), story_key="storm"),
        Story("Clean-up begins", at(25, 9), story_key="storm"),
    ]
    days = digest_days([*storm, Story("Budget", at(24, 12))])
    titles = {day.day.day: [s.title for section in day.sections for s in section.stories] for day in days}
    assert titles == {25: ["Clean-up begins"], 24: ["Thousands evacuated", "Budget"], 23: ["Storm nears"]}


def test_sources_share_a_page_when_their_names_slugify_alike_and_unnamed_ones_have_none():
    articles = [
        Story("A", at(1, 1), source="Harbour Herald"),
        Story("B", at(2, 1), source="harbour herald"),
        Story("C", at(3, 1), source="Norte Diário"),
        Story("D", at(4, 1)),
    ]
    sources = sources_of(articles)
    assert [(source.slug, [a.title for a in source.articles]) for source in sources] == [
        ("harbour-herald", ["B", "A"]),
        ("norte-diario", ["C"]),
    ]
    assert sources[0].url == "source/harbour-herald/"
