"""Pelican settings every newsdigest site starts from: `from generator.defaults import *`.

A site's pelicanconf.py (written by `newsdigest init`, or this repository's
own) imports these and sets its name, address and feeds; anything here can
be set again after the import. Relative paths are relative to the site's
pelicanconf.py (Pelican resolves them; generator.build.site resolves
THEME_TEMPLATES_OVERRIDES the same way).
"""

from pathlib import Path

SITENAME = "newsdigest"
SITEURL = "http://127.0.0.1:8000"
RELATIVE_URLS = True

PATH = "content"
OUTPUT_PATH = "output"
# newsdigest's own theme, installed with it; a site's templates/ folder overrides any
# of its templates one by one (Pelican's THEME_TEMPLATES_OVERRIDES).
THEME = str(Path(__file__).parent / "theme")
THEME_TEMPLATES_OVERRIDES = ["templates"]
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# pelican-yaml-metadata reads the YAML front matter of content/*.md; our
# plugin adds highlights and related stories once every article is read,
# and writes sitemap.xml (pages whose address matches an "exclude" pattern left out).
PLUGINS = ["pelican.plugins.yaml_metadata", "generator.build.plugin"]
SITEMAP = {"exclude": ["^tag/", "^author/", "^search/", "/email\\.html$"]}

# Sources say their own category; the folder is the source, not a category.
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "News"
# Importers write through hidden temporary files; never read one.
IGNORE_FILES = [".*"]

ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
# Articles in other languages (front matter `lang`) have unique slugs too:
# same URLs, not Pelican's "-fr.html" translation variants. So no article is
# another's translation, and Pelican need not look for translations (a
# comparison of every article with every other: 1-2 s at 10,000 articles).
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
CATEGORIES_SAVE_AS = "categories/index.html"
TAGS_SAVE_AS = "tags/index.html"
AUTHORS_SAVE_AS = "authors/index.html"
# `status: draft` in a source's front matter: not published at all (Pelican
# would write drafts/<slug>.html). `status: hidden`: its page is built but
# listed nowhere (no list, feed, sitemap or search).
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
DEFAULT_PAGINATION = 20
# generator.build.pages writes the front page (the most-covered stories), day, month
# and source pages and the archives (by month); Pelican writes the rest, plus search/ and robots.txt.
DIRECT_TEMPLATES = ["tags", "categories", "authors", "search", "robots"]
SEARCH_SAVE_AS = "search/index.html"
ROBOTS_SAVE_AS = "robots.txt"
PAGINATED_TEMPLATES = {"tag": None, "category": None, "author": None, "source": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# The digest as Atom, RSS and JSON Feed (NEWSDIGEST_JSON_FEED), newest 50.
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 50
NEWSDIGEST_JSON_FEED = "feeds/all.json"

# Titles, highlights and captions come from scraped pages and feeds:
# autoescape everything; the theme marks only rendered bodies as safe.
# A build makes its Jinja environment afresh: a template is read once a build, and
# not checked for a change on every page that extends or imports it (auto_reload).
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "auto_reload": False}
# Plain Markdown plus tables and footnotes; no typographic "correction".
MARKDOWN = {
    "extension_configs": {"markdown.extensions.extra": {}},
    "output_format": "html5",
}

NEWSDIGEST_RELATED_MAX = 5
# Show the images feeds give (loaded from the source's server, lazily): off,
# so that no page makes a third-party request. On, the CSP allows https images.
NEWSDIGEST_FEED_IMAGES = False
# Keep a Pagefind search index in output/pagefind/, one part per month.
NEWSDIGEST_SEARCH = True
# Generated highlights per article without its own (0: none), at import and fetch.
NEWSDIGEST_HIGHLIGHTS_MAX = 3
# Between builds (git-ignored): Pelican's reading of each source (by file
# time: a rebuild reads only new and changed sources), the related-stories
# model, and a fingerprint of every page (a rebuild writes only changed pages).
CACHE_PATH = "cache"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
GZIP_CACHE = False

NEWSDIGEST_FEEDS = []

__all__ = [name for name in dir() if name.isupper()]
