"""Rebuilds that render only what changed: a Pelican writer that skips unchanged pages.

Pelican renders and writes every page on every build, even with its content
cache. This writer fingerprints what each page is made from (the site-wide
inputs, the template, and every value passed to it) and skips the page when
the fingerprint matches the previous build's and the file is still there.
A story is known by its records (generator.build.story): its page by its
`Story`, a list by the `Card` of each story it shows (a new related story
changes its page, not the category pages listing it), and a list Pelican
cuts into pages page by page (`PageByPage`). Skipped pages are announced as
written, as Pelican announces the pages it writes. A feed is skipped the same
way, by the stories it shows (`write_feed`), unless a plugin listens to feeds.

The static files Pelican copies (the theme's, the content's images) are
listed as the build's too, so a rebuild removes one no longer copied: the
output holds what a cold build makes without DELETE_OUTPUT_DIRECTORY, which
would throw every page away (publishconf.py leaves it off).

Site-wide inputs: the settings (functions among them by their source), the theme's files,
newsdigest's own code and the list of categories (every page's navigation).
A value it cannot fingerprint (an object it does not know) means "render".
Pages written from the global context alone (tags, archives) are passed the
full article lists by Pelican, so they are rendered when any article changes.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
import hashlib
import inspect
import json
import logging
import operator
import os
import re
from collections.abc import Callable, Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pelican import __version__ as pelican_version
from pelican import signals
from pelican.contents import Content, Page
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join
from pelican.writers import Writer

from generator.article import write_atomic
from generator.build.rendering import Deferred, Jobs, worker_count
from generator.build.sitemap import SAVE_AS as SITEMAP_SAVE_AS
from generator.build.sitemap import shown_date, sitemap_xml
from generator.build.story import Record, hash_text
from generator.build.written import GONE, output_record, read_record
from generator.settings import HOW_NOT_WHAT, absolute_base

log = logging.getLogger(__name__)

#: Values Pelican passes that our theme never reads (`all_articles` is the
#: whole archive, passed to every category page).
IGNORED = frozenset({"all_articles"})
#: newsdigest's own code: every module is an input of every page.
PACKAGE = Path(__file__).resolve().parent.parent


class _Unknown(Exception):
    """A value this module cannot fingerprint: the page is rendered."""


#: The values a page is *about* (its own article or page), by their full fingerprint.
OWN_CONTENT = frozenset({"article", "page"})


def _parts(value: object, out: list[str]) -> None:
    """A stable text form of `value`, for hashing, appended to `out`; raises _Unknown for what it
    cannot describe. Appended, not yielded: a page's parts are a few dozen values deep in dicts
    and lists, and a generator for each cost 0.2 s of one new article's build at 10,000 stories.

    Content is described as a list shows it: by its card (generator.build.story).
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        out.append(repr(value))
    elif isinstance(value, Record):
        out.append(value.fingerprint)
    elif isinstance(value, Content):
        out.append(_listed(value))
    elif isinstance(value, URLWrapper):
        out.append(_wrapper(value))
    elif isinstance(value, (dt.date, dt.datetime)):
        out.append(value.isoformat())
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for item in value:
            if isinstance(item, Content):
                out.append(_listed(item))
            else:
                _parts(item, out)
        out.append("]")
    elif isinstance(value, dict):
        for key in sorted(value):
            out.append(repr(key))
            _parts(value[key], out)
    elif hasattr(value, "__dataclass_fields__"):
        out.append(type(value).__name__)
        for name in value.__dataclass_fields__:
            _parts(getattr(value, name), out)
    else:
        raise _Unknown(type(value).__name__)


def _wrapper(wrapper: URLWrapper) -> str:
    """A category, tag or author as a page shows it: Pelican formats its URL from the settings on
    each access, and every article page is passed its category."""
    described = wrapper.__dict__.get(_DESCRIBED)
    if described is None:
        described = wrapper.__dict__[_DESCRIBED] = f"{type(wrapper).__name__}:{wrapper.name}:{wrapper.url}"
    return described


#: Where _wrapper keeps its description on a URLWrapper (lowercase and private: no template reads it).
_DESCRIBED = "_newsdigest_described"


def _listed(content: Content) -> str:
    """What a list shows of a story: its card (generator.build.story)."""
    story = getattr(content, "story", None)
    if story is None:
        raise _Unknown(type(content).__name__)
    return story.card.fingerprint


def shown_fingerprint(content: Content) -> str | None:
    """All that the page of a story or page shows of it: its record; a page's text and metadata."""
    story = getattr(content, "story", None)
    if story is not None:
        return story.fingerprint
    if isinstance(content, Page):
        return fingerprint(content.url, content.get_content(""), dict(content.metadata))
    return None


def fingerprint(*values: object) -> str | None:
    """A hash of `values`, or None when one of them cannot be described."""
    parts: list[str] = []
    try:
        for value in values:
            _parts(value, parts)
    except _Unknown:
        return None
    return hash_text(parts)


def _files_hash(folder: Path, pattern: str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob(pattern)):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


#: The libraries that turn sources into pages (besides Pelican): an upgrade of one may change any page.
MADE_WITH = (
    "markdown",
    "jinja2",
    "nh3",
    "beautifulsoup4",
    "markdownify",
    "feedgenerator",
    "python-slugify",
    "pyyaml",
    "pelican-yaml-metadata",
)


#: What the system's locale is taken from: Pelican's LOCALE ([""] by default) formats every date
#: with it ("%B": the month's name).
LOCALE_ENVIRONMENT = ("LC_ALL", "LC_TIME", "LANG")


def code_and_settings(settings: dict) -> str:
    """A hash of the settings (each as _setting_text writes it), the installed Pelican and the
    libraries it reads and writes with, newsdigest's own code, the site's own plugins
    (PLUGIN_PATHS) and the locale the environment gives."""
    plain = {key: _setting_text(value) for key, value in settings.items() if key.isupper() and key not in HOW_NOT_WHAT}
    plugins = [_files_hash(Path(folder), "*.py") for folder in settings.get("PLUGIN_PATHS") or []]
    locale = [f"{name}={os.environ.get(name, '')}" for name in LOCALE_ENVIRONMENT]
    return hash_text(
        [
            json.dumps(plain, sort_keys=True),
            pelican_version,
            *_versions(),
            _files_hash(PACKAGE, "*.py"),
            *plugins,
            *locale,
        ]
    )


@functools.lru_cache(maxsize=1)
def _versions() -> tuple[str, ...]:
    found = []
    for name in MADE_WITH:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=none")
    return tuple(found)


def code_settings_and_theme(settings: dict) -> str:
    """code_and_settings(), and the theme's files and the site's own templates overriding them:
    what every page is made with."""
    folders = [settings["THEME"], *(settings.get("THEME_TEMPLATES_OVERRIDES") or [])]
    return hash_text([code_and_settings(settings), *(_files_hash(Path(folder), "*") for folder in folders)])


def site_fingerprint(settings: dict, categories: list) -> str:
    """What every page depends on: settings and code, the theme, the categories in the navigation."""
    return hash_text([code_settings_and_theme(settings), json.dumps([str(category) for category, _ in categories])])


def _setting_text(value: object) -> str:
    """A setting's value as text that changes when it does: JSON, with what JSON cannot hold (a
    Jinja filter, an ARTICLE_ORDER_BY function from pelicanconf.py) described by _described."""
    try:
        return json.dumps(value, sort_keys=True, default=_described)
    except (TypeError, ValueError):  # keys JSON cannot hold (a tuple), keys of mixed types, a cycle
        return _described(value)


def _described(value: object) -> object:
    """A value JSON cannot hold: a function, class or module by where it is defined and a hash of
    its source, a set in order, anything else by its type and repr without the memory addresses
    that differ from one run to the next."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if inspect.isfunction(value) or inspect.ismethod(value) or inspect.isclass(value) or inspect.ismodule(value):
        try:
            source = inspect.getsource(value)
        except (OSError, TypeError):  # defined where no file holds it
            source = ""
        name = getattr(value, "__qualname__", getattr(value, "__name__", ""))
        return f"{getattr(value, '__module__', '')}.{name}:{hash_text([source])}"
    return f"{type(value).__qualname__}:{re.sub(r' at 0x[0-9a-fA-F]+', '', repr(value))}"


class SkippingWriter(Writer):
    """Pelican's writer, skipping pages whose fingerprint did not change.

    It also owns what it writes: every file written or kept is listed in the
    manifest, and at the end of a build what the previous build wrote and
    this one did not (a deleted source's page, its day, a category left
    empty) is removed, so a rebuild leaves the output/ a cold build makes.
    It then writes the sitemap (generator.build.sitemap) from the same list.
    From the first page it writes until its record is saved, a build is marked unfinished: the
    next build after one that stopped half way renders every page (and still removes what the
    record lists and it does not write), not trusting pages no record describes.
    """

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.manifest_path = output_record(settings, output_path, "pages")
        self.previous = read_record(self.manifest_path)
        #: There while a build that writes pages has not finished: one stopped half way left pages
        #: its record does not describe; the next keeps the record's paths (to remove what is
        #: left over) but skips nothing.
        self.unfinished_path = self.manifest_path.with_suffix(".unfinished")
        if self.unfinished_path.exists():
            entries = self.previous.items()
            listed = {name: entry for name, entry in entries if isinstance(entry, list) and len(entry) == 2}
            self.previous = {name: [None, paths] for name, (_, paths) in listed.items()}
        self._marked_unfinished = False
        #: The last build's files that are gone, when a process looked them up (generator.build.written).
        self._gone: frozenset[str] | None = None
        self._gone_asked = False
        #: name -> [fingerprint or None, [paths written for it]]; a list's fingerprint is
        #: {"list": the whole list's, "pages": each page's, as its paths} (PageByPage).
        self.current: dict[str, list] = {}
        #: Every HTML page written or kept (relative to output/) -> the date of what it shows.
        self.pages: dict[str, dt.datetime | None] = {}
        self.site = None
        #: id(list) -> (the list, its fingerprint): see _described.
        self._lists: dict[int, tuple[list, str | None]] = {}
        #: The same, by the list's length (see _same_items).
        self._by_length: dict[int, list[tuple[list, str | None]]] = {}
        #: id(story) -> its card's fingerprint, and the stories so kept (see _stories).
        self._cards: dict[int, str] = {}
        self._held: list[Content] = []
        #: A category, tag or author as pages show it, by its kind and name (see _described).
        self._wrappers: dict[tuple[type, str], str] = {}
        self.skipped = self.rendered = 0
        self._paths: list[str] | None = None
        #: The pages to render (generator.build.rendering). Pagefind indexes the article pages
        #: meanwhile (generator.build.search), on a core of its own: on two cores, one renders.
        searching = self.settings.get("NEWSDIGEST_SEARCH", True)
        self.jobs = Jobs(worker_count(self.settings.get("NEWSDIGEST_WORKERS"), busy=1 if searching else 0))
        self._deferring = False
        #: Pages of lists this write keeps as they are (PageByPage), until Pelican has opened them.
        self._keep: set[str] = set()
        signals.finalized.connect(self._finalized)

    def _finalized(self, pelican) -> None:
        signals.finalized.disconnect(self._finalized)
        self.finish()

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None, **kwargs):
        if not name:
            return super().write_file(name, template, context, relative_urls, paginated, template_name, **kwargs)
        self._know_the_site(context)
        shown = next((kwargs[name] for name in OWN_CONTENT if name in kwargs), None)
        lists = self._paginated(paginated, template_name, kwargs)
        inputs = {
            key: self._described(value)
            for key, value in kwargs.items()
            if key not in IGNORED | OWN_CONTENT and lists.get(key) is not value
        }
        own = [shown_fingerprint(kwargs[name]) for name in OWN_CONTENT if name in kwargs]
        key = (
            None
            if None in own
            else fingerprint(
                self.site, template.name, relative_urls, template_name, None if lists else paginated, inputs, own
            )
        )
        whole = key
        if lists and key is not None:  # a list's pages as a whole: its stories unchanged, none is looked at
            whole = fingerprint(key, {kind: self._described(value) for kind, value in lists.items()})
        before = self.previous.get(name)
        if whole is not None and before and _whole_key(before) == whole and self._there(before[1]):
            self.current[name] = before
            self.skipped += 1
            for path in before[1]:
                self._list_page(path, shown)
                signals.content_written.send(path, context=_shown_context(shown))
            return None
        deferred = self.jobs.workers > 1
        # One process: rendered as Pelican asks, so the search index starts on the first month at once.
        rendered = Deferred(template, context, self.jobs) if deferred else template
        if lists:
            rendered = PageByPage(
                rendered, key, tuple(lists), self.output_path, _page_keys(before), self._keep, self._there
            )
        paths = self._write(deferred, name, rendered, context, relative_urls, paginated, template_name, **kwargs)
        for path in paths:
            self._list_page(path, shown)
        if lists:
            kept = [path for path in paths if path in self._keep]
            self._keep.difference_update(kept)
            if deferred:  # announced with their jobs, rendered pages; kept ones now
                for path in kept:
                    signals.content_written.send(path, context={})
            self.skipped += len(kept)
            self.rendered += len(paths) - len(kept)
            self.current[name] = [{"list": whole, "pages": rendered.keys}, paths]
        else:
            self.rendered += 1
            self.current[name] = [key, paths]
        return None

    def _there(self, files: list[str]) -> bool:
        """Whether each of these files the last build wrote is still there: as a process looked
        them up when the build started (generator.build.written), else asked of the disk."""
        if not self._gone_asked:
            self._gone_asked = True
            asked = (self.settings.get(GONE) or {}).get("files")
            self._gone = asked.files() if asked is not None else None
        if self._gone is None:
            return all(map(os.path.isfile, files))
        return self._gone.isdisjoint(files)

    def _know_the_site(self, context: dict) -> None:
        """What every page and feed is made with (site_fingerprint), worked out for the first."""
        if self.site is None:
            self.site = site_fingerprint(self.settings, context.get("categories", []))

    def _paginated(self, paginated, template_name, kwargs) -> dict[str, list]:
        """The lists Pelican will cut into pages for this write ({} when it writes one page), as its
        writer decides: `paginated`, or else the `articles` and `dates` passed, for a paginated template."""
        if paginated is None:
            paginated = {key: value for key, value in kwargs.items() if key in {"articles", "dates"}}
        return paginated if paginated and template_name in self.settings["PAGINATED_TEMPLATES"] else {}

    def _write(self, deferred, name, template, context, relative_urls, paginated, template_name, **kwargs) -> list[str]:
        """Pelican's write_file with `template`; the paths it writes to. `deferred`: `template`
        renders into Jobs (generator.build.rendering), rendered in finish(), where each page is
        announced (content_written) too."""
        if not self._marked_unfinished:  # from the first page written until finish()
            self.unfinished_path.parent.mkdir(parents=True, exist_ok=True)
            self.unfinished_path.touch()
            self._marked_unfinished = True
        if not deferred:
            return self._tracking(
                super().write_file, name, template, context, relative_urls, paginated, template_name, **kwargs
            )
        first = len(self.jobs.items)
        self._deferring = True
        try:
            with signals.content_written.muted():
                return self._tracking(
                    super().write_file, name, template, context, relative_urls, paginated, template_name, **kwargs
                )
        except BaseException:
            self.jobs.drop_after(first)  # Pelican refused the page (a file written twice): nothing to render
            raise
        finally:
            self._deferring = False

    def _described(self, value: object) -> object:
        """A long list by its fingerprint, worked out once: Pelican passes the same lists (every
        article, by date) to many pages, 20,000 stories each at 10,000 articles. A category, tag or
        author by its kind and name, worked out once a build: Pelican makes one for each article
        (its page is passed its category), each formatting its address from the settings again
        (0.7 s of one new article's build at 100,000 stories); within a build the settings are one."""
        if isinstance(value, URLWrapper):
            key = (type(value), value.name)
            described = self._wrappers.get(key)
            if described is None:
                described = self._wrappers[key] = _wrapper(value)
            return described
        if not isinstance(value, list) or len(value) < 100:
            return value
        known = self._lists.get(id(value))
        if known is None or known[0] is not value:
            described = self._same_items(value) or self._stories(value) or fingerprint(value)
            known = self._lists[id(value)] = (value, described)
            self._by_length.setdefault(len(value), []).append(known)
        return value if known[1] is None else f"list:{known[1]}"

    def _same_items(self, value: list) -> str | None:
        """The fingerprint of a list described before that holds the very same items, in order.
        A tag's or category's page is passed its stories twice, as `articles` and by date as
        `dates`, in the same order with the default settings: describing a story in a list costs
        about 1.5 µs at 100,000 stories (reaching its card in memory), and comparing two lists item
        by item, by identity, a fortieth of that."""
        for other, described in self._by_length.get(len(value), ()):
            if described is not None and all(map(operator.is_, other, value)):
                return described
        return None

    def _stories(self, value: list) -> str | None:
        """`fingerprint(value)` for a list of stories (each as `_listed` describes it), or None for
        a list of anything else. A story's card fingerprint is kept by the story's identity once
        a list has held it: reached through the story's own attributes it costs about 2 µs at
        100,000 stories, scattered in memory, and each story is in six lists or more (its tags,
        category, source, the archive). A story's record is made before any page is written."""
        parts = ["["]
        cards = self._cards
        for item in value:
            card = cards.get(id(item))
            if card is None:
                if not isinstance(item, Content):
                    return None
                try:
                    card = cards[id(item)] = _listed(item)
                except _Unknown:
                    return None
                self._held.append(item)  # alive while the writer is: no other object takes its identity
            parts.append(card)
        parts.append("]")
        return hash_text(parts)

    def write_feed(
        self, elements, context, path=None, url=None, feed_type="atom", override_output=False, feed_title=None
    ):
        """Pelican's, with the feed file listed as this build's, and skipped when what it shows did not
        change: the newest FEED_MAX_ITEMS of `elements`, each by its record and by what the search
        index holds of it (its source as read: title, body, metadata; generator.build.article_cache),
        and the feed's own path, address, type and title. Pelican makes each item's summary from
        its body again: a tenth of a second for each feed, 12 feeds a site."""
        self._know_the_site(context)
        key = self._feed_key(elements, path, url, feed_type, override_output, feed_title)
        complete = sanitised_join(self.output_path, path) if key else ""
        before = self.previous.get(complete)
        if key and before and before[0] == key and self._there([complete]) and complete not in self._written_files:
            self._written_files.add(complete)  # as Pelican's writer notes each file it writes
            if override_output:
                self._overridden_files.add(complete)
            self.current[complete] = before
            return None
        paths = self._tracking(super().write_feed, elements, context, path, url, feed_type, override_output, feed_title)
        for written in paths:
            self.current[written] = [key if written == complete else None, [written]]
        return None

    def _feed_key(self, elements, path, url, feed_type, override_output, feed_title) -> str | None:
        """What a feed shows, or None: not known, or a plugin listens to the feed as it is made."""
        if not path or signals.feed_generated.receivers or signals.feed_written.receivers:
            return None
        items = []
        for item in elements[: self.settings["FEED_MAX_ITEMS"]]:
            story = getattr(item, "story", None)
            if story is None:
                return None
            items.append((story.fingerprint, story.search_fingerprint))
        return fingerprint(self.site, "feed", path, url, feed_type, override_output, feed_title, items)

    def write_text(self, save_as: str, text: str) -> None:
        """Write a file of our own (the JSON Feed) into output/, atomically, listed as this build's."""
        path = Path(self.output_path) / save_as
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text, durable=False)
        self.current[str(path)] = [None, [str(path)]]

    def _tracking(self, write, *args, **kwargs) -> list[str]:
        self._paths = []
        try:
            write(*args, **kwargs)
        finally:
            paths, self._paths = self._paths, None
        return paths

    def _open_w(self, filename, encoding, override=False):
        if self._paths is not None:
            self._paths.append(str(filename))
        if str(filename) in self._keep:  # a page of a list kept as it is (PageByPage): its file is left alone
            return open(os.devnull, "w", encoding=encoding)
        file = super()._open_w(filename, encoding, override)
        if self._deferring:  # the page just deferred: now Pelican says where it goes
            self.jobs.placed(str(filename), file.name == os.devnull)
        return file

    def _list_page(self, path: str, shown) -> None:
        if getattr(shown, "status", "published") == "published":
            self.pages[_relative(path, self.output_path)] = shown_date(shown)

    def finish(self) -> None:
        """At the end of a build: the deferred pages rendered (generator.build.rendering), the
        sitemap, what the last build wrote and this one did not removed, and this build's
        fingerprints kept for the next."""
        settings = self.settings
        for job in self.jobs.finish():
            signals.content_written.send(job.path, context=job.localcontext)
        for path in settings.get(STATIC_OUTPUTS, ()):
            self.current[path] = [None, [path]]
        if isinstance(settings.get("SITEMAP"), dict):
            exclude = [str(pattern) for pattern in settings["SITEMAP"].get("exclude", [])]
            self.write_text(SITEMAP_SAVE_AS, sitemap_xml(self.pages, absolute_base(settings), exclude))
        written = {path for _, paths in self.current.values() for path in paths}
        stale = {path for _, paths in self.previous.values() for path in paths} - written
        remove_files(Path(self.output_path), stale)
        try:
            self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.manifest_path, json.dumps(self.current), durable=False)
            self.unfinished_path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not save %s: %s", self.manifest_path, exc)
        log.info(
            "pages rendered: %d, unchanged and skipped: %d, left over and removed: %d",
            self.rendered,
            self.skipped,
            len(stale),
        )


class PageByPage:
    """A paginated list's template, for SkippingWriter: each page rendered only when what it shows
    changed.

    Pelican writes a list (a category's stories) as pages of DEFAULT_PAGINATION, all from one
    write: one new story on a list's tenth page would render its fifty. A page shows its own slice
    of the lists (`articles_page`), its number, the number of pages and the values of the write
    (`base`, the key of all but the lists), so those are its key; a page whose key is the last
    build's and whose file is there is kept: not rendered, and the writer leaves its file alone.
    A template reading the whole list on each page (not its page) is not what this allows for:
    the theme's lists read only theirs (templates/_listing.html).
    """

    def __init__(
        self,
        template,
        base: str | None,
        lists: tuple[str, ...],
        output_path,
        before: dict,
        keep: set,
        there: Callable[[list[str]], bool],
    ):
        """`there`: whether the last build's files are still there (SkippingWriter._there)."""
        self.template, self.base, self.lists, self.output_path = template, base, lists, output_path
        self.before, self.keep, self.there = before, keep, there
        #: Each page's key, in the order Pelican writes them (as the writer lists their paths).
        self.keys: list[str | None] = []

    def render(self, localcontext: dict) -> str:
        page = localcontext[f"{self.lists[0]}_page"]
        shown = [localcontext[f"{name}_page"].object_list for name in self.lists]
        path = sanitised_join(self.output_path, localcontext["output_file"])
        key = None if self.base is None else fingerprint(self.base, path, page.number, page.paginator.num_pages, shown)
        self.keys.append(key)
        if key is not None and self.before.get(path) == key and self.there([path]):
            self.keep.add(path)
            return ""
        return self.template.render(localcontext)


def _whole_key(before: list) -> str | None:
    """The last build's key of a page, or of a list's pages as a whole."""
    return before[0].get("list") if isinstance(before[0], dict) else before[0]


def _page_keys(before: list | None) -> dict[str, str]:
    """The last build's key of each page of a list, by its path ({} when it was not a list)."""
    pages = before[0].get("pages") if before and isinstance(before[0], dict) else None
    if isinstance(pages, list) and len(pages) == len(before[1]):
        return dict(zip(before[1], pages, strict=True))
    return {}


#: Where this build's StaticGenerator copies to (`note_static_outputs`), in the settings Pelican shares
#: with the writer (lowercase: not a setting, not in any fingerprint).
STATIC_OUTPUTS = "_newsdigest_static_outputs"


def note_static_outputs(generator) -> None:
    """On static_generator_finalized: where Pelican's StaticGenerator will copy (its generate_output:
    the theme's static paths into THEME_STATIC_DIR, then the content's static files), for the writer."""
    settings, ignores = generator.settings, generator.settings["IGNORE_FILES"]
    destination = os.path.join(generator.output_path, settings["THEME_STATIC_DIR"])
    found = []
    for path in settings["THEME_STATIC_PATHS"]:
        source = os.path.join(generator.theme, path)
        if _ignored(os.path.basename(source), ignores):
            continue
        if os.path.isfile(source):
            found.append(os.path.join(destination, os.path.basename(path)))
            continue
        for folder, dirs, files in os.walk(source, followlinks=True):
            dirs[:] = [name for name in dirs if not _ignored(name, ignores)]
            into = os.path.join(destination, os.path.relpath(folder, source))
            found += [os.path.join(into, name) for name in files if not _ignored(name, ignores)]
    found += [os.path.join(generator.output_path, static.save_as) for static in generator.staticfiles]
    settings[STATIC_OUTPUTS] = [os.path.normpath(os.path.abspath(path)) for path in found]


def _ignored(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def remove_files(output: Path, paths: Iterable[str]) -> None:
    """Remove `paths` (files under `output`) and the folders they leave empty."""
    output = output.resolve()
    for name in sorted(paths):
        path = Path(name)
        if not path.resolve().is_relative_to(output):
            continue  # a manifest is ours, but never trusted to point outside output/
        path.unlink(missing_ok=True)
        folder = path.parent
        while folder.resolve() != output and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _shown_context(shown) -> dict:
    """What Pelican's content_written signal names a page's own content, as its writer does."""
    if shown is None:
        return {}
    return {"page" if isinstance(shown, Page) else "article": shown}


def _relative(path: str, folder: str) -> str:
    """`path` (as Pelican writes it: under `folder`) relative to `folder`, by its text when it can
    (a pathlib object for each of 20,000 pages cost a quarter of a second)."""
    prefix = os.path.join(folder, "")
    if path.startswith(prefix):
        return path[len(prefix) :]
    return Path(path).relative_to(folder).as_posix()
