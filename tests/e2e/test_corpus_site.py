"""The site built from every file of ../shared/corpus/, read back as a reader would (issue #15).

Every article, saved page and feed of the corpus (feeds served from
127.0.0.1) goes into one site: the Anne Frank story has no related link
(nothing in the corpus reports its event), no page links to a page in
another language, no reason names a function word, and pages say their
language, Urdu ones written right to left.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from feed_server import FeedServer, conditional
from golden_files import UNDATED
from support import CORPUS, article_pages, make_site, parse_html

from generator.build import site
from generator.enrich.related import stop_words_for
from generator.feeds.fetch import Limits
from generator.feeds.plan import FeedConfig
from generator.feeds.run import run_fetch
from generator.ingest import import_paths

FEEDS = sorted((CORPUS / "feeds").glob("*.xml"))
FAST = Limits(connect_timeout=1, read_timeout=1, total_timeout=3, retries=1, backoff=0.01)


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not FEEDS:
        pytest.skip("../shared/corpus is not beside the repo")
    root = make_site(tmp_path_factory.mktemp("corpus") / "site")
    inputs = [p for pattern in ("articles/raw/*.txt", "articles/*.story", "html/*.html") for p in CORPUS.glob(pattern)]
    for path in sorted(inputs):
        given = UNDATED.get(path.name)
        list(import_paths([path], root / "content", date=dt.datetime.fromisoformat(given[0]) if given else None))
    with FeedServer().running() as server:
        for path in FEEDS:
            server.routes[f"/{path.stem}"] = conditional(path.read_bytes())
        configs = [FeedConfig(url=server.url(f"/{path.stem}"), name=path.stem) for path in FEEDS]
        run_fetch(configs, root / "content", dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), FAST)
    site.build(site.load_settings(root))
    return root / "output"


def _pages(output: Path) -> dict[str, object]:
    return {path.parent.name: parse_html(path) for path in article_pages(output)}


def _language(page) -> str:
    return page.select_one("article.story").get("lang", "en").split("-")[0].lower()


def test_the_anne_frank_story_has_no_related_link(corpus_site: Path):
    (page,) = [page for slug, page in _pages(corpus_site).items() if "anne-frank" in slug]
    assert page.select(".related a") == []


def test_no_page_links_to_a_page_in_another_language(corpus_site: Path):
    pages = _pages(corpus_site)
    assert len({_language(page) for page in pages.values()}) >= 5  # en, de, pt, ur, fr, ...
    for slug, page in pages.items():
        for link in page.select(".coverage a, .related a"):
            target = link["href"].rstrip("/").rsplit("/", 1)[-1]
            assert _language(pages[target]) == _language(page), (slug, target)


def test_no_reason_names_a_function_word(corpus_site: Path):
    for page in _pages(corpus_site).values():
        stop = stop_words_for(_language(page))
        for reason in page.select(".related .reason"):
            # Each shared term is a tag, a name ("Bank of England") or a word: none may be a function word.
            terms = reason.get_text().removeprefix("Shares:").split(",")
            assert not [t for t in terms if {w.casefold() for w in re.findall(r"\w+", t)} <= stop], reason.get_text()


def test_pages_say_their_language_and_urdu_reads_right_to_left(corpus_site: Path):
    pages = _pages(corpus_site)
    urdu = [page for page in pages.values() if _language(page) == "ur"]
    assert urdu and all(page.select_one("article.story")["dir"] == "rtl" for page in urdu)
    german = [page for page in pages.values() if _language(page) == "de"]
    assert len(german) >= 10
