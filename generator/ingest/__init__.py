"""Ingest: input files -> `Article` records -> sources under content/.

`read_article` is pure apart from reading the one input file; `import_paths`
adds the writes and reports each input's outcome, so that one bad file never
stops the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from generator.article import Article, render_source, write_atomic
from generator.errors import NewsdigestError, SourceError
from generator.ingest.raw import article_from_raw, split_raw
from generator.ingest.text import decode_text

#: Larger inputs are refused rather than read: no news article is this long,
#: and a stray video or archive must not be loaded into memory.
MAX_INPUT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    """What happened to one input path."""

    input: Path
    #: The source written or found up to date; None when the input failed.
    output: Path | None = None
    #: False when the source already held exactly this text.
    changed: bool = False
    error: NewsdigestError | None = None


def read_article(path: Path, date: dt.datetime | None = None) -> Article:
    """Read one raw article file into an `Article`."""
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise SourceError(path, f"file is {size:,} bytes; the limit is {MAX_INPUT_BYTES:,}")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise SourceError(path, "no such file") from exc
    except IsADirectoryError as exc:
        raise SourceError(path, "is a folder, not a file") from exc
    except OSError as exc:
        raise SourceError(path, f"cannot be read: {exc.strerror}") from exc
    if b"\x00" in data[:8192]:
        raise SourceError(path, "looks like a binary file, not article text")
    return article_from_raw(split_raw(decode_text(data), str(path)), str(path), date)


def source_path(content_dir: Path, article: Article) -> Path:
    """Where `article` lives under content/: one folder per source."""
    folder = slugify(article.source) or "articles"
    return content_dir / folder / f"{article.slug}.md"


def import_paths(paths: Iterable[Path], content_dir: Path, date: dt.datetime | None = None) -> Iterator[ImportResult]:
    """Import each path in turn, yielding its outcome; errors never stop the loop."""
    for path in paths:
        try:
            article = read_article(path, date)
            target = source_path(content_dir, article)
            changed = write_atomic(target, render_source(article))
        except NewsdigestError as error:
            yield ImportResult(input=path, error=error)
        else:
            yield ImportResult(input=path, output=target, changed=changed)
