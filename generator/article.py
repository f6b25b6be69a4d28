"""The `Article` record and its source file: Markdown with YAML front matter.

Every ingester produces an `Article`; this module is the one place that turns it
into the text of a source under content/ and back. Pelican reads the same files
at build time through pelican-yaml-metadata, so the field names here are the
front matter contract documented in the README.

Writing is the only I/O, and it is atomic (temporary file, then rename): a
crash never leaves a half-written source behind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.errors import SourceError

#: Fields written to the front matter, in this order. Empty values are left
#: out so that hand-editable sources stay short.
FRONT_MATTER_FIELDS = (
    "title",
    "title_inferred",
    "date",
    "date_inferred",
    "slug",
    "lang",
    "category",
    "tags",
    "source",
    "link",
    "guid",
    "image",
    "location",
    "authors",
    "contributors",
    "highlights",
    "highlights_from",
    "image_caption",
    "image_credit",
    "video_duration",
    "video_source",
    "related_headlines",
    "unplaced_lines",
    "summary",
    "import_id",
)
#: The last front matter line of every imported source: a hash of the rest of
#: the file, so that a later import can tell a hand edit from its own output.
HASH_FIELD = "content_hash"
# libyaml's safe loader and dumper when PyYAML has them: ten times faster on
# an archive of thousands of sources, and byte-identical output (checked on
# every corpus feed's items).
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Article:
    """One news article, as every stage after ingest sees it."""

    #: The headline exactly as the source printed it (typos included).
    title: str
    #: Publication time, always timezone-aware.
    date: dt.datetime
    #: URL path segment, unique across content/.
    slug: str
    #: The body as Markdown.
    body: str
    #: The article's language when it is not the site's (BCP 47: "fr", "de-DE").
    lang: str = ""
    category: str = "News"
    tags: tuple[str, ...] = ()
    #: Who published it (the dateline's "(CNN)", or the feed's name).
    source: str = ""
    #: The original URL, when known.
    link: str = ""
    #: The feed item's GUID (feed items only).
    guid: str = ""
    #: An image URL the feed gave for the item (http(s) only).
    image: str = ""
    #: The dateline's place ("Washington", "LONDON, England").
    location: str = ""
    authors: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    highlights: tuple[str, ...] = ()
    #: "source" when the highlights are the publisher's own, "generated" otherwise.
    highlights_from: str = ""
    image_caption: str = ""
    image_credit: str = ""
    video_duration: str = ""
    video_source: str = ""
    #: The source's own "RELATED:" / "READ:" / "WATCH:" lines, verbatim.
    related_headlines: tuple[str, ...] = ()
    summary: str = ""
    #: True when `date` was worked out from the text rather than stated in it.
    date_inferred: bool = False
    #: True when the input had no headline and `title` was made from it.
    title_inferred: bool = False
    #: Lines of the input that belong to the page, not the story (promos,
    #: reader plugs): kept verbatim so that an import loses nothing.
    unplaced_lines: tuple[str, ...] = ()
    #: The identity importers recognise this article by (see generator.sources).
    import_id: str = ""
    #: Front matter keys we do not know, kept so that nothing a maintainer
    #: added by hand is lost on a rewrite.
    extra: dict = field(default_factory=dict, compare=False)

    def front_matter(self) -> dict:
        """The front matter mapping, in contract order, empty values left out."""
        data: dict = {}
        for name in FRONT_MATTER_FIELDS:
            value = getattr(self, name)
            if name == "date":
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            if value:
                data[name] = value
        data.update(self.extra)
        return data


def render_source(article: Article) -> str:
    """The full text of the source file for `article`, ending its front matter with its hash."""
    header = yaml.dump(
        article.front_matter(),
        Dumper=_DUMPER,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=4096,
    )
    body = article.body.strip()
    unsigned = f"---\n{header}---\n\n{body}\n"
    return f"---\n{header}{HASH_FIELD}: {_digest(unsigned)}\n---\n\n{body}\n"


def read_front_matter(text: str) -> dict:
    """The front matter mapping, or {} when there is none or it is not readable (no errors: for indexing)."""
    end = text.find("\n---\n", 3)
    if not text.startswith("---\n") or end == -1:
        return {}
    try:
        data = yaml.load(text[4 : end + 1], Loader=YAML_LOADER)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def has_hand_edits(text: str) -> bool:
    """True unless `text` is exactly what `render_source` wrote (its hash still matches).

    A source with no hash at all was written by hand.
    """
    marker = f"\n{HASH_FIELD}: "
    start = text.find(marker, 0, max(text.find("\n---\n", 3), 0))
    end = text.find("\n", start + 1)
    if start == -1 or end == -1:
        return True
    recorded = text[start + len(marker) : end].strip()
    return recorded != _digest(text[: start + 1] + text[end + 1 :])


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_source(text: str, path: Path | str = "<string>") -> Article:
    """Read a source file's text back into an `Article`.

    Raises `SourceError` naming `path` when the front matter is missing or
    is not the mapping the contract describes.
    """
    if not text.startswith("---\n"):
        raise SourceError(path, "no YAML front matter (the file must start with '---')", line=1)
    end = text.find("\n---\n", 3)
    if end == -1:
        raise SourceError(path, "the front matter is never closed by a '---' line")
    try:
        data = yaml.load(text[4 : end + 1], Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else None
        raise SourceError(path, f"invalid YAML front matter: {exc}", line=line) from exc
    if not isinstance(data, dict):
        raise SourceError(path, "the front matter is not a mapping of field: value")
    missing = [name for name in ("title", "date", "slug") if not data.get(name)]
    if missing:
        raise SourceError(path, f"missing front matter field(s): {', '.join(missing)}")

    fields = {f.name: f for f in dataclasses.fields(Article)}
    known = set(fields) - {"extra", "body"}
    values = {}
    for name, value in data.items():
        if name not in known or value is None:
            continue
        kind = fields[name].type
        if kind.startswith("tuple"):
            # A hand edit may give one string where the contract says list.
            value = tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)
        elif kind == "str":
            # A scalar typed by hand (a number as a caption) is still text.
            value = str(value)
        values[name] = value
    values["date"] = _as_datetime(data["date"], path)
    values["title"] = str(data["title"])
    values["slug"] = str(data["slug"])
    extra = {k: v for k, v in data.items() if k not in known and k != HASH_FIELD}
    body = text[end + 5 :].strip("\n")
    return Article(body=body, extra=extra, **values)


def _as_datetime(value: object, path: Path | str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    else:
        try:
            parsed = dt.datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise SourceError(path, f"date {value!r} is not ISO 8601") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def read_pickle(path: Path) -> object | None:
    """A cache file of our own (or Pelican's) in the site's cache folder, or None when it is
    missing, torn by a crash, or written by other code: a cache is rebuilt, never trusted blindly."""
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None


def write_pickle(path: Path, data: object) -> None:
    """`data` pickled into `path`, its folder made, atomically: a cache file read by `read_pickle`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic_bytes(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def write_atomic_bytes(path: Path, data: bytes, durable: bool = False) -> None:
    """Write `data` to `path` through a temporary file and a rename; `durable`: flushed to disk first.

    The file gets the mode any new file gets (0644 under the usual umask),
    not the temporary file's 0600: a web server running as another user
    must be able to read what a build writes.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, NEW_FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str, durable: bool = True) -> bool:
    """Write `text` to `path` through a temporary file and a rename.

    A crash leaves either the old file or the new one, never half of one.
    `durable` also flushes the file to disk before the rename, so that a power
    cut cannot leave it empty: worth it for the state files a scheduled fetch
    depends on, too slow for thousands of sources (2-3 ms each on this
    machine's disk), whose history git keeps anyway.

    Returns False, and leaves the file (and its mtime) alone, when it already
    holds exactly `text`: re-running an import changes nothing.
    """
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic_bytes(path, data, durable)
    return True


def _new_file_mode() -> int:
    """The mode open() gives a new file under this process's umask (0644 under the usual 022)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


NEW_FILE_MODE = _new_file_mode()
