"""Helpers the tests share: repo paths, an HTML parser, throwaway site folders."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from generator import site

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "samples").glob("*.txt"))
SEED = REPO / "samples" / "seed-article.txt"
#: The shared corpus (read-only, never copied into the repo); tests that need
#: it skip where it is absent.
CORPUS = REPO.parent / "shared" / "corpus"


def parse_html(path: Path) -> BeautifulSoup:
    """Parse a built page the way a browser would (html5lib)."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def make_site(root: Path) -> Path:
    """A site folder: our settings and theme, an empty content/."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "pelicanconf.py", root / "pelicanconf.py")
    shutil.copytree(REPO / "theme", root / "theme")
    (root / "content").mkdir()
    return root


@dataclass
class BuiltSite:
    root: Path
    content: Path
    output: Path
    report: site.BuildReport

    def page(self, url: str) -> BeautifulSoup:
        path = self.output / url
        return parse_html(path / "index.html" if url.endswith("/") or not url else path)
