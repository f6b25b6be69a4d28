"""The digest's arrangement, on plain records: days, sections, one entry per story, sources."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from generator.build.digest import FRONT_MAX, FRONT_MIN, FRONT_WINDOW, digest_days, front_page, rank, sources_of


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


@dataclass
class Card:
    title: str
    date: dt.datetime
    source_count: int = 1
    dated: bool = True
    category: str = "News"
    story_key: str = ""

    def __post_init__(self) -> None:
        self.story_key = self.story_key or self.title


def test_the_front_page_ranks_by_sources_then_recency_and_undated_never_lead():
    cards = [
        Card("Fresh, one source", at(25, 9)),
        Card("Three sources", at(24, 8), source_count=3),
        Card("Two sources", at(25, 7), source_count=2),
        Card("Undated, five sources", at(25, 12), source_count=5, dated=False),
        Card("Older, one source", at(24, 20)),
    ]
    front = front_page(cards)
    assert [card.title for card in front.stories] == [
        "Three sources",
        "Two sources",
        "Fresh, one source",
        "Older, one source",
        "Undated, five sources",
    ]
    assert front.end == at(25, 9)  # the newest dated report, not the undated one's "first seen"


def test_the_front_page_window_widens_until_it_is_full_and_keeps_to_it():
    recent = [Card(f"Recent {n}", at(25, n)) for n in range(FRONT_MIN - 2)]
    older = [Card("A week before", at(18, 9), source_count=4), Card("Two weeks before", at(11, 9), source_count=9)]
    front = front_page([*recent, *older, Card("Long ago", dt.datetime(2020, 1, 1, tzinfo=dt.UTC), source_count=20)])
    titles = [card.title for card in front.stories]
    # 48 hours hold FRONT_MIN - 2 stories: widened day by day to a week before (12 stories), and no further.
    assert titles[0] == "Two weeks before" and "A week before" in titles and "Long ago" not in titles
    assert len(titles) == FRONT_MIN and front.start == at(11, 9)


def test_an_archive_of_few_stories_shows_them_all_and_an_empty_one_none():
    assert [card.title for card in front_page([Card("Only", at(3, 3))]).stories] == ["Only"]
    assert front_page([]).stories == ()


def test_the_same_headline_twice_in_a_day_is_one_entry_but_not_across_days():
    cards = [
        Card("Harbour reopens after the storm", at(25, 9), story_key="a"),
        Card("Harbour  reopens after the storm!", at(25, 7), story_key="b"),  # a repeat under a new GUID
        Card("Harbour reopens after the storm", at(24, 7), story_key="c"),
    ]
    assert [(card.story_key) for card in front_page(cards).stories] == ["a", "c"]
    days = digest_days(cards)
    assert [[s.story_key for section in day.sections for s in section.stories] for day in days] == [["a"], ["c"]]


def front_page_of_every_lead(cards: list[Card]) -> tuple[list[str], dt.datetime | None, dt.datetime | None]:
    """The front page as the module's docstring defines it, worked out over every story of the archive."""
    leads, seen = [], set()
    for card in sorted(cards, key=lambda card: (-card.date.timestamp(), card.title)):
        headline = (" ".join(re.findall(r"\w+", card.title.casefold())), card.date.date())
        if card.story_key not in seen and headline not in seen:
            seen |= {card.story_key, headline}
            leads.append(card)
    if not leads:
        return [], None, None
    every = [lead.date for lead in leads]
    dated = [lead.date for lead in leads if lead.dated] or every
    start = max(dated) - FRONT_WINDOW
    for dates in (dated, every):
        while len([date for date in dates if date >= start]) < min(FRONT_MIN, len(dates)):
            start -= dt.timedelta(days=1)
    window = sorted((lead for lead in leads if lead.date >= start), key=rank)
    return [lead.title for lead in window[:FRONT_MAX]], start, max(dated)


@given(
    st.lists(
        st.builds(
            Card,
            title=st.sampled_from(
                ["Storm", "storm!", "Dikes hold", "Ferry", "Vote", "Fire", "Flood", "Strike"]
            ).flatmap(lambda word: st.integers(0, 40).map(lambda n: f"{word} {n}" if n else word)),
            date=st.integers(0, 20).map(lambda n: dt.datetime(2026, 10, 1, tzinfo=dt.UTC) + dt.timedelta(hours=12 * n)),
            source_count=st.integers(1, 4),
            dated=st.booleans(),
            story_key=st.integers(0, 40).map(lambda n: f"story {n}" if n < 4 else ""),  # most their own
        ),
        max_size=80,
    )
)
def test_the_front_page_is_the_one_worked_out_over_every_story(cards: list[Card]):
    """front_page stops at the first lead older than its window: the same page as over every lead."""
    front = front_page(cards)
    assert ([card.title for card in front.stories], front.start, front.end) == front_page_of_every_lead(cards)
