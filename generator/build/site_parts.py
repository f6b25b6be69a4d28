"""The parts of every page that are the same on all pages at one depth (the header's links, the
footer, the stylesheet and feeds in the head), rendered once a build for each depth.

With relative URLs, only the way back to the site's root (SITEURL) changes
from page to page, and it is the same for every page at one depth: every
article page is four folders deep. Rendered on each page, these parts were
about a quarter of the article template's time (the header works out each
category's URL from the settings, and escapes three values for each). A part
is a template that reads the build's shared values (the settings, the
categories) and SITEURL, nothing of the page: rendered once for each
SITEURL, the page is the same byte for byte. A part that read a page's own
values would find them undefined on every page, not those of another page.
"""

from __future__ import annotations

from markupsafe import Markup


class SiteParts:
    """The theme's `site_part(name, SITEURL)`: the template `name` rendered with the build's shared
    values and SITEURL, once for each."""

    def __init__(self, env, context: dict) -> None:
        self.env = env
        #: Pelican's context, which every generator of the build shares: settings and site-wide lists.
        self.context = context
        self.rendered: dict[tuple[str, str], Markup] = {}

    def __call__(self, name: str, siteurl: str) -> Markup:
        key = (name, siteurl)
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = Markup(self.env.get_template(name).render(self.context, SITEURL=siteurl))
        return html
