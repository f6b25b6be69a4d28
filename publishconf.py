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
DELETE_OUTPUT_DIRECTORY = True
