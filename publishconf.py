"""Pelican settings for the live site: pelicanconf.py plus absolute URLs and feeds.

Set NEWSDIGEST_SITEURL in the environment (CI does) to the site's address.
"""

import os
import sys

sys.path.append(os.path.dirname(__file__))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("NEWSDIGEST_SITEURL", "https://example.org").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
DELETE_OUTPUT_DIRECTORY = True
