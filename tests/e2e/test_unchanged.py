"""A build with nothing changed since the last complete one leaves the output as it is
(generator.build.unchanged); any change of what a build reads runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support import BuiltSite, article_pages, override_template, parse_html

from generator.article import write_atomic
from generator.build import site

PNG = b"\x89PNG\r\n\x1a\n"


def build(root: Path, **overrides) -> site.BuildReport:
    return site.build(site.load_settings(root, overrides=overrides))


def snapshot(output: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the output folder, the search index too: its bytes and mtime."""
    return {
        path.relative_to(output).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in output.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def built(sample_site: BuiltSite, tmp_site: Path) -> tuple[Path, site.BuildReport]:
    """The samples, with an image, built once into a site of their own."""
    shutil.rmtree(tmp_site / "content")
    shutil.copytree(sample_site.content, tmp_site / "content")
    (tmp_site / "content" / "images").mkdir()
    (tmp_site / "content" / "images" / "map.png").write_bytes(PNG)
    report = build(tmp_site)
    assert report.errors == [] and not report.unchanged
    return tmp_site, report


@pytest.fixture
def pelican_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the builds that run Pelican."""
    runs: list[int] = []
    run = site.Pelican.run
    monkeypatch.setattr(site.Pelican, "run", lambda self: runs.append(1) or run(self))
    return runs


def test_nothing_changed_runs_nothing_and_leaves_every_file_as_it_was(built, pelican_runs):
    root, first = built
    before = snapshot(root / "output")
    report = build(root)
    assert report.unchanged and pelican_runs == []
    assert (report.articles, report.pages, report.errors) == (first.articles, first.pages, [])
    assert snapshot(root / "output") == before


def test_a_fresh_checkout_of_the_same_files_is_unchanged(built, pelican_runs):
    """The Publish workflow's case: every file of content/ has a new time, the same bytes."""
    root, _ = built
    before = snapshot(root / "output")
    later = time.time() + 60
    for path in (root / "content").rglob("*"):
        os.utime(path, (later, later))
    assert build(root).unchanged and build(root).unchanged
    assert pelican_runs == []
    assert snapshot(root / "output") == before


def _edit_a_source(root: Path) -> None:
    path = next(p for p in sorted((root / "content").rglob("*.md")) if "airstike" in p.stem)
    write_atomic(path, path.read_text(encoding="utf-8").replace("Dozens dead", "Dozens killed", 1))


def _replace_the_image(root: Path) -> None:
    (root / "content" / "images" / "map.png").write_bytes(PNG + b"\0")


def _add_a_file(root: Path) -> None:
    (root / "content" / "images" / "key.png").write_bytes(PNG)


def _override_a_template(root: Path) -> None:
    footer = override_template(root, "_footer.html")
    footer.write_text(footer.read_text(encoding="utf-8").replace("Every story links", "Each story links"))


def _delete_a_page(root: Path) -> None:
    (page,) = [p for p in article_pages(root / "output") if "airstike" in str(p)]
    page.unlink()


def _delete_a_month_of_the_search_index(root: Path) -> None:
    shutil.rmtree(root / "output" / "pagefind" / "2016-10")


@pytest.mark.parametrize(
    "change",
    [
        _edit_a_source,
        _replace_the_image,
        _add_a_file,
        _override_a_template,
        _delete_a_page,
        _delete_a_month_of_the_search_index,
    ],
)
def test_any_change_of_what_a_build_reads_or_wrote_runs_it(built, pelican_runs, change: Callable[[Path], None]):
    root, _ = built
    change(root)
    report = build(root)
    assert not report.unchanged and pelican_runs == [1] and report.errors == []
    seed = root / "output" / "2016/10/27/dozens-dead-after-airstike-hits-syrian-school/index.html"
    assert seed.is_file() and (root / "output" / "pagefind" / "2016-10" / "pagefind-entry.json").is_file()
    image = "images/map.png"
    assert (root / "output" / image).read_bytes() == (root / "content" / image).read_bytes()
    if change is _edit_a_source:
        assert parse_html(seed).find("h1").get_text().startswith("Dozens killed")
    if change is _add_a_file:
        assert (root / "output" / "images" / "key.png").is_file()
    if change is _override_a_template:
        assert "Each story links to its source" in seed.read_text(encoding="utf-8")
    assert build(root).unchanged and pelican_runs == [1]  # and then nothing changed again


def test_a_change_of_settings_or_of_the_sites_own_plugin_runs_it(built, pelican_runs):
    root, _ = built
    assert not build(root, SITESUBTITLE="Other news").unchanged
    plugins = root / "plugins"
    plugins.mkdir()
    (plugins / "local.py").write_text("def register():\n    pass\n", encoding="utf-8")
    with_plugin = {"PLUGIN_PATHS": [str(plugins)], "PLUGINS": [*site.load_settings(root)["PLUGINS"], "local"]}
    assert not build(root, **with_plugin).unchanged
    assert build(root, **with_plugin).unchanged
    (plugins / "local.py").write_text("def register():\n    pass  # edited\n", encoding="utf-8")
    assert not build(root, **with_plugin).unchanged
    assert len(pelican_runs) == 3


def _loud(text: str) -> str:
    return text.upper()


def _quiet(text: str) -> str:
    return text.lower()


def test_a_setting_json_cannot_hold_is_an_input_too(built, pelican_runs):
    """A Jinja filter from pelicanconf.py is a function: changed, the pages using it are built again."""
    root, _ = built
    footer = override_template(root, "_footer.html")
    loud = footer.read_text(encoding="utf-8").replace("Every story links", "{{ 'Every story links' | voice }}")
    footer.write_text(loud)
    seed = root / "output" / "2016/10/27/dozens-dead-after-airstike-hits-syrian-school/index.html"
    assert not build(root, JINJA_FILTERS={"voice": _loud}).unchanged
    assert "EVERY STORY LINKS" in seed.read_text(encoding="utf-8")
    assert build(root, JINJA_FILTERS={"voice": _loud}).unchanged
    assert not build(root, JINJA_FILTERS={"voice": _quiet}).unchanged
    assert "every story links" in seed.read_text(encoding="utf-8")
    assert len(pelican_runs) == 2


def test_a_setting_json_cannot_hold_reads_the_same_in_every_process():
    """A set's order and an object's address change from one Python to the next; its fingerprint does not."""
    script = (
        "from generator.build.incremental import code_and_settings\n"
        "class Marker: pass\n"
        "print(code_and_settings({'WORDS': {'storm', 'dike', 'ferry', 'tug', 'rowing'}, 'MARKER': Marker()}))"
    )
    prints = {
        subprocess.run(
            [sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(prints) == 1 and len(prints.pop().strip()) == 32


def test_a_build_under_another_locale_runs_it(built, pelican_runs, monkeypatch: pytest.MonkeyPatch):
    """Pelican's LOCALE is the system's by default, and names the month in every date."""
    root, _ = built
    monkeypatch.setenv("LC_ALL", "C" if os.environ.get("LC_ALL") != "C" else "C.UTF-8")
    assert not build(root).unchanged and pelican_runs == [1]
    assert build(root).unchanged


def test_a_build_with_an_error_runs_again_and_reports_it_again(built, pelican_runs):
    root, _ = built
    (root / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nBody.\n", encoding="utf-8")
    for runs in (1, 2):
        report = build(root)
        assert not report.unchanged and len(pelican_runs) == runs
        assert [error.split("/content/")[-1] for error in report.errors] == [
            "broken.md:2: invalid YAML front matter: did not find expected ',' or ']'"
        ]


def test_a_build_that_did_not_end_is_never_taken_for_a_complete_one(built, monkeypatch: pytest.MonkeyPatch):
    """Killed half-way, a build may have written some pages of a change: with the change undone,
    the next build runs and writes them back."""
    root, _ = built
    path = next(p for p in sorted((root / "content").rglob("*.md")) if "airstike" in p.stem)
    original = path.read_bytes()
    _edit_a_source(root)
    seed = root / "output" / "2016/10/27/dozens-dead-after-airstike-hits-syrian-school/index.html"

    def killed_after_the_pages(self):
        run(self)
        raise KeyboardInterrupt  # the pages are written, the build never ends

    run = site.Pelican.run
    monkeypatch.setattr(site.Pelican, "run", killed_after_the_pages)
    with pytest.raises(KeyboardInterrupt):
        build(root)
    assert parse_html(seed).find("h1").get_text().startswith("Dozens killed")
    monkeypatch.setattr(site.Pelican, "run", run)
    path.write_bytes(original)
    assert not build(root).unchanged
    assert parse_html(seed).find("h1").get_text().startswith("Dozens dead")


def test_article_dates_from_file_times_always_run(built):
    """DEFAULT_DATE = "fs": a file's time is an input, not only its bytes."""
    root, _ = built
    assert not build(root, DEFAULT_DATE="fs").unchanged
    assert not build(root, DEFAULT_DATE="fs").unchanged
