"""Contracts: each Pelican (and pelican-yaml-metadata) internal newsdigest relies on, one test each.

The lock file pins the versions these hold for; the scheduled "newest
versions" workflow runs them against the newest allowed. A test named after
the internal fails with its name when an upgrade changes it, instead of a
build failing somewhere far from the cause. Where it is used is in each
test's docstring.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
import pickle
import random
from operator import attrgetter
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pelican import signals
from pelican.contents import Content
from pelican.generators import ArticlesGenerator
from pelican.plugins.yaml_metadata.yaml_metadata import YAMLMetadataReader
from pelican.readers import _DISCARD, _filter_discardable_metadata
from pelican.settings import read_settings
from pelican.urlwrappers import Tag
from pelican.utils import SafeDatetime, get_relative_path, order_content, path_to_url
from pelican.writers import Writer
from support import make_site

from generator.build import plugin, prefill, site
from generator.build.story import page_siteurl


def test_writer__open_w_opens_every_page_and_feed_written(tmp_path: Path):
    """generator.build.incremental's writer learns each file a page or feed writes from `_open_w`."""
    opened = []

    class Recording(Writer):
        def _open_w(self, filename, encoding, override=False):
            opened.append(Path(filename).relative_to(tmp_path).as_posix())
            return super()._open_w(filename, encoding, override)

    settings = read_settings(
        override={"OUTPUT_PATH": str(tmp_path), "SITEURL": "https://example.org", "FEED_DOMAIN": "https://example.org"}
    )
    writer = Recording(str(tmp_path), settings=settings)
    template = jinja2.Environment().from_string("<p>{{ value }}</p>")
    writer.write_file("a/index.html", template, {}, value="x")
    writer.write_feed([], {**settings, "SITENAME": "s"}, "feeds/all.atom.xml")
    assert opened == ["a/index.html", "feeds/all.atom.xml"]
    assert list(inspect.signature(Writer.write_file).parameters)[:7] == [
        "self",
        "name",
        "template",
        "context",
        "relative_urls",
        "paginated",
        "template_name",
    ]


def test_readers__filter_discardable_metadata_drops_only_discarded_values():
    """generator.build.prefill stores metadata in Pelican's cache as Pelican's reader would."""
    assert _filter_discardable_metadata({"title": "T", "summary": _DISCARD}) == {"title": "T"}


def test_reader_cache_file_maps_each_source_to_its_mtime_and_what_the_reader_returned(tmp_path: Path):
    """generator.build.prefill writes Pelican's ArticlesGenerator-Readers cache in this format;
    generator.build.site deletes it by this name when the settings or code change."""
    root = make_site(tmp_path / "site")
    source = root / "content" / "note.md"
    source.write_text("---\ntitle: Note\ndate: 2026-11-20T10:00:00+00:00\n---\n\nText.\n", encoding="utf-8")
    assert site.build(site.load_settings(root)).errors == []
    cache = pickle.loads((root / "cache" / prefill.CACHE_NAME).read_bytes())
    ((path, (mtime, (content, metadata))),) = cache.items()
    assert Path(path) == source.resolve() and mtime == source.stat().st_mtime
    assert "<p>Text.</p>" in content and metadata["title"] == "Note"


def test_articles_generator_generate_tags_categories_authors_take_the_write_function():
    """generator.build.listings replaces these three on the generator with its own writers."""
    for name in ("generate_tags", "generate_categories", "generate_authors"):
        assert list(inspect.signature(getattr(ArticlesGenerator, name)).parameters) == ["self", "write"], name
    source = inspect.getsource(ArticlesGenerator.generate_pages)
    assert "self.generate_tags(write)" in source and "self.generate_categories(write)" in source


def test_articles_generator_makes_each_article_by_the_class_it_names_to_readers_read_file(tmp_path: Path):
    """generator.build.plugin has the articles generator's `readers.read_file` make StoryArticles where
    Pelican names its Article: every article of a build is one from the start."""
    from generator.build.plugin import StoryArticle

    assert "content_class=Article" in inspect.getsource(ArticlesGenerator.generate_context)
    root = make_site(tmp_path / "site")
    for name in ("note", "other"):
        (root / "content" / f"{name}.md").write_text(
            f"---\ntitle: {name}\ndate: 2026-11-20T10:00:00+00:00\n---\n\nText.\n", encoding="utf-8"
        )
    made = []

    def finalized(generator) -> None:
        made.extend(type(article) for article in generator.articles)

    signals.article_generator_finalized.connect(finalized)
    try:
        assert site.build(site.load_settings(root)).errors == []
    finally:
        signals.article_generator_finalized.disconnect(finalized)
    assert made == [StoryArticle, StoryArticle]


def test_yaml_metadata_reader__load_yaml_metadata_and__parse_yaml_metadata(tmp_path: Path):
    """generator.build.reader overrides `_load_yaml_metadata` (libyaml, raising) and calls `_parse_yaml_metadata`."""
    assert list(inspect.signature(YAMLMetadataReader._load_yaml_metadata).parameters) == ["self", "text", "source_path"]
    reader = YAMLMetadataReader(read_settings())
    parsed = reader._parse_yaml_metadata({"title": "T", "tags": ["Storm"]}, str(tmp_path / "a.md"))
    assert parsed["title"] == "T" and parsed["tags"] == [Tag("Storm", reader.settings)]


def test_the_could_not_process_log_line_names_the_source(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    """generator.build.site drops Pelican's "Could not process %s" line when the reader already said why."""
    root = make_site(tmp_path / "site")
    (root / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nBody.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        site.build(site.load_settings(root))
    lines = [record for record in caplog.records if record.msg == "Could not process %s"]
    assert [str(record.args[0]) for record in lines] == ["./broken.md"]


def test_content_get_content_resolves_links_for_the_siteurl_given():
    """generator.build.story renders each body once, with the SITEURL of its own page."""
    assert list(inspect.signature(get_relative_path).parameters) == ["path"]
    assert path_to_url(get_relative_path("2026/11/20/note/index.html")) == "../../../.."
    assert "def get_content(self, siteurl: str) -> str:" in inspect.getsource(Content)


def test_a_source_a_disabled_reader_would_read_is_still_warned_of(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    """generator.build.plugin skips Pelican's `_check_disabled_readers` walk when no reader is
    disabled; when one is (its library missing), Pelican still warns of each of its files."""
    from pelican.readers import RstReader

    root = make_site(tmp_path / "site")
    (root / "content" / "note.md").write_text("---\ntitle: Note\ndate: 2026-11-20\n---\n\nText.\n", encoding="utf-8")
    (root / "content" / "old.rst").write_text("Old\n###\n\n:date: 2026-11-20\n\nText.\n", encoding="utf-8")
    monkeypatch.setattr(RstReader, "enabled", False)
    with caplog.at_level(logging.WARNING):
        assert site.build(site.load_settings(root)).errors == []
    assert [record.getMessage().split(":")[0] for record in caplog.records if "old.rst" in record.getMessage()] == [
        "./old.rst"
    ]


def test_a_file_a_story_links_as_static_is_copied_though_outside_the_static_paths(tmp_path: Path):
    """Pelican copies each file a body links to as `{static}` or `{attach}` (Content.get_static_links);
    generator.build.plugin's StoryArticle asks Pelican only of a body that holds either word."""
    root = make_site(tmp_path / "site")
    (root / "content" / "files").mkdir()
    for name in ("chart.png", "map.png", "unlinked.png"):
        (root / "content" / "files" / name).write_bytes(b"\x89PNG")
    bodies = {"chart": "See ![the chart]({static}/files/chart.png).", "map": "See [the map]({attach}files/map.png)."}
    for name, body in bodies.items():
        (root / "content" / f"{name}.md").write_text(
            f"---\ntitle: {name}\ndate: 2026-11-20\n---\n\n{body}\n", encoding="utf-8"
        )
    assert site.build(site.load_settings(root)).errors == []
    copied = {path.name for path in (root / "output").rglob("*.png")}
    assert copied == {"chart.png", "map.png"}


@pytest.mark.parametrize(
    "name",
    [
        "initialized",
        "readers_init",
        "article_generator_pretaxonomy",
        "article_generator_finalized",
        "all_generators_finalized",
        "get_generators",
        "get_writer",
        "content_written",
        "feed_generated",
        "feed_written",
        "article_generator_init",
        "finalized",
    ],
)
def test_signal_exists(name: str):
    """generator.build.plugin, .incremental and .site connect to these."""
    assert hasattr(signals, name)


def test_readers_reader_classes_maps_each_extension_to_its_reader_class():
    """generator.build.reader puts its reader in `readers.reader_classes` on readers_init."""
    from pelican.readers import Readers

    readers = Readers(read_settings())
    assert isinstance(readers.reader_classes, dict) and "md" in readers.reader_classes


def test_order_content_sorts_by_the_article_order_setting():
    """generator.build.plugin orders same-date articles by path, then with Pelican's `order_content`."""
    assert list(inspect.signature(order_content).parameters) == ["content_list", "order_by"]
    assert read_settings()["ARTICLE_ORDER_BY"] == "reversed-date"


@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5)), max_size=30),
    st.sampled_from(["reversed-date", "date", "title", "reversed-title"]),
)
def test_order_content_then_runs_by_path_is_order_content_of_the_list_by_path(stories, order):
    """generator.build.plugin.order_ties_by_path sorts only the runs of equal values Pelican's
    `order_content` left (a stable sort, reversed or not): the order of sorting by path first."""
    content = [
        SimpleNamespace(date=SafeDatetime(2026, 11, 1 + day, tzinfo=dt.UTC), title=f"t{title}", source_path=f"s{n:03}")
        for n, (day, title) in enumerate(stories)
    ]
    random.Random(len(content)).shuffle(content)
    expected = order_content(sorted(content, key=lambda item: item.source_path), order)
    pelicans = order_content(list(content), order)
    assert plugin._runs_by_path(pelicans, attrgetter(order.removeprefix("reversed-"))) == expected


@given(st.text(alphabet="ab./\\", max_size=14))
def test_get_relative_path_depends_only_on_where_the_separators_are(save_as: str):
    """generator.build.story.page_siteurl works Pelican's get_relative_path out once for each shape
    of path (its separators kept, all else one letter): the answer must be the path's own."""
    assert page_siteurl(SimpleNamespace(save_as=save_as), {"RELATIVE_URLS": True}) == path_to_url(
        get_relative_path(save_as)
    )


def test_content_is_valid_checks_save_as_and_source_paths_are_relative_to_the_content_folder(tmp_path: Path):
    """generator.build.plugin's StoryArticle answers both for an article it knows: Pelican's check that
    the page stays inside output/ is `_has_valid_save_as`, asked by `is_valid`; a source's path
    relative to the content folder is the text after the folder's, for the absolute normalised
    paths Pelican gives its content."""
    from pelican.contents import Article

    from generator.build.plugin import StoryArticle

    assert "self._has_valid_save_as()" in inspect.getsource(Content.is_valid)
    (tmp_path / "content").mkdir()
    settings = read_settings(override={"PATH": str(tmp_path / "content")})
    metadata = {"title": "Dikes hold", "date": SafeDatetime(2026, 11, 20)}
    source = str(tmp_path / "content" / "northern-wire" / "dikes-hold.md")
    pelican_article = Article("<p>Dikes hold.</p>", dict(metadata), settings, source_path=source)
    ours = StoryArticle("<p>Dikes hold.</p>", dict(metadata), settings, source_path=source)
    for path in (None, source, "northern-wire/dikes-hold.md", str(tmp_path / "content" / ".." / "elsewhere.md")):
        assert ours.get_relative_source_path(path) == pelican_article.get_relative_source_path(path)
    assert ours.get_relative_source_path() == "northern-wire/dikes-hold.md"
