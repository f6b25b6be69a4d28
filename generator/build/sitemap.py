"""sitemap.xml: every page a build wrote or kept, from the sources alone.

pelican-sitemap stamped every list page with the build's clock, so two
builds of the same sources differed, and it learnt of each page from a
signal that a page skipped as unchanged could not fully give (an About page
lost its date on a rebuild). Here the writer (generator.build.incremental)
hands over every HTML page it wrote or kept, with the date of the story or
page it shows; list pages get no `lastmod` (optional in the protocol, and
their "last change" is not a fact of any one source). `changefreq` and
`priority` are left out: search engines ignore them.

Settings: SITEMAP = {"exclude": [regular expressions on the page's URL]};
no SITEMAP, no sitemap.xml.
"""

from __future__ import annotations

import datetime as dt
import re
from xml.sax.saxutils import escape

SAVE_AS = "sitemap.xml"


def page_url(save_as: str) -> str:
    """The address of the page written to `save_as`, relative to the site: "a/b/" for "a/b/index.html"."""
    return re.sub(r"(?:^|(?<=/))index\.html$", "", save_as)


def sitemap_xml(pages: dict[str, dt.datetime | None], base: str, exclude: list[str]) -> str:
    """The sitemap of `pages` (save_as -> the date of what it shows, or None), sorted by address."""
    patterns = [re.compile(pattern) for pattern in exclude]
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for save_as, date in sorted(pages.items(), key=lambda item: page_url(item[0])):
        url = page_url(save_as)
        if not save_as.endswith(".html") or any(pattern.search(url) for pattern in patterns):
            continue
        lastmod = f"<lastmod>{date.isoformat()}</lastmod>" if date else ""
        lines.append(f"<url><loc>{escape(f'{base}/{url}')}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def shown_date(content: object) -> dt.datetime | None:
    """When the story or page a page shows last changed (its `modified`, else its `date`), or None."""
    date = getattr(content, "modified", None) or getattr(content, "date", None)
    return date if isinstance(date, dt.datetime) else None
