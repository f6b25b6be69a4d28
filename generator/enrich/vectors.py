"""The TF-IDF models related stories are found with (generator.enrich.tfidf, SciPy, sparse-dot-topn).

generator.enrich.related decides; this module measures: per language, three
vectorizers (the words, the headlines, the names) fitted over the archive,
each source's furniture removed, and for each article its most similar
others by one sparse product. A build loads it only when an article is new
or changed: a rebuild that changes nothing reuses the last build's links
without these libraries. The models are kept as generator.enrich.tfidf's
FittedTfidf, which a rebuild after a few new articles applies to them.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sparse_dot_topn import sp_matmul_topn
from stop_words import LANGUAGE_MAPPING, get_stop_words

from generator.enrich.fit_process import FitProcess
from generator.enrich.highlights import english_stop_words
from generator.enrich.related import CANDIDATES, MAX_CHANGED_FOR_REUSE, LanguageModel, StoryDoc
from generator.enrich.tfidf import FittedTfidf, TermCounts, count_terms

#: Pairs below this cosine are not candidates at all.
MIN_SIMILARITY = 0.05
#: Terms found in more articles than this are dropped from the model.
MAX_TERM_ARTICLES = 1000
#: From this many articles in a language, its word model is fitted in a process of its own.
PARALLEL_FIT_MIN = 2000
#: A source with at least this many articles in a language has its own furniture found...
FURNITURE_MIN_ARTICLES = 5
#: ...as the terms on this share of its pages that other sources seldom print.
FURNITURE_SHARE = 0.6
#: The names model reads the headline, the tags and this many characters of the body:
#: who and where a story is about is in its first paragraphs, and the rest costs time.
NAMES_FROM_BODY = 1000
#: Words that carry no meaning in news of any subject: reporting verbs and page furniture.
NEWS_STOP_WORDS = frozenset(
    "said says say told according reported reports report news newsletter subscribe subscription subscribers "
    "digital advertisement advertising click share shares comment comments photo photos image images video "
    "videos read sign email mr mrs ms".split()
    # A date is not what two stories share: every story has one.
    + "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday today yesterday".split()
)
#: Urdu's most frequent function words (the stop-words package has no Urdu list).
_URDU = frozenset(
    "کے کی میں ہے اور سے کو نے کا پر یہ ہیں کہ تھا ایک بھی گیا ہو کر جو وہ تھی اس لیے ان نہیں کیا گئی".split()
)
#: A name, as the names model reads it: a capitalised word (not all capitals: "SAID", "UPDATE").
_NAME_TOKEN = r"(?u)\b[A-Z]\w*[a-z]\w*\b"


@lru_cache(maxsize=64)
def stop_words_for(language: str) -> frozenset[str]:
    """Function words of `language` (a primary subtag), plus the news words no subject owns."""
    words: set[str] = set(NEWS_STOP_WORDS)
    if language == "en":
        words |= english_stop_words()
    if language in LANGUAGE_MAPPING:
        words |= {word.casefold() for word in get_stop_words(language)}
    if language == "ur":
        words |= _URDU
    # As the vectorizer's tokenizer cuts them ("ain't" -> "ain"), so that the list and the text agree.
    return frozenset(words | {token for word in words for token in re.findall(r"(?u)\b\w\w+\b", word)})


def model(
    docs: Sequence[StoryDoc],
    language: str,
    cache: LanguageModel | None,
    while_waiting: Callable[[], object] = lambda: None,
):
    """Vectorizers, vectors and candidate lists: from `cache` where it still holds, else from scratch;
    and the cached reasons that still hold (same vocabulary, neither article changed).
    `while_waiting` is called if this process waits for another's fit."""
    fingerprints = {doc.key: doc.fingerprint for doc in docs}
    changed = [
        i for i, doc in enumerate(docs) if cache is None or cache.fingerprints.get(doc.key) != fingerprints[doc.key]
    ]
    removed = 0 if cache is None else len(set(cache.keys) - set(fingerprints))
    known_reasons: dict[tuple[str, str], str] = {}
    if cache is None or (len(changed) + removed) > MAX_CHANGED_FOR_REUSE * len(docs):
        vectorizers, vectors, shares, furniture = fit(docs, language, while_waiting)
        if vectors is None:
            return vectorizers, None, [], None, {}
        similar = _candidates(vectors[0], vectors[0])
    else:
        vectorizers, vectors, shares, similar = _update(docs, cache, changed)
        furniture = cache.furniture
        stale = {docs[i].key for i in changed}
        known_reasons = {pair: why for pair, why in cache.reasons.items() if stale.isdisjoint(pair)}
    keys = [doc.key for doc in docs]
    model = LanguageModel(
        vectorizers=vectorizers,
        keys=keys,
        fingerprints=fingerprints,
        vectors=vectors,
        shares=shares,
        furniture=furniture,
        candidates=similar,
    )
    return vectorizers, vectors, similar, model, known_reasons


def _word_text(doc: StoryDoc) -> str:
    """What the word model reads of `doc`: all its words, its headline and tags twice."""
    return " ".join((doc.title, doc.title, *doc.tags, *doc.tags, doc.body))


def _name_text(doc: StoryDoc) -> str:
    """What the names model reads of `doc`: its headline, tags and first paragraphs."""
    tags = " ".join(tag.replace(" ", "_") for tag in doc.tags)
    return f"{doc.title} {tags} {doc.body[:NAMES_FROM_BODY]}"


def _texts(doc: StoryDoc) -> tuple[str, str, str]:
    """What each of the three models reads of `doc`: all its words, its headline, its names."""
    return _word_text(doc), doc.title, _name_text(doc)


def fit(docs: Sequence[StoryDoc], language: str, while_waiting: Callable[[], object] = lambda: None):
    large = len(docs) >= 50
    stop = list(stop_words_for(language))
    count_words = functools.partial(count_terms, stop_words=stop)
    # In a large archive, a term in one article links nothing (min_df=2), and a
    # term in more than MAX_TERM_ARTICLES (or half) of them says little while
    # the sparse product's cost grows with the square of its frequency.
    word_selection = {
        "min_df": 2 if large else 1,
        "max_df": min(0.5, MAX_TERM_ARTICLES / len(docs)) if large else 1.0,
    }
    titles = functools.partial(_fit_counted, count=functools.partial(count_terms, stop_words=stop), selection={})
    # Case kept, so the stop words in every case the names model meets them: "The", "He".
    cased_stop = [form for word in stop for form in (word, word.capitalize())]
    count_names = functools.partial(count_terms, lowercase=False, token_pattern=_NAME_TOKEN, stop_words=cased_stop)
    names = functools.partial(_fit_counted, count=count_names, selection={"min_df": 2 if large else 1})
    fitted = _fit_all(docs, count_words, word_selection, (titles, names), while_waiting)
    if fitted[0][0] is None:  # no usable word at all
        return (None, None, None), None, None, None
    vectorizers = tuple(vectorizer for vectorizer, _, _ in fitted)
    furniture = (_furniture(fitted[0][1], docs), _furniture(fitted[2][1], docs))
    words, word_shares = _without(furniture[0], fitted[0][1], docs, fitted[0][2])
    names_vectors, name_shares = _without(furniture[1], fitted[2][1], docs, fitted[2][2])
    return vectorizers, (words, fitted[1][1], names_vectors), (word_shares, name_shares), furniture


def _fit_all(
    docs: Sequence[StoryDoc],
    count_words: Callable[..., TermCounts],
    word_selection: dict,
    others: Sequence,
    while_waiting: Callable[[], object],
) -> list[tuple[FittedTfidf | None, object, np.ndarray]]:
    """The word model (`count_words`, then the terms `word_selection` keeps), and the title and
    names models (`_fit_counted` with their options), fitted to `docs`: each with its vectors and
    their whole shares (TermCounts.whole_shares).

    In a large archive the word model (every word of every article: most of the work) is counted
    in a process of its own (generator.enrich.fit_process) on another core, while this one fits
    the others and calls `while_waiting`; then this one counts 3/5 of the texts not yet sent
    (FitProcess.keep_tail), and the two counts are joined (about 3 s of counting at 10,000)."""
    titles, names = others
    word_texts = _WordTexts(docs)
    name_texts = [_name_text(doc) for doc in docs]  # every body made text first: then sending is quick
    parallel = len(docs) >= PARALLEL_FIT_MIN and (os.cpu_count() or 1) >= 2
    process = FitProcess(count_words, word_texts) if parallel else None
    try:
        rest = [titles([doc.title for doc in docs]), names(name_texts)]
        if process is None:
            counted = count_words(word_texts)
        else:
            while_waiting()
            mine = count_words(word_texts[process.keep_tail() :])
            counted = process.result().then(mine)
    finally:
        if process is not None:
            process.close()
    return [_fitted_counts(counted, len(docs), word_selection), *rest]


class _WordTexts(Sequence):
    """What the word model reads of each of `docs` (_word_text), made as it is read: held all at
    once in a list, they took the peak of a 100,000-article build 110 MB higher (3,333 MB)."""

    def __init__(self, docs: Sequence[StoryDoc]) -> None:
        self.docs = docs

    def __len__(self) -> int:
        return len(self.docs)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [_word_text(doc) for doc in self.docs[index]]
        return _word_text(self.docs[index])


def _fitted_counts(counted: TermCounts, count: int, selection: dict) -> tuple[FittedTfidf | None, object, np.ndarray]:
    """The model of `count` counted texts keeping the terms `selection` keeps, their vectors and
    whole shares."""
    try:
        fitted, vectors = counted.fitted(**selection)
    except ValueError:  # nothing to learn: every text empty or only stop words
        return _nothing_learnt(count)
    return fitted, vectors, counted.whole_shares(**selection)


def _fit_counted(texts: Sequence[str], *, count: Callable[..., TermCounts], selection: dict):
    """`texts` counted with `count` and fitted keeping the terms `selection` keeps (_fitted_counts)."""
    return _fitted_counts(count(texts), len(texts), selection)


def _nothing_learnt(count: int) -> tuple[None, sp.csr_matrix, np.ndarray]:
    """No vectorizer, `count` empty rows, and their shares."""
    return None, sp.csr_matrix((count, 1), dtype=np.float32), np.ones(count)


def _transform(vectorizer: FittedTfidf | None, texts: Sequence[str]):
    if vectorizer is None:
        return _nothing_learnt(len(texts))[1]
    return vectorizer.transform(texts).tocsr()


def _shares(vectorizer: FittedTfidf | None, texts: Sequence[str]) -> np.ndarray:
    return np.ones(len(texts)) if vectorizer is None else vectorizer.whole_shares(texts)


def _furniture(vectors, docs: Sequence[StoryDoc]) -> dict[str, frozenset[int]]:
    """Each prolific source's own furniture: the columns of the terms on most of its pages that
    other sources seldom print ("Continue reading", its own name)."""
    sources: dict[str, int] = {}
    source_of_row = np.array([sources.setdefault(doc.source, len(sources)) for doc in docs])
    present = (vectors > 0).astype(np.float32)
    everywhere = np.asarray(present.sum(axis=0)).ravel()
    # Articles per (source, term), and per source: one sparse product for every source at once.
    by_source = sp.csr_matrix((np.ones(len(docs), dtype=np.float32), (source_of_row, np.arange(len(docs)))))
    own = (by_source @ present).tocoo()
    articles = np.bincount(source_of_row)
    furniture = (
        (articles[own.row] >= FURNITURE_MIN_ARTICLES)
        & (own.data >= FURNITURE_SHARE * articles[own.row])
        & (own.data >= 0.5 * everywhere[own.col])
    )
    names = list(sources)
    columns: dict[str, set[int]] = {}
    for source, column in zip(own.row[furniture].tolist(), own.col[furniture].tolist(), strict=True):
        columns.setdefault(names[source], set()).add(column)
    return {source: frozenset(found) for source, found in columns.items()}


def _without(furniture: dict[str, frozenset[int]], vectors, docs: Sequence[StoryDoc], shares: np.ndarray):
    """`vectors` with each row's source's `furniture` columns removed, rows normalised again, and
    their whole `shares` (TermCounts.whole_shares) for what is left of each row."""
    # Every entry as one number, (its row's source, its column), found among the furniture's at once.
    number = {source: n for n, source in enumerate(furniture)}
    width = vectors.shape[1]
    dropped = np.array([number[source] * width + column for source, found in furniture.items() for column in found])
    source_of_row = np.array([number.get(doc.source, -1) for doc in docs], dtype=np.int64)
    rows = np.repeat(np.arange(len(docs)), np.diff(vectors.indptr))
    vectors = vectors.copy()
    vectors.data[np.isin(source_of_row[rows] * width + vectors.indices, dropped)] = 0
    vectors.eliminate_zeros()
    norms = np.sqrt(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    # A row was 1 long and `share` of its whole text's length: what was dropped besides stays.
    rest = 1.0 / (shares * shares) - 1.0
    return sp.csr_matrix(sp.diags(1 / norms).astype(np.float32) @ vectors), norms / np.sqrt(norms * norms + rest)


def _update(docs: Sequence[StoryDoc], cache: LanguageModel, changed: list[int]):
    """Model only the `changed` articles, reusing the cached vectors and lists of the rest."""
    old_row = {key: row for row, key in enumerate(cache.keys)}
    position = {i: len(cache.keys) + n for n, i in enumerate(changed)}
    order = [position.get(i, old_row.get(doc.key, 0)) for i, doc in enumerate(docs)]
    fresh_docs = [docs[i] for i in changed]
    fresh_texts = list(zip(*(_texts(doc) for doc in fresh_docs), strict=True)) if changed else [[], [], []]
    vectors, shares = [], []
    for n, (vectorizer, cached, texts) in enumerate(zip(cache.vectorizers, cache.vectors, fresh_texts, strict=True)):
        fresh = _transform(vectorizer, texts)
        if n != 1:  # the words' and the names' (the headlines' keeps every term): as at the fit
            fresh, fresh_shares = _without(cache.furniture[n // 2], fresh, fresh_docs, _shares(vectorizer, texts))
            shares.append(np.concatenate([cache.shares[n // 2], fresh_shares])[order])
        vectors.append(sp.vstack([cached, fresh] if changed else [cached]).tocsr()[order])
    vectors, shares = tuple(vectors), tuple(shares)
    index = {doc.key: i for i, doc in enumerate(docs)}
    stale = {docs[i].key for i in changed}
    # The cached lists of the articles still here and unchanged, their rows now this build's.
    now = [index.get(key, -1) if key not in stale else -1 for key in cache.keys]
    similar: list[list[tuple[int, float]]] = [
        []
        if doc.key in stale or doc.key not in old_row
        else [(now[j], cosine) for j, cosine in cache.candidates[old_row[doc.key]] if now[j] >= 0]
        for doc in docs
    ]
    if changed:
        fresh = _candidates(vectors[0][changed], vectors[0])
        for n, i in enumerate(changed):
            similar[i] = fresh[n]
            for j, cosine in similar[i]:
                if j != i:  # similarity is symmetric: the new article may enter j's list
                    similar[j] = sorted([*similar[j], (i, cosine)], key=lambda pair: -pair[1])[: CANDIDATES + 1]
    return cache.vectorizers, vectors, shares, similar


def _candidates(rows, vectors) -> list[list[tuple[int, float]]]:
    """For each of `rows`: (other, cosine) for its most similar `vectors` above the threshold, best first.

    On every core: rows are independent, so the lists are the same with any number of threads
    (at 20,000 articles, 1.3 s with two against 3.0 s with one)."""
    threads = os.cpu_count() or 1
    product = sp_matmul_topn(
        rows,
        vectors.T.tocsr(),
        top_n=CANDIDATES + 1,
        threshold=MIN_SIMILARITY,
        sort=True,
        n_threads=threads if threads > 1 else None,
    )
    product = product.tocsr()
    return [
        list(zip(product.indices[start:end].tolist(), product.data[start:end].tolist(), strict=True))
        for start, end in zip(product.indptr[:-1], product.indptr[1:], strict=True)
    ]


def terms(vectorizer: FittedTfidf | None) -> np.ndarray:
    return vectorizer.terms() if vectorizer is not None else np.array([])
