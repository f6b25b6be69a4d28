"""Related stories and same-event story clusters, over the whole archive. Pure.

One TF-IDF model of every article (headline and tags counted twice, then the
body), and one sparse product that keeps, for each article, only its
`CANDIDATES` most similar others above `MIN_SIMILARITY` (sparse-dot-topn: the
full product is quadratic). From those lists:

- **related stories**: up to `limit` per article, ranked by cosine similarity
  times a preference for stories close in time; none below the threshold (no
  link rather than a weak one); never itself or a near-duplicate of itself
  (the same wire copy twice) or another report of its own story (those are
  "other coverage"). Similarity is symmetric, so an old story links forward
  to its follow-ups too. Each link says why: the names and terms the two
  share. An editor's `related` slugs come first and `not_related` slugs
  never appear.
- **story clusters**: articles about the same event: from different sources,
  within `CLUSTER_DAYS` days, and either alike above `CLUSTER_SIMILARITY` or
  sharing `CLUSTER_SHARED_TAGS` names above a lower bar; near-duplicates from
  any source within those days; joined transitively (union-find).

Only English articles are compared: the stop words are English, and French
articles matched each other through "le", "de" and "les" (measured on the
corpus). Other languages get no related links or clusters yet.
- **the source's own RELATED lines**, resolved to the archive article whose
  headline they match (rapidfuzz, typos and all), else left as text.

Thresholds were set on the labelled pairs in tests/enrich/quality.yaml.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer
from sparse_dot_topn import sp_matmul_topn

from generator.enrich.body import body_text

CANDIDATES = 20
#: With more than this share of the archive new, changed or gone, model it all again.
MAX_CHANGED_FOR_REUSE = 0.1
#: Terms found in more articles than this are dropped from the model.
MAX_TERM_ARTICLES = 1000
MIN_SIMILARITY = 0.08
DUPLICATE_SIMILARITY = 0.9
#: Days after which the time preference halves a link's score.
TIME_SCALE_DAYS = 30.0
CLUSTER_SIMILARITY = 0.3
#: Below CLUSTER_SIMILARITY, two articles are one story when they share this
#: many tags (names) and are at least CLUSTER_SIMILARITY_WITH_NAMES alike:
#: cosine alone depends too much on what else the archive holds.
CLUSTER_SHARED_TAGS = 2
CLUSTER_SIMILARITY_WITH_NAMES = 0.15
CLUSTER_DAYS = 3
HEADLINE_MATCH = 85  # rapidfuzz ratio, 0-100


@dataclass(frozen=True)
class StoryDoc:
    """What relating needs to know of one article."""

    #: The article's slug: unique across the site.
    key: str
    title: str
    date: dt.datetime
    #: The body as plain text; or leave it empty and give `html`.
    text: str = ""
    source: str = ""
    tags: tuple[str, ...] = ()
    #: Slugs an editor pinned as related (front matter `related`).
    pinned: tuple[str, ...] = ()
    #: Slugs an editor banned (front matter `not_related`).
    banned: tuple[str, ...] = ()
    #: The article's language when it is not English ("" is English).
    lang: str = ""
    #: The body as rendered HTML, when `text` is empty: made text only for the
    #: articles a build models again (new or changed), not the whole archive.
    html: str = ""

    @cached_property
    def tag_keys(self) -> frozenset[str]:
        """The tags, case-folded: what two articles' tags are compared by."""
        return frozenset(tag.casefold() for tag in self.tags)

    @cached_property
    def body(self) -> str:
        """The body as plain text."""
        return self.text or body_text(self.html)

    @cached_property
    def fingerprint(self) -> str:
        """Changes when anything the model or a reason reads of this article changes."""
        parts = [self.title, *self.tags, str(len(self.tags)), self.text, self.html, self.date.isoformat(), self.source]
        return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


@dataclass(frozen=True)
class RelatedLink:
    """One related story and why it was chosen."""

    key: str
    reason: str


@dataclass
class RelatedCache:
    """The expensive part of a build, reusable by the next one: the fitted model,
    every article's vector, its candidate list, by article fingerprint, and the
    reasons given for the links shown."""

    vectorizer: TfidfVectorizer
    keys: list[str]
    fingerprints: dict[str, str]
    vectors: object
    candidates: dict[str, list[tuple[str, float]]]
    #: (article, related article) -> "Shares: ...", under this model's vocabulary.
    reasons: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass(frozen=True)
class ArchiveLinks:
    """Everything archive-wide the theme shows, by article key."""

    related: dict[str, tuple[RelatedLink, ...]]
    #: For each article in a multi-article story: the other articles of that story.
    coverage: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: For the next build (None when there was nothing to model).
    cache: RelatedCache | None = field(default=None, compare=False)


def link_archive(docs: Sequence[StoryDoc], limit: int = 5, cache: RelatedCache | None = None) -> ArchiveLinks:
    """Related stories and story clusters for every article in `docs`.

    With `cache` from the previous build, and at most MAX_CHANGED_FOR_REUSE of
    the articles new or changed, only those are modelled and multiplied
    against the archive; their IDF and vocabulary are the cached ones (a new
    word in a new article counts for nothing until the next full build).
    """
    docs = [doc for doc in docs if doc.lang.split("-")[0].lower() in ("", "en")]
    if not docs:
        return ArchiveLinks({}, {})
    vectors, terms, similar, new_cache, known_reasons = _model(docs, cache)
    seconds = [doc.date.timestamp() for doc in docs]  # once: date arithmetic per pair is slow
    clusters = _clusters(docs, similar, seconds)
    index = {doc.key: i for i, doc in enumerate(docs)}
    related = {}
    reasons: dict[tuple[str, str], str] = {}
    for i, (doc, ranked) in enumerate(zip(docs, _ranked(docs, similar, clusters, seconds), strict=True)):
        links = [RelatedLink(key, "Chosen by the editor") for key in doc.pinned if key in index and key != doc.key]
        if doc.banned or doc.pinned:
            ranked = [j for j in ranked if docs[j].key not in doc.banned and docs[j].key not in doc.pinned]
        for j in ranked[: max(0, limit - len(links))]:
            key = docs[j].key
            pair = (doc.key, key)
            reasons[pair] = known_reasons.get(pair) or _reason(docs[i], docs[j], vectors, terms, i, j)
            links.append(RelatedLink(key, reasons[pair]))
        related[doc.key] = tuple(links[:limit])
    if new_cache is not None:
        new_cache.reasons = reasons
    members: dict[int, list[int]] = {}
    for i, root in enumerate(clusters):
        members.setdefault(root, []).append(i)
    coverage = {
        docs[i].key: tuple(docs[j].key for j in sorted(group, key=lambda j: (docs[j].date, docs[j].key)) if j != i)
        for group in members.values()
        if len(group) > 1
        for i in group
    }
    return ArchiveLinks(related, coverage, new_cache)


class HeadlineIndex:
    """Every archive title, normalised once, for resolving the sources' RELATED lines."""

    def __init__(self, titles: dict[str, str]) -> None:
        self.keys = list(titles)
        self.normalised = [_normalise(title) for title in titles.values()]

    def resolve(self, headlines: Sequence[str], exclude: str = "") -> list[tuple[str, str | None]]:
        """Each headline with the key of the article it names (fuzzy title match, never `exclude`), or None."""
        resolved = []
        for headline in headlines:
            key = None
            matches = process.extract(
                _normalise(headline), self.normalised, scorer=fuzz.ratio, score_cutoff=HEADLINE_MATCH, limit=2
            )
            for _, _, position in matches:
                if self.keys[position] != exclude:
                    key = self.keys[position]
                    break
            resolved.append((headline, key))
        return resolved


def _model(docs: Sequence[StoryDoc], cache: RelatedCache | None):
    """Vectors, terms and candidate lists: from `cache` where it still holds, else from scratch;
    and the cached reasons that still hold (same vocabulary, neither article changed)."""
    fingerprints = {doc.key: doc.fingerprint for doc in docs}
    changed = [
        i for i, doc in enumerate(docs) if cache is None or cache.fingerprints.get(doc.key) != fingerprints[doc.key]
    ]
    removed = 0 if cache is None else len(set(cache.keys) - set(fingerprints))
    known_reasons: dict[tuple[str, str], str] = {}
    if cache is None or (len(changed) + removed) > MAX_CHANGED_FOR_REUSE * len(docs):
        vectorizer, vectors = _vectors(docs)
        if vectors is None:
            return None, np.array([]), [[] for _ in docs], None, {}
        similar = _candidates(vectors)
    else:
        vectorizer, vectors, similar = _update(docs, cache, changed)
        stale = {docs[i].key for i in changed}
        known_reasons = {pair: why for pair, why in cache.reasons.items() if stale.isdisjoint(pair)}
    keys = [doc.key for doc in docs]
    new_cache = RelatedCache(
        vectorizer=vectorizer,
        keys=keys,
        fingerprints=fingerprints,
        vectors=vectors,
        candidates={keys[i]: [(keys[j], cosine) for j, cosine in row] for i, row in enumerate(similar)},
    )
    return vectors, vectorizer.get_feature_names_out(), similar, new_cache, known_reasons


def _update(docs: Sequence[StoryDoc], cache: RelatedCache, changed: list[int]):
    """Model only the `changed` articles, reusing the cached vectors and lists of the rest."""
    old_row = {key: row for row, key in enumerate(cache.keys)}
    fresh = cache.vectorizer.transform([_text(docs[i]) for i in changed]) if changed else None
    blocks = [cache.vectors] + ([fresh] if fresh is not None else [])
    stacked = sp.vstack(blocks).tocsr()
    position = {i: len(cache.keys) + n for n, i in enumerate(changed)}
    order = [position.get(i, old_row.get(doc.key, 0)) for i, doc in enumerate(docs)]
    vectors = stacked[order]
    index = {doc.key: i for i, doc in enumerate(docs)}
    stale = {docs[i].key for i in changed}
    similar: list[list[tuple[int, float]]] = [
        [
            (index[key], cosine)
            for key, cosine in cache.candidates.get(doc.key, [])
            if key in index and key not in stale and doc.key not in stale
        ]
        for doc in docs
    ]
    if changed:
        product = sp_matmul_topn(
            vectors[changed], vectors.T.tocsr(), top_n=CANDIDATES + 1, threshold=MIN_SIMILARITY, sort=True
        ).tocsr()
        for n, i in enumerate(changed):
            start, end = product.indptr[n], product.indptr[n + 1]
            similar[i] = list(zip(product.indices[start:end].tolist(), product.data[start:end].tolist(), strict=True))
            for j, cosine in similar[i]:
                if j != i:  # similarity is symmetric: the new article may enter j's list
                    similar[j] = sorted([*similar[j], (i, cosine)], key=lambda pair: -pair[1])[: CANDIDATES + 1]
    return cache.vectorizer, vectors, similar


def _text(doc: StoryDoc) -> str:
    return " ".join((doc.title, doc.title, *doc.tags, *doc.tags, doc.body))


def _vectors(docs: Sequence[StoryDoc]):
    texts = [_text(doc) for doc in docs]
    large = len(docs) >= 50
    # In a large archive, a term in one article links nothing (min_df=2), and a
    # term in more than MAX_TERM_ARTICLES (or half) of them says little while
    # the sparse product's cost grows with the square of its frequency.
    vectorizer = TfidfVectorizer(
        stop_words="english",
        sublinear_tf=True,
        min_df=2 if large else 1,
        max_df=min(0.5, MAX_TERM_ARTICLES / len(docs)) if large else 1.0,
        dtype=np.float32,
    )
    try:
        vectors = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no usable term at all
        return vectorizer, None
    return vectorizer, vectors


def _candidates(vectors) -> list[list[tuple[int, float]]]:
    """For each article: (other, cosine) for its most similar others above the threshold, best first."""
    product = sp_matmul_topn(vectors, vectors.T.tocsr(), top_n=CANDIDATES + 1, threshold=MIN_SIMILARITY, sort=True)
    product = product.tocsr()
    return [
        list(zip(product.indices[start:end].tolist(), product.data[start:end].tolist(), strict=True))
        for start, end in zip(product.indptr[:-1], product.indptr[1:], strict=True)
    ]


def _ranked(docs: Sequence[StoryDoc], similar, clusters: list[int], seconds: list[float]) -> list[list[int]]:
    """For each article, the others it may link to, best first: each candidate's cosine times a
    preference for stories close in time; never itself, a near-duplicate or its own story (shown as
    other coverage). Ties go to the lower key. All candidates of the archive at once, in numpy."""
    count = len(docs)
    sizes = np.fromiter((len(row) for row in similar), dtype=np.int64, count=count)
    pairs = np.array([pair for row in similar for pair in row], dtype=np.float64).reshape(-1, 2)
    rows, cols, cosine = np.repeat(np.arange(count), sizes), pairs[:, 0].astype(np.int64), pairs[:, 1]
    root, when = np.asarray(clusters), np.asarray(seconds)
    allowed = (cols != rows) & (cosine < DUPLICATE_SIMILARITY) & (root[cols] != root[rows])
    days = np.abs(when[cols] - when[rows]) / 86400
    score = -cosine / (1 + days / TIME_SCALE_DAYS)
    key_rank = np.empty(count, dtype=np.int64)
    key_rank[np.argsort(np.array([doc.key for doc in docs]), kind="stable")] = np.arange(count)
    order = np.lexsort((key_rank[cols], score, rows))  # by article, then score, then the other's key
    order = order[allowed[order]]
    bounds = np.searchsorted(rows[order], np.arange(count + 1))
    best = cols[order].tolist()
    return [best[bounds[i] : bounds[i + 1]] for i in range(count)]


def _clusters(docs: Sequence[StoryDoc], similar: list[list[tuple[int, float]]], seconds: list[float]) -> list[int]:
    """Union-find root of each article's story (`seconds`: each article's date as a timestamp)."""
    parent = list(range(len(docs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, neighbours in enumerate(similar):
        for j, cosine in neighbours:
            if j <= i:
                continue
            names = docs[i].tag_keys & docs[j].tag_keys
            alike = cosine >= CLUSTER_SIMILARITY or (
                cosine >= CLUSTER_SIMILARITY_WITH_NAMES and len(names) >= CLUSTER_SHARED_TAGS
            )
            if abs(seconds[j] - seconds[i]) / 86400 > CLUSTER_DAYS:
                continue  # the same text a year later is a new event, or a republication
            if cosine >= DUPLICATE_SIMILARITY or (alike and docs[i].source != docs[j].source):
                parent[root(j)] = root(i)
    return [root(i) for i in range(len(docs))]


def _reason(a: StoryDoc, b: StoryDoc, vectors, terms, i: int, j: int) -> str:
    shared_tags = [tag for tag in a.tags if tag.casefold() in b.tag_keys]
    # Straight from the CSR arrays: scipy's row slicing costs far more than the work.
    cols_i, data_i = _row(vectors, i)
    cols_j, data_j = _row(vectors, j)
    common, at_i, at_j = np.intersect1d(cols_i, cols_j, assume_unique=True, return_indices=True)
    weights = data_i[at_i] * data_j[at_j]
    # Ties broken by the term itself: the same archive always gives the same reason.
    top_terms = [
        term for _, term in sorted((-w, terms[c]) for w, c in zip(weights.tolist(), common.tolist(), strict=True))
    ]
    named = {word.casefold() for tag in shared_tags for word in tag.split()}
    words = shared_tags + [term for term in top_terms if term.casefold() not in named]
    return "Shares: " + ", ".join(words[:3])


def _row(vectors, i: int):
    start, end = vectors.indptr[i], vectors.indptr[i + 1]
    return vectors.indices[start:end], vectors.data[start:end]


def _normalise(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", title.casefold()).split())
