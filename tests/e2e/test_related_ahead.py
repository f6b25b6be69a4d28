"""The related step worked out ahead (generator.build.related_step.LinksAhead): the same site as a
build of one process gives (NEWSDIGEST_WORKERS = 1), and only ever the links of the archive Pelican
read. The process working ahead is a fresh one: what the test process records is the build's own."""

from __future__ import annotations

import dataclasses
import pickle
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import BuiltSite, parse_html

from generator.build import links_ahead, related_step, site
from generator.cli import cli
from generator.enrich import fit_process

RETURNING = "northern-wire/zeeland-orders-review-of-sea-defences-after-storm-ilse.md"
RETURNING_PAGE = "2026/11/25/zeeland-orders-review-of-sea-defences-after-storm-ilse/index.html"


def tree(output: Path) -> dict[str, bytes]:
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in output.rglob("*") if path.is_file()}


@pytest.fixture
def two_sites(sample_site: BuiltSite, tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the demo site, built without one of its Storm Ilse stories, its source set aside."""
    roots = []
    for name in ("ahead", "here"):
        root = tmp_path / name
        shutil.copytree(sample_site.root, root, ignore=shutil.ignore_patterns("output", "cache"))
        shutil.move(root / "content" / RETURNING, tmp_path / f"{name}-returning.md")
        assert site.build(site.load_settings(root)).errors == []
        roots.append(root)
    return roots[0], roots[1]


@pytest.fixture
def linked_here(monkeypatch: pytest.MonkeyPatch):
    """How many times the build's own process linked the archive since last asked."""
    calls = []
    link_archive = related_step.link_archive

    def counted(*args, **kwargs):
        calls.append(1)
        return link_archive(*args, **kwargs)

    monkeypatch.setattr(related_step, "link_archive", counted)

    def count() -> int:
        found = len(calls)
        calls.clear()
        return found

    return count


def build(root: Path, **overrides) -> None:
    assert site.build(site.load_settings(root, overrides=overrides)).errors == []


def add_back(root: Path, tmp_path: Path, name: str, edit=lambda text: text) -> None:
    text = (tmp_path / f"{name}-returning.md").read_text(encoding="utf-8")
    (root / "content" / RETURNING).write_text(edit(text), encoding="utf-8")


def test_a_new_story_linked_ahead_gives_the_site_one_process_gives(two_sites, linked_here, tmp_path: Path):
    ahead, here = two_sites
    linked_here()
    add_back(ahead, tmp_path, "ahead")
    build(ahead)
    assert linked_here() == 0  # the links changed (below), and this process did not work them out
    assert not list((ahead / "cache").glob("*" + links_ahead.AHEAD_SUFFIX))

    add_back(here, tmp_path, "here")
    build(here, NEWSDIGEST_WORKERS=1)
    assert linked_here() == 1

    assert tree(ahead / "output") == tree(here / "output")
    coverage = parse_html(ahead / "output" / RETURNING_PAGE).select(".coverage a")
    assert len(coverage) >= 2  # the returning story joined the Storm Ilse story: other pages changed too


@pytest.fixture
def processes_started(monkeypatch: pytest.MonkeyPatch) -> list:
    """Every fresh process started for the related step (generator.enrich.fit_process.start_process), with
    the modules it was told to import first."""
    started = []
    start = fit_process.start_process

    def recorded(preload=()):
        process = start(preload)
        started.append((process, tuple(preload)))
        return process

    monkeypatch.setattr(fit_process, "start_process", recorded)
    monkeypatch.setattr(links_ahead, "start_process", recorded)
    return started


def test_newsdigest_build_works_ahead_in_the_process_it_started_before_importing_pelican(
    two_sites, linked_here, processes_started: list, tmp_path: Path
):
    """`newsdigest build` starts the process working ahead as it starts, importing the related step's
    libraries while the build imports Pelican (generator.build.links_ahead.Spare), and gives it the
    work: no second process, the same site."""
    ahead, here = two_sites
    linked_here()
    add_back(ahead, tmp_path, "ahead")
    result = CliRunner().invoke(cli, ["--site", str(ahead), "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert linked_here() == 0
    assert [preload for _, preload in processes_started] == [links_ahead.PRELOAD]
    add_back(here, tmp_path, "here")
    build(here, NEWSDIGEST_WORKERS=1)
    assert tree(ahead / "output") == tree(here / "output")


def test_a_process_started_for_a_build_with_nothing_to_work_ahead_is_stopped(
    sample_site: BuiltSite, tmp_path: Path, processes_started: list
):
    """A cold build reads every source itself, and a build with nothing to do reads none: the process
    `newsdigest build` started is stopped, not left to run."""
    root = tmp_path / "site"
    shutil.copytree(sample_site.root, root, ignore=shutil.ignore_patterns("output", "cache"))
    for _ in ("cold", "nothing to do"):
        result = CliRunner().invoke(cli, ["--site", str(root), "build"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    assert len(processes_started) == 2
    assert all(process.poll() is not None for process, _ in processes_started)


def test_links_worked_out_ahead_for_another_archive_are_not_taken(two_sites, linked_here):
    """The record of the last build's archive the process works from says an editor pinned a related
    story to one story. A page is added: Pelican reads the same stories, and their links stand as
    the last build made them; the process's links, of another archive, are not taken."""
    ahead, here = two_sites
    known_docs = ahead / "cache" / links_ahead.KNOWN_DOCS
    entries = pickle.loads(known_docs.read_bytes())
    docs = sorted((path, entry) for path, entry in entries.items() if entry[1] is not None)
    (path, (digest, doc)), other = docs[0], docs[-1][1][1]
    entries[path] = (digest, dataclasses.replace(doc, pinned=(other.key,)))
    known_docs.write_bytes(pickle.dumps(entries))
    links_before = (ahead / "cache" / links_ahead.LINKS_CACHE).read_bytes()
    linked_here()
    for root in (ahead, here):
        (root / "content" / "pages").mkdir(exist_ok=True)
        (root / "content" / "pages" / "about.md").write_text("---\ntitle: About\n---\n\nWho we are.\n")
    build(ahead)
    assert linked_here() == 0
    assert (ahead / "cache" / links_ahead.LINKS_CACHE).read_bytes() == links_before
    assert not list((ahead / "cache").glob("*" + links_ahead.AHEAD_SUFFIX))

    build(here, NEWSDIGEST_WORKERS=1)
    assert tree(ahead / "output") == tree(here / "output")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_story_edited_into_another_event_joins_that_story(sample_site: BuiltSite, tmp_path: Path, workers: int):
    """What relating read of each story is kept by its source's time (generator.build.article_cache):
    an edited source is read again, and its new text is related anew, linked here or ahead."""
    root = tmp_path / "site"
    shutil.copytree(sample_site.root, root, ignore=shutil.ignore_patterns("output", "cache"))
    build(root, NEWSDIGEST_WORKERS=workers)
    madrid = root / "content" / "northern-wire" / "madrid-metro-to-close-on-friday-as-workers-strike-over-pay.md"
    page = root / "output" / "2026/11/25/madrid-metro-to-close-on-friday-as-workers-strike-over-pay/index.html"

    def covered() -> list[str]:
        return [link.get_text(strip=True) for link in parse_html(page).select(".coverage a")]

    assert covered() and not any("Storm Ilse" in title for title in covered())  # the other Madrid story
    storm = (root / "content" / RETURNING).read_text(encoding="utf-8")
    front_matter, _, _ = madrid.read_text(encoding="utf-8").partition("\n---\n")
    madrid.write_text(front_matter + "\n---\n" + storm.partition("\n---\n")[2], encoding="utf-8")
    build(root, NEWSDIGEST_WORKERS=workers)
    assert any("Storm Ilse" in title for title in covered()), covered()
    # What relating read is kept for the next build without the bodies, the edited source's too.
    entries = pickle.loads((root / "cache" / links_ahead.KNOWN_DOCS).read_bytes())
    assert entries and all(doc is None or type(doc) is related_step.KnownDoc for _, doc in entries.values())


def test_nothing_is_worked_out_ahead_when_many_files_changed(
    sample_site: BuiltSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Many new sources are read by a pool and modelled anew: a process working ahead would only
    take a core (generator.build.links_ahead.MOST_READ_AHEAD)."""
    started = []
    start = links_ahead.LinksAhead.__init__

    def recorded(self, *args, **kwargs) -> None:
        started.append(1)
        start(self, *args, **kwargs)

    monkeypatch.setattr(links_ahead.LinksAhead, "__init__", recorded)
    monkeypatch.setattr(links_ahead, "MOST_READ_AHEAD", 3)
    root = tmp_path / "site"
    shutil.copytree(sample_site.root, root, ignore=shutil.ignore_patterns("output", "cache"))
    shutil.move(root / "content" / RETURNING, tmp_path / "returning.md")
    build(root)
    assert started == []
    assert (root / "cache" / links_ahead.KNOWN_DOCS).is_file()  # for the next build's process
    shutil.move(tmp_path / "returning.md", root / "content" / RETURNING)
    build(root)
    assert started == [1]


class ReadOnlyHere:
    """A setting's value a fresh process cannot unpickle (a maintainer's object, say): the process
    working ahead fails before it starts its work."""

    def __reduce__(self):
        return (_refuse, ())


def _refuse():
    raise ValueError("not in another process")


def test_a_process_that_cannot_be_given_its_work_leaves_the_build_to_link(two_sites, linked_here, tmp_path: Path):
    ahead, here = two_sites
    linked_here()
    add_back(ahead, tmp_path, "ahead")
    build(ahead, NEWSDIGEST_TEST_VALUE=ReadOnlyHere())
    assert linked_here() == 1
    add_back(here, tmp_path, "here")
    build(here, NEWSDIGEST_WORKERS=1)
    assert tree(ahead / "output") == tree(here / "output")
