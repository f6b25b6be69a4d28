"""Publication dates inferred from the days a story names."""

from __future__ import annotations

import datetime as dt

from generator.ingest.dates import MAX_DAYS_AFTER_ANCHOR, calendar_dates, infer_publication_date


def day(caption: str, text: str = "") -> dt.date | None:
    inferred = infer_publication_date(caption, text)
    return inferred.date() if inferred else None


def test_caption_date_and_a_later_weekday_give_the_publication_day():
    # October 26, 2016 was a Wednesday; "Thursday" is the next day.
    assert day("Hit on October 26, 2016.", "Attack on Wednesday. Putin spoke Thursday.") == dt.date(2016, 10, 27)


def test_the_anchor_alone_when_no_weekday_is_named():
    assert day("Pictured in Jakarta December 29, 2014.") == dt.date(2014, 12, 29)


def test_a_weekday_too_far_after_the_anchor_is_taken_as_past():
    # December 29, 2014 was a Monday; "late on Sunday" is the day before, not six days later.
    assert MAX_DAYS_AFTER_ANCHOR < 6
    assert day("Glasgow December 29, 2014.", "Said on Monday. Flew late on Sunday.") == dt.date(2014, 12, 29)


def test_the_latest_calendar_date_is_the_anchor():
    assert day("Born May 3, 1990. Pictured June 1, 2015.") == dt.date(2015, 6, 1)


def test_abbreviated_months_and_impossible_dates():
    assert calendar_dates("Dec. 30, 2014 and Feb 30, 2016 and Sept 1 2015") == [dt.date(2014, 12, 30)]


def test_no_calendar_date_in_the_caption_means_no_inference():
    assert infer_publication_date("", "It snowed on Wednesday.") is None
    assert infer_publication_date("A man walks.", "Born June 1, 1960, he said on Monday.") is None


def test_result_is_timezone_aware_midnight_utc():
    inferred = infer_publication_date("October 26, 2016", "")
    assert inferred == dt.datetime(2016, 10, 26, tzinfo=dt.UTC)
