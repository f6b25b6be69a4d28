"""The article page's weight against its budget, on the sample site.

    python benchmarks/page_budget.py

Builds the bundled samples (as `make site` does, in a temporary folder) and
prints, for every article page, the bytes of its HTML plus every stylesheet
it links, raw and gzipped, and any render-blocking request to another host
(a stylesheet, or a script without async, defer or type=module, in <head>).
Budget (issue #6): at most 30 KB of HTML and CSS before images, and no
render-blocking third-party request. Images are not counted (no page loads
any unless NEWSDIGEST_FEED_IMAGES is on).
"""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
import statistics
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from goals import record

from generator.build import site
from generator.feeds.config import site_configs
from generator.feeds.run import run_fetch
from generator.ingest.files import import_paths

REPO = Path(__file__).resolve().parent.parent
BUDGET = 30 * 1024


def build_samples(root: Path) -> Path:
    root.mkdir()
    shutil.copy(REPO / "pelicanconf.py", root)
    list(import_paths(sorted((REPO / "samples").glob("*.txt")), root / "content"))
    run_fetch(site_configs(REPO, site.load_settings(REPO)), root / "content", dt.datetime.now(dt.UTC), site_root=REPO)
    report = site.build(site.load_settings(root, overrides={"NEWSDIGEST_SEARCH": False}))
    if report.errors:
        raise SystemExit("\n".join(report.errors))
    return root / "output"


def weigh(output: Path, page: Path) -> tuple[int, int, list[str]]:
    """Raw and gzipped bytes of the page and its stylesheets; its render-blocking third-party requests."""
    html = page.read_bytes()
    soup = BeautifulSoup(html, "html.parser")
    url = "/" + page.relative_to(output).as_posix()
    files, blocking = [html], []
    for link in soup.select("head link[rel=stylesheet], head script[src]"):
        target = link.get("href") or link["src"]
        absolute = urlsplit(urljoin(url, target))
        deferred = link.name == "script" and (
            link.has_attr("async") or link.has_attr("defer") or link.get("type") == "module"
        )
        if absolute.netloc and not deferred:
            blocking.append(target)
        elif link.name == "link" and not absolute.netloc:
            files.append((output / absolute.path.lstrip("/")).read_bytes())
    return sum(map(len, files)), sum(len(gzip.compress(f)) for f in files), blocking


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        output = build_samples(Path(folder) / "site")
        pages = sorted(output.glob("[0-9][0-9][0-9][0-9]/*/*/*/index.html"))
        weights = {page.relative_to(output).parent.as_posix(): weigh(output, page) for page in pages}
    raw = [w[0] for w in weights.values()]
    heaviest = max(weights, key=lambda name: weights[name][0])
    print(f"Article pages: {len(weights)}; budget {BUDGET / 1024:.0f} KB of HTML + CSS before images")
    print(f"{'page':<72} {'raw KB':>7} {'gzip KB':>8}  blocking 3rd-party")
    for name, (size, zipped, blocking) in sorted(weights.items(), key=lambda item: -item[1][0]):
        print(f"{name[:72]:<72} {size / 1024:>7.1f} {zipped / 1024:>8.1f}  {', '.join(blocking) or 'none'}")
    record("page: heaviest article page", max(raw) / 1024, BUDGET / 1024, "KB")
    print(
        f"Median {statistics.median(raw) / 1024:.1f} KB, heaviest {max(raw) / 1024:.1f} KB ({heaviest}): "
        f"{max(raw) / BUDGET:.2f}x the budget; render-blocking third-party requests: "
        f"{sum(len(w[2]) for w in weights.values())}"
    )


if __name__ == "__main__":
    main()
