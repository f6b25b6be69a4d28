"""Debian's Chromium driven by Playwright, against the sample site served on 127.0.0.1.

`playwright install` cannot download browsers here: Playwright drives the
system's /usr/bin/chromium (apt package `chromium`; .ci/run installs it).
Without it these tests skip, except under CI, where they fail.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, open_tab
from support import BuiltSite

from generator.build.site import make_server


@pytest.fixture(scope="module")
def chromium(served: str):
    """The browser (Playwright gives each launch a fresh, empty profile).

    Playwright's sync API keeps an event loop running in this thread until it
    stops, and `asyncio.run` (fetching feeds) refuses to run beside it: so the
    site is built first, and the browser lives only while one test module runs.
    """
    if not Path(CHROMIUM).is_file():
        message = f"no Chromium at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def served(sample_site: BuiltSite) -> Iterator[str]:
    """The sample site's base URL on a free loopback port."""
    server = make_server(sample_site.output, port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(chromium):
    tab = open_tab(chromium)
    yield tab
    tab.context.close()
