"""count_terms and TermCounts.fitted fit, and FittedTfidf applies to new texts, as TfidfVectorizer does."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from support import EVAL

from generator.enrich import vectors
from generator.enrich.tfidf import count_terms


def eval_texts() -> list[str]:
    """Real news from the clusters' dev half: headline and body, many sources and years."""
    texts = []
    for path in sorted((EVAL / "clusters" / "dev").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("text", "").strip():
                texts.append(f"{row['title']} {row['text']}")
    return texts


STOP = sorted(vectors.stop_words_for("en"))
# The three models vectors.fit makes: words, headlines, names (case kept, a pattern of its own).
MODELS = {
    "words": {"stop_words": STOP, "min_df": 2, "max_df": 0.5},
    "titles": {"stop_words": STOP},
    "names": {
        "lowercase": False,
        "token_pattern": vectors._NAME_TOKEN,
        "stop_words": [form for word in STOP for form in (word, word.capitalize())],
        "min_df": 2,
    },
}


def fit_tfidf(texts: list[str], **options):
    """What TfidfVectorizer(**options).fit_transform does, as generator.enrich.vectors fits: counted, then fitted."""
    selection = {key: value for key, value in options.items() if key in ("min_df", "max_df")}
    counting = {key: value for key, value in options.items() if key not in selection}
    return count_terms(texts, **counting).fitted(**selection)


def assert_same_rows(got, expected) -> None:
    """The same CSR matrix to the bit: each row's entries in the same order (a row's length is
    summed in that order), float32 rounding and all."""
    assert type(got) is type(expected) and got.shape == expected.shape and got.dtype == expected.dtype == np.float32
    assert np.array_equal(got.indptr, expected.indptr)
    assert got.indices.dtype == expected.indices.dtype and np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data, expected.data)


@pytest.mark.parametrize("options", MODELS.values(), ids=MODELS.keys())
@pytest.mark.parametrize("size", [30, None], ids=["30 texts", "all"])
def test_fitting_gives_scikit_learns_model_and_vectors_to_the_bit(options: dict, size: int | None):
    texts = eval_texts()[:size]
    vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options)
    expected = vectorizer.fit_transform(texts).tocsr()
    ours, got = fit_tfidf(texts, **options)
    assert list(ours.vocabulary.items()) == list(vectorizer.vocabulary_.items())  # in the same order, too
    assert ours.idf.dtype == vectorizer.idf_.dtype and np.array_equal(ours.idf, vectorizer.idf_)
    assert_same_rows(got, expected)
    assert expected.nnz > 500
    assert list(ours.terms()) == list(vectorizer.get_feature_names_out())


@pytest.mark.parametrize(
    ("texts", "options"),
    [
        ([], {}),
        (["", "the of"], {"stop_words": ["the", "of"]}),
        (["one two", "three"], {"min_df": 2}),
        (["one two", "three", "four"], {"min_df": 2, "max_df": 0.5}),
    ],
    ids=["no texts", "only stop words", "every term pruned", "max_df below min_df"],
)
def test_nothing_to_learn_is_refused_as_scikit_learn_refuses_it(texts, options):
    with pytest.raises(ValueError) as expected:
        TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options).fit(texts)
    with pytest.raises(ValueError) as got:
        fit_tfidf(texts, **options)
    assert str(got.value) == str(expected.value)


@pytest.mark.parametrize("options", MODELS.values(), ids=MODELS.keys())
def test_new_texts_get_scikit_learns_vectors_to_the_bit(options: dict):
    texts = eval_texts()
    assert len(texts) > 1000
    fitted, new = texts[:-400], [*texts[-400:], "", "the and of", "Ünïcode ÉTÉ été Zeeland"]
    vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **options).fit(fitted)
    ours = pickle.loads(pickle.dumps(fit_tfidf(fitted, **options)[0]))  # as the next build finds it
    expected = vectorizer.transform(new).tocsr()
    assert_same_rows(ours.transform(new), expected)
    assert expected.nnz > 5_000


@pytest.mark.parametrize("options", [MODELS["words"], MODELS["names"]], ids=["words", "names"])
def test_texts_counted_in_two_parts_and_joined_are_counted_as_in_one_pass(options: dict):
    """The word model of a large archive is counted in two processes (generator.enrich.vectors)."""
    texts = eval_texts()[:400]
    counting = {key: value for key, value in options.items() if key not in ("min_df", "max_df")}
    whole = count_terms(texts, **counting)
    for cut in (0, 1, 57, 200, 399, 400):
        joined = count_terms(texts[:cut], **counting).then(count_terms(texts[cut:], **counting))
        assert list(joined.first_met.items()) == list(whole.first_met.items())
        assert np.array_equal(joined.met, whole.met) and np.array_equal(joined.counts, whole.counts)
        assert joined.starts == whole.starts
        ours, got = joined.fitted(min_df=options.get("min_df", 1), max_df=options.get("max_df", 1.0))
        expected_model, expected = fit_tfidf(texts, **options)
        assert ours.vocabulary == expected_model.vocabulary and np.array_equal(ours.idf, expected_model.idf)
        assert_same_rows(got, expected)


@pytest.mark.parametrize("options", [MODELS["words"], MODELS["names"]], ids=["words", "names"])
def test_a_cosine_times_both_whole_shares_is_the_cosine_of_the_whole_texts(options: dict):
    """Terms in one text only are dropped from the model (min_df), not from what the text is: two
    rows' cosine times their whole shares is scikit-learn's cosine with every such term kept; new
    texts get the same shares from the fitted model as from the fit."""
    texts = [*eval_texts()[:300], "Gericht kippt Dekret fuer Fessenheim", "Wochenvorschau: Gericht, Karneval"]
    counting = {key: value for key, value in options.items() if key not in ("min_df", "max_df")}
    selection = {key: value for key, value in options.items() if key in ("min_df", "max_df")}
    counted = count_terms(texts, **counting)
    fitted, rows = counted.fitted(**selection)
    shares = counted.whole_shares(**selection)
    unpruned = TfidfVectorizer(sublinear_tf=True, dtype=np.float64, **{**options, "min_df": 1}).fit_transform(texts)
    whole, kept = (unpruned @ unpruned.T).toarray(), (rows @ rows.T).toarray()
    np.fill_diagonal(whole, 0), np.fill_diagonal(kept, 0)  # a text with itself shares its own terms too
    assert np.allclose(kept * np.outer(shares, shares), whole, atol=1e-6)
    assert kept[-1, -2] > 0.5 and kept[-1, -2] > 2 * whole[-1, -2]  # two short texts sharing one word
    assert shares.min() < 0.5 and (shares <= 1).all()  # most of some texts' length is in terms of their own
    refitted = pickle.loads(pickle.dumps(fitted))  # as the next build finds it
    assert np.allclose(refitted.whole_shares(texts), shares, atol=1e-6)
