"""Related stories by shared tags: each edge case on its own."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from generator.enrich.related import RelatedLink, StoryRef, related_stories

DAY = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)


def story(key: str, tags: str = "", category: str = "World", days: int = 0) -> StoryRef:
    return StoryRef(key=key, tags=frozenset(tags.split()), category=category, date=DAY + dt.timedelta(days=days))


def test_no_articles():
    assert related_stories([]) == {}


def test_one_article_has_nothing_related():
    assert related_stories([story("a", "x")]) == {"a": ()}


def test_more_shared_tags_rank_first_and_reasons_name_them():
    result = related_stories([story("a", "x y"), story("b", "x"), story("c", "x y")])
    assert result["a"] == (RelatedLink("c", "Shared tags: x, y"), RelatedLink("b", "Shared tags: x"))


def test_tags_match_regardless_of_case():
    result = related_stories([story("a", "Idlib"), story("b", "idlib", category="Other")])
    assert result["a"] == (RelatedLink("b", "Shared tags: Idlib"),)


def test_same_category_without_shared_tags_is_a_weaker_match():
    result = related_stories([story("a", "x"), story("b", "z"), story("c", "x", category="Sport")])
    assert result["a"] == (RelatedLink("c", "Shared tags: x"), RelatedLink("b", "Also in World"))


def test_unrelated_categories_and_tags_give_nothing():
    assert related_stories([story("a", "x"), story("b", "y", category="Sport")])["a"] == ()


def test_ties_go_to_the_closest_date_then_the_key():
    stories = [story("a", "x"), story("far", "x", days=9), story("near", "x", days=-1), story("b-near", "x", days=1)]
    assert [link.key for link in related_stories(stories)["a"]] == ["b-near", "near", "far"]


def test_limit_caps_the_links():
    stories = [story(str(i), "x") for i in range(10)]
    assert all(len(links) == 3 for links in related_stories(stories, limit=3).values())
    assert all(links == () for links in related_stories(stories, limit=0).values())


@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.sets(st.sampled_from("tuvwxyz"), max_size=3)), max_size=8))
def test_never_self_and_order_independent(specs):
    stories = [story(f"{i}{name}", " ".join(sorted(tags))) for i, (name, tags) in enumerate(specs)]
    result = related_stories(stories)
    assert result == related_stories(list(reversed(stories)))
    for key, links in result.items():
        assert key not in {link.key for link in links}
