"""Helpers the tests share: repo paths, an HTML parser, throwaway site folders."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from generator.article import parse_source
from generator.build import site, unchanged

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "samples").glob("*.txt"))
SEED = REPO / "samples" / "seed-article.txt"
#: Where the seed article's page is built.
SEED_URL = "2016/10/27/dozens-dead-after-airstike-hits-syrian-school/"
#: The shared corpus (read-only, never copied into the repo); tests that need
#: it skip where it is absent.
CORPUS = REPO.parent / "shared" / "corpus"
THEME = REPO / "generator" / "theme"
#: Real labelled news for measuring quality (read-only, like the corpus).
EVAL = REPO.parent / "shared" / "eval"


def parse_html(path: Path) -> BeautifulSoup:
    """Parse a built page the way a browser would (html5lib)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def article_pages(output: Path) -> list[Path]:
    """Every built article page (they live under YYYY/MM/DD/slug/)."""
    return sorted(output.glob("[0-9][0-9][0-9][0-9]/*/*/*/index.html"))


def all_sources(content: Path) -> list:
    """Every source under `content`, read back as Article records."""
    return [parse_source(path.read_text(encoding="utf-8"), path) for path in sorted(content.rglob("*.md"))]


def executable_scripts(page: BeautifulSoup) -> list:
    """Every <script> a browser would run: JSON-LD data blocks are not run."""
    return [script for script in page.find_all("script") if script.get("type") != "application/ld+json"]


def make_site(root: Path) -> Path:
    """A site folder: our settings (the installed theme, generator/defaults.py), an empty content/."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "pelicanconf.py", root / "pelicanconf.py")
    (root / "content").mkdir()
    return root


def build_through_pelican(root: Path, **overrides) -> site.BuildReport:
    """A build of the site at `root` through Pelican even when nothing changed: as after a build that
    did not end, with no complete one on record (generator.build.unchanged skips a build with nothing to do)."""
    settings = site.load_settings(root, overrides=overrides)
    unchanged.forget(settings, Path(settings["OUTPUT_PATH"]))
    report = site.build(settings)
    assert not report.unchanged
    return report


def override_template(root: Path, name: str) -> Path:
    """The site's own copy of a theme template (root/templates/<name>, Pelican's
    THEME_TEMPLATES_OVERRIDES), made from the theme's when the site has none yet."""
    path = root / "templates" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(THEME / "templates" / name, path)
    return path


@dataclass
class BuiltSite:
    root: Path
    content: Path
    output: Path
    report: site.BuildReport

    def page(self, url: str) -> BeautifulSoup:
        path = self.output / url
        return parse_html(path / "index.html" if url.endswith("/") or not url else path)
