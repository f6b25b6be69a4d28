"""Feed dates feedparser cannot read: those written in another language.

feedparser reads RFC 822 and ISO 8601 dates, in English. Feeds in other
languages often localise them ("Seg, 24 Set 2018 19:42:40 -0300" from a
Brazilian feed): feedparser then gives no date, and the item would be shown
at the time it was fetched. dateparser (a maintained multilingual parser,
its language data shipped in the wheel) reads them. It is imported only when
such a date turns up (it costs 0.5 s to import), and told the item's
language when it is known (guessing among 200 languages takes 2.5 s).

Only absolute dates are read, with day, month and year all present: "2 hours
ago" or "Tuesday" would be measured from the fetch clock, which is not the
item's date.
"""

from __future__ import annotations

import datetime as dt
import logging

log = logging.getLogger(__name__)

_SETTINGS = {
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TO_TIMEZONE": "UTC",
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
}


def read_foreign_date(text: str, language: str = "") -> dt.datetime | None:
    """`text` as a UTC datetime, or None; `language` ("pt", "pt-BR") narrows the search when given."""
    text = " ".join(text.split())
    if not text or len(text) > 100:
        return None
    import dateparser

    base = language.split("-")[0].split("_")[0].lower()
    for languages in ([base], None) if base else (None,):
        try:
            parsed = dateparser.parse(text, languages=languages, settings=_SETTINGS)
        except (ValueError, OverflowError, KeyError) as exc:  # an unknown language code, a year 99999
            log.debug("dateparser could not read %r: %s", text, exc)
            continue
        if parsed is not None:
            return parsed.astimezone(dt.UTC)
    return None
