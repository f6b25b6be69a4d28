"""A story's section from its source's own labels (generator.ingest.sections)."""

from __future__ import annotations

import pytest

from generator.ingest.sections import section_for


@pytest.mark.parametrize(
    ("labels", "section"),
    [
        (["US news", "Donald Trump", "US politics"], "Politics"),  # "US news" names nothing; "politics" does
        (["Football", "Sport"], "Sport"),
        (["Mundo"], "World"),
        (["Economia"], "Business"),
        (["Cell Biology"], "Science"),
        (["Research", "Security", "Product News"], "Technology"),
        (["food", "foraging", "recipe"], "Lifestyle"),
        (["Nacional"], ""),
        ([], ""),
    ],
)
def test_an_items_labels_name_its_section(labels, section):
    assert section_for(labels) == section


def test_the_feeds_labels_count_only_when_the_items_name_nothing_and_taglines_never():
    assert section_for(["Football"], ["Hacker News"]) == "Sport"
    assert section_for([], ["Hacker News"]) == "Technology"
    assert section_for([], ["ilmessaggero.it - mondo"]) == "World"
    assert section_for([], ["Wirecutter: Reviews for the Real World"]) == ""  # a tagline, not a name


def test_a_feeds_own_mapping_comes_first_case_insensitively():
    overrides = {"Nacional": "Portugal", "Mundo": "Internacional"}
    assert section_for(["nacional"], overrides=overrides) == "Portugal"
    assert section_for(["Mundo", "Economia"], overrides=overrides) == "Internacional"
    assert section_for(["Economia"], overrides=overrides) == "Business"
