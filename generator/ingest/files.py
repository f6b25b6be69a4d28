"""Input files -> `Article` records -> sources under content/.

`read_article` reads one input and returns its `Article` (the format is
decided by content; `read_parts` stops before anything is inferred);
`import_paths` adds the writes and reports each input's outcome, so that one
bad file never stops the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.article import Article
from generator.errors import NewsdigestError, SourceError
from generator.ingest.detect import HTML, STORY, detect_format
from generator.ingest.page import split_page
from generator.ingest.parts import ArticleParts, build_article
from generator.ingest.raw import split_raw
from generator.ingest.story import split_story
from generator.ingest.text import decode_text, read_input_file
from generator.settings import HIGHLIGHTS
from generator.sources import Outcome, SourceIndex, save_article

#: Larger inputs are refused before they are read: no news article comes near
#: this, and a stray video or archive must not be loaded into memory.
MAX_INPUT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    """What happened to one input path."""

    input: Path
    #: The source written, found up to date, or kept; None when the input failed.
    output: Path | None = None
    outcome: Outcome | None = None
    error: NewsdigestError | None = None


def read_article(path: Path, date: dt.datetime | None = None, highlights: int = HIGHLIGHTS) -> Article:
    """Read one input file (raw text, .story or saved HTML page) into an `Article`."""
    return build_article(read_parts(path), str(path), date, highlights)


def read_parts(path: Path) -> ArticleParts:
    """Read one input file (raw text, .story or saved HTML page), taken apart; nothing inferred yet."""
    data = read_input_file(path, MAX_INPUT_BYTES)
    if not data.strip():
        raise SourceError(path, "the file is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(path, "looks like a binary file, not article text")
    text = decode_text(data)
    kind = detect_format(text)
    if kind == HTML:
        return split_page(data, str(path))
    if kind == STORY:
        return split_story(text, str(path))
    return split_raw(text, str(path))


def import_paths(
    paths: Iterable[Path],
    content_dir: Path,
    date: dt.datetime | None = None,
    force: bool = False,
    highlights: int = HIGHLIGHTS,
) -> Iterator[ImportResult]:
    """Import each path in turn, yielding its outcome; errors never stop the loop.

    `force` overwrites sources edited by hand since their import.
    """
    index = SourceIndex.scan(content_dir)
    for path in paths:
        try:
            article = read_article(path, date, highlights)
            target, outcome = save_article(content_dir, article, force=force, index=index)
        except NewsdigestError as error:
            yield ImportResult(input=path, error=error)
        else:
            yield ImportResult(input=path, output=target, outcome=outcome)
    index.save()
