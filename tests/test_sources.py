"""Sources under content/: unique stable slugs, idempotent writes, hand edits kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.article import Article, has_hand_edits, parse_source, render_source
from generator.sources import Outcome, SourceIndex, import_id, save_article

DAY = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


def article(title: str = "Storm hits coast", source: str = "Digest Wire", days: int = 0, **fields) -> Article:
    return Article(
        title=title,
        date=DAY + dt.timedelta(days=days),
        slug="storm-hits-coast",
        body="Body.",
        source=source,
        **fields,
    )


def test_first_import_writes_then_nothing_changes(tmp_path: Path):
    path, outcome = save_article(tmp_path, article())
    assert (path.relative_to(tmp_path).as_posix(), outcome) == ("digest-wire/storm-hits-coast.md", Outcome.WRITTEN)
    before = path.read_bytes()
    assert save_article(tmp_path, article()) == (path, Outcome.UNCHANGED)
    assert path.read_bytes() == before


def test_a_different_article_with_the_same_slug_gets_a_stable_suffix(tmp_path: Path):
    first, second = article(), article(source="Harbour Herald")
    path_a, _ = save_article(tmp_path, first)
    path_b, _ = save_article(tmp_path, second)
    assert path_a.stem == "storm-hits-coast"
    assert path_b.stem == f"storm-hits-coast-{import_id(second)[:6]}"
    assert path_a.read_text() != path_b.read_text()  # nothing overwritten
    # Re-importing either finds its own file, whatever the order.
    assert save_article(tmp_path, second) == (path_b, Outcome.UNCHANGED)
    assert save_article(tmp_path, first) == (path_a, Outcome.UNCHANGED)


def test_the_same_headline_on_another_day_is_another_article(tmp_path: Path):
    path_a, _ = save_article(tmp_path, article())
    path_b, _ = save_article(tmp_path, article(days=1))
    assert path_a != path_b


def test_slugs_are_unique_across_source_folders(tmp_path: Path):
    paths = {save_article(tmp_path, article(source=name))[0] for name in ("A", "B", "C")}
    slugs = {parse_source(path.read_text(), path).slug for path in paths}
    assert len(slugs) == 3


def test_an_update_at_the_source_rewrites_an_untouched_file(tmp_path: Path):
    path, _ = save_article(tmp_path, article())
    assert save_article(tmp_path, article(summary="New summary")) == (path, Outcome.WRITTEN)
    assert "New summary" in path.read_text()


def test_a_hand_edit_is_kept_unless_forced(tmp_path: Path):
    path, _ = save_article(tmp_path, article())
    edited = path.read_text().replace("Body.", "Body, corrected by an editor.")
    path.write_text(edited)
    assert has_hand_edits(edited)
    assert save_article(tmp_path, article(summary="New summary")) == (path, Outcome.KEPT)
    assert path.read_text() == edited
    assert save_article(tmp_path, article(summary="New summary"), force=True) == (path, Outcome.WRITTEN)
    assert "New summary" in path.read_text()


def test_a_hand_edited_title_still_finds_its_file(tmp_path: Path):
    path, _ = save_article(tmp_path, article())
    path.write_text(path.read_text().replace("title: Storm hits coast", "title: Storm hits the coast"))
    assert save_article(tmp_path, article()) == (path, Outcome.KEPT)
    assert len(list(tmp_path.rglob("*.md"))) == 1


def test_a_source_written_by_hand_is_never_taken_over(tmp_path: Path):
    handmade = tmp_path / "digest-wire" / "storm-hits-coast.md"
    handmade.parent.mkdir()
    handmade.write_text("---\ntitle: Mine\ndate: 2026-01-01\nslug: storm-hits-coast\n---\n\nMine.\n")
    path, outcome = save_article(tmp_path, article())
    assert path != handmade and outcome is Outcome.WRITTEN
    assert handmade.read_text().endswith("Mine.\n")


def test_rendered_sources_carry_a_hash_that_detects_any_change():
    text = render_source(article())
    assert not has_hand_edits(text)
    assert has_hand_edits(text.replace("Body.", "Body!"))
    assert has_hand_edits(text.replace("title: Storm", "title:  Storm"))
    assert has_hand_edits("---\ntitle: T\n---\n\ncontent_hash: 0000\n")  # a hash in the body does not count


def test_index_reads_slugs_and_ids_and_tolerates_broken_sources(tmp_path: Path):
    save_article(tmp_path, article())
    (tmp_path / "broken.md").write_text("---\ntitle: [oops\n---\n")
    index = SourceIndex.scan(tmp_path)
    assert set(index.by_slug) == {"storm-hits-coast", "broken"}
    assert set(index.by_import_id) == {import_id(article())}


def test_a_rescan_reuses_the_cache_and_notices_changed_files(tmp_path: Path):
    path, _ = save_article(tmp_path, article())
    first = SourceIndex.scan(tmp_path)
    first.save()
    assert (tmp_path / "_feeds" / ".source-index.json").is_file()
    path.write_text(path.read_text().replace("slug: storm-hits-coast", "slug: renamed-by-hand"))
    second = SourceIndex.scan(tmp_path)
    assert set(first.by_slug) == {"storm-hits-coast"}
    assert set(second.by_slug) == {"renamed-by-hand"}
    (tmp_path / "_feeds" / ".source-index.json").write_text("{not json")
    assert set(SourceIndex.scan(tmp_path).by_slug) == {"renamed-by-hand"}  # a broken cache is rebuilt
