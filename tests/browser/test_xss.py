"""Feed HTML built from XSS filter-evasion payloads (after OWASP's cheat sheet): nothing runs, in Chromium too.

Each payload goes into an item's body, title, summary and author; the feed
is fetched from a local server, the site built, and every page opened in
Chromium twice: with the theme's Content-Security-Policy, and with CSP
bypassed (so the sanitiser alone is tested). No dialog may open, no script
of a payload may run, no CSP violation may be reported.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from pathlib import Path

import pytest
from browser_support import open_tab
from feed_server import FeedServer, send
from support import THEME, executable_scripts, make_site, parse_html

from generator.build import site
from generator.build.site import make_server
from generator.feeds.plan import FeedConfig
from generator.feeds.run import NEW, run_fetch

PAYLOADS = [line for line in (Path(__file__).parent / "xss_payloads.txt").read_text().splitlines() if line]
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory):
    """The payloads fetched and built, then served (built before the browser starts: see conftest)."""
    root = make_site(tmp_path_factory.mktemp("xss") / "site")
    items = [
        {
            "id": f"xss-{n}",
            "url": f"https://news.example/{n}",
            "title": f"Payload {n}: {payload}",
            "summary": payload,
            "content_html": f"<p>Before payload {n}.</p>{payload}<p>After payload {n}.</p>",
            "authors": [{"name": payload}],
            "date_published": f"2026-11-24T{n % 24:02d}:00:00Z",
        }
        for n, payload in enumerate(PAYLOADS)
    ]
    feed = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "XSS", "items": items}).encode()
    server = FeedServer()
    server.routes["/feed.json"] = lambda request: send(request, 200, feed, "application/feed+json")
    with server.running():
        (result,) = run_fetch(
            [FeedConfig(url=server.url("/feed.json"), name="XSS Wire", max_items=100)], root / "content", NOW
        )
    assert result.status == NEW and result.new == len(PAYLOADS), result.line()
    report = site.build(site.load_settings(root))
    assert report.errors == []
    httpd = make_server(root / "output", port=0)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield root / "output", f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


#: Every inline style the e-mail templates write.
EMAIL_STYLES = {
    style
    for name in ("digest_email.html", "_digest_email_body.html")
    for style in re.findall(r'style="([^"]*)"', (THEME / "templates" / name).read_text(encoding="utf-8"))
}


def pages(output: Path) -> list[Path]:
    return sorted(path for path in output.rglob("*.html") if "pagefind" not in path.parts)


def test_no_page_holds_executable_markup(hostile_site):
    output, _ = hostile_site
    for path in pages(output):
        page = parse_html(path)
        assert [s.get("src", "") for s in executable_scripts(page)] in ([], ["../theme/js/search.js"]), path
        assert not [(el.name, name) for el in page.find_all(True) for name in el.attrs if name.lower().startswith("on")]
        assert not page.select(
            "main iframe, main object, main embed, main form:not(.search-form), main base, main meta, main style"
        )
        # Only our own inline styles, in the daily digest's e-mail pages: never one from a feed.
        styles = {element["style"] for element in page.select("[style]")}
        assert styles <= (EMAIL_STYLES if path.name == "email.html" else set()), path
        for element in page.select("[href], [src], [action], [background], [data], [xlink\\:href]"):
            for attribute in ("href", "src", "action", "background", "data", "xlink:href"):
                value = "".join(str(element.get(attribute, "")).split()).lower()
                assert not value.startswith(UNSAFE_SCHEMES), (path, element)


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with CSP", "CSP bypassed"])
def test_nothing_runs_in_the_browser(hostile_site, chromium, bypass_csp: bool):
    output, base = hostile_site
    tab = open_tab(chromium, bypass_csp=bypass_csp)
    tab.add_init_script(
        "window.__ran = []; ['alert','confirm','prompt'].forEach(n => window[n] = () => window.__ran.push(n));"
    )
    visited = 0
    for path in pages(output):
        url = base + path.relative_to(output).as_posix().removesuffix("index.html")
        tab.goto(url)
        tab.mouse.move(200, 300)  # hover handlers, had any survived
        tab.keyboard.press("Tab")  # focus handlers
        assert tab.evaluate("window.__ran") == [], url
        visited += 1
    assert visited > len(PAYLOADS)
    assert tab.dialogs == []
    assert not [problem for problem in tab.problems if "Content Security Policy" in problem]
    tab.context.close()
