"""Raw scraped article text, taken apart block by block."""

from __future__ import annotations

import datetime as dt

import pytest
from support import SEED

from generator.errors import SourceError
from generator.ingest.raw import article_from_raw, split_raw


@pytest.fixture(scope="module")
def seed():
    return split_raw(SEED.read_text(encoding="utf-8"), str(SEED))


def test_seed_headline_is_kept_with_its_typo(seed):
    assert seed.headline == "Dozens dead after airstike hits Syrian school"


def test_seed_caption_and_credit_are_split(seed):
    assert seed.image_caption.startswith("A Syrian man checks the damage at a school")
    assert seed.image_caption.endswith("on October 26, 2016. / AFP / Omar haj kadour")
    assert seed.image_credit == "OMAR HAJ KADOUR/AFP/Getty Images"


def test_seed_video_line_is_metadata_not_body(seed):
    assert (seed.video_duration, seed.video_source) == ("02:22", "CNN")
    assert not any("02:22" in p for p in seed.paragraphs)


def test_seed_highlights_dateline_related_and_contributors(seed):
    assert seed.highlights == (
        "More than 20 children were among the dead in an attack on a school compound",
        "The US and France said either the Syrian regime or its Russian backers carried it out",
    )
    assert (seed.location, seed.source) == ("Washington", "CNN")
    assert seed.related_headlines == ("Defense Secretary: Forces ready in ‘weeks’ for battle to retake ISIS capital",)
    assert seed.contributors == ("Richard Roth",)


def test_seed_body_is_every_other_line_in_order(seed):
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    start = lines.index(seed.paragraphs[0])
    expected = [line for line in lines[start:] if not line.startswith("RELATED:") and "contributed to" not in line]
    assert list(seed.paragraphs) == expected
    assert seed.paragraphs[0].startswith("The US and Russia are exchanging")


@pytest.mark.parametrize(
    ("dateline", "location", "source", "first_words"),
    [
        ("Washington CNN \u00a0— ", "Washington", "CNN", "Body starts"),
        ("LONDON, England (CNN) -- Body starts here.", "LONDON, England", "CNN", "Body starts"),
        ("(CNN) -- Body starts here.", "", "CNN", "Body starts"),
        ("JAKARTA (Reuters) - Body starts here.", "JAKARTA", "Reuters", "Body starts"),
        ("SURABAYA, Indonesia/JAKARTA (Reuters) - Body starts.", "SURABAYA, Indonesia/JAKARTA", "Reuters", "Body"),
    ],
)
def test_dateline_variants(dateline: str, location: str, source: str, first_words: str):
    text = f"A headline\n{dateline}\n" + ("Body starts here.\n" if dateline.endswith(" ") else "")
    raw = split_raw(text)
    assert (raw.location, raw.source) == (location, source)
    assert raw.paragraphs[0].startswith(first_words)


def test_several_contributors_joined_by_commas_and_and():
    raw = split_raw("Head\n(CNN) -- Body.\nCNN's Ann Lee, Bo Kim and Cy Diaz contributed to this report.\n")
    assert raw.contributors == ("Ann Lee", "Bo Kim", "Cy Diaz")
    assert raw.paragraphs == ("Body.",)


def test_read_and_watch_lines_are_related_headlines():
    raw = split_raw("Head\n(CNN) -- Body.\nREAD: One story\nWATCH: Another story\nMore body.\n")
    assert raw.related_headlines == ("One story", "Another story")
    assert raw.paragraphs == ("Body.", "More body.")


def test_empty_text_is_an_error_naming_the_file():
    with pytest.raises(SourceError, match=r"^empty\.txt: the file is empty$"):
        split_raw(" \n\n", "empty.txt")


def test_text_with_only_a_dateline_and_body_has_no_headline():
    with pytest.raises(SourceError, match="no headline found"):
        split_raw("(CNN) -- Body only.\n", "x.txt")


def test_date_is_inferred_and_marked_or_overridden(seed):
    inferred = article_from_raw(seed, str(SEED))
    assert inferred.date == dt.datetime(2016, 10, 27, tzinfo=dt.UTC)
    assert inferred.date_inferred
    given = dt.datetime(2016, 10, 28, 9, 30, tzinfo=dt.UTC)
    overridden = article_from_raw(seed, str(SEED), date=given)
    assert (overridden.date, overridden.date_inferred) == (given, False)


def test_no_date_anywhere_is_an_error_never_today():
    raw = split_raw("Head\n(CNN) -- Nothing dated here, said Monday.\n")
    with pytest.raises(SourceError, match=r"no publication date found.*--date"):
        article_from_raw(raw, "undated.txt")


def test_seed_article_front_matter(seed):
    article = article_from_raw(seed, str(SEED))
    assert article.slug == "dozens-dead-after-airstike-hits-syrian-school"
    assert article.highlights_from == "source"
    assert article.category == "World"
    assert {"Syria", "Russia", "Idlib"} <= set(article.tags)
    assert article.body.startswith("The US and Russia are exchanging")


def test_without_a_dateline_the_first_finished_sentence_ends_the_highlights():
    raw = split_raw("Head\nStory highlights\nOne highlight\nAnother highlight\nThe body starts here.\nMore body.\n")
    assert raw.highlights == ("One highlight", "Another highlight")
    assert raw.paragraphs == ("The body starts here.", "More body.")
    assert (raw.location, raw.source) == ("", "")
