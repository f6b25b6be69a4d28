"""Pelican settings for a newsdigest site: local builds and `make site`.

publishconf.py imports these and adds what only the live site needs.
Paths are relative to this file (Pelican resolves them).
"""

from generator.defaults import *  # noqa: F403  newsdigest's theme and settings (generator/defaults.py)

SITENAME = "newsdigest"
SITESUBTITLE = "The day's news, with highlights and related stories"
# Pages link to each other by relative URLs (output/ works from a folder, too);
# feeds, the sitemap and metadata need an absolute address: locally, that of
# `newsdigest serve`. publishconf.py sets the live site's.
SITEURL = "http://127.0.0.1:8000"
RELATIVE_URLS = True

# Feeds `newsdigest fetch` reads (feeds.opml adds more): url (or a local
# path, relative to this folder), name, category, tags, max_items, fulltext.
NEWSDIGEST_FEEDS = [
    {"url": "samples/feeds/harbour-herald.xml", "name": "Harbour Herald"},
    {"url": "samples/feeds/northern-wire.xml", "name": "Northern Wire", "tags": ["Netherlands"]},
]
