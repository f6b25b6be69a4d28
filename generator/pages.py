"""The digest's own pages, written beside Pelican's: days, sources, JSON Feed.

Pelican writes article, category, tag, author and archive pages. This
generator adds the front page (the latest day's digest), one page per day
at /YYYY/MM/DD/ with links to the days before and after, one page per news
source, the Sources page (every source, and every feed's health) and a JSON
Feed. Each page is written once, from lists built in one pass: no page
loops over the whole archive.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.article import write_atomic
from generator.digest import digest_days, sources_of
from generator.feeds.run import FAILING_FLAG_AFTER
from generator.feeds.state import load_health, source_rows
from generator.metadata import json_feed, json_feed_item

#: Where the JSON Feed goes, beside Pelican's Atom and RSS (None: no JSON Feed).
JSON_FEED_DEFAULT = "feeds/all.json"


def absolute_base(settings: dict) -> str:
    """The site's absolute address, for feeds and metadata: SITEURL, or FEED_DOMAIN when SITEURL is relative."""
    siteurl = str(settings.get("SITEURL") or "")
    if siteurl.startswith(("http://", "https://")):
        return siteurl.rstrip("/")
    return str(settings.get("FEED_DOMAIN") or "").rstrip("/")


class SitePagesGenerator:
    """A Pelican generator (see register() in generator.plugin) for the pages above."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context, self.settings = context, settings
        self.content_path, self.output_path = Path(path), Path(output_path)

    def generate_context(self) -> None:
        """Nothing to read: the articles come from Pelican's own generator."""

    def generate_output(self, writer) -> None:
        articles = self.context.get("articles", [])
        relative = self.settings["RELATIVE_URLS"]
        self._write_digests(writer, articles, relative)
        sources = sources_of(articles)
        for source in sources:
            writer.write_file(
                source.save_as,
                self._template("source"),
                self.context,
                relative_urls=relative,
                template_name="source",
                url=source.url,
                source=source,
                articles=source.articles,
            )
        health = load_health(self.content_path)
        writer.write_file(
            "sources/index.html",
            self._template("sources"),
            self.context,
            relative_urls=relative,
            sources=sources,
            feeds=source_rows(health, FAILING_FLAG_AFTER) if health else [],
        )
        self._write_json_feed(articles)

    def _write_digests(self, writer, articles: list, relative: bool) -> None:
        days = digest_days(articles)
        template = self._template("digest")
        for index, day in enumerate(days):
            newer = days[index - 1] if index > 0 else None
            older = days[index + 1] if index + 1 < len(days) else None
            writer.write_file(
                day.save_as, template, self.context, relative_urls=relative, digest=day, newer=newer, older=older
            )
        latest, before = [*days, None, None][:2]
        writer.write_file(
            "index.html", template, self.context, relative_urls=relative, digest=latest, older=before, front_page=True
        )

    def _write_json_feed(self, articles: list) -> None:
        save_as = self.settings.get("NEWSDIGEST_JSON_FEED", JSON_FEED_DEFAULT)
        if not save_as:
            return
        base = absolute_base(self.settings)
        newest = articles[: int(self.settings.get("FEED_MAX_ITEMS") or 100)]
        items = [json_feed_item(article.facts, article.get_content(base)) for article in newest]
        feed = json_feed(
            str(self.settings.get("SITENAME", "")),
            f"{base}/",
            f"{base}/{save_as}",
            items,
            str(self.settings.get("DEFAULT_LANG", "")),
        )
        path = self.output_path / save_as
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(feed, ensure_ascii=False, indent=1) + "\n", durable=False)

    def _template(self, name: str):
        return self.context["_newsdigest_env"].get_template(f"{name}.html")
