"""The daily digest as feeds: one entry per day, for readers and RSS-to-email services.

A newsletter service (Mailchimp's, Buttondown's, Feedrabbit...) sends each
new entry of a feed as an e-mail. Each entry here is one day's digest: its
stories ranked (generator.build.digest), the top ones with their
highlights, each with its other sources, as e-mail-safe HTML (inline
styles, absolute links, no script: theme/templates/_digest_email_body.html).
Atom (feedgenerator, Pelican's own feed writer) and JSON Feed 1.1. Pure:
dates come from the stories, never from the clock, so a rebuild writes the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass

from feedgenerator import Atom1Feed

from generator.build.digest import DigestDay, rank


@dataclass(frozen=True)
class DigestEntry:
    """One day's entry: its page, its title, its newest story's time and its HTML."""

    url: str
    title: str
    updated: dt.datetime
    summary: str
    html: str

    @classmethod
    def of(cls, day: DigestDay, base: str, html: str) -> DigestEntry:
        stories = [story for section in day.sections for story in section.stories]
        lead = min(stories, key=rank)
        count = f"{len(stories)} {'story' if len(stories) == 1 else 'stories'}"
        return cls(
            url=f"{base}/{day.url}",
            title=f"Digest: {day.day:%-d %B %Y}",
            updated=max(story.date for story in stories),
            summary=f"{count}, led by: {lead.title}",
            html=html,
        )


def digest_atom(title: str, home_url: str, feed_url: str, entries: list[DigestEntry]) -> str:
    """An Atom feed of the daily digest."""
    feed = Atom1Feed(title=f"{title}: daily digest", link=home_url, description="", feed_url=feed_url)
    for entry in entries:
        feed.add_item(
            title=entry.title,
            link=entry.url,
            description=entry.summary,
            unique_id=entry.url,
            pubdate=entry.updated,
            updateddate=entry.updated,
            content=entry.html,
        )
    out = io.StringIO()
    feed.write(out, "utf-8")
    return out.getvalue()


def digest_json(title: str, home_url: str, feed_url: str, entries: list[DigestEntry]) -> str:
    """A JSON Feed 1.1 of the daily digest."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"{title}: daily digest",
        "home_page_url": home_url,
        "feed_url": feed_url,
        "items": [
            {
                "id": entry.url,
                "url": entry.url,
                "title": entry.title,
                "summary": entry.summary,
                "content_html": entry.html,
                "date_published": entry.updated.isoformat(),
            }
            for entry in entries
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"
