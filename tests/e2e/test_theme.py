"""The reader's site as built files: digests, sources, feeds, metadata, links, valid HTML.

What needs a browser (axe-core, search, screenshots) is in tests/browser/.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest
from support import REPO, SEED_URL, BuiltSite, all_sources, article_pages, executable_scripts, parse_html

from generator.article import Article, render_source, write_atomic
from generator.build import site

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def html_pages(output: Path) -> list[Path]:
    """The site's pages: not Pagefind's, nor the daily digest's e-mail documents (inline styles,
    absolute links: tests/e2e/test_site.py checks them)."""
    return sorted(p for p in output.rglob("*.html") if "pagefind" not in p.parts and p.name != "email.html")


def url_of(output: Path, page: Path) -> str:
    """The site-absolute URL path of a built page ("/2016/10/27/slug/")."""
    relative = page.relative_to(output).as_posix()
    return "/" + relative.removesuffix("index.html")


def digest_pages(output: Path) -> list[Path]:
    return sorted(output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/index.html"))


def test_the_front_page_ranks_the_latest_stories_by_how_many_sources_covered_them(sample_site: BuiltSite):
    sources = all_sources(sample_site.content)
    front = sample_site.page("")
    entries = front.select(".story-list .story-summary")
    assert len(entries) >= 6
    counts, dated = [], []
    for position, story in enumerate(entries):
        title = story.select_one(".headline a").get_text(strip=True)
        (article,) = [a for a in sources if a.title == title]
        assert story.select_one(".meta .source").get_text(strip=True) == article.source
        assert story.select_one(".meta time")["datetime"] == article.date.isoformat()
        assert story.select_one(".meta a:not(.source)").get_text(strip=True) == article.category
        more = [a.get_text(strip=True) for a in story.select(".also a")]
        assert article.source not in more and len(more) == len(set(more))
        counts.append(1 + len(more))
        dated.append(not story.select(".date-note"))
        if position < 5 and article.highlights:  # the top stories show their highlights
            assert [li.get_text(strip=True) for li in story.select(".summary-highlights li")] == list(
                article.highlights
            )
        else:
            assert not story.select(".summary-highlights") and story.select_one(".summary").get_text(strip=True)
    assert dated == sorted(dated, reverse=True)  # a story with an inferred date never above a dated one
    ranked = [count for count, is_dated in zip(counts, dated, strict=True) if is_dated]
    assert ranked == sorted(ranked, reverse=True) and ranked[0] >= 3  # Storm Ilse: three sources


def test_older_digests_are_reached_day_by_day_from_the_front_page(sample_site: BuiltSite):
    days = {article.date.date() for article in all_sources(sample_site.content)}
    visited, page, url = [], sample_site.page(""), "/"
    while (older := page.select_one("nav.pagination a[rel=next]")) is not None:
        url = urljoin(url, older["href"])
        page = sample_site.page(url.lstrip("/"))
        visited.append(dt.date.fromisoformat(page.select_one("h1 time")["datetime"]))
        assert url == f"/{visited[-1]:%Y/%m/%d}/"
        newer = page.select_one("nav.pagination a[rel=prev]")
        assert newer is None or urljoin(url, newer["href"]) != url
    # From the front page, every day has a page of its own, newest first.
    assert visited == sorted(days, reverse=True)
    assert len(digest_pages(sample_site.output)) == len(days)


def test_the_archives_list_every_month_and_each_month_its_days(sample_site: BuiltSite):
    days = {article.date.date() for article in all_sources(sample_site.content)}
    months = sorted({(day.year, day.month) for day in days}, reverse=True)
    archives = sample_site.page("archives/")
    links = [a["href"] for a in archives.select("main li a")]
    assert [tuple(int(part) for part in href.strip("./").split("/")[-2:]) for href in links] == months
    for year, month in months:
        page = sample_site.page(f"{year:04d}/{month:02d}/")
        shown = {
            dt.date.fromisoformat(f"{year:04d}-{month:02d}-{int(a['href'].strip('/').split('/')[-1]):02d}")
            for a in page.select("main h2 a")
        }
        assert shown == {day for day in days if (day.year, day.month) == (year, month)}
        assert len(str(page)) < 60_000  # light: headlines only


def test_source_pages_list_exactly_that_sources_articles(sample_site: BuiltSite):
    sources = all_sources(sample_site.content)
    index = sample_site.page("sources/")
    names = {a.get_text(strip=True): a["href"] for a in index.select("ul.term-list a")}
    assert set(names) == {article.source for article in sources}
    for name, href in names.items():
        page = sample_site.page(urljoin("/sources/", href).lstrip("/"))
        assert page.find("h1").get_text(" ", strip=True) == f"Source: {name}"
        listed = {a.get_text(strip=True) for a in page.select(".headline a")}
        assert listed == {article.title for article in sources if article.source == name}


def test_the_article_page_attributes_first_and_tells_reading_time(sample_site: BuiltSite):
    page = sample_site.page(SEED_URL)
    byline = page.select_one("header .byline")
    assert byline.get_text(" ", strip=True).startswith("From CNN")
    words = len(page.select_one(".body").get_text(" ").split())
    minutes = int(byline.select_one(".reading-time").get_text().split()[0])
    assert minutes == max(1, -(-words // 238))
    assert page.select_one("article.story").has_attr("data-pagefind-body")


def test_article_pages_carry_open_graph_and_json_ld_news_article(sample_site: BuiltSite):
    for path in article_pages(sample_site.output):
        page = parse_html(path)
        title = page.find("h1").get_text()
        url = "http://127.0.0.1:8000" + url_of(sample_site.output, path)
        og = {meta["property"]: meta["content"] for meta in page.select("meta[property]")}
        assert og["og:title"] == title
        assert og["og:url"] == url == page.select_one("link[rel=canonical]")["href"]
        assert og["og:type"] == "article"
        (data,) = [json.loads(s.string) for s in page.select("script[type='application/ld+json']")]
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == title
        assert data["url"] == url
        published = dt.datetime.fromisoformat(data["datePublished"])
        assert page.select_one("header time")["datetime"] == published.isoformat()
        assert data["description"] == page.select_one("meta[name=description]")["content"]


def test_atom_rss_and_json_feeds_hold_the_newest_articles(sample_site: BuiltSite):
    titles = {article.title for article in all_sources(sample_site.content)}
    for name in ("all.atom.xml", "all.rss.xml"):
        parsed = feedparser.parse((sample_site.output / "feeds" / name).read_bytes())
        assert not parsed.bozo, (name, parsed.get("bozo_exception"))
        assert {entry.title for entry in parsed.entries} == titles
        assert all(entry.link.startswith("http://127.0.0.1:8000/") for entry in parsed.entries)
    feed = json.loads((sample_site.output / "feeds" / "all.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "http://127.0.0.1:8000/feeds/all.json"
    assert {item["title"] for item in feed["items"]} == titles
    dates = [dt.datetime.fromisoformat(item["date_published"]) for item in feed["items"]]
    assert dates == sorted(dates, reverse=True)
    for item in feed["items"]:
        path = urlsplit(item["url"]).path
        assert (sample_site.output / path.lstrip("/") / "index.html").is_file(), item["url"]
        assert item["content_html"].strip()
    front = sample_site.page("")
    assert {link["type"] for link in front.select("link[rel=alternate]")} == {
        "application/atom+xml",
        "application/rss+xml",
        "application/feed+json",
    }


def test_sitemap_lists_every_article_and_robots_txt_names_it(sample_site: BuiltSite):
    tree = ET.parse(sample_site.output / "sitemap.xml")
    locs = {loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    for path in article_pages(sample_site.output):
        assert "http://127.0.0.1:8000" + url_of(sample_site.output, path) in locs
    robots = (sample_site.output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in robots
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots


def test_every_page_has_a_csp_that_allows_only_the_sites_own_scripts_and_styles(sample_site: BuiltSite):
    for path in html_pages(sample_site.output):
        page = parse_html(path)
        policy = page.select_one("meta[http-equiv=Content-Security-Policy]")["content"]
        directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
        assert directives["default-src"] == ["'none'"]
        assert directives["script-src"][0] == "'self'"
        assert set(directives["script-src"]) <= {"'self'", "'wasm-unsafe-eval'"}, path
        assert directives["style-src"] == ["'self'"]
        assert directives["img-src"] == ["'self'"]
        assert page.find("html")["lang"] == "en"
        assert page.select_one("a.skip-link")["href"] == "#main" and page.find(id="main")
        for script in executable_scripts(page):
            assert script.get("src") and not urlsplit(script["src"]).netloc, (path, script)
        # Nothing is loaded from another host: styles, scripts, images, icons.
        for element in page.select("link[href]:not([rel=alternate]):not([rel=canonical]), script[src], img[src]"):
            assert not urlsplit(element.get("href") or element["src"]).netloc, (path, element)
        assert not page.select("[style]"), path


def test_search_page_falls_back_to_links_without_javascript(sample_site: BuiltSite):
    page = sample_site.page("search/")
    assert page.select_one("form.search-form").has_attr("hidden")
    assert {a.get_text() for a in page.find("noscript").find_all("a")} == {"archives", "category", "tag", "source"}
    assert (sample_site.output / "pagefind" / "parts.json").is_file()
    assert (sample_site.output / "theme" / "js" / "search.js").is_file()
    for path in html_pages(sample_site.output):
        assert parse_html(path).select_one("a.search-link")["href"].endswith("search/")


def test_every_page_links_every_section_from_where_it_is(sample_site: BuiltSite):
    """The parts every page shares (rendered once a build for each depth: generator/build/site_parts.py)
    lead from every page, whatever its depth, where they should: the header to each category's page,
    the archives, the sources and search. Also where the site is published in a folder (a project's
    GitHub Pages), where a link that climbs too far leaves the site."""
    output = sample_site.output
    sections = {path.parent for path in output.glob("category/*/index.html")}
    assert len(sections) >= 2
    sections |= {output / "archives", output / "sources", output / "search"}
    depths = set()
    for path in html_pages(output):
        base = "/digest" + url_of(output, path)
        page = parse_html(path)
        targets = {
            element: urlsplit(urljoin(base, element.get("href") or element.get("src"))).path
            for element in page.select("a[href], link[href], script[src]")
            if not urlsplit(element.get("href") or element.get("src")).netloc
        }
        assert all(target.startswith("/digest/") for target in targets.values()), path
        nav = {output / targets[a].removeprefix("/digest/").strip("/") for a in page.select(".site-header nav a")}
        assert nav == sections, path
        assert targets[page.select_one('link[rel="stylesheet"]')].endswith("/theme/css/site.css"), path
        assert targets[page.select_one(".site-footer a")].endswith("/feeds/all.atom.xml"), path
        depths.add(len(path.relative_to(output).parts))
    assert len(depths) >= 3


def test_every_internal_link_resolves(sample_site: BuiltSite):
    output = sample_site.output
    checked = 0
    for path in html_pages(output):
        page = parse_html(path)
        base = url_of(output, path)
        for element in page.select("a[href], link[href], script[src], img[src]"):
            target = urlsplit(urljoin(base, element.get("href") or element.get("src")))
            if target.scheme or target.netloc:
                continue  # the original story's page, or an absolute feed or canonical URL
            if element.name == "a" and element["href"].startswith("#"):
                assert page.find(id=element["href"][1:]), (path, element["href"])
                continue
            resolved = output / unquote(target.path).lstrip("/")
            assert resolved.is_file() or (resolved / "index.html").is_file(), (path, element)
            checked += 1
    assert checked > 500


def test_feed_images_are_off_by_default_and_lazy_with_alt_text_when_on(tmp_site: Path):
    """Off, no image of another site is anywhere: not on the page, not in the JSON-LD, not in the
    Atom or JSON Feed. On, https ones are shown; http ones, which the CSP would block, are not."""
    secure, insecure = "https://images.harbour-herald.example/quay.jpg", "http://old.harbour-herald.example/q.jpg"
    article = Article(
        title="Harbour crane topples in gale",
        date=dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC),
        slug="harbour-crane-topples-in-gale",
        source="Harbour Herald",
        link="https://harbour-herald.example/crane",
        image="https://images.harbour-herald.example/crane.jpg",
        body=f"A crane toppled.\n\n![The quay]({secure})\n\n![Before]({insecure})\n\nNobody was hurt.",
    )
    write_atomic(tmp_site / "content" / "crane.md", render_source(article))
    output = tmp_site / "output"

    def everything() -> str:
        return "".join(
            p.read_text(encoding="utf-8") for p in output.rglob("*") if p.suffix in (".html", ".xml", ".json")
        )

    report = site.build(site.load_settings(tmp_site))
    assert report.errors == []
    (path,) = article_pages(output)
    assert parse_html(path).find_all("img") == []
    assert "image" not in json.loads(parse_html(path).select_one("script[type='application/ld+json']").string)
    assert "harbour-herald.example/crane.jpg" not in everything() and "quay.jpg" not in everything()
    assert "Nobody was hurt." in (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")

    report = site.build(site.load_settings(tmp_site, overrides={"NEWSDIGEST_FEED_IMAGES": True}))
    assert report.errors == []
    page = parse_html(path)
    image, in_text = page.find_all("img")
    assert image["src"] == article.image
    assert image["loading"] == "lazy"
    assert image["alt"] == "Photo for: Harbour crane topples in gale"
    assert in_text["src"] == secure and in_text["alt"] == "The quay"
    assert "img-src 'self' https:" in page.select_one("meta[http-equiv=Content-Security-Policy]")["content"]
    assert insecure not in everything()
    (item,) = json.loads((output / "feeds" / "all.json").read_text(encoding="utf-8"))["items"]
    assert item["image"] == article.image and secure in item["content_html"]


def test_an_empty_site_still_has_a_front_page(tmp_site: Path):
    report = site.build(site.load_settings(tmp_site))
    assert report.errors == []
    assert parse_html(tmp_site / "output" / "index.html").find("h1").get_text() == "No stories yet"


@pytest.mark.skipif(not shutil.which("java"), reason="the Nu HTML checker needs Java")
def test_every_page_is_valid_html(sample_site: BuiltSite):
    if not VNU.is_file():
        pytest.fail(f"{VNU} missing: run `npm ci` (make test does)")
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "text", str(sample_site.output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_only_the_days_the_digest_feeds_hold_get_an_email_page(tmp_site: Path):
    for day in (20, 21, 22):
        article = Article(
            title=f"Harbour news of the {day}th",
            date=dt.datetime(2026, 11, day, 8, tzinfo=dt.UTC),
            slug=f"harbour-news-{day}",
            source="Harbour Herald",
            body="The harbour was busy. Ships came and went.",
        )
        write_atomic(tmp_site / "content" / f"{day}.md", render_source(article))
    report = site.build(site.load_settings(tmp_site, overrides={"NEWSDIGEST_DIGEST_DAYS": 2}))
    assert report.errors == []
    output = tmp_site / "output"
    assert sorted(p.parent.name for p in output.glob("2026/11/*/email.html")) == ["21", "22"]
    for day in (20, 21, 22):
        links = parse_html(output / "2026" / "11" / str(day) / "index.html").select("a[href$='email.html']")
        assert len(links) == (day != 20)
    atom = feedparser.parse((output / "feeds" / "digest.atom.xml").read_bytes())
    assert [entry.title for entry in atom.entries] == ["Digest: 22 November 2026", "Digest: 21 November 2026"]
    assert "email.html" not in (output / "sitemap.xml").read_text(encoding="utf-8")
