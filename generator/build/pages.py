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

from generator.build.digest import digest_days, sources_of
from generator.build.metadata import json_feed, json_feed_item
from generator.feeds.run import FAILING_FLAG_AFTER
from generator.feeds.state import load_health, source_rows
from generator.settings import absolute_base


class SitePagesGenerator:
    """A Pelican generator (see register() in generator.build.plugin) for the pages above."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context, self.settings = context, settings
        self.content_path, self.output_path = Path(path), Path(output_path)

    def generate_context(self) -> None:
        """Nothing to read: the articles come from Pelican's own generator."""

    def generate_output(self, writer) -> None:
        articles = self.context.get("articles", [])
        relative = self.settings["RELATIVE_URLS"]
        self._write_digests(writer, articles, relative)
        sources = sources_of(articles, lambda article: article.story.card.source.name)
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
        self._write_json_feed(writer, articles)

    def _write_digests(self, writer, articles: list, relative: bool) -> None:
        days = digest_days([article.story.card for article in articles])
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

    def _write_json_feed(self, writer, articles: list) -> None:
        save_as = self.settings["NEWSDIGEST_JSON_FEED"]
        if not save_as:
            return
        base = absolute_base(self.settings)
        newest = articles[: int(self.settings.get("FEED_MAX_ITEMS") or 100)]
        items = [json_feed_item(article.story.facts, article.get_content(base)) for article in newest]
        feed = json_feed(
            str(self.settings.get("SITENAME", "")),
            f"{base}/",
            f"{base}/{save_as}",
            items,
            str(self.settings.get("DEFAULT_LANG", "")),
        )
        writer.write_text(save_as, json.dumps(feed, ensure_ascii=False, indent=1) + "\n")

    def _template(self, name: str):
        return self.context["_newsdigest_env"].get_template(f"{name}.html")
