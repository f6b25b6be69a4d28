"""The digest's own pages, written beside Pelican's: front page, days, months, sources, feeds.

Pelican writes article, category, tag and author pages. This generator adds
the front page (the most-covered stories of the latest days), one page per
day at /YYYY/MM/DD/ with links to the days before and after, one per month
at /YYYY/MM/ (its days' headlines), the archives page (every month), one
page per news source, the Sources page (every source, and every feed's
health), a JSON Feed, and the daily digest by feed and e-mail
(generator.build.digest_feed). Each page is written once, from lists built
in one pass: no page loops over the whole archive.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.build.digest import TOP_STORIES, archive_months, digest_days, front_page, sources_of
from generator.build.digest_feed import DigestEntry, digest_atom, digest_json
from generator.build.metadata import json_feed, json_feed_item
from generator.build.story import Term
from generator.feeds.state import FAILING_FLAG_AFTER, load_health, source_rows
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
            # The page is given its source by name (a Term), its stories as `articles`: each page
            # of the list is rendered again only when its own stories change (SkippingWriter).
            writer.write_file(
                source.save_as,
                self._template("source"),
                self.context,
                relative_urls=relative,
                template_name="source",
                url=source.url,
                source=Term(source.name, source.url),
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
        emailed = days[: self.settings["NEWSDIGEST_DIGEST_DAYS"]] if self.settings["NEWSDIGEST_DIGEST_FEED"] else []
        template = self._template("digest")
        for index, day in enumerate(days):
            newer = days[index - 1] if index > 0 else None
            older = days[index + 1] if index + 1 < len(days) else None
            writer.write_file(
                day.save_as,
                template,
                self.context,
                relative_urls=relative,
                digest=day,
                newer=newer,
                older=older,
                email=index < len(emailed),
            )
        self._write_daily_digest(writer, emailed)
        months = archive_months(days)
        for month in months:
            writer.write_file(month.save_as, self._template("month"), self.context, relative_urls=relative, month=month)
        writer.write_file(
            self.settings.get("ARCHIVES_SAVE_AS") or "archives/index.html",
            self._template("archives"),
            self.context,
            relative_urls=relative,
            months=months,
        )
        writer.write_file(
            "index.html",
            self._template("front"),
            self.context,
            relative_urls=relative,
            front=front_page([article.story.card for article in articles]),
            latest=days[0] if days else None,
        )

    def _write_daily_digest(self, writer, days: list) -> None:
        """The daily digest for RSS-to-email services, for the newest NEWSDIGEST_DIGEST_DAYS `days`:
        per day an e-mail-safe page (inline styles, no script, absolute links) at
        /YYYY/MM/DD/email.html, and Atom and JSON feeds holding one entry per day. Older days keep
        their own pages only: a newsletter sends what is new, and an e-mail copy of every day of
        the archive would be the archive rendered twice."""
        base_path = self.settings["NEWSDIGEST_DIGEST_FEED"]
        if not base_path:
            return
        base = absolute_base(self.settings)
        name = str(self.settings.get("SITENAME", ""))
        body, page = self._template("_digest_email_body"), self._template("digest_email")
        entries = []
        for day in days:
            values = {"day": day, "base": base, "top": TOP_STORIES}
            writer.write_file(day.url + "email.html", page, self.context, **values)
            entries.append(DigestEntry.of(day, base, body.render(SITENAME=name, **values)))
        feed_url = f"{base}/{base_path}"
        writer.write_text(base_path + ".atom.xml", digest_atom(name, f"{base}/", feed_url + ".atom.xml", entries))
        writer.write_text(base_path + ".json", digest_json(name, f"{base}/", feed_url + ".json", entries))

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
