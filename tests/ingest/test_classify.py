"""Tags and categories from the text: the heuristics the README documents."""

from __future__ import annotations

from generator.ingest.classify import MAX_TAGS, infer_category, infer_tags


def test_repeated_names_become_tags_most_mentioned_first():
    paragraphs = ["Officials in Idlib met. Later Idlib was hit.", "Russia denied it. Moscow said Russia was away."]
    assert infer_tags("A headline", paragraphs) == ("Idlib", "Russia")


def test_a_word_that_only_opens_sentences_is_not_a_name():
    paragraphs = ["Officials met. Officials left.", "Nobody came, Nobody said."]
    assert "Officials" not in infer_tags("A headline", paragraphs)
    assert "Nobody" in infer_tags("A headline", paragraphs)


def test_nationality_adjectives_are_dropped_but_countries_kept():
    paragraphs = ["The Syrian army and Syrian rebels fought in Syria.", "Dutch dikes held in Syria and Japan, Japan."]
    tags = infer_tags("Headline about Syria", paragraphs)
    assert "Syrian" not in tags
    assert "Dutch" not in tags
    assert {"Syria", "Japan"} <= set(tags)


def test_multi_word_names_possessives_and_accents():
    paragraphs = ["Storm Ilse hit. The storm, Storm Ilse’s worst, hit Alcântara and Alcântara's port."]
    tags = infer_tags("A headline", paragraphs)
    assert "Storm Ilse" in tags
    assert "Alcântara" in tags


def test_dateline_place_comes_first_and_tags_are_capped():
    cities = "Oslo Lima Quito Dakar Accra Hanoi Minsk Riga Sofia Tunis Baku Doha".split()
    paragraphs = [" ".join(f"From {city} and {city}." for city in cities)]
    tags = infer_tags("Head", paragraphs, location="LONDON, England")
    assert tags[0] == "London"
    assert len(tags) == MAX_TAGS


def test_category_by_keywords_with_the_headline_weighing_more():
    assert infer_category("Storm floods the coast", ["Shares fell.", "The rain stopped."]) == "Weather"
    assert infer_category("A quiet day", ["Shares fell as investors sold shares.", "The market closed."]) == "Business"
    assert infer_category("Nothing here", ["Plain words only."]) == "News"


def test_one_keyword_alone_is_not_evidence():
    assert infer_category("Survivors reach the bank", ["The team helped.", "The team left.", "A team came."]) == "News"


def test_honorifics_split_names_and_surnames_fold_into_full_names():
    paragraphs = [
        "UN Secretary General Ban Ki-moon spoke. Later Ban Ki-moon left.",
        "The host, Bob Barker, returned. Fans cheered Barker, and Barker waved.",
    ]
    tags = infer_tags("A headline", paragraphs)
    assert "Ban Ki-moon" in tags and "UN Secretary General Ban Ki-moon" not in tags
    assert "Bob Barker" in tags and "Barker" not in tags


def test_a_capitalised_keyword_is_a_name_not_a_topic():
    paragraphs = ["Snow said Snow would go.", "The president thanked him before the vote in congress."]
    assert infer_category("Tony Snow steps down", paragraphs) == "Politics"
