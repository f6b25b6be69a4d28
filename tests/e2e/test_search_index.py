"""The search index in monthly parts: one Pagefind bundle per month, indexed again only when its stories change."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace

import pytest
from support import BuiltSite, all_sources, article_pages

from generator.article import Article, render_source, write_atomic
from generator.build import search, site


def copy_samples(sample_site: BuiltSite, root: Path) -> None:
    shutil.rmtree(root / "content")
    shutil.copytree(sample_site.content, root / "content")


def build(root: Path) -> site.BuildReport:
    report = site.build(site.load_settings(root))
    assert report.errors == []
    return report


def listed(output: Path) -> list[str]:
    return [part["name"] for part in json.loads((output / "pagefind" / "parts.json").read_text())["parts"]]


def fragments(bundle: Path) -> dict[str, dict]:
    """What a Pagefind bundle holds of each page (its fragment: gzip'd JSON after a signature), by URL."""
    held = {}
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        page = json.loads(data[data.index(b"{") :])
        held[page["url"]] = page
    return held


def indexed_urls(bundle: Path) -> set[str]:
    """The page URLs a Pagefind bundle holds."""
    return set(fragments(bundle))


def entry_times(output: Path) -> dict[str, int]:
    return {name: (output / "pagefind" / name / "pagefind-entry.json").stat().st_mtime_ns for name in listed(output)}


def test_every_month_of_stories_is_a_part_listed_newest_first_holding_exactly_its_pages(sample_site: BuiltSite):
    output = sample_site.output
    months: dict[str, set[str]] = {}
    for page in article_pages(output):
        year, month = page.relative_to(output).parts[:2]
        months.setdefault(f"{year}-{month}", set()).add("/" + page.parent.relative_to(output).as_posix() + "/")
    assert len(months) >= 2
    assert listed(output) == sorted(months, reverse=True)
    for name, urls in months.items():
        assert (output / "pagefind" / name / "pagefind.js").is_file()
        assert indexed_urls(output / "pagefind" / name) == urls, name
    assert sorted(path.name for path in (output / "pagefind").iterdir()) == sorted([*months, "parts.json"])


def test_the_index_holds_each_storys_words_once_and_not_the_pages_furniture(sample_site: BuiltSite, tmp_site: Path):
    """Pagefind reads the article: not its reading time nor the highlight box's heading, nor highlights
    that are sentences of the body (generated ones: they would count twice), but a source's own
    highlights; the byline's parts stay separate words."""
    copy_samples(sample_site, tmp_site)
    body = (
        "The lighthouse keepers relit the old harbour lights on Tuesday evening.\n\n"
        "Ships had steered by the moon for a month."
    )
    stories = {
        "relit": ("Harbour lights relit", ("The lighthouse keepers relit the old harbour lights on Tuesday evening.",)),
        "edited": ("Harbour lights edited", ("Keepers cheered as lamps glowed.",)),
    }
    for slug, (title, highlights) in stories.items():
        article = Article(
            title=title,
            date=dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC),
            slug=slug,
            body=body,
            source="Harbour Herald",
            location="GRIMSBY, England",
            highlights=highlights,
            highlights_from="generated",
        )
        write_atomic(tmp_site / "content" / "harbour-herald" / f"{slug}.md", render_source(article))
    output = tmp_site / "output"
    build(tmp_site)
    held = {
        url: page["content"] for name in listed(output) for url, page in fragments(output / "pagefind" / name).items()
    }
    assert len(held) == len(article_pages(output))
    for url, content in held.items():
        assert "min read" not in content, url
        assert "Story highlights" not in content and "Generated highlights" not in content, url
    relit, edited = held["/2026/11/02/relit/"], held["/2026/11/02/edited/"]
    assert relit.count("relit the old harbour lights") == 1  # the body's; the box left out
    assert "Keepers cheered as lamps glowed." in edited  # not a sentence of the body: kept
    assert "Harbour Herald GRIMSBY, England" in relit
    own = [article for article in all_sources(tmp_site / "content") if article.highlights_from == "source"]
    assert own
    for article in own:
        content = held[f"/{article.date:%Y/%m/%d}/{article.slug}/"]
        assert all(" ".join(highlight.split()) in content for highlight in article.highlights), article.slug


def test_a_new_story_indexes_its_own_month_again_and_no_other(sample_site: BuiltSite, tmp_site: Path):
    copy_samples(sample_site, tmp_site)
    output = tmp_site / "output"
    build(tmp_site)
    before = entry_times(output)
    oldest = listed(output)[-1]
    year, month = (int(n) for n in oldest.split("-"))
    late = Article(
        title="Harbour lights relit",
        date=dt.datetime(year, month, 2, 9, tzinfo=dt.UTC),
        slug="harbour-lights-relit",
        body="The lighthouse keepers relit the old harbour lights on Tuesday evening.",
        source="Harbour Herald",
    )
    write_atomic(tmp_site / "content" / "harbour-herald" / "harbour-lights-relit.md", render_source(late))
    build(tmp_site)
    after = entry_times(output)
    assert after.keys() == before.keys()
    assert [name for name in after if after[name] != before[name]] == [oldest]
    assert f"/{year}/{month:02}/02/harbour-lights-relit/" in indexed_urls(output / "pagefind" / oldest)


def test_a_rebuild_with_no_change_indexes_nothing(sample_site: BuiltSite, tmp_site: Path):
    copy_samples(sample_site, tmp_site)
    build(tmp_site)
    before = entry_times(tmp_site / "output")
    build(tmp_site)
    assert entry_times(tmp_site / "output") == before


def test_a_month_whose_stories_are_gone_leaves_the_index(sample_site: BuiltSite, tmp_site: Path):
    copy_samples(sample_site, tmp_site)
    output = tmp_site / "output"
    build(tmp_site)
    oldest = listed(output)[-1]
    for article in all_sources(tmp_site / "content"):
        if f"{article.date:%Y-%m}" == oldest:
            next((tmp_site / "content").rglob(f"{article.slug}.md")).unlink()
    shutil.rmtree(output / oldest.replace("-", "/"))  # as a clean deploy would have it
    build(tmp_site)
    assert oldest not in listed(output)
    assert not (output / "pagefind" / oldest).exists()


def test_a_deleted_story_leaves_its_months_index_while_the_others_stay(sample_site: BuiltSite, tmp_site: Path):
    """Pagefind reads a month's pages before the build removes what it no longer writes: the page of
    a deleted source is removed first, or the month's part would still find it."""
    copy_samples(sample_site, tmp_site)
    output = tmp_site / "output"
    build(tmp_site)
    newest = listed(output)[0]
    in_month = [article for article in all_sources(tmp_site / "content") if f"{article.date:%Y-%m}" == newest]
    assert len(in_month) >= 2
    gone = in_month[0]
    next((tmp_site / "content").rglob(f"{gone.slug}.md")).unlink()
    build(tmp_site)
    urls = indexed_urls(output / "pagefind" / newest)
    assert f"/{gone.date:%Y/%m/%d}/{gone.slug}/" not in urls
    assert urls == {f"/{article.date:%Y/%m/%d}/{article.slug}/" for article in in_month[1:]}


def test_a_part_that_fails_keeps_its_last_good_bundle_and_is_tried_again(
    sample_site: BuiltSite, tmp_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request
):
    copy_samples(sample_site, tmp_site)
    output = tmp_site / "output"
    build(tmp_site)
    good = json.loads((output / "pagefind" / "parts.json").read_text())["parts"]
    record = next((tmp_site / "cache").glob("newsdigest-search-*.json"))
    made_from = json.loads(record.read_text())
    newest = good[0]["name"]
    urls = indexed_urls(output / "pagefind" / newest)
    # A story of the newest month changes, and Pagefind fails on that month (and only on it).
    story = next(a for a in all_sources(tmp_site / "content") if f"{a.date:%Y-%m}" == newest)
    source = next((tmp_site / "content").rglob(f"{story.slug}.md"))
    source.write_text(source.read_text(encoding="utf-8") + "\nA late paragraph on the harbour.\n", encoding="utf-8")
    request.addfinalizer(search.pagefind_command.cache_clear)
    search.pagefind_command.cache_clear()
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    (binary,) = search.pagefind_command()
    failing = tmp_path / "pagefind"
    month = newest.replace("-", "/")
    refuse = f'case "$*" in *"{month}/"*) echo "no index today" >&2; exit 3;; esac'
    failing.write_text(f'#!/bin/sh\n{refuse}\nexec "{binary}" "$@"\n')
    failing.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))
    search.pagefind_command.cache_clear()
    report = site.build(site.load_settings(tmp_site))
    assert report.errors == [f"pagefind: {newest}: no index today"]
    assert indexed_urls(output / "pagefind" / newest) == urls  # the last good bundle
    # Still listed, under the fingerprint it was made from: the next build tries again.
    assert json.loads((output / "pagefind" / "parts.json").read_text())["parts"] == good
    assert json.loads(record.read_text()) == made_from
    assert [path.name for path in (output / "pagefind").iterdir() if path.name.startswith(".")] == []
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    search.pagefind_command.cache_clear()
    build(tmp_site)
    assert json.loads(record.read_text())[newest] != made_from[newest]
    assert indexed_urls(output / "pagefind" / newest) == urls


def test_parts_are_planned_by_month_from_what_each_page_holds():
    pages = [
        ("2026/11/25/a/index.html", "f1"),
        ("2026/10/02/b/index.html", "f2"),
        ("2026/11/01/c/index.html", "f3"),
        ("about/index.html", "f4"),  # not an article page: not searched
    ]
    parts = search.plan_parts(pages, "v1")
    assert [(part.name, part.glob) for part in parts] == [
        ("2026-11", "2026/11/*/*/index.html"),
        ("2026-10", "2026/10/*/*/index.html"),
    ]
    same = search.plan_parts(list(reversed(pages)), "v1")
    assert [part.fingerprint for part in same] == [part.fingerprint for part in parts]  # order does not matter
    edited = search.plan_parts([pages[0], ("2026/10/02/b/index.html", "f2-edited"), *pages[2:]], "v1")
    assert edited[0].fingerprint == parts[0].fingerprint and edited[1].fingerprint != parts[1].fingerprint
    assert all(a.fingerprint != b.fingerprint for a, b in zip(search.plan_parts(pages, "v2"), parts, strict=True))
    unknown = search.plan_parts([("2026/11/25/a/index.html", None), pages[2]], "v1")
    assert unknown[0].fingerprint == ""  # an article the plugin did not see: indexed every time


def test_a_large_month_is_planned_in_quarters_by_the_day(monkeypatch: pytest.MonkeyPatch):
    """At 8,300 stories a month, one new story had Pagefind index the whole month again: a month of
    SPLIT_FROM pages or more is a part for each quarter of it that has pages."""
    monkeypatch.setattr(search, "SPLIT_FROM", 4)
    large = [(f"2026/11/{day}/story-{day}/index.html", f"f{day}") for day in ("01", "07", "09", "22", "30")]
    small = [("2026/10/02/b/index.html", "g"), ("2026/10/30/c/index.html", "h")]
    parts = search.plan_parts([*large, *small], "v1")
    assert [(part.name, part.glob, part.pages) for part in parts] == [
        ("2026-11-22", "2026/11/{22,30}/*/index.html", (large[3][0], large[4][0])),
        ("2026-11-08", "2026/11/{09}/*/index.html", (large[2][0],)),
        ("2026-11-01", "2026/11/{01,07}/*/index.html", (large[0][0], large[1][0])),
        ("2026-10", "2026/10/*/*/index.html", (small[0][0], small[1][0])),
    ]
    edited = search.plan_parts([*large[:4], (large[4][0], "f30-edited"), *small], "v1")
    assert [a.fingerprint == b.fingerprint for a, b in zip(parts, edited, strict=True)] == [False, True, True, True]
    odd_days = [(f"2026/11/{day}/story/index.html", "f") for day in ("01", "first", "09", "22")]
    assert [part.name for part in search.plan_parts(odd_days, "v1")] == ["2026-11"]  # a day that is not a number


def test_each_quarter_of_a_large_month_is_indexed_once_its_pages_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(search, "SPLIT_FROM", 3)
    output = tmp_path / "output"
    pages = [
        SimpleNamespace(save_as=save_as, story=SimpleNamespace(search_fingerprint=f"f{n}"))
        for n, save_as in enumerate(["2026/11/01/a/index.html", "2026/11/20/b/index.html", "2026/11/21/c/index.html"])
    ]
    for page in pages:
        (output / page.save_as).parent.mkdir(parents=True)
        (output / page.save_as).write_text('<html lang="en"><body data-pagefind-body><p>Harbour news</p></body></html>')
    (output / "2026/11/21/index.html").write_text('<html lang="en"><body data-pagefind-body>A day</body></html>')
    gone = output / "2026/11/21/gone/index.html"  # a deleted story's page: removed before its quarter is read
    gone.parent.mkdir()
    gone.write_text('<html lang="en"><body data-pagefind-body><p>Gone</p></body></html>')
    with search.BackgroundIndexing(output, "v1", tmp_path / "cache" / "search.json") as indexing:
        indexing.expect(pages)
        assert not gone.exists()
        indexing.written(str(output / pages[1].save_as))
        indexing.written(str(output / "2026/11/21/index.html"))  # the day's digest: not a story's page
        assert indexing.started == {}
        indexing.written(str(output / pages[2].save_as))
        assert list(indexing.started) == ["2026-11-15"]
        indexing.written(str(output / pages[0].save_as))
        assert sorted(indexing.started) == ["2026-11-01", "2026-11-15"]
        assert indexing.finish() == []
    assert listed(output) == ["2026-11-15", "2026-11-01"]
    assert indexed_urls(output / "pagefind" / "2026-11-15") == {"/2026/11/20/b/", "/2026/11/21/c/"}
    assert indexed_urls(output / "pagefind" / "2026-11-01") == {"/2026/11/01/a/"}


def test_each_month_is_indexed_as_soon_as_its_article_pages_are_written(tmp_path: Path):
    """Pelican writes the lists after the article pages: a month's Pagefind part starts as soon as
    the last of its pages is written, before the other months' and the lists are."""
    output = tmp_path / "output"
    pages = [
        SimpleNamespace(save_as=save_as, story=SimpleNamespace(search_fingerprint=f"f{n}"))
        for n, save_as in enumerate(
            ["2026/11/01/story-1/index.html", "2026/11/02/story-2/index.html", "2026/10/05/story-3/index.html"]
        )
    ]
    for page in pages:
        (output / page.save_as).parent.mkdir(parents=True)
        (output / page.save_as).write_text('<html lang="en"><body data-pagefind-body><p>Harbour news</p></body></html>')
    with search.BackgroundIndexing(output, "v1", tmp_path / "cache" / "search.json") as indexing:
        indexing.expect(pages)
        indexing.written(str(output / pages[0].save_as))
        indexing.written(str(output / "tag" / "harbour" / "index.html"))  # a list: not awaited
        assert indexing.started == {}
        indexing.written(str(output / pages[1].save_as))
        assert list(indexing.started) == ["2026-11"]  # November is complete; October is not
        indexing.written(str(output / pages[2].save_as))
        assert sorted(indexing.started) == ["2026-10", "2026-11"]
        assert indexing.finish() == []
    assert all(part.fingerprint for part in search.plan_parts(indexing.pages, "v1"))  # each story's own fingerprint
    assert listed(output) == ["2026-11", "2026-10"]
    assert indexed_urls(output / "pagefind" / "2026-11") == {"/2026/11/01/story-1/", "/2026/11/02/story-2/"}


def test_large_months_are_indexed_one_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Pagefind holds a month in memory while it indexes it: two large months at once would hold both."""
    pages = [
        SimpleNamespace(save_as=f"2026/{month}/0{day}/story-{month}-{day}/index.html", story=None)
        for month in ("10", "11")
        for day in (1, 2, 3)
    ]
    workers = {}
    for largest_month in (4, 3):  # pages in a month from which parts are indexed one at a time
        monkeypatch.setattr(search, "ONE_AT_A_TIME_FROM", largest_month)
        with search.BackgroundIndexing(tmp_path / "output", "v1", tmp_path / "cache" / "search.json", 2) as indexing:
            indexing.expect(pages)
            workers[largest_month] = indexing.workers
    assert workers == {4: 2, 3: 1}


def test_pagefind_runs_as_python_m_pagefind_would_pick_it(monkeypatch, request):
    """The binary pagefind_bin ships, run directly; where `python -m pagefind` would pick another
    (PAGEFIND_BINARY_PATH), that command is run instead."""
    request.addfinalizer(search.pagefind_command.cache_clear)
    search.pagefind_command.cache_clear()
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    direct = search.pagefind_command()
    assert len(direct) == 1 and Path(direct[0]).name == "pagefind"
    shown = subprocess.run([*direct, "--version"], capture_output=True, text=True, check=True).stdout
    assert shown.split() == ["pagefind", version("pagefind")]
    search.pagefind_command.cache_clear()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", direct[0])
    assert search.pagefind_command()[1:] == ("-m", "pagefind")
