"""A story's record and its fingerprint: any field, however deep, changes it; the same story keeps it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from generator.build.metadata import StoryFacts
from generator.build.story import Card, Link, Story, Term, link_to

WHEN = dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.UTC)


def card(number: int, coverage: tuple[Link, ...] = ()) -> Card:
    return Card(
        url=f"2026/11/25/story-{number}/",
        title=f"Story {number}",
        source=Term("Harbour Herald", "source/harbour-herald/"),
        date=WHEN,
        locale_date="Wed 25 November 2026",
        category=Term("World", "category/world.html"),
        highlights=("One.", "Two."),
        description="A story.",
        reading_minutes=2,
        coverage=coverage,
        story_key=f"story-{number}",
    )


def facts(tags: list[str]) -> StoryFacts:
    return StoryFacts(
        url="https://news.example/x/",
        title="Story 1",
        date=WHEN,
        modified=None,
        description="A story.",
        site_name="News",
        tags=tags,
    )


def story(**changes) -> Story:
    """A story as the plugin makes it: other stories' links, its tags, its facts; `changes` replace fields."""
    fields = {
        "card": card(1, coverage=(link_to(card(2)),)),
        "listed": True,
        "absolute_url": "https://news.example/2026/11/25/story-1/",
        "lang": "",
        "rtl": False,
        "original_url": "https://herald.example/1",
        "location": "HARBOUR",
        "authors": ("A. Writer",),
        "contributors": (),
        "tags": (Term("Ferries", "tag/ferries.html"),),
        "image": "",
        "image_caption": "",
        "image_credit": "",
        "highlights_from": "source",
        "highlight_items": (("One.", "p1"), ("Two.", "")),
        "content": "<p>One. Two.</p>",
        "json_ld": "{}",
        "search_fingerprint": "abc",
        "related_headlines": (("Story 3", link_to(card(3))), ("Gone", None)),
        "related": ((link_to(card(4)), "Shared: ferries"),),
        "facts": facts(["Ferries"]),
    }
    return Story(**{**fields, **changes})


def test_the_same_story_made_twice_has_one_fingerprint():
    assert story().fingerprint == story().fingerprint


@pytest.mark.parametrize(
    "changed",
    [
        {"content": "<p>One. Two!</p>"},
        {"highlight_items": (("One.", "p1"), ("Two.", "p2"))},
        # Deep: a related story's headline, a tag's address, the source of other coverage.
        {"related": ((link_to(replace(card(4), title="Story four")), "Shared: ferries"),)},
        {"related": ((link_to(card(4)), "Shared: ports"),)},
        {"tags": (Term("Ferries", "tag/ferries-2.html"),)},
        {"card": card(1, coverage=(link_to(replace(card(2), source=Term("Coast Times", "source/coast-times/"))),))},
        {"related_headlines": (("Story 3", None), ("Gone", None))},
        # A plain dataclass inside, a list inside that.
        {"facts": facts(["Ferries", "Ports"])},
        # Text moved from one field or item to the next is a change too.
        {"authors": ("A.", "Writer")},
        {"location": "HARBOU", "image": "R"},
    ],
)
def test_a_change_anywhere_in_a_story_changes_its_fingerprint(changed: dict):
    assert story(**changed).fingerprint != story().fingerprint


def test_text_holding_the_separator_or_what_looks_like_a_length_reads_as_itself():
    """A string is hashed by its length, then itself: no text can pass for two strings, or two for one."""
    assert story(authors=("A.\0Writer",)).fingerprint != story(authors=("A.", "Writer")).fingerprint
    assert story(authors=("s2", "A.")).fingerprint != story(authors=("s2\0A.",)).fingerprint
    assert story(location="s0", image="").fingerprint != story(location="", image="s0").fingerprint
