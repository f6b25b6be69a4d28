"""The docs stay true: the CLI reference is --help, every field and setting is documented."""

from __future__ import annotations

import re

from readme_cli import REFERENCE, readme_with_reference
from support import REPO

from generator.article import FRONT_MATTER_FIELDS, HASH_FIELD
from generator.ingest.sections import SECTION_WORDS
from generator.settings import DEFAULTS

README = REPO / "README.md"


def test_cli_reference_matches_help():
    text = REFERENCE.read_text(encoding="utf-8")
    assert readme_with_reference(text) == text, "docs/cli.md is stale: run `make readme`"


def test_every_front_matter_field_is_documented():
    text = (REPO / "docs" / "front-matter.md").read_text(encoding="utf-8")
    for name in (*FRONT_MATTER_FIELDS, HASH_FIELD):
        assert f"`{name}`" in text, name


def test_every_setting_is_in_the_readme_with_its_default():
    text = README.read_text(encoding="utf-8")
    for name, default in DEFAULTS.items():
        assert f"| `{name}` | `{default!r}` |".replace("'", '"') in text, name


def test_every_doc_the_readme_links_to_exists():
    text = README.read_text(encoding="utf-8")
    for name in re.findall(r"\]\(((?:docs/)?[\w./-]+\.md)\)", text):
        assert (REPO / name).is_file(), name


def test_readme_gives_the_two_setup_commands():
    text = README.read_text(encoding="utf-8")
    assert "make site" in text
    assert "make test" in text


def test_the_sections_table_in_the_docs_is_the_one_the_code_uses():
    text = (REPO / "docs" / "inputs.md").read_text(encoding="utf-8")
    for section, words in SECTION_WORDS.items():
        assert f"| {section} | {', '.join(sorted(words))} |" in text, f"docs/inputs.md: the {section} row is stale"
