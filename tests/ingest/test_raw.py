"""Raw scraped article text, taken apart block by block."""

from __future__ import annotations

import datetime as dt

import pytest
from support import SEED

from generator.errors import SourceError
from generator.ingest.parts import build_article
from generator.ingest.raw import split_raw


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
        ("Marseille, France (CNN)Body starts here.", "Marseille, France", "CNN", "Body starts"),
        ("(CNN)  -- Body starts here.", "", "CNN", "Body starts"),
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


def test_wire_credit_lines_name_reporters_writers_and_editors():
    raw = split_raw(
        "Head\nJAKARTA (Reuters) - Body.\n(Additional reporting by Ann Lee, Bo Kim and Pieter de Vries in "
        "JAKARTA, Cy Diaz in PARIS; Writing by Dee Ray; Editing by Ed Fox)\n"
    )
    assert raw.contributors == ("Ann Lee", "Bo Kim", "Pieter de Vries", "Cy Diaz", "Dee Ray", "Ed Fox")
    assert raw.paragraphs == ("Body.",)


def test_a_contributor_sentence_after_other_sentences_leaves_them_in_the_body():
    raw = split_raw(
        "Head\n(CNN) -- Body.\nShe left Paris. CNN.com senior producer Bo Kim contributed to this report in Atlanta.\n"
    )
    assert raw.contributors == ("Bo Kim",)
    assert raw.paragraphs == ("Body.", "She left Paris.")


def test_read_and_watch_lines_are_related_headlines():
    raw = split_raw("Head\n(CNN) -- Body.\nREAD: One story\nWATCH: Another story\nMore body.\n")
    assert raw.related_headlines == ("One story", "Another story")
    assert raw.paragraphs == ("Body.", "More body.")


def test_links_and_furniture_glued_to_paragraphs_are_moved_out_not_lost():
    raw = split_raw(
        "Head\n(CNN) -- He said so.  Watch the announcement »\nShe left. E-mail to a friend\n"
        "Anne Frank's final entry\nLast words.\n"
    )
    assert raw.paragraphs == ("He said so.", "She left.", "Last words.")
    assert raw.related_headlines == ("Watch the announcement »", "Anne Frank's final entry")
    assert raw.unplaced_lines == ("E-mail to a friend",)


def test_gallery_caption_and_promo_before_the_dateline():
    raw = split_raw(
        "1 of 4. Rescuers search the sea near Jakarta December 29, 2014.\n"
        "The best and worst of Bollywood in 2014.\n"
        "JAKARTA (Reuters) - Countries stepped up the search on Tuesday. More followed.\n"
    )
    assert raw.image_caption == "Rescuers search the sea near Jakarta December 29, 2014."
    assert raw.unplaced_lines == ("The best and worst of Bollywood in 2014.",)
    assert raw.headline == ""
    article = build_article(raw, "x.txt")
    assert (article.title, article.title_inferred) == ("Countries stepped up the search on Tuesday.", True)
    assert article.date == dt.datetime(2014, 12, 30, tzinfo=dt.UTC)


def test_a_dated_caption_without_credit_is_still_a_caption():
    raw = split_raw("People walk past the exchange in Mumbai May 13, 2014.\nMUMBAI (Reuters) - Shares ended flat.\n")
    assert raw.image_caption == "People walk past the exchange in Mumbai May 13, 2014."


def test_empty_text_is_an_error_naming_the_file():
    with pytest.raises(SourceError, match=r"^empty\.txt: the file is empty$"):
        split_raw(" \n\n", "empty.txt")


def test_prose_with_no_headline_and_no_dateline_is_an_error():
    with pytest.raises(SourceError, match=r"^x\.txt: no headline found"):
        split_raw("Just a paragraph of prose.\nAnd another one.\n", "x.txt")


def test_a_dateline_without_a_headline_takes_the_title_from_the_lede():
    raw = split_raw("(CNN) -- The body starts here. It goes on.\n", "x.txt")
    assert raw.headline == ""
    assert raw.paragraphs == ("The body starts here. It goes on.",)


def test_date_is_inferred_and_marked_or_overridden(seed):
    inferred = build_article(seed, str(SEED))
    assert inferred.date == dt.datetime(2016, 10, 27, tzinfo=dt.UTC)
    assert inferred.date_inferred
    given = dt.datetime(2016, 10, 28, 9, 30, tzinfo=dt.UTC)
    overridden = build_article(seed, str(SEED), date=given)
    assert (overridden.date, overridden.date_inferred) == (given, False)


def test_no_date_anywhere_is_an_error_never_today():
    raw = split_raw("Head\n(CNN) -- Nothing dated here, said Monday.\n")
    with pytest.raises(SourceError, match=r"^undated\.txt: no publication date: .*pass --date YYYY-MM-DD$"):
        build_article(raw, "undated.txt")


def test_a_date_in_the_body_is_history_not_the_publication_date():
    raw = split_raw("Head\n(CNN) -- Anne Frank died on March 31, 1945, the museum said.\n")
    with pytest.raises(SourceError, match="no publication date"):
        build_article(raw, "history.txt")


def test_seed_article_front_matter(seed):
    article = build_article(seed, str(SEED))
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


def test_reported_from_credits_need_the_outlets_possessive():
    raw = split_raw(
        "Head\n(CNN) -- Body.\nCNN's Margot Haddad reported from Marseille and Pamela Brown from Dusseldorf, "
        "while Laura Smith-Spark wrote from London. CNN's Frederik Pleitgen contributed to this report.\n"
    )
    assert raw.contributors == ("Margot Haddad", "Pamela Brown", "Laura Smith-Spark", "Frederik Pleitgen")
    assert raw.paragraphs == ("Body.",)
    prose = split_raw("Head\n(CNN) -- Body.\nHe reported from Kabul.\n")
    assert (prose.contributors, prose.paragraphs) == ((), ("Body.", "He reported from Kabul."))


def test_section_heads_stay_in_the_body_as_headings():
    raw = split_raw("Head\n(Reuters) - Body.\nNO FOUL PLAY SEEN\nMore body.\n... and automobiles\nEnd.\n")
    assert raw.paragraphs == ("Body.", "NO FOUL PLAY SEEN", "More body.", "... and automobiles", "End.")
    assert build_article(raw, "x", date=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)).body.split("\n\n")[1] == (
        "## NO FOUL PLAY SEEN"
    )


def test_a_copyright_notice_is_page_furniture():
    raw = split_raw("Head\n(Reuters) - Body.\nCopyright 2007 Reuters. All rights reserved.This material may not be.\n")
    assert raw.paragraphs == ("Body.",)
    assert raw.unplaced_lines == ("Copyright 2007 Reuters. All rights reserved.This material may not be.",)
