"""The sample site in a real Chromium: accessibility, search, layout, no third-party requests."""

from __future__ import annotations

import re

import pytest
from browser_support import ARTEFACTS, AXE, open_tab
from support import SEED_URL, article_pages, parse_html

PAGES = {
    "front": "",
    "article": SEED_URL,
    "category": "category/world/",
    "search": "search/?q=UNICEF",
    "month": "2026/11/",
    "archives": "archives/",
}


def axe_violations(tab) -> list[str]:
    """Run axe-core in the page (injected through DevTools, so the page's CSP is untouched)."""
    tab.evaluate(AXE.read_text(encoding="utf-8"))
    violations = tab.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x: {v['nodes'][0]['target']})" for v in violations]


def visit(tab, base: str, path: str) -> None:
    response = tab.goto(base + path)
    assert response is not None and response.ok, path
    if path.startswith("search/"):
        tab.wait_for_selector(".search-results li")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations(chromium, served: str, name: str, scheme: str):
    tab = open_tab(chromium, color_scheme=scheme)
    visit(tab, served, PAGES[name])
    assert axe_violations(tab) == []
    assert tab.problems == []  # no CSP violation, no script error
    tab.context.close()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_pages_fit_the_screen_and_are_saved_as_screenshots(chromium, served: str, name: str, width: int):
    tab = open_tab(chromium, viewport={"width": width, "height": 900})
    visit(tab, served, PAGES[name])
    ARTEFACTS.mkdir(exist_ok=True)
    shot = ARTEFACTS / f"{name}-{width}.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 5_000
    assert tab.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    # Nothing outside the site is asked for: no fonts, trackers or CDNs.
    assert [url for url in tab.requests if not url.startswith(served)] == []
    tab.context.close()


def test_search_finds_the_seed_article_by_a_word_of_its_body(page, served: str):
    page.goto(served + "search/")
    page.fill("#search-query", "UNICEF")
    page.press("#search-query", "Enter")
    page.wait_for_selector(".search-results li")
    found = page.eval_on_selector_all(".search-results a", "links => links.map(a => [a.textContent, a.href])")
    assert ["Dozens dead after airstike hits Syrian school", served + SEED_URL] in found
    assert "UNICEF" in page.text_content(".search-results mark")
    assert page.problems == []


def test_a_search_finds_stories_of_every_month_each_in_its_own_part_of_the_index(page, served: str, sample_site):
    """generator.build.search writes a Pagefind bundle per month; search.js merges them all."""
    word = re.compile(r"\bsaid\b", re.IGNORECASE)
    expected = {
        "/" + path.parent.relative_to(sample_site.output).as_posix() + "/"
        for path in article_pages(sample_site.output)
        if word.search(parse_html(path).select_one("article.story").get_text())
    }
    assert len({url[:9] for url in expected}) >= 2  # stories from more than one month, so more than one part
    page.goto(served + "search/?q=said")
    page.wait_for_selector(".search-results li")
    found = page.eval_on_selector_all(".search-results h2 a", "links => links.map(a => new URL(a.href).pathname)")
    assert sorted(found) == sorted(expected)
    assert page.problems == []


def test_a_search_without_results_says_so(page, served: str):
    page.goto(served + "search/?q=zzyzxnotaword")
    page.wait_for_selector(".search-status:has-text('No stories match')")
    assert page.locator(".search-results li").count() == 0


def test_without_javascript_search_is_a_plain_link_and_the_site_reads_the_same(chromium, served: str):
    tab = open_tab(chromium, java_script_enabled=False)
    tab.goto(served)
    assert tab.locator(".story-summary").count() > 0
    tab.click("a.search-link")
    assert tab.url == served + "search/"
    assert not tab.is_visible("form.search-form")
    assert tab.is_visible("main p:has-text('Search needs JavaScript')")
    tab.click("main a[href$='archives/']")
    assert tab.url == served + "archives/"
    tab.context.close()


def test_skip_link_appears_on_focus_with_a_visible_outline(page, served: str):
    page.goto(served + SEED_URL)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.className, e.getBoundingClientRect().left, s.outlineStyle, s.outlineWidth]; })()"
    )
    assert focused[0] == "skip-link" and focused[1] >= 0
    assert focused[2] != "none" and focused[3] != "0px"
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#main'")  # the jump lands after the key press returns
    assert page.url.endswith("#main")


def test_dark_mode_and_print_styles_apply(chromium, served: str):
    background = "getComputedStyle(document.body).backgroundColor"
    tab = open_tab(chromium, color_scheme="dark")
    tab.goto(served + SEED_URL)
    assert tab.evaluate(background) == "rgb(21, 23, 26)"
    tab.emulate_media(media="print", color_scheme="light")
    assert tab.evaluate(background) == "rgb(255, 255, 255)"
    assert not tab.is_visible(".site-header nav")
    assert not tab.is_visible(".related")
    tab.context.close()


def test_on_a_wide_screen_every_section_link_is_in_sight(chromium, served: str):
    """At 1280 px the navigation wraps: no section (nor Search) is cut off at the column's edge."""
    tab = open_tab(chromium, viewport={"width": 1280, "height": 800})
    visit(tab, served, PAGES["front"])
    nav = tab.locator(".site-header nav ul")
    assert nav.evaluate("list => list.scrollWidth <= list.clientWidth")
    right = nav.bounding_box()["x"] + nav.bounding_box()["width"]
    links = tab.locator(".site-header nav li a")
    assert links.count() >= 8
    for n in range(links.count()):
        box = links.nth(n).bounding_box()
        assert box["x"] + box["width"] <= right + 1, links.nth(n).inner_text()
    tab.context.close()


@pytest.mark.parametrize("name", ["front", "article"])
def test_on_a_phone_the_first_headline_is_above_the_fold(chromium, served: str, name: str):
    """At 375 x 667 the navigation is one row and the first story's headline is fully on screen."""
    tab = open_tab(chromium, viewport={"width": 375, "height": 667})
    visit(tab, served, PAGES[name])
    nav = tab.locator(".site-header nav ul").bounding_box()
    link = tab.locator(".site-header nav li a").first.bounding_box()
    assert nav["height"] < 2 * link["height"] + 8  # one row, scrolling sideways
    selector = ".story-list .headline" if name == "front" else "article.story h1"
    headline = tab.locator(selector).first.bounding_box()
    assert headline["y"] >= 0 and headline["y"] + headline["height"] <= 667, headline
    if name == "front":  # and the start of its summary
        summary = tab.locator(".story-list > li").first.locator(".summary-highlights, .summary").first
        assert summary.bounding_box()["y"] < 667
    tab.context.close()
