"""Pages rendered by worker processes (generator.build.rendering): the same site, byte for byte."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from support import BuiltSite, override_template

from generator.build import rendering, site
from generator.errors import PageError


def tree(output: Path) -> dict[str, bytes]:
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in output.rglob("*") if path.is_file()}


def built(sample_site: BuiltSite, root: Path, workers: int, caplog: pytest.LogCaptureFixture) -> dict[str, bytes]:
    shutil.copytree(sample_site.root, root, ignore=shutil.ignore_patterns("output", "cache"))
    # A page linking to a story: Pelican makes the link relative to the page being written.
    story = min((root / "content").rglob("*.md")).relative_to(root / "content").as_posix()
    (root / "content" / "pages").mkdir()
    (root / "content" / "pages" / "about.md").write_text(f"---\ntitle: About\n---\n[A story]({{filename}}/{story})\n")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=rendering.__name__):
        report = site.build(site.load_settings(root, overrides={"NEWSDIGEST_WORKERS": workers}))
    assert report.errors == []
    said = [record.getMessage() for record in caplog.records if record.name == rendering.__name__]
    assert said and said[-1].endswith("in this process" if workers == 1 else f"in {workers} processes"), said
    return tree(root / "output")


def test_one_process_and_three_write_the_same_site(
    sample_site: BuiltSite, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(rendering, "MIN_JOBS", 2)  # the samples are fewer pages than a pool is worth
    monkeypatch.setattr(rendering, "BATCH", 7)  # many processes, forked as Pelican goes on
    alone = built(sample_site, tmp_path / "one", 1, caplog)
    shared = built(sample_site, tmp_path / "three", 3, caplog)
    assert len(alone) > 100
    assert sorted(alone) == sorted(shared)
    assert [name for name in alone if alone[name] != shared[name]] == []


def test_a_template_error_in_a_worker_names_the_page(
    sample_site: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(rendering, "MIN_JOBS", 2)
    root = tmp_path / "site"
    shutil.copytree(sample_site.root, root, ignore=shutil.ignore_patterns("output", "cache"))
    template = override_template(root, "article.html")
    broken = template.read_text(encoding="utf-8").replace("{{ story.absolute_url }}", "{{ story.absolute_url.nope() }}")
    template.write_text(broken)
    with pytest.raises(PageError, match=r"output/\d{4}/\d{2}/\d{2}/[^/]+/index\.html: article\.html: UndefinedError"):
        site.build(site.load_settings(root, overrides={"NEWSDIGEST_WORKERS": 2}))
