"""Tag, category and author pages written by generator.build.listings get what Pelican itself gives them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pelican import signals
from support import BuiltSite

from generator.build import listings, site


@pytest.mark.parametrize("order", ["reversed-date", "title"])  # a term's stories by date already, or not
def test_listing_pages_get_the_same_values_as_from_pelicans_own_methods(
    sample_site: BuiltSite, tmp_path: Path, order: str
):
    root = tmp_path / "site"
    shutil.copytree(sample_site.root, root, ignore=shutil.ignore_patterns("output", "cache"))
    seen = []

    def keep(generators):
        seen.extend(g for g in generators if hasattr(g, "tags"))

    signals.all_generators_finalized.connect(keep)
    try:
        assert site.build(site.load_settings(root, overrides={"ARTICLE_ORDER_BY": order})).errors == []
    finally:
        signals.all_generators_finalized.disconnect(keep)
    (generator,) = seen
    assert len(generator.tags) > 10 and generator.authors and len(generator.categories) > 1
    longest = 0
    for kind, pelicans_own in (
        ("tag", type(generator).generate_tags),
        ("category", type(generator).generate_categories),
        ("author", type(generator).generate_authors),
    ):
        ours, pelicans = [], []
        listings.write_listings(generator, kind, recorder(ours))
        pelicans_own(generator, recorder(pelicans))
        assert len(ours) == len(pelicans) == len(getattr(generator, listings.KINDS[kind]))
        for (args, values), (expected_args, expected_values) in zip(ours, pelicans, strict=True):
            assert args[0] == expected_args[0] and args[1] is expected_args[1] and args[2] is expected_args[2]
            assert values.keys() == expected_values.keys()
            for name, value in values.items():
                expected = expected_values[name]
                same = (
                    [a is b for a, b in zip(value, expected, strict=True)]
                    if isinstance(value, list)
                    else [value == expected]
                )
                assert all(same), (kind, args[0], name)
        longest = max(longest, *(len(values["dates"]) for _, values in ours))
    assert longest > 3  # there was an order to get right


def recorder(calls: list):
    """A stand-in for Pelican's `write` that keeps what it was given."""
    return lambda *args, **values: calls.append((args, values))
