"""The README stays true: its CLI reference is --help, and every field is documented."""

from __future__ import annotations

from readme_cli import README, readme_with_reference

from generator.article import FRONT_MATTER_FIELDS, HASH_FIELD
from generator.plugin import DEFAULTS


def test_readme_cli_reference_matches_help():
    text = README.read_text(encoding="utf-8")
    assert readme_with_reference(text) == text, "README's CLI reference is stale: run `make readme`"


def test_every_front_matter_field_and_setting_is_documented():
    text = README.read_text(encoding="utf-8")
    for name in (*FRONT_MATTER_FIELDS, HASH_FIELD, *DEFAULTS):
        assert f"`{name}`" in text, name


def test_readme_gives_the_two_setup_commands():
    text = README.read_text(encoding="utf-8")
    assert "make site" in text
    assert "make test" in text
