"""generator.build.written: the files the last build wrote that are gone, looked up apart."""

from __future__ import annotations

import json
from pathlib import Path

from generator.build.written import GoneFiles, written_files


def test_the_files_gone_are_those_the_record_lists_and_the_disk_lacks(tmp_path: Path):
    page, listed, feed, unlisted = (tmp_path / name for name in ("a.html", "b/index.html", "all.atom.xml", "c.html"))
    for path in (page, listed, feed, unlisted):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    record = {"a.html": ["key", [str(page)]], "b": [{"list": "key", "pages": ["p"]}, [str(listed), str(feed)]]}
    path = tmp_path / "newsdigest-pages-0.json"
    path.write_text(json.dumps({**record, "damaged": "entry"}), encoding="utf-8")
    assert written_files(record) == [str(page), str(listed), str(feed)]
    listed.unlink()
    unlisted.unlink()
    assert GoneFiles(path).files() == {str(listed)}
    assert GoneFiles(tmp_path / "no-record.json").files() == frozenset()
