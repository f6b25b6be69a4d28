"""Fixtures: a throwaway site folder and a real Pelican build of the samples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support import REPO, SAMPLES, BuiltSite, make_site

from generator.build import site
from generator.feeds.config import site_configs
from generator.feeds.run import run_fetch
from generator.ingest.files import import_paths


@pytest.fixture
def tmp_site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The bundled samples imported and built once with real Pelican."""
    root = make_site(tmp_path_factory.mktemp("samples") / "site")
    results = list(import_paths(SAMPLES, root / "content"))
    assert all(result.error is None for result in results), [str(r.error) for r in results]
    # As `make site` does: the sample feeds too, from their local files.
    feeds = site_configs(REPO, site.load_settings(REPO))
    fetched = run_fetch(feeds, root / "content", dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), site_root=REPO)
    assert all(result.status == "new" for result in fetched), [r.line() for r in fetched]
    report = site.build(site.load_settings(root))
    return BuiltSite(root=root, content=root / "content", output=root / "output", report=report)
