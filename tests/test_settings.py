"""Every NEWSDIGEST_* setting is checked once, in one place, with a warning that names it."""

from __future__ import annotations

import copy
import logging
from pathlib import Path

import pytest

from generator.build import site
from generator.settings import DEFAULTS, SETTINGS, refused, resolve


def test_defaults_are_allowed_values():
    for setting in SETTINGS:
        assert setting.check(setting.default), setting.name
    assert resolve({}) == DEFAULTS


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NEWSDIGEST_RELATED_MAX", -1),
        ("NEWSDIGEST_RELATED_MAX", "5"),
        ("NEWSDIGEST_RELATED_MAX", True),
        ("NEWSDIGEST_HIGHLIGHTS_MAX", 11),
        ("NEWSDIGEST_SEARCH", "yes"),
        ("NEWSDIGEST_FEED_IMAGES", 1),
        ("NEWSDIGEST_JSON_FEED", "../outside.json"),
        ("NEWSDIGEST_FEEDS", "https://example.org/feed"),
    ],
)
def test_a_value_not_allowed_is_the_default_with_a_warning_naming_it(name, value, caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.WARNING):
        resolved = resolve(
            {name: value, "NEWSDIGEST_RELATED_MAX": 2} if name != "NEWSDIGEST_RELATED_MAX" else {name: value}
        )
    assert resolved[name] == DEFAULTS[name]
    (message,) = caplog.messages
    assert message.startswith(f"invalid setting {name}={value!r}: must be ")
    if name != "NEWSDIGEST_RELATED_MAX":
        assert resolved["NEWSDIGEST_RELATED_MAX"] == 2  # the others as set


def test_allowed_values_are_kept():
    chosen = {"NEWSDIGEST_RELATED_MAX": 0, "NEWSDIGEST_JSON_FEED": None, "NEWSDIGEST_SEARCH": False}
    assert resolve(chosen) == {**DEFAULTS, **chosen}


def test_the_generator_caching_layer_is_refused_and_the_reader_layer_is_not():
    assert "set CONTENT_CACHING_LAYER = 'reader'" in refused(
        {"CACHE_CONTENT": True, "CONTENT_CACHING_LAYER": "generator"}
    )
    assert refused({"CACHE_CONTENT": True, "CONTENT_CACHING_LAYER": "reader"}) is None
    assert refused({"CACHE_CONTENT": False, "CONTENT_CACHING_LAYER": "generator"}) is None


def test_each_build_gets_settings_of_its_own(tmp_site: Path):
    """Found: Pelican's Markdown reader adds its extensions to the MARKDOWN setting in place, and that
    dict was generator.defaults' own: the next build in the same process saw other settings (and,
    its settings changed, threw the caches away)."""
    first = site.load_settings(tmp_site)
    before = copy.deepcopy(first["MARKDOWN"])
    first["MARKDOWN"].setdefault("extensions", []).append("markdown.extensions.meta")  # as Pelican's reader does
    assert site.load_settings(tmp_site)["MARKDOWN"] == before
