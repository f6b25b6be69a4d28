"""Rebuilds: only what changed is read and rendered, and the result is the same site."""

from __future__ import annotations

import dataclasses
import gc
import gzip
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from pelican import signals, urlwrappers
from pelican.contents import Article
from pelican.settings import read_settings
from support import BuiltSite, all_sources, article_pages, build_through_pelican, override_template, parse_html

from generator.article import render_source, write_atomic
from generator.build import article_cache, incremental, pages, prefill, reader, site, source_stamps, written


def copy_samples(sample_site: BuiltSite, root: Path) -> None:
    shutil.rmtree(root / "content")
    shutil.copytree(sample_site.content, root / "content")


def snapshot(output: Path) -> dict[str, tuple[bytes, int]]:
    """Every built file but the search index (Pagefind rebuilds it whole): its bytes and mtime."""
    return {
        path.relative_to(output).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in output.rglob("*")
        if path.is_file() and "pagefind" not in path.parts
    }


def build(root: Path, **overrides) -> site.BuildReport:
    report = site.build(site.load_settings(root, overrides=overrides))
    assert report.errors == []
    return report


def build_again(root: Path, **overrides) -> site.BuildReport:
    """Nothing changed, and Pelican runs: what its own rebuild does (support.build_through_pelican)."""
    report = build_through_pelican(root, **overrides)
    assert report.errors == []
    return report


def test_a_rebuild_with_no_change_writes_no_page_and_gives_the_same_site(sample_site: BuiltSite, tmp_site: Path):
    copy_samples(sample_site, tmp_site)
    build(tmp_site)
    before = snapshot(tmp_site / "output")
    cache = tmp_site / "cache" / prefill.CACHE_NAME
    cached = cache.stat().st_mtime_ns
    build_again(tmp_site)
    after = snapshot(tmp_site / "output")
    assert cache.stat().st_mtime_ns == cached  # Pelican's content cache: no source read anew, not saved again
    # The collector, paused while the sources were read, is back, with no object kept from its sight.
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert after.keys() == before.keys()
    html = [name for name in before if name.endswith(".html")]
    assert len(html) > 50
    assert [name for name in html if after[name] != before[name]] == []  # same bytes, not even rewritten
    assert after["sitemap.xml"][0] == before["sitemap.xml"][0]  # pages skipped are still in the sitemap


@pytest.mark.parametrize("read_in_parallel", [False, True])
def test_a_rebuild_with_no_change_slugifies_no_term_again(
    sample_site: BuiltSite, tmp_site: Path, monkeypatch: pytest.MonkeyPatch, read_in_parallel: bool
):
    """Pelican hashes a category, tag or author by its slug: the content cache keeps each one's,
    whether Pelican or the pool of readers (generator.build.prefill) filled it."""
    copy_samples(sample_site, tmp_site)
    monkeypatch.setattr(prefill, "MIN_SOURCES", 0 if read_in_parallel else 10**9)
    build(tmp_site)
    slugified = []
    slugify = urlwrappers.slugify
    monkeypatch.setattr(
        urlwrappers, "slugify", lambda value, **options: slugified.append(value) or slugify(value, **options)
    )
    build_again(tmp_site)
    assert slugified == []


@pytest.mark.parametrize("read_in_parallel", [False, True])
def test_a_fresh_checkout_with_the_last_builds_cache_and_output_renders_nothing_again(
    sample_site: BuiltSite, tmp_site: Path, monkeypatch: pytest.MonkeyPatch, read_in_parallel: bool
):
    """The Publish workflow restores cache/ and the output folder into a fresh checkout, where every
    source has a new modification time but the same bytes (generator.build.source_stamps): no source
    is read again, no page rendered or indexed again."""
    copy_samples(sample_site, tmp_site)
    monkeypatch.setattr(prefill, "MIN_SOURCES", 0 if read_in_parallel else 10**9)
    build(tmp_site)
    output = tmp_site / "output"
    before = snapshot(output)
    indexed = {path: path.stat().st_mtime_ns for path in (output / "pagefind").glob("*/pagefind-entry.json")}
    assert indexed
    later = time.time() + 60
    for source in (tmp_site / "content").rglob("*.md"):
        os.utime(source, (later, later))
    read, worked_out = [], []
    monkeypatch.setattr(reader.FrontMatterReader, "_load_yaml_metadata", lambda self, *args: read.append(args))
    monkeypatch.setattr(article_cache, "story_facts", lambda *args: worked_out.append(args))
    report = build_again(tmp_site)
    assert read == [] and worked_out == []
    assert report.articles == len(all_sources(tmp_site / "content"))
    build_again(tmp_site)  # both caches were saved with the sources under their new times
    assert read == [] and worked_out == []
    after = snapshot(output)
    assert after.keys() == before.keys()
    assert [name for name in before if name.endswith(".html") and after[name] != before[name]] == []
    assert after["sitemap.xml"][0] == before["sitemap.xml"][0]
    assert {path: path.stat().st_mtime_ns for path in indexed} == indexed  # no month indexed again


def test_a_build_told_not_to_load_caches_reads_every_source_and_hashes_none(
    sample_site: BuiltSite, tmp_site: Path, monkeypatch: pytest.MonkeyPatch
):
    copy_samples(sample_site, tmp_site)
    build(tmp_site)
    stamps = tmp_site / "cache" / source_stamps.STAMPS_NAME
    assert stamps.is_file()
    stamps.unlink()
    read = []
    load = reader.FrontMatterReader._load_yaml_metadata
    monkeypatch.setattr(
        reader.FrontMatterReader, "_load_yaml_metadata", lambda self, *args: read.append(args[1]) or load(self, *args)
    )
    build(tmp_site, LOAD_CONTENT_CACHE=False)
    assert len(read) == len(all_sources(tmp_site / "content"))
    assert not stamps.exists()


def test_one_new_source_does_not_save_the_whole_content_cache_again(
    sample_site: BuiltSite, tmp_site: Path, monkeypatch: pytest.MonkeyPatch
):
    """Pelican's content cache and the article cache are saved again once the sources read anew are a
    share of them (generator.build.reader.worth_saving); until then a new source is read from its file."""
    copy_samples(sample_site, tmp_site)
    build(tmp_site)
    caches = [tmp_site / "cache" / prefill.CACHE_NAME, tmp_site / "cache" / article_cache.CACHE_NAME]
    held = len(pickle.loads(caches[0].read_bytes()))
    monkeypatch.setattr(reader, "RESAVE_SHARE", held)  # one new source of held + 1 is not worth a save; two are
    saved = [path.stat().st_mtime_ns for path in caches]
    first = all_sources(tmp_site / "content")[0]
    late = []
    for n in (1, 2):
        article = dataclasses.replace(first, title=f"Later {n}: {first.title}", slug=f"{first.slug}-later-{n}")
        late.append(tmp_site / "content" / f"late-{n}.md")
        late[-1].write_text(render_source(article), encoding="utf-8")
        for again in (False, True) if n == 1 else (False,):
            (build_again if again else build)(tmp_site)
            page = next(path for path in article_pages(tmp_site / "output") if f"-later-{n}/" in str(path))
            assert parse_html(page).find("h1").get_text().startswith(f"Later {n}:")
            if n == 1:  # not saved, twice: the second build read the source again
                assert [path.stat().st_mtime_ns for path in caches] == saved
    for cache in caches:  # two new sources: saved, with both
        assert {str(path.resolve()) for path in late} <= pickle.loads(cache.read_bytes()).keys(), cache.name


def test_a_rebuild_with_no_change_loads_no_model_no_feed_reader_and_no_page_extractor(
    sample_site: BuiltSite, tmp_site: Path
):
    """Issue #20: SciPy, trafilatura and the feed reader only when there is work for them; scikit-learn never.
    A build's own process is measured (`-X importtime`); the processes it starts too where the import
    times of all are read (PYTHONPROFILEIMPORTTIME), their lines then mixed on one stream. The process
    `newsdigest build` starts for the related step as it starts imports that step's libraries until the
    build knows it has none to give it (generator.build.links_ahead.Spare; tests/e2e/test_related_ahead.py)."""
    copy_samples(sample_site, tmp_site)
    own_process = [sys.executable, "-X", "importtime", "-m", "generator", "build"]
    every_process = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}

    def imported_by(done: subprocess.CompletedProcess) -> set[str]:
        return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time")}

    # The first fits the related-stories models, without scikit-learn.
    done = subprocess.run(own_process, cwd=tmp_site, capture_output=True, text=True, check=True, env=every_process)
    assert "generator.enrich.vectors" in imported_by(done) and "sklearn" not in done.stderr
    done = subprocess.run(own_process, cwd=tmp_site, capture_output=True, text=True, check=True)
    imported = imported_by(done)
    assert "pelican" in imported  # to read the settings
    # Nothing to do (generator.build.unchanged): nothing read, enriched or sanitised.
    heavy = {"sklearn", "scipy", "numpy", "trafilatura", "lingua", "feedparser", "nh3", "bs4"}
    assert heavy & imported == set()
    assert {"generator.enrich.vectors", "generator.enrich.related", "generator.sanitize"} & imported == set()
    # One new article: modelled alone with the cached vocabulary, which needs SciPy, not scikit-learn.
    first = all_sources(tmp_site / "content")[0]
    later = dataclasses.replace(first, title=f"Later: {first.title}", slug=f"{first.slug}-later")
    (tmp_site / "content" / "late.md").write_text(render_source(later), encoding="utf-8")
    done = subprocess.run(own_process, cwd=tmp_site, capture_output=True, text=True, check=True, env=every_process)
    assert "scipy.sparse" in done.stderr and "generator.enrich.vectors" in done.stderr
    assert "sklearn" not in done.stderr


def test_an_edited_article_is_rendered_again_everywhere_it_shows_and_nothing_else(
    sample_site: BuiltSite, tmp_site: Path
):
    copy_samples(sample_site, tmp_site)
    build(tmp_site)
    before = snapshot(tmp_site / "output")
    ferries = next(a for a in all_sources(tmp_site / "content") if a.title.startswith("Ferries return"))
    path = next(p for p in (tmp_site / "content").rglob("*.md") if p.stem == ferries.slug)
    write_atomic(path, path.read_text(encoding="utf-8").replace("Ferries return", "Ferry services return", 1))
    build(tmp_site)
    build_again(tmp_site)  # from Pelican's content cache, saved with the edited source
    after = snapshot(tmp_site / "output")
    html = [name for name in before if name.endswith(".html")]
    changed = {name for name in html if after[name][0] != before[name][0]}
    own = f"2026/11/25/{ferries.slug}/index.html"
    assert own in changed
    assert parse_html(tmp_site / "output" / own).find("h1").get_text().startswith("Ferry services return")
    for name in changed:  # a page that changed, changed because it shows the article
        assert "Ferry services return" in after[name][0].decode(), name
    for name in html:
        assert "Ferries return" not in after[name][0].decode(), name  # no stale headline left anywhere
    # Pages that do not show it are not even written again.
    seed = "2016/10/27/dozens-dead-after-airstike-hits-syrian-school/index.html"
    assert after[seed][1] == before[seed][1]


def test_a_template_change_or_a_deleted_page_is_rendered_again(sample_site: BuiltSite, tmp_site: Path):
    copy_samples(sample_site, tmp_site)
    build(tmp_site)
    (page,) = [p for p in article_pages(tmp_site / "output") if "airstike" in str(p)]
    page.unlink()
    build(tmp_site)
    assert page.is_file()
    footer = override_template(tmp_site, "_footer.html")  # the site's own copy overrides the theme's
    footer.write_text(footer.read_text(encoding="utf-8").replace("Every story links", "Each story links"))
    build(tmp_site)
    for path in article_pages(tmp_site / "output"):
        assert "Each story links to its source" in path.read_text(encoding="utf-8")


def test_a_large_rebuild_looks_the_last_builds_files_up_apart_and_renders_a_deleted_one_again(
    sample_site: BuiltSite, tmp_site: Path, monkeypatch: pytest.MonkeyPatch
):
    """From written.APART_FROM sources, a process of its own looks up the files the last build
    wrote (generator.build.written): the writer asks the disk for none of them, and a page, a
    list's page or a feed deleted since is written again, as a cold build writes it."""
    copy_samples(sample_site, tmp_site)
    build(tmp_site)
    output = tmp_site / "output"
    before = snapshot(output)
    deleted = [
        next(p for p in article_pages(output) if "airstike" in str(p)),
        output / "category" / "world" / "index.html",
        output / "feeds" / "all.atom.xml",
    ]
    for path in deleted:
        path.unlink()
    monkeypatch.setattr(written, "APART_FROM", 0)
    asked, isfile = [], os.path.isfile
    monkeypatch.setattr(os.path, "isfile", lambda path: asked.append(str(path)) or isfile(path))
    build_again(tmp_site)
    last_builds = {str(output / name) for name in before}
    assert len(last_builds) > 50 and not last_builds & set(asked)
    after = snapshot(output)
    assert after.keys() == before.keys()
    assert [name for name in before if after[name][0] != before[name][0]] == []
    rewritten = {name for name in before if after[name][1] != before[name][1]}
    assert {str(output / name) for name in rewritten} >= {str(path) for path in deleted}


def test_reading_in_parallel_gives_the_same_site_and_still_reports_a_broken_source(
    sample_site: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    sequential, parallel = (tmp_path / name for name in ("sequential", "parallel"))
    for root in (sequential, parallel):
        shutil.copytree(sample_site.root, root, ignore=shutil.ignore_patterns("output", "cache"))
        (root / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nBody.\n", encoding="utf-8")
    reports = {}
    for root, threshold in ((sequential, 10**9), (parallel, 0)):
        monkeypatch.setattr(prefill, "MIN_SOURCES", threshold)
        reports[root] = site.build(site.load_settings(root))
    assert (parallel / "cache" / prefill.CACHE_NAME).is_file()
    for root, report in reports.items():
        assert [error.split("/content/")[-1] for error in report.errors] == [
            "broken.md:2: invalid YAML front matter: did not find expected ',' or ']'"
        ], root
    pages = [path.relative_to(sequential / "output") for path in article_pages(sequential / "output")]
    assert len(pages) == len(all_sources(sample_site.content))
    for page in pages:
        assert (parallel / "output" / page).read_bytes() == (sequential / "output" / page).read_bytes(), page


def test_a_change_of_settings_reads_every_source_again(tmp_site: Path):
    source = tmp_site / "content" / "note.md"
    write_atomic(source, "---\ntitle: Council note\ndate: '2026-11-20T10:00:00+00:00'\n---\n\n## Budget\n\nText.\n")
    build(tmp_site)
    (page,) = article_pages(tmp_site / "output")
    assert parse_html(page).select_one(".body h2").get("id") is None
    markdown = {"extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.toc": {}}}
    build(tmp_site, MARKDOWN=markdown)  # the cached reading of note.md no longer holds
    assert parse_html(page).select_one(".body h2")["id"] == "budget"


def test_front_matter_written_by_the_importer_reads_back_the_same_through_the_cache(
    sample_site: BuiltSite, tmp_site: Path
):
    copy_samples(sample_site, tmp_site)
    build(tmp_site)
    first = {p.relative_to(tmp_site).as_posix(): p.read_bytes() for p in article_pages(tmp_site / "output")}
    for article in all_sources(tmp_site / "content")[:1]:
        path = next(p for p in (tmp_site / "content").rglob(f"{article.slug}.md"))
        write_atomic(path, render_source(article))  # same text: a new mtime only
    build(tmp_site)
    assert {p.relative_to(tmp_site).as_posix(): p.read_bytes() for p in article_pages(tmp_site / "output")} == first


def test_stories_of_the_same_minute_keep_their_order_whatever_the_hash_seed(tmp_site: Path):
    """Pelican finds sources in a set: without a tie-break, same-date stories moved with the hash seed."""
    for n in range(12):
        write_atomic(
            tmp_site / "content" / f"same-minute-{n:02}.md",
            f"---\ntitle: Same minute {n}\ndate: '2026-11-20T10:00:00+00:00'\ncategory: World\n---\n\nStory {n}.\n",
        )
    builds = {}
    for seed in ("1", "2", "3"):
        output = tmp_site / f"output-{seed}"
        command = [sys.executable, "-m", "generator", "build", "--output", str(output)]
        subprocess.run(
            command, cwd=tmp_site, env={**os.environ, "PYTHONHASHSEED": seed}, check=True, capture_output=True
        )
        builds[seed] = (output / "category" / "world" / "index.html").read_text(encoding="utf-8")
    positions = [builds["1"].index(f"Same minute {n}<") for n in range(12)]
    assert positions == sorted(positions)  # by source path
    assert builds["1"] == builds["2"] == builds["3"]


def cold_build(root: Path, into: Path) -> Path:
    """A cold build of `root`'s sources, theme and settings in a folder of its own; its output/."""
    shutil.copytree(root, into, ignore=shutil.ignore_patterns("output", "cache"))
    build(into)
    return into / "output"


def test_a_list_shows_a_story_as_its_card_says_after_any_edit(sample_site: BuiltSite, tmp_site: Path, tmp_path: Path):
    """Found: lists showed reading time, but what decided "did not change" was listed by hand without it;
    after an article grew to 1,500 words its category page still said "1 min"."""
    copy_samples(sample_site, tmp_site)
    build(tmp_site)
    ferries = next(a for a in all_sources(tmp_site / "content") if a.title.startswith("Ferries return"))
    path = next(p for p in (tmp_site / "content").rglob("*.md") if p.stem == ferries.slug)
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "More words on the ferries. " * 300, encoding="utf-8")
    build(tmp_site)
    category = f"category/{ferries.category.lower()}/index.html"

    def minutes(output: Path) -> str:
        (item,) = [
            li for li in parse_html(output / category).select(".story-list > li") if ferries.title in li.get_text()
        ]
        return item.select_one(".reading-time").get_text()

    assert minutes(tmp_site / "output") == minutes(cold_build(tmp_site, tmp_path / "cold")) == "7 min read"


def test_a_page_keeps_its_date_in_the_sitemap_on_a_rebuild(sample_site: BuiltSite, tmp_site: Path, tmp_path: Path):
    """Found: a page skipped as unchanged reached the sitemap without its date (daily, with the build time)."""
    copy_samples(sample_site, tmp_site)
    (tmp_site / "content" / "pages").mkdir()
    (tmp_site / "content" / "pages" / "about.md").write_text(
        "---\ntitle: About\ndate: 2026-11-01T09:00:00+00:00\n---\n\nAbout this digest.\n", encoding="utf-8"
    )
    build(tmp_site)
    first = (tmp_site / "output" / "sitemap.xml").read_bytes()
    build_again(tmp_site)  # nothing changed: the About page is skipped
    second = (tmp_site / "output" / "sitemap.xml").read_bytes()
    assert second == first == (cold_build(tmp_site, tmp_path / "cold") / "sitemap.xml").read_bytes()
    about = "<url><loc>http://127.0.0.1:8000/about/</loc><lastmod>2026-11-01T09:00:00+00:00</lastmod></url>"
    assert about in second.decode()


def test_a_deleted_source_leaves_nothing_behind(sample_site: BuiltSite, tmp_site: Path, tmp_path: Path):
    """Found on the demo site: a deleted sample's article page and day page stayed published."""
    copy_samples(sample_site, tmp_site)
    build(tmp_site)
    seed = next(p for p in (tmp_site / "content").rglob("*.md") if "airstike" in p.stem)
    seed.unlink()
    build(tmp_site)
    output = tmp_site / "output"
    assert not (output / "2016" / "10").exists()  # its page, its day, their folders
    kept = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if "pagefind" not in p.parts)
    cold = cold_build(tmp_site, tmp_path / "cold")
    assert kept == sorted(p.relative_to(cold).as_posix() for p in cold.rglob("*") if "pagefind" not in p.parts)


def test_a_static_file_no_longer_copied_leaves_nothing_behind(sample_site: BuiltSite, tmp_site: Path, tmp_path: Path):
    """Without DELETE_OUTPUT_DIRECTORY (publishconf.py): the build lists the static files Pelican
    copies, the theme's and the content's images, as it lists pages; one gone is removed."""
    copy_samples(sample_site, tmp_site)
    image = tmp_site / "content" / "images" / "map.png"
    image.parent.mkdir()
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    build(tmp_site)
    output = tmp_site / "output"
    assert (output / "images" / "map.png").is_file()
    theme = {path for path in (output / "theme").rglob("*") if path.is_file()}
    assert theme
    image.unlink()
    build(tmp_site)
    assert not (output / "images").exists()
    assert {path for path in (output / "theme").rglob("*") if path.is_file()} == theme  # still copied, kept
    kept = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if "pagefind" not in p.parts)
    cold = cold_build(tmp_site, tmp_path / "cold")
    assert kept == sorted(p.relative_to(cold).as_posix() for p in cold.rglob("*") if "pagefind" not in p.parts)


def test_the_generator_caching_layer_is_refused_with_what_to_do(tmp_site: Path):
    with (tmp_site / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nCONTENT_CACHING_LAYER = 'generator'\n")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=tmp_site, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "Error: pelicanconf.py: CONTENT_CACHING_LAYER = 'generator' is not supported: newsdigest "
        "works from Pelican's reader cache; set CONTENT_CACHING_LAYER = 'reader' (the default) in pelicanconf.py"
    ]


TOPICS = [
    "harbour dredging",
    "school meals",
    "tram timetable",
    "library hours",
    "bridge repairs",
    "museum roof",
    "ferry fares",
    "rowing regatta",
    "marathon route",
    "cup final",
]


def write_story(
    content: Path, n: int, title: str, category: str = "World", source: str = "Harbour Herald", front_matter: str = ""
) -> Path:
    path = content / f"story-{n}.md"
    topic = TOPICS[n]
    body = f"{topic.capitalize()}: {topic}, and {topic} again.\n"  # no two alike: no story groups two
    date = f"2026-11-{10 + n:02}T09:00:00+00:00"
    metadata = f"title: {title}\nslug: story-{n}\ndate: '{date}'\ncategory: {category}\nsource: {source}"
    metadata += f"\n{front_matter}" if front_matter else ""
    write_atomic(path, f"---\n{metadata}\n---\n\n{body}")
    return path


@pytest.mark.parametrize("workers", [1, 2])
def test_one_edited_story_renders_only_the_page_of_each_list_that_shows_it(
    tmp_site: Path, tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch
):
    """Found at 10,000 stories: one new story on a category's tenth page rendered all fifty of its pages.
    Two workers: pages are rendered as jobs (generator.build.rendering), kept ones announced apart."""
    settings = {"DEFAULT_PAGINATION": 2, "NEWSDIGEST_WORKERS": workers}
    (tmp_site / "pelicanconf.py").write_text(
        (tmp_site / "pelicanconf.py").read_text(encoding="utf-8")
        + "".join(f"\n{name} = {value!r}" for name, value in settings.items())
    )
    for n in range(7):
        write_story(tmp_site / "content", n, f"Story number {n}")
    for n in range(7, 10):
        write_story(tmp_site / "content", n, f"Sport story {n}", category="Sport", source="Coast Times")
    build(tmp_site)
    lists = [
        f"{folder}/{page}index.html"
        for folder in ("category/world", "source/harbour-herald")
        for page in ("", "page/2/", "page/3/", "page/4/")
    ]
    before = snapshot(tmp_site / "output")
    assert all(name in before for name in lists)
    write_story(tmp_site / "content", 3, "Story number three, edited")  # newest first: on page 2 of each list
    announced = []

    def written(path: str, **values) -> None:
        announced.append(Path(path).relative_to(tmp_site / "output").as_posix())

    looked_at = []
    render = incremental.PageByPage.render

    def looking(pages, localcontext: dict) -> str:
        looked_at.append(localcontext["output_file"])
        return render(pages, localcontext)

    signals.content_written.connect(written)
    monkeypatch.setattr(incremental.PageByPage, "render", looking)
    try:
        build(tmp_site)
    finally:
        signals.content_written.disconnect(written)
    after = snapshot(tmp_site / "output")
    # A list none of whose stories changed is kept whole: its pages are not even looked at one by one.
    assert looked_at and not [name for name in looked_at if "sport" in name or "coast-times" in name]
    sport = [name for name in after if name.startswith(("category/sport/", "source/coast-times/"))]
    assert len(sport) == 4 and all(after[name] == before[name] for name in sport)
    assert sorted(set(announced) & set(lists)) == sorted(lists)  # kept pages announced as Pelican's writer does
    changed = {name for name in lists if after[name] != before[name]}
    assert changed == {"category/world/page/2/index.html", "source/harbour-herald/page/2/index.html"}
    for name in changed:
        assert "Story number three, edited" in after[name][0].decode()
    cold = cold_build(tmp_site, tmp_path / "cold")
    for name in after:
        assert after[name][0] == (cold / name).read_bytes(), name
    write_story(tmp_site / "content", 6, "Story number six, edited")  # a change on page 1 leaves the rest
    build(tmp_site)
    again = snapshot(tmp_site / "output")
    assert {name for name in lists if again[name] != after[name]} == {
        "category/world/index.html",
        "source/harbour-herald/index.html",
    }
    (tmp_site / "content" / "story-0.md").unlink()  # six stories: three pages, the fourth removed
    build(tmp_site)
    shutil.rmtree(tmp_path / "cold")
    cold = cold_build(tmp_site, tmp_path / "cold")
    built = {path.relative_to(tmp_site / "output") for path in (tmp_site / "output").rglob("*.html")}
    assert built == {path.relative_to(cold) for path in cold.rglob("*.html")}
    assert not (tmp_site / "output" / "category" / "world" / "page" / "4").exists()
    for name in built:
        assert (tmp_site / "output" / name).read_bytes() == (cold / name).read_bytes(), name


def test_a_feed_is_written_again_only_when_a_story_it_shows_changes(tmp_site: Path, tmp_path: Path):
    """Issue #20: Pelican wrote every feed on every build, each item's summary made from its body again
    (a third of a second of one new article at 10,000 stories, for twelve feeds most of which it leaves
    as they were). A feed is kept while the stories it shows are; a plugin listening to the feeds as
    they are made gets every one of them."""
    for n in range(4):
        write_story(tmp_site / "content", n, f"Story number {n}")
    for n in range(4, 6):
        write_story(tmp_site / "content", n, f"Sport story {n}", category="Sport", source="Coast Times")
    build(tmp_site)
    feeds = ["all.atom.xml", "all.rss.xml", "category/world.atom.xml", "category/sport.atom.xml"]
    feeds = [f"feeds/{name}" for name in feeds]
    before = snapshot(tmp_site / "output")
    assert all(name in before for name in feeds)
    write_story(tmp_site / "content", 1, "Story number one, edited")
    build(tmp_site)
    after = snapshot(tmp_site / "output")
    assert after["feeds/category/sport.atom.xml"] == before["feeds/category/sport.atom.xml"]  # not written again
    for name in ("feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/category/world.atom.xml"):
        assert "Story number one, edited" in after[name][0].decode(), name
    cold = cold_build(tmp_site, tmp_path / "cold")
    for name in feeds:
        assert after[name][0] == (cold / name).read_bytes(), name
    made = []

    def feed_generated(context, feed) -> None:
        made.append(feed.feed["feed_url"])

    signals.feed_generated.connect(feed_generated)
    try:
        build_again(tmp_site)
    finally:
        signals.feed_generated.disconnect(feed_generated)
    assert sorted(url.split("/feeds/")[1] for url in made) == sorted(name.removeprefix("feeds/") for name in feeds)


def indexed_titles(output: Path) -> set[str]:
    """Every page title the search index holds (Pagefind fragments: gzip'd JSON after a signature)."""
    titles = set()
    for fragment in (output / "pagefind").glob("*/fragment/*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        titles.add(json.loads(data[data.index(b"{") :])["meta"]["title"])
    return titles


def test_a_build_that_fails_half_way_leaves_no_page_or_search_part_the_next_takes_for_current(
    tmp_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A build writes pages (and swaps in search parts) before it records what they were made from:
    one that stopped half way, after an edit that was then undone, left the edited page standing."""
    for n in range(3):
        write_story(tmp_site / "content", n, f"Story number {n}")
    # Deleted below: in another month, in a category kept, so neither November's search part nor the
    # navigation changes for it (either would make the edited page's month or page anew anyway).
    october = tmp_site / "content" / "october.md"
    metadata = "title: An October story\ndate: '2026-10-05T09:00:00+00:00'\ncategory: World"
    write_atomic(october, f"---\n{metadata}\n---\n\nRowing.\n")
    edited = tmp_site / "content" / "story-2.md"
    original = edited.read_text(encoding="utf-8")
    build(tmp_site)
    write_story(tmp_site / "content", 2, "Story number two, edited")
    october.unlink()  # and one deleted, its pages left to remove

    def stop(*args, **kwargs):
        raise RuntimeError("stopped half way")

    with monkeypatch.context() as patched:  # the article pages and lists are written, then the build stops
        patched.setattr(pages.SitePagesGenerator, "generate_output", stop)
        with pytest.raises(RuntimeError, match="stopped half way"):
            site.build(site.load_settings(tmp_site))
    page = tmp_site / "output" / "2026" / "11" / "12" / "story-2" / "index.html"
    assert "Story number two, edited" in page.read_text(encoding="utf-8")  # written before the stop
    write_atomic(edited, original)  # the edit undone
    build(tmp_site)
    cold = cold_build(tmp_site, tmp_path / "cold")
    built = {path.relative_to(tmp_site / "output") for path in (tmp_site / "output").rglob("*.html")}
    assert built == {path.relative_to(cold) for path in cold.rglob("*.html")}
    for name in built:
        assert (tmp_site / "output" / name).read_bytes() == (cold / name).read_bytes(), name
    assert "Story number two, edited" not in indexed_titles(tmp_site / "output")
    assert indexed_titles(tmp_site / "output") == indexed_titles(cold)


def test_a_story_left_as_it_was_shows_the_stories_it_links_to_once_they_are_added(tmp_site: Path, tmp_path: Path):
    """A story's records are made of the stories it links to (generator.build.carried): one whose
    source did not change is rendered again when a story it pins as related, or names in a
    "RELATED:" line, is added, and when one of those is edited."""
    content = tmp_site / "content"
    links = "related: [story-1]\nrelated_headlines: ['Tug crews vote to strike']"
    write_story(content, 0, "Harbour cranes stand idle", front_matter=links)
    write_story(content, 2, "Rail freight rises")
    build(tmp_site)
    page = tmp_site / "output" / "2026/11/10/story-0/index.html"
    assert parse_html(page).select(".related a, .source-related a") == []
    write_story(content, 1, "Ferry timetable changes")
    build(tmp_site)
    assert [a.get_text(strip=True) for a in parse_html(page).select(".related a")] == ["Ferry timetable changes"]
    write_story(content, 3, "Tug crews vote to strike")
    build(tmp_site)
    named = parse_html(page).select(".source-related a")
    assert [a.get_text(strip=True) for a in named] == ["Tug crews vote to strike"]
    edited = content / "story-1.md"
    write_atomic(edited, edited.read_text(encoding="utf-8").replace("Ferry timetable changes", "Ferry timetable cut"))
    build(tmp_site)
    assert [a.get_text(strip=True) for a in parse_html(page).select(".related a")] == ["Ferry timetable cut"]
    assert page.read_bytes() == (cold_build(tmp_site, tmp_path / "cold") / "2026/11/10/story-0/index.html").read_bytes()


def test_a_link_to_another_source_in_a_body_follows_that_story_on_every_build(tmp_site: Path, tmp_path: Path):
    """Pelican resolves a body's `{filename}` links for each page; generator.build.plugin leaves a
    body the last build found none in as it is, and resolves the others on every build."""
    content = tmp_site / "content"
    write_story(content, 1, "Ferry timetable changes")
    body = "The [timetable]({filename}/story-1.md) changes; see [the port](https://example.org/port).\n"
    write_atomic(
        content / "story-0.md", "---\ntitle: Harbour cranes stand idle\nslug: story-0\ndate: 2026-11-10\n---\n\n" + body
    )
    page = tmp_site / "output" / "2026/11/10/story-0/index.html"

    def links() -> list[str]:
        return [
            a["href"] for a in parse_html(page).select(".article-body a, article a") if "example.org" not in a["href"]
        ]

    build(tmp_site)
    assert "../../../../2026/11/11/story-1/" in links()
    build_again(tmp_site)  # the body as the last build found it, through Pelican
    assert "../../../../2026/11/11/story-1/" in links()
    edited = content / "story-1.md"
    write_atomic(edited, edited.read_text(encoding="utf-8").replace("slug: story-1", "slug: timetable"))
    build(tmp_site)
    assert "../../../../2026/11/11/timetable/" in links() and not [href for href in links() if "{" in href]
    assert page.read_bytes() == (cold_build(tmp_site, tmp_path / "cold") / "2026/11/10/story-0/index.html").read_bytes()


def test_a_new_story_of_an_older_month_has_that_months_pages_written_first(tmp_site: Path):
    """The search index is made a month at a time, once the writer is past the month's article pages
    (generator.build.search); Pelican writes the feeds first, then the articles newest first. A new
    story of an older month had its month's index wait for the feeds and every later month's pages
    to be written or checked (generator.build.plugin)."""
    content = tmp_site / "content"

    def in_october(path: Path) -> None:
        path.write_text(path.read_text(encoding="utf-8").replace("'2026-11-", "'2026-10-"), encoding="utf-8")

    for n in range(6):
        write_story(content, n, f"Story number {n}")
    in_october(write_story(content, 6, "An October story"))
    build(tmp_site)
    in_october(write_story(content, 7, "Another October story"))
    announced = []

    def written(path: str, **values) -> None:
        announced.append(Path(path).relative_to(tmp_site / "output").as_posix())

    def feed_written(path: str, **values) -> None:
        announced.append("a feed")

    signals.content_written.connect(written)
    signals.feed_written.connect(feed_written)
    try:
        build(tmp_site)
    finally:
        signals.content_written.disconnect(written)
        signals.feed_written.disconnect(feed_written)
    months = [name[:7] for name in announced if name.startswith("2026/") and name.count("/") == 4]
    assert months == ["2026/10"] * 2 + ["2026/11"] * 6
    assert announced[:8] == [name for name in announced if name.startswith("2026/") and name.count("/") == 4]
    assert "a feed" in announced


def test_the_content_cache_keeps_no_file_times_with_the_terms(tmp_site: Path):
    """Found at 100,000 stories: Pelican keeps each category and tag in its content cache with the
    settings it was made with, once per 250 sources read by the pool; with every file's time in the
    settings, the cache grew from 0.4 to 3.1 GB (generator.build.source_stamps.BuildOnly)."""
    for n in range(3):
        write_story(tmp_site / "content", n, f"Story number {n}")
    build(tmp_site)
    cache = pickle.loads((tmp_site / "cache" / prefill.CACHE_NAME).read_bytes())
    kept = [
        term.settings
        for _, (_, metadata) in cache.values()
        for value in metadata.values()
        for term in (value if isinstance(value, list) else [value])
        if isinstance(term, urlwrappers.URLWrapper)
    ]
    assert kept
    for settings in kept:
        assert not settings.get(source_stamps.TIMES) and not settings.get(source_stamps.MOVED)


def test_a_rebuild_reads_each_sources_time_once(tmp_site: Path, monkeypatch: pytest.MonkeyPatch):
    """Found at 100,000 stories: five reads of each source's time a build (about 1 s), two of them by
    Pelican's article-object cache, which holds nothing (its layer is refused: generator.settings);
    then three, the build's own at its start and one by each cache, which now take that one."""
    for n in range(3):
        write_story(tmp_site / "content", n, f"Story number {n}")
    build(tmp_site)
    source = str((tmp_site / "content" / "story-1.md").resolve())
    read = []
    getmtime = os.path.getmtime

    def counted(path) -> float:
        if os.path.abspath(path) == source:
            read.append(path)
        return getmtime(path)

    monkeypatch.setattr(os.path, "getmtime", counted)
    build_again(tmp_site)
    assert len(read) == 1, read


class Note:
    """A value the writer has no way to fingerprint (not a record, string, number or dataclass)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


def test_a_list_given_a_value_the_writer_cannot_describe_is_rendered_on_every_build(tmp_path: Path):
    """Such a value means "render" (generator.build.incremental), for a paginated list as for a page:
    its stories unchanged must not make it skipped."""
    settings = read_settings(
        override={"CACHE_PATH": str(tmp_path / "cache"), "PAGINATED_TEMPLATES": {"thing": 1}, "NEWSDIGEST_WORKERS": 1}
    )
    template = jinja2.Environment().from_string("{{ articles_page.number }} {{ note }}")
    for note in ("first", "second"):
        writer = incremental.SkippingWriter(str(tmp_path / "output"), settings=settings)
        writer.write_file(
            "things/index.html",
            template,
            {},
            template_name="thing",
            url="things/",
            articles=["a", "b"],
            note=Note(note),
        )
        writer.finish()
    assert (tmp_path / "output" / "things" / "index.html").read_text(encoding="utf-8") == "1 second"
    assert (tmp_path / "output" / "things" / "index2.html").read_text(encoding="utf-8") == "2 second"


def test_two_long_lists_of_the_same_length_are_each_described_by_their_own_items(tmp_path: Path):
    """The writer describes a long list once, and a list holding the very same items as one it has
    described by that one's description (generator.build.incremental): never one that only has as many."""
    settings = read_settings(override={"CACHE_PATH": str(tmp_path / "cache"), "NEWSDIGEST_WORKERS": 1})
    template = jinja2.Environment().from_string("{{ items[0] }} to {{ items[-1] }}")
    for last in ("first", "second"):
        writer = incremental.SkippingWriter(str(tmp_path / "output"), settings=settings)
        one = [f"one {n}" for n in range(150)]
        other = [f"other {n}" for n in range(149)] + [f"other, {last} build"]
        for name, items in (("one", one), ("same", list(one)), ("other", other)):
            writer.write_file(f"{name}/index.html", template, {}, items=items)
        writer.finish()
        assert writer._lists[id(one)][1] != writer._lists[id(other)][1]
    assert writer.skipped == 2 and writer.rendered == 1
    shown = (tmp_path / "output" / "other" / "index.html").read_text(encoding="utf-8")
    assert shown == "other 0 to other, second build"


def test_a_long_list_of_stories_is_described_as_each_storys_card_whatever_lists_held_it_before(tmp_path: Path):
    """The writer keeps each story's card fingerprint by the story once a list has held it
    (generator.build.incremental): every list is still described by its own stories, in order."""

    def story(n: int) -> Article:
        article = object.__new__(Article)
        article.story = SimpleNamespace(card=SimpleNamespace(fingerprint=f"card {n}"))
        return article

    stories = [story(n) for n in range(300)]
    lists = [stories[:150], stories[150:], stories[::-1], stories[::2], [*stories[100:250], story(300)]]
    writer = incremental.SkippingWriter(str(tmp_path / "output"), settings=read_settings())
    described = [writer._described(items) for items in lists]
    assert described == [f"list:{incremental.fingerprint(items)}" for items in lists]
    assert len(set(described)) == len(lists)
    hidden = [*stories[:120], object.__new__(Article)]  # one with no record: not described, rendered
    assert writer._described(hidden) is hidden


def test_a_source_edited_to_write_outside_output_is_refused_on_a_rebuild(tmp_site: Path):
    """An article the last build wrote is known by its source's time (generator.build.plugin's
    StoryArticle takes Pelican's check that its page stays inside output/ as passed then): once
    edited, it is checked again."""
    path = write_story(tmp_site / "content", 0, "Harbour cranes stand idle")
    write_story(tmp_site / "content", 1, "Rail freight rises")
    build(tmp_site)
    text = path.read_text(encoding="utf-8").replace("slug: story-0", "slug: story-0\nsave_as: ../escaped.html")
    write_atomic(path, text)
    report = site.build(site.load_settings(tmp_site))
    assert any("would be written outside output path" in error for error in report.errors), report.errors
    assert not (tmp_site / "escaped.html").exists()
    assert (tmp_site / "output" / "2026/11/11/story-1/index.html").is_file()
