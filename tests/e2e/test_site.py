"""End to end: the samples built by real Pelican, read back through an HTML parser."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from support import (
    SAMPLES,
    SEED,
    SEED_URL,
    BuiltSite,
    all_sources,
    article_pages,
    build_through_pelican,
    executable_scripts,
    parse_html,
)

from generator.article import parse_source
from generator.build import site
from generator.feeds.state import FeedHealth, save_health
from generator.ingest.files import import_paths


def save_page(path: Path, title: str, site_name: str, published: str, paragraphs: list[str], lang: str = "en") -> Path:
    """A saved news page, as a browser would write it."""
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    path.write_text(
        f"<!DOCTYPE html><html lang='{lang}'><head><title>{title} - {site_name}</title>"
        f"<meta property='og:site_name' content='{site_name}'>"
        f"<meta property='article:published_time' content='{published}'></head>"
        f"<body><article>{body}</article></body></html>",
        encoding="utf-8",
    )
    return path


def test_build_reports_every_sample_and_no_problem(sample_site: BuiltSite):
    expected = len(SAMPLES) + 8  # the raw samples, and the sample feeds' eight new items
    assert len(all_sources(sample_site.content)) == expected
    assert sample_site.report.articles == expected
    assert sample_site.report.errors == []
    assert sample_site.report.warnings == []
    assert len(article_pages(sample_site.output)) == expected


def test_seed_page_keeps_the_headline_exactly(sample_site: BuiltSite):
    page = sample_site.page(SEED_URL)
    assert page.find("h1").get_text(strip=True) == "Dozens dead after airstike hits Syrian school"
    assert page.title.get_text().startswith("Dozens dead after airstike hits Syrian school")


def test_seed_page_highlight_box_holds_the_two_story_highlights(sample_site: BuiltSite):
    box = sample_site.page(SEED_URL).select_one(".highlights")
    assert [li.get_text(strip=True) for li in box.find_all("li")] == [
        "More than 20 children were among the dead in an attack on a school compound",
        "The US and France said either the Syrian regime or its Russian backers carried it out",
    ]
    assert "Story highlights" in box.get_text()


def test_seed_body_starts_with_the_first_paragraph_and_holds_nothing_else(sample_site: BuiltSite):
    body = sample_site.page(SEED_URL).select_one(".body")
    paragraphs = [p.get_text() for p in body.find_all("p")]
    assert paragraphs[0].startswith("The US and Russia are exchanging")
    text = body.get_text()
    for intruder in (
        "Photo credit should read",  # caption
        "A Syrian man checks the damage",  # caption
        "More than 20 children were among the dead in an attack",  # highlight
        "Story highlights",
        "Washington CNN",  # dateline
        "contributed to this report",  # contributor line
        "RELATED:",
        "02:22",  # video line
    ):
        assert intruder not in text, intruder
    assert paragraphs[-1].startswith("But neither Syria nor Russia has ratified")


def test_seed_body_keeps_every_sentence_and_curly_punctuation(sample_site: BuiltSite):
    body_text = " ".join(sample_site.page(SEED_URL).select_one(".body").get_text().split())
    raw = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(raw) if line.startswith("The US and Russia are exchanging"))
    for line in raw[start:]:
        line = " ".join(line.split())
        if line and not line.startswith("RELATED:") and "contributed to this report" not in line:
            assert line in body_text
    assert "“appalled”" in body_text


def test_seed_page_shows_caption_credit_dateline_and_contributor(sample_site: BuiltSite):
    page = sample_site.page(SEED_URL)
    assert "OMAR HAJ KADOUR/AFP/Getty Images" in page.select_one(".photo-caption").get_text()
    assert page.select_one(".dateline").get_text(strip=True) == "Washington"
    assert page.select_one(".source").get_text(strip=True) == "CNN"
    assert "Richard Roth" in page.select_one(".contributors").get_text()


def test_the_daily_digests_list_every_sample_article(sample_site: BuiltSite):
    digests = [parse_html(path) for path in sorted(sample_site.output.glob("[0-9][0-9][0-9][0-9]/*/*/index.html"))]
    leads = {
        a["href"].rstrip("/").rsplit("/", 1)[-1] for page in digests for a in page.select(".story-list .headline a")
    }
    # Every article is a story's entry on its day, or in the other coverage of one that is.
    covered = {
        a["href"].rstrip("/").rsplit("/", 1)[-1]
        for lead in leads
        for a in sample_site.page(_address(sample_site, lead)).select(".coverage li > a")
    }
    slugs = {article.slug for article in all_sources(sample_site.content)}
    assert leads | covered == slugs
    # One entry per story a day: 25 November's three Storm Ilse reports are one, under the newest,
    # which names its other sources in one line.
    front = sample_site.page("")
    storm = [li for li in front.select(".story-list > li") if "Storm Ilse" in li.select_one(".headline").get_text()]
    lead = storm[0]
    assert lead.select_one(".headline").get_text(strip=True) == "Zeeland orders review of sea defences after Storm Ilse"
    assert [a.get_text() for a in lead.select(".also a")] == ["Digest Wire", "Harbour Herald"]
    assert front.select(".story-list > li")[0] is lead  # three sources: the front page's first story


def _address(sample_site: BuiltSite, slug: str) -> str:
    (path,) = [p for p in article_pages(sample_site.output) if p.parent.name == slug]
    return path.parent.relative_to(sample_site.output).as_posix() + "/"


def test_the_daily_digest_is_a_feed_and_an_email_page_per_day(sample_site: BuiltSite):
    import feedparser

    days = sorted(sample_site.output.glob("[0-9][0-9][0-9][0-9]/*/*/index.html"), reverse=True)
    atom = feedparser.parse((sample_site.output / "feeds" / "digest.atom.xml").read_bytes())
    assert not atom.bozo and len(atom.entries) == min(14, len(days))
    newest = days[0].parent.relative_to(sample_site.output).as_posix() + "/"
    assert atom.entries[0].link.endswith("/" + newest)
    day_page = parse_html(days[0])
    headlines = [a.get_text(strip=True) for a in day_page.select(".story-list .headline a")]
    email = parse_html(days[0].parent / "email.html")
    assert [a.get_text(strip=True) for a in email.select("h3 a")] == headlines
    assert headlines[0] in atom.entries[0].content[0].value
    # E-mail safe: nothing to fetch or run, every style inline, every link absolute.
    assert not email.select("script, style, link, img, iframe")
    assert all(urlsplit(a["href"]).scheme in ("http", "https") for a in email.select("a[href]"))
    assert all(element.get("style") for element in email.select("h1, h2, h3, p, ul, div"))
    feed = json.loads((sample_site.output / "feeds" / "digest.json").read_text(encoding="utf-8"))
    assert [item["url"] for item in feed["items"]] == [entry.link for entry in atom.entries]


def test_every_article_page_shows_its_highlights_and_related_links_that_resolve(sample_site: BuiltSite):
    highlights = {article.title: list(article.highlights) for article in all_sources(sample_site.content)}
    linked = 0
    for path in article_pages(sample_site.output):
        page = parse_html(path)
        shown = [li.get_text(strip=True) for li in page.select(".highlights li")]
        assert shown == highlights[page.find("h1").get_text(strip=True)], path
        # A page with nothing related shows no link (issue #15); the samples' stories show theirs.
        links = page.select(".related a[href], .coverage a[href]")
        linked += bool(links)
        own_url = "/" + path.parent.relative_to(sample_site.output).as_posix() + "/"
        for link in links:
            target = urlsplit(urljoin(own_url, link["href"])).path
            assert target != own_url, f"{path} relates to itself"
            assert (sample_site.output / target.lstrip("/") / "index.html").is_file(), target
    assert linked >= 8


def test_same_event_stories_are_one_story_and_related_ones_say_what_they_share(sample_site: BuiltSite):
    page = sample_site.page("2026/11/24/thousands-evacuated-as-storm-ilse-surge-hits-zeeland/")
    coverage = {a.get_text(strip=True) for a in page.select(".coverage a")}
    assert coverage == {
        "Storm Ilse floods Dutch coastal towns as dikes strain",
        "Storm Ilse: clean-up begins in Zeeland as waters recede",
        "Ferries return to the Westerschelde after Storm Ilse",
        "Zeeland orders review of sea defences after Storm Ilse",
    }
    related = {a.get_text(strip=True) for a in page.select(".related a")}
    assert not related & coverage  # a story's other reports are not repeated as related stories
    # Every related link says what the two share, in words that carry meaning (issue #15).
    for path in article_pages(sample_site.output):
        for reason in parse_html(path).select(".related .reason"):
            assert reason.get_text().startswith(("Shares: ", "Chosen by the editor")), path


def test_untrusted_text_is_escaped_in_every_html_context(tmp_site: Path):
    hostile = tmp_site / "hostile.txt"
    hostile.write_text(
        "Caption on May 1, 2020 <img src=x onerror=alert(1)> (Photo credit should read <b>X</b>)\n"
        '<script>alert("title")</script> headline\n'
        "Story highlights\n"
        "<script>alert('highlight')</script>\n"
        "(CNN) -- Body with <script>alert('body')</script> and a [link](javascript:alert(1)).\n",
        encoding="utf-8",
    )
    assert [r.error for r in import_paths([hostile], tmp_site / "content")] == [None]
    report = site.build(site.load_settings(tmp_site))
    assert report.errors == []
    (page_path,) = article_pages(tmp_site / "output")
    page = parse_html(page_path)
    assert executable_scripts(page) == []
    (data,) = page.select("script[type='application/ld+json']")
    assert json.loads(data.string)["headline"] == '<script>alert("title")</script> headline'
    assert "<" not in data.string  # "</script>" in a headline cannot close the data block
    assert page.find_all("img") == []
    assert page.select("[onerror]") == []
    assert page.find("h1").get_text() == '<script>alert("title")</script> headline'
    assert "<script>alert('highlight')</script>" in page.select_one(".highlights").get_text()
    assert "javascript:" not in " ".join(a.get("href", "") for a in page.find_all("a"))


def test_a_broken_source_is_reported_and_the_rest_still_builds(sample_site: BuiltSite, tmp_site: Path):
    for path in sorted(sample_site.content.rglob("*.md"))[:2]:
        target = tmp_site / "content" / path.relative_to(sample_site.content)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_site / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nBody.\n", encoding="utf-8")
    # Twice: the second build reads the others from Pelican's content cache,
    # which must not have kept the broken source as an article without metadata.
    for _ in range(2):
        report = site.build(site.load_settings(tmp_site))
        assert report.articles == 2
        broken = [message for message in report.errors if "broken.md" in message]
        assert [message.split("/content/")[-1] for message in broken] == [
            "broken.md:2: invalid YAML front matter: did not find expected ',' or ']'"
        ]
        assert len(article_pages(tmp_site / "output")) == 2


def test_committed_content_matches_a_fresh_import_of_the_samples(sample_site: BuiltSite):
    """content/ in the repo is what `make site` imports and fetches from samples/, byte for byte."""
    repo_content = SEED.parent.parent / "content"
    assert sorted(p.relative_to(repo_content) for p in repo_content.rglob("*.md")) == sorted(
        p.relative_to(sample_site.content) for p in sample_site.content.rglob("*.md")
    )
    for fresh in sorted(sample_site.content.rglob("*.md")):
        committed = repo_content / fresh.relative_to(sample_site.content)
        assert committed.read_bytes() == fresh.read_bytes(), committed
        assert parse_source(committed.read_text(encoding="utf-8"), committed).title


def test_category_and_tag_pages_list_exactly_their_stories(sample_site: BuiltSite):
    sources = all_sources(sample_site.content)
    categories = {article.category for article in sources}
    listed_categories = {a.get_text(strip=True) for a in sample_site.page("categories/").select(".term-list a")}
    assert listed_categories == categories
    for category in categories:
        page = sample_site.page(f"category/{category.lower()}/")
        assert page.find("h1").get_text(" ", strip=True) == f"Category: {category}"
        listed = {a.get_text(strip=True) for a in page.select(".story-list h2 a")}
        assert listed == {article.title for article in sources if article.category == category}
    zeeland = {a.get_text(strip=True) for a in sample_site.page("tag/zeeland/").select(".story-list h2 a")}
    assert zeeland == {article.title for article in sources if "Zeeland" in article.tags}
    assert len(zeeland) == 5  # three raw samples and two feed items


def test_a_saved_foreign_language_page_builds_at_the_usual_url_with_its_lang(tmp_site: Path):
    sentence = "Les députés ont adopté le projet de loi à une large majorité, mardi, après un long débat."
    page = save_page(
        tmp_site / "lemonde.html", "La loi adoptée", "Le Monde", "2015-05-04T18:00:00+02:00", [sentence] * 4, "fr"
    )
    assert [r.error for r in import_paths([page], tmp_site / "content")] == [None]
    report = site.build(site.load_settings(tmp_site))
    assert (report.errors, report.warnings) == ([], [])
    built = parse_html(tmp_site / "output" / "2015/05/04/la-loi-adoptee/index.html")
    assert built.select_one("article.story")["lang"] == "fr"
    assert built.find("h1").get_text() == "La loi adoptée"
    assert built.select_one("html")["lang"] == "en"


def test_sources_page_lists_every_feed_and_flags_one_failing_for_a_week(sample_site: BuiltSite, tmp_site: Path):
    page = sample_site.page("sources/")
    rows = {
        row.th.get_text(" ", strip=True).split(" samples/")[0]: row for row in page.select("table.sources tbody tr")
    }
    assert set(rows) == {"Harbour Herald", "Northern Wire"}
    assert all("OK" in row.get_text() for row in rows.values())
    assert sample_site.page("").select_one("nav a[href$='sources/']").get_text() == "Sources"
    health = {
        "https://down.example/feed": FeedHealth(
            name="Down Feed",
            last_checked="2026-11-25T12:00:00+00:00",
            last_error="HTTP 503 Service Unavailable",
            consecutive_failures=9,
            failing_since="2026-11-16T12:00:00+00:00",
        ),
        "https://up.example/feed": FeedHealth(name="Up Feed", last_checked="2026-11-25T12:00:00+00:00"),
    }
    save_health(tmp_site / "content", health)
    report = site.build(site.load_settings(tmp_site))
    assert report.errors == []
    built = parse_html(tmp_site / "output" / "sources" / "index.html")
    (flagged,) = built.select("tr.flagged")
    assert "Down Feed" in flagged.get_text()
    assert "Failing for over a week." in flagged.get_text()


def test_an_article_without_highlights_gets_generated_ones_that_link_into_its_body(tmp_site: Path):
    page = save_page(
        tmp_site / "story.html",
        "Council passes budget",
        "City Paper",
        "2026-11-20T09:00:00Z",
        [
            "The city council approved a new budget on Monday after a long debate about transport spending.",
            "The budget adds forty new buses and repairs two bridges over the river.",
            "Council members voted nine to four in favour of the plan after six hours.",
            "Critics said the budget ignores cycling and raises parking fees too far.",
            "The plan takes effect in January, and the first buses arrive in the spring.",
        ],
    )
    assert [r.error for r in import_paths([page], tmp_site / "content")] == [None]
    assert site.build(site.load_settings(tmp_site)).errors == []
    built = parse_html(tmp_site / "output" / "2026/11/20/council-passes-budget/index.html")
    box = built.select_one(".highlights")
    assert box.find("h2").get_text() == "Generated highlights"
    links = box.select("li a[href^='#']")
    assert len(links) == 3
    for link in links:
        target = built.find(id=link["href"][1:])
        assert target is not None and link.get_text() in " ".join(target.get_text().split())


def test_damaged_related_caches_are_ignored_and_rewritten(tmp_site: Path):
    assert [r.error for r in import_paths(SAMPLES[:3], tmp_site / "content")] == [None] * 3
    first = site.build(site.load_settings(tmp_site))
    caches = [tmp_site / "cache" / name for name in ("newsdigest-related.pickle", site.LINKS_CACHE)]
    assert all(cache.is_file() for cache in caches) and first.errors == []
    before = (tmp_site / "output" / "index.html").read_bytes()
    for cache in caches:
        cache.write_bytes(b"not a pickle")
    second = build_through_pelican(tmp_site)
    assert (second.errors, second.warnings) == ([], [])
    assert all(cache.read_bytes() != b"not a pickle" for cache in caches)
    assert (tmp_site / "output" / "index.html").read_bytes() == before


def test_each_language_gets_its_lang_and_direction_and_is_linked_only_within_itself(tmp_site: Path):
    """Issue #15: undeclared Urdu and German feed items; pages say their language; no link across languages."""
    import datetime as dt

    from feed_server import FeedServer, conditional

    from generator.feeds.plan import FeedConfig
    from generator.feeds.run import run_fetch

    urdu = (
        "کراچی میں شدید بارش کے بعد شہر کی کئی سڑکیں پانی میں ڈوب گئیں اور ٹریفک کا نظام درہم برہم ہو گیا۔"
        " محکمہ موسمیات کے مطابق اگلے دو دن تک بارش کا سلسلہ جاری رہے گا۔"
    )
    german = (
        "Nach dem schweren Unwetter in Hamburg sind viele Straßen überflutet und der Hafen bleibt gesperrt."
        " Die Feuerwehr meldet hunderte Einsätze in der Nacht, die Bahn stellt den Verkehr ein."
    )
    english = "Heavy rain flooded streets in Karachi and Hamburg, and the port authorities closed the harbour."

    def rss(*items: tuple[str, str, str]) -> bytes:
        body = "".join(
            f"<item><title>{title}</title><guid>{guid}</guid><pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate>"
            f"<description><![CDATA[<p>{text}</p>]]></description></item>"
            for title, guid, text in items
        )
        channel = f"<channel><title>F</title>{body}</channel>"
        return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0">{channel}</rss>'.encode()

    with FeedServer().running() as server:
        server.routes["/ur"] = conditional(rss(("کراچی میں بارش", "u1", urdu), ("کراچی میں بارش جاری", "u2", urdu)))
        server.routes["/de"] = conditional(
            rss(("Unwetter in Hamburg", "d1", german), ("Hamburg unter Wasser", "d2", german))
        )
        server.routes["/en"] = conditional(rss(("Floods in two ports", "e1", english)))
        configs = [FeedConfig(url=server.url(f"/{name}"), name=f"Feed {name}") for name in ("ur", "de", "en")]
        run_fetch(configs, tmp_site / "content", dt.datetime(2026, 11, 25, tzinfo=dt.UTC))
    report = site.build(site.load_settings(tmp_site))
    assert report.errors == []
    languages = {}
    for path in article_pages(tmp_site / "output"):
        page = parse_html(path)
        story = page.select_one("article.story")
        languages[path.parent.name] = (story.get("lang", "en"), story.get("dir"))
    assert sorted(languages.values()) == [("de", None), ("de", None), ("en", None), ("ur", "rtl"), ("ur", "rtl")]
    for path in article_pages(tmp_site / "output"):
        page = parse_html(path)
        own = page.select_one("article.story").get("lang", "en")
        shown = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in page.select(".coverage a, .related a")}
        assert all(languages[target][0] == own for target in shown)
