"""Publication dates for sources that do not state one.

Scraped article text rarely carries its own publication date, but its photo
caption usually names the day of the story ("... on October 26, 2016", "...
in Jakarta December 29, 2014"), and the story then refers to the days around
publication by weekday ("Putin ... Thursday").

The rule, checked against the corpus:

1. The anchor is the latest full calendar date in the photo caption. Dates in
   the body are not used: there they are history (a birth in 1960, a death in
   1945, the start of a court's jurisdiction), and the corpus's .story files
   showed the latest body date to be wrong every time.
2. Each weekday named in the text is placed on the first such day on or after
   the anchor. Days more than `MAX_DAYS_AFTER_ANCHOR` after it are taken to
   be in the past ("late on Sunday", said on a Tuesday) and ignored.
3. Publication is the latest of those days (or the anchor itself).

A file photo defeats the rule (a caption dated months before the story); the
result is marked `date_inferred: true` so that a maintainer can see and fix it.

The seed's caption says Wednesday October 26, 2016; its body mentions
Wednesday and Thursday, so it was published on Thursday 2016-10-27. A result
of this rule is always marked `date_inferred: true`; no date at all is an
error the caller reports, never silently "today".
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

#: How many days after the anchor a named weekday may fall and still be
#: taken as "this week": news copy names past days the same way.
MAX_DAYS_AFTER_ANCHOR = 3

_MONTH = "|".join(m.capitalize() for m in MONTHS) + "|" + "|".join(m.capitalize()[:3] + r"\.?" for m in MONTHS)
_CALENDAR_DATE = re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(w.capitalize() for w in WEEKDAYS) + r")\b")


def calendar_dates(text: str) -> list[dt.date]:
    """Every valid "Month D, YYYY" date named in `text`, in order of appearance."""
    found = []
    for match in _CALENDAR_DATE.finditer(text):
        month = MONTHS.index(next(m for m in MONTHS if m.startswith(match["month"][:3].lower()))) + 1
        try:
            found.append(dt.date(int(match["year"]), month, int(match["day"])))
        except ValueError:
            continue  # "February 30, 2016" is a typo, not a date
    return found


def infer_publication_date(caption: str, text: str) -> dt.datetime | None:
    """The inferred publication day (midnight UTC), or None when the caption names no date."""
    dates = calendar_dates(caption)
    if not dates:
        return None
    anchor = max(dates)
    offsets = [0]
    for match in _WEEKDAY.finditer(text):
        offset = (WEEKDAYS.index(match[1].lower()) - anchor.weekday()) % 7
        if offset <= MAX_DAYS_AFTER_ANCHOR:
            offsets.append(offset)
    published = anchor + dt.timedelta(days=max(offsets))
    return dt.datetime.combine(published, dt.time(), tzinfo=dt.UTC)
