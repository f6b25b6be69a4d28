"""The Markdown reader: pelican-yaml-metadata's, with libyaml, and failing loudly.

pelican-yaml-metadata parses front matter with `yaml.safe_load`, pure
Python: about a third of plain Pelican's reading time. This reader parses
with libyaml (CSafeLoader, the loader generator.article writes with), and
keeps everything else of pelican-yaml-metadata's (its value handling).

On a YAML error it logs the error as pelican-yaml-metadata does (file, then
the error: generator.build.site turns it into "file:line: ...") and then raises:
Pelican's content cache keeps only what a reader returned, so a broken
source is never cached as an article without metadata, and the error is
reported again on every build until it is fixed.
"""

from __future__ import annotations

import datetime as dt
import functools
import locale
import logging
import re

import dateutil.parser
import dateutil.tz
import yaml
from pelican.plugins.yaml_metadata.yaml_metadata import YAMLMetadataReader
from pelican.urlwrappers import URLWrapper
from pelican.utils import SafeDatetime, get_date

from generator.article import YAML_LOADER
from generator.build.plain_paragraphs import KNOWN_SETTINGS, PlainParagraphsFirst
from generator.build.source_stamps import moved_sources, take_moved
from generator.enrich.body import enrich_body
from generator.errors import SourceError

log = logging.getLogger("pelican.plugins.yaml_metadata.yaml_metadata")


class FrontMatterReader(YAMLMetadataReader):
    """Reads content/*.md: YAML front matter (libyaml) and a Markdown body, enriched as far as the
    source alone allows (generator.enrich.body), so that Pelican's content cache keeps that too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.settings["MARKDOWN"] == KNOWN_SETTINGS:  # Pelican's reader has added `meta` to ours
            self._md.__class__ = PlainParagraphsFirst  # the same Markdown, which passes plain paragraphs by

    def read(self, source_path: str) -> tuple[str, dict]:
        content, metadata = super().read(source_path)
        content, own = enrich_body(content, metadata, self.settings.get("NEWSDIGEST_FEED_IMAGES", False))
        _slugs_worked_out(metadata)
        _fixed_offsets(metadata)
        _dates_that_remember(metadata)
        return content, {**metadata, **own}

    def _load_yaml_metadata(self, text: str, source_path: str) -> dict:
        try:
            metadata = yaml.load(text, Loader=YAML_LOADER)
        except yaml.YAMLError as exc:
            log.error("Error parsing YAML for file '%s'", source_path, exc_info=True)
            raise SourceError(source_path, "invalid YAML front matter") from exc
        except ValueError as exc:  # YAML's own timestamps: "date: 2026-13-45"
            metadata = yaml.load(text, Loader=yaml.BaseLoader)  # every value a string
            _refuse(_bad_date(metadata, source_path) or SourceError(source_path, f"a date is not a date ({exc})"))
        if not isinstance(metadata, dict):
            log.error("YAML header didn't parse as a dict for file '%s'", source_path)
            raise SourceError(source_path, "the front matter is not a mapping of field: value")
        if error := _bad_date(metadata, source_path):
            _refuse(error)
        dates = {field: date for field in DATE_FIELDS if (date := written_date(metadata.get(field))) is not None}
        if not dates:
            return self._parse_yaml_metadata(metadata, source_path)
        rest = {name: value for name, value in metadata.items() if name not in dates}
        return {**self._parse_yaml_metadata(rest, source_path), **dates}


def _slugs_worked_out(metadata: dict) -> None:
    """Work out each category's, tag's and author's slug now, so that the content cache keeps it.

    Pelican hashes a term by its slug, made by slugify on first use. The pool of readers
    (generator.build.prefill) cached terms without one, and Pelican saves its cache again only
    when it reads a source itself: until then, each rebuild slugified every article's terms
    again (0.6 s at 10,000 articles). The slug follows from the name and the settings, and a
    change of settings empties the cache (generator.build.site).
    """
    for value in metadata.values():
        for term in value if isinstance(value, list) else (value,):
            if isinstance(term, URLWrapper):
                _ = term.slug


def _fixed_offsets(metadata: dict) -> None:
    """A date at the machine's own offset with that offset as a fixed zone: the same instant,
    offset and zone name (what `isoformat` and `%Z` print).

    Pelican reads dates with dateutil, which gives a date whose offset is the machine's own
    (every "+00:00" on a UTC machine) a `tzlocal()` of its own, whose offset is worked out in
    Python, from the system's local time, each time two dates are compared. Sorting 10,000 such
    dates took 0.1 s against 0.016 s, and a build sorts and compares them over and over
    (Pelican's lists, the digest, the records).
    """
    for field in DATE_FIELDS:
        value = metadata.get(field)
        if isinstance(value, dt.datetime) and isinstance(value.tzinfo, dateutil.tz.tzlocal):
            metadata[field] = value.replace(tzinfo=_zone(value.utcoffset(), value.tzname()))


@functools.lru_cache(maxsize=64)
def _zone(offset: dt.timedelta, name: str) -> dt.timezone:
    return dt.timezone(offset, name)


class StoryDate(SafeDatetime):
    """Pelican's SafeDatetime, which formats a date with no directive of time or zone once a day.

    Pelican formats each article's date as it makes the article (`locale_date`),
    with its own strftime, in Python: about 9 µs a date, 0.9 s of one new
    article's build at 100,000 stories, which fall on a few hundred days. Such a
    format gives the same text for every moment of a day in one locale
    (`_formatted`). A value of the same type for Pelican: it pickles as itself
    into the content cache.
    """

    def strftime(self, fmt: str, safe: bool = True) -> str:
        if safe and _date_only(fmt):
            return _formatted(self.year, self.month, self.day, fmt, locale.setlocale(locale.LC_TIME))
        return super().strftime(fmt, safe)


#: strftime's directives (and "-", Pelican's own flag: no leading zero) that print the date alone.
_DIRECTIVE = re.compile(r"%(-?)(.)", re.DOTALL)
_DATE_DIRECTIVES = frozenset("aAbBCdDeFgGhjmuUVwWxyY%nt")


@functools.lru_cache(maxsize=64)
def _date_only(fmt: str) -> bool:
    return all(directive in _DATE_DIRECTIVES for _, directive in _DIRECTIVE.findall(fmt))


@functools.lru_cache(maxsize=4096)
def _formatted(year: int, month: int, day: int, fmt: str, time_locale: str) -> str:
    return SafeDatetime(year, month, day).strftime(fmt)


def _dates_that_remember(metadata: dict) -> None:
    """Each date read as a StoryDate: the same value and zone."""
    for field in DATE_FIELDS:
        value = metadata.get(field)
        if isinstance(value, SafeDatetime) and type(value) is not StoryDate:
            metadata[field] = StoryDate(
                value.year,
                value.month,
                value.day,
                value.hour,
                value.minute,
                value.second,
                value.microsecond,
                value.tzinfo,
                fold=value.fold,
            )


#: A date as newsdigest writes it (generator.article: an aware datetime's `isoformat`, to the second).
_WRITTEN_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


def written_date(value: object) -> dt.datetime | None:
    """The date Pelican reads from `value` (pelican.utils.get_date, with dateutil) when it is in the
    form newsdigest writes, else None (left to Pelican).

    dateutil's parser was an eighth of the time spent reading 10,000 sources (1.8 s), for
    dates all in one form. The same value, type (Pelican's SafeDatetime) and zone: the zone is
    dateutil's own for the offset (`_dateutil_zone`), which depends only on the offset's text.
    """
    if not isinstance(value, str) or not _WRITTEN_DATE.fullmatch(value):
        return None
    try:
        naive = SafeDatetime.fromisoformat(value[:19])
    except ValueError:
        return None  # "2026-02-30T...": Pelican says what is wrong
    return naive.replace(tzinfo=_dateutil_zone(value[19:]))


@functools.lru_cache(maxsize=64)
def _dateutil_zone(offset: str) -> dt.tzinfo:
    """The zone dateutil gives a date with this offset ("+02:00"): a fixed offset, or for the
    machine's own zone's name ("+00:00" is "UTC"), the machine's zone (`_fixed_offsets` then)."""
    return get_date(f"2000-01-01T00:00:00{offset}").tzinfo


def _refuse(error: SourceError) -> None:
    """Report a source's error once, as itself (generator.build.site reads `source_error`), and raise it."""
    log.error("%s", error, extra={"source_error": error})
    raise error


def _bad_date(metadata: dict, source_path: str) -> SourceError | None:
    """The error for the first date field Pelican could not read, saying why, or None."""
    if not isinstance(metadata, dict):
        return None
    for field in DATE_FIELDS:
        value = metadata.get(field)
        if isinstance(value, str) and (why := unreadable_date(value)):
            return SourceError(
                source_path,
                f"{field}: {value!r} is not a date ({why}); write it as YYYY-MM-DD or YYYY-MM-DD HH:MM",
                line=_field_line(source_path, field),
            )
    return None


#: Front matter fields Pelican reads as dates.
DATE_FIELDS = ("date", "modified")


def unreadable_date(value: str) -> str | None:
    """Why Pelican cannot read `value` as a date (dateutil's reason, which Pelican drops), or None."""
    try:
        dt.datetime.fromisoformat(value)  # what newsdigest writes: no need for dateutil (slower)
        return None
    except ValueError:
        pass
    try:
        get_date(value.replace("_", " "))
    except ValueError:
        try:
            dateutil.parser.parse(value)
        except (ValueError, OverflowError) as exc:
            return " ".join(str(exc).split(":")[0].split()) or "unreadable"
        return "unreadable"
    return None


def _field_line(source_path: str, field: str) -> int | None:
    """The line of `field:` in a source's front matter (for the error message), if found."""
    try:
        with open(source_path, encoding="utf-8-sig") as source:
            for number, line in enumerate(source, start=1):
                if line.lower().startswith(f"{field}:"):
                    return number
                if number > 1 and line.rstrip() in ("---", "..."):
                    break  # the end of the front matter
    except OSError:
        pass
    return None


def use_front_matter_reader(readers) -> None:
    """On readers_init, after pelican-yaml-metadata's: read .md files with FrontMatterReader, and
    keep Pelican's content cache on disk as it is when no source was read anew."""
    for extension in FrontMatterReader.file_extensions:
        readers.reader_classes[extension] = FrontMatterReader
    _save_cache_only_when_changed(readers)


def _save_cache_only_when_changed(readers) -> None:
    """Pelican pickles its whole content cache after every build (40 MB, 0.4 s at 10,000 articles;
    4 s at 100,000), even when every source came from it unchanged (or generator.build.prefill saved
    it). Here it is saved only when worth it (`worth_saving`). A source whose time changed but not
    its bytes (generator.build.source_stamps) finds its entry under its new time as it is looked up."""
    cache_data, save_cache, get_cached_data = readers.cache_data, readers.save_cache, readers.get_cached_data
    moved = moved_sources(readers.settings)
    read_anew = 0

    def cache_and_note(filename, data) -> None:
        nonlocal read_anew
        read_anew += 1
        cache_data(filename, data)

    def cached_or_moved(filename, default=None):
        nonlocal read_anew
        if filename in moved:
            read_anew += take_moved(readers._cache, {filename: moved[filename]})
        return get_cached_data(filename, default)

    def save_if_worth_it() -> None:
        if worth_saving(read_anew, len(readers._cache)):
            save_cache()

    readers.cache_data, readers.save_cache = cache_and_note, save_if_worth_it
    readers.get_cached_data = cached_or_moved


def worth_saving(changed: int, held: int) -> bool:
    """Whether a cache of what each source gives, kept by file time, is worth saving after a build
    that changed `changed` of its `held` entries: when they are at least 1/RESAVE_SHARE of it. An
    entry left out is worked out again by the next build (a few milliseconds a source), so one new
    article does not cost the whole cache."""
    return changed > 0 and changed * RESAVE_SHARE >= held


RESAVE_SHARE = 100
