"""Pelican settings for the live site: pelicanconf.py with the live site's address.

Set NEWSDIGEST_SITEURL in the environment (CI does) to the site's address.
"""

import os
import sys

sys.path.append(os.path.dirname(__file__))

from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("NEWSDIGEST_SITEURL", "https://example.org").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
# Not DELETE_OUTPUT_DIRECTORY: a build removes what its last build into the same folder made
# and this one does not (pages, feeds, static files, search parts), so the output holds what a
# cold build makes, and the pages that did not change are not rendered again.
