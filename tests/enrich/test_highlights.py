"""Generated highlights: whole sentences, in order, no repeats, no half quotes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from support import REPO

from generator.enrich.body import anchor_sentences
from generator.enrich.highlights import (
    MIN_SENTENCES,
    choose_highlights,
    generated_highlights,
    sentence_vectors,
)
from generator.enrich.sentences import split_sentences
from generator.ingest.story import split_story

ARTICLE = [
    "The city council approved a new budget on Monday after a long debate about transport spending.",
    "The budget adds forty new buses and repairs two bridges over the river.",
    "Council members voted nine to four in favour of the plan.",
    "“We listened to the people who ride the buses every day,” said the mayor. “They asked for more.",
    "Critics said the budget ignores cycling and raises parking fees too far.",
    "The plan takes effect in January, and the first buses arrive in the spring.",
    "Photo: Buses wait at the central depot in the morning light.",
]


def test_whole_sentences_of_the_article_in_article_order():
    chosen = choose_highlights(ARTICLE, 3)
    assert 1 <= len(chosen) <= 3
    assert [s.position for s in chosen] == sorted(s.position for s in chosen)
    text = " ".join(ARTICLE)
    assert all(sentence.text in text for sentence in chosen)


def test_no_half_quotation_caption_or_near_duplicate():
    article = [*ARTICLE, ARTICLE[1], ARTICLE[1]]
    chosen = [s.text for s in choose_highlights(article, 6)]
    assert not any(s.startswith("“They asked") for s in chosen)  # opens a quote it never closes
    assert not any(s.startswith("Photo:") for s in chosen)
    assert chosen.count(ARTICLE[1]) <= 1


def test_short_articles_get_none_rather_than_a_repeat_of_themselves():
    assert generated_highlights(ARTICLE[: MIN_SENTENCES - 2]) == ()


def test_the_sentence_a_title_already_shows_is_not_repeated():
    title = "The city council approved a new budget on Monday after a long…"
    shown = generated_highlights(ARTICLE, title=title)
    assert shown and not any(s.startswith("The city council approved") for s in shown)


def test_other_languages_are_split_by_their_own_rules():
    article = [
        "Le conseil municipal a adopté le budget lundi soir après un long débat.",
        "Le budget ajoute quarante bus et répare deux ponts sur la rivière.",
        "Les élus ont voté à neuf voix contre quatre en faveur du plan.",
        "Les critiques disent que le budget oublie le vélo et augmente le stationnement.",
        "Le plan entre en vigueur en janvier et les premiers bus arrivent au printemps.",
    ]
    assert len(generated_highlights(article, language="fr-FR")) == 3


def test_anchors_point_each_highlight_at_the_paragraph_holding_it():
    html = "<p>First one here.</p><p>Second <em>one</em> here. And more.</p>"
    new_html, anchors = anchor_sentences(html, ["Second one here.", "Not in the text."])
    assert anchors == ["highlight-1", None]
    assert '<p id="highlight-1">Second <em>one</em> here. And more.</p>' in new_html


def test_the_shipped_model_reads_every_feature_the_code_computes():
    """A feature added to sentence_features without retraining would be ignored: the model must know its width."""
    from generator.enrich.highlights import load_model, sentence_features

    features, _ = sentence_features(ARTICLE)
    trees = load_model()["trees"]
    used = {index for tree in trees for index, leaf in zip(tree["feature"], tree["leaf"], strict=True) if not leaf}
    assert max(used) < features.shape[1]
    assert {1, 16, 17} <= used  # the first position, length and centrality drive it


def test_the_lede_outranks_a_late_aside():
    from generator.enrich.highlights import predicted_matches, sentence_features

    features, _ = sentence_features(ARTICLE)
    matches = predicted_matches(features)
    assert matches[0] > matches[-1]


EVAL_STORIES = sorted((REPO.parent / "shared" / "eval" / "highlights" / "dev").glob("*.story"))[:80]


@pytest.mark.skipif(not EVAL_STORIES, reason="../shared/eval is not beside the repo")
def test_the_written_out_tfidf_is_scikit_learns():
    """highlights.sentence_vectors replaces TfidfVectorizer(stop_words="english", sublinear_tf=True) for speed:
    the same terms, the same weights (to the last bits of a float), on real stories and on
    sentences of stop words alone (the fallback to every word)."""

    cases = [
        [s.text for s in split_sentences(list(split_story(p.read_text(encoding="utf-8"), str(p)).paragraphs))]
        for p in EVAL_STORIES
    ]
    cases.append(["It is what it is.", "And so it was.", "I am."])
    for texts in cases:
        try:
            expected = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
        except ValueError:
            expected = TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b\w+\b").fit_transform(texts)
        vectors = sentence_vectors(texts)
        assert (len(vectors.start) - 1, vectors.width) == expected.shape
        got = sparse.csr_matrix((vectors.values, vectors.columns, vectors.start), shape=expected.shape)
        assert np.allclose(got.toarray(), expected.toarray(), rtol=0, atol=1e-15)
        assert np.allclose([vectors.row(i) for i in range(len(texts))], expected.toarray(), rtol=0, atol=1e-15)
