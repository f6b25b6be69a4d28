"""Feed images on (NEWSDIGEST_FEED_IMAGES): every image a page shows loads; none is blocked by the CSP.

The images' hosts are answered by the browser itself (Playwright's routing), as the
internet would: the test never leaves the machine. An http image, which the page's
Content-Security-Policy would block, must not be on the page at all.
"""

from __future__ import annotations

import base64
import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import open_tab
from support import article_pages, make_site

from generator.article import Article, render_source, write_atomic
from generator.build import site
from generator.build.site import make_server

#: A 1 x 1 PNG, what the images' hosts answer.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def images_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = make_site(tmp_path_factory.mktemp("images") / "site")
    for day, name in enumerate(("quay", "crane", "ferry"), start=20):
        article = Article(
            title=f"Harbour {name} pictured after the gale",
            date=dt.datetime(2026, 11, day, 8, tzinfo=dt.UTC),
            slug=f"harbour-{name}",
            source="Harbour Herald",
            link=f"https://harbour-herald.example/{name}",
            guid=f"harbour-{name}",
            image=f"https://images.harbour-herald.example/{name}.png",
            body=(
                f"The {name} after the gale.\n\n![The {name} at dawn](https://images.harbour-herald.example/{name}-2.png)"
                f"\n\n![An old picture](http://old.harbour-herald.example/{name}.png)\n\nNobody was hurt."
            ),
        )
        write_atomic(root / "content" / f"{name}.md", render_source(article))
    report = site.build(site.load_settings(root, overrides={"NEWSDIGEST_FEED_IMAGES": True}))
    assert report.errors == []
    output = root / "output"
    server = make_server(output, port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", output
    finally:
        server.shutdown()
        server.server_close()


def test_with_feed_images_on_no_image_fails_to_load_on_any_page(images_served, chromium):
    base, output = images_served
    pages = ["", *(p.parent.relative_to(output).as_posix() + "/" for p in article_pages(output))]
    shown = 0
    for path in pages:
        tab = open_tab(chromium, viewport={"width": 375, "height": 667})
        tab.route(
            "https://images.harbour-herald.example/**", lambda route: route.fulfill(body=PNG, content_type="image/png")
        )
        tab.goto(base + path, wait_until="load")
        tab.evaluate("Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
        images = tab.evaluate("[...document.images].map(i => [i.currentSrc, i.complete && i.naturalWidth > 0])")
        broken = [src for src, loaded in images if not loaded]
        assert broken == [], (path, images)
        assert not [src for src, _ in images if src.startswith("http:")], path
        assert tab.problems == [], path  # no CSP violation
        shown += len(images)
        tab.context.close()
    assert shown >= 6  # each article page: its picture and the one in its text
