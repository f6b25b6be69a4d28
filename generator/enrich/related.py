"""Related stories and same-event story clusters, over the whole archive. Pure.

Articles are compared only with articles in their own language: each
language gets its own stop words (the `stop-words` package; a short list for
Urdu, which it lacks), so that German, Portuguese or Urdu items never meet
through "die", "se" or "کے". Within a language, three TF-IDF models
(generator.enrich.vectors, loaded only when an article is modelled): the
words (headline twice, tags twice, body), the headlines alone, and the names
(runs of capitalised words past a sentence's first, and the tags). Terms that
one source prints on most of its pages and other sources rarely do (its own
name, "subscription", share buttons) are dropped from that source's vectors.

One sparse product keeps, for each article, its `CANDIDATES` most similar
others (sparse-dot-topn: the full product is quadratic). Each candidate pair
is then scored by a small logistic model, `related_model.json`, trained on
real news labelled by event (`benchmarks/train_related.py`, the `dev/` half
of `../shared/eval/clusters/`): the probability that the two report the same
event, from the three cosines, the days between them, whether one source
wrote both, how high each ranks the other, and how many terms the shorter of
the two keeps (alone and times the words cosine: two feed summaries sharing
a few words are weaker evidence than two articles sharing as large a part of
theirs). From those probabilities:

- **story clusters**: pairs at or above `CLUSTER_PROBABILITY`, strongest
  first, join their stories only when the two stories hold together: the
  mean probability over every pair across them must reach `COHESION`
  (average linkage), so a chain of look-alikes never makes one story of
  unrelated events. A story is one event as two sources or more report it:
  a follow-up from the same source joins a story others reported too, but
  one source's pieces alone are related stories, not a story (`_of_several_sources`).
- **related stories**: up to `limit` other articles at or above
  `RELATED_PROBABILITY` that are not in the article's own story (those are
  "other coverage"), most probable first. Below it, nothing: a page with
  nothing related shows no link rather than weak ones. Each link says why:
  the tags, names and words the two share. An editor's `related` slugs come
  first and `not_related` slugs never appear.
- **the source's own RELATED lines**, resolved to the archive article whose
  headline they match (rapidfuzz, typos and all), else left as text.

The thresholds were chosen on `dev/` (see the training script).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from generator.enrich.body import body_text

CANDIDATES = 15
#: With more than this share of a language's articles new, changed or gone, model it all again.
MAX_CHANGED_FOR_REUSE = 0.1
DUPLICATE_SIMILARITY = 0.9
CLUSTER_PROBABILITY = 0.5
COHESION = 0.3
RELATED_PROBABILITY = 0.5
HEADLINE_MATCH = 85  # rapidfuzz ratio, 0-100
MODEL_PATH = Path(__file__).with_name("related_model.json")


#: A pair's cosine over the terms the model keeps counts for at most this many times the cosine of
#: their whole texts. The model drops the terms of one article only (they link nothing); a short
#: item in a small language's archive is then left with the one or two words it shares with any
#: other, and two unrelated items sharing one word ("Gericht") scored 0.72 where their whole texts
#: share 0.08: 12 of the 15 German pairs linked in ../shared/corpus were such, none of them one event. In
#: dev/ of ../shared/eval/clusters no linked pair's cosine is more than 2.23 times its whole texts'.
WHOLE_TEXT_FACTOR = 2.5


#: Days apart taken for a pair when either article's date is unknown: far enough that neither "the
#: same day" nor "the same week" counts for them, and only words that match closely join them.
UNKNOWN_DAYS_APART = 365.0


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
    #: False when `date` is only when a feed's undated item was first seen: it says nothing of when
    #: the event was (a feed's undated items all share one fetch time).
    dated: bool = True
    #: The fingerprint worked out when the same source was last read (generator.build.article_cache),
    #: or "": worked out from the fields. Hashing every body took 0.18 s of a rebuild at 10,000.
    known_fingerprint: str = ""

    @cached_property
    def tag_keys(self) -> frozenset[str]:
        """The tags, case-folded: what two articles' tags are compared by."""
        return frozenset(tag.casefold() for tag in self.tags)

    @cached_property
    def body(self) -> str:
        """The body as plain text."""
        return self.text or body_text(self.html)

    @cached_property
    def language(self) -> str:
        """The primary language subtag: "" and "en-GB" are "en"."""
        return (self.lang.split("-")[0].lower() or "en") if self.lang else "en"

    @cached_property
    def fingerprint(self) -> str:
        """Changes when anything the model or a reason reads of this article changes."""
        if self.known_fingerprint:
            return self.known_fingerprint
        parts = [self.title, *self.tags, str(len(self.tags)), self.text, self.html, self.date.isoformat(), self.source]
        parts.append(str(self.dated))
        return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


@dataclass(frozen=True)
class RelatedLink:
    """One related story and why it was chosen."""

    key: str
    reason: str


@dataclass
class LanguageModel:
    """One language's fitted models, vectors and candidate lists, reusable by the next build."""

    #: The words, headline and names vectorizers (None where one had nothing to learn).
    vectorizers: tuple
    keys: list[str]
    fingerprints: dict[str, str]
    #: The words, headline and names vectors, one row per key.
    vectors: tuple
    #: Each row's length in the words and the names vectors over its whole text's: the terms in
    #: one article only are dropped from the model, not from what a text is (`_pair_features`).
    shares: tuple
    #: Each prolific source's furniture in the words and the names models (their columns), found
    #: at the fit and taken off the rows of an article modelled alone too.
    furniture: tuple
    #: Each row's most similar rows (its own among them) and their cosines, as rows of `keys`: kept
    #: as the product gives them (by key, they were 0.19 s of one new article at 10,000).
    candidates: list[list[tuple[int, float]]]
    #: (article, related article) -> "Shares: ...", under this model's vocabulary.
    reasons: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass
class RelatedCache:
    """The expensive part of a build, by language: what the next build may reuse."""

    models: dict[str, LanguageModel]


@dataclass(frozen=True)
class ArchiveLinks:
    """Everything archive-wide the theme shows, by article key."""

    related: dict[str, tuple[RelatedLink, ...]]
    #: For each article in a multi-article story: the other articles of that story.
    coverage: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: For the next build (None when there was nothing to model).
    cache: RelatedCache | None = field(default=None, compare=False)


def link_archive(
    docs: Sequence[StoryDoc],
    limit: int = 5,
    cache: RelatedCache | None = None,
    meanwhile: Callable[[], object] = lambda: None,
) -> ArchiveLinks:
    """Related stories and story clusters for every article in `docs`, language by language.

    With `cache` from the previous build, and at most MAX_CHANGED_FOR_REUSE of
    a language's articles new or changed, only those are modelled and
    multiplied against the archive; their IDF and vocabulary are the cached
    ones (a new word in a new article counts for nothing until the next full
    build).

    `meanwhile` is called exactly once: while the first large model is fitted
    in another process (generator.enrich.vectors), when this process would
    only wait, or else at the end.
    """
    pending = [meanwhile]

    def while_waiting() -> None:
        if pending:
            pending.pop()()

    by_language: dict[str, list[StoryDoc]] = {}
    for doc in docs:
        by_language.setdefault(doc.language, []).append(doc)
    related: dict[str, tuple[RelatedLink, ...]] = {}
    coverage: dict[str, tuple[str, ...]] = {}
    models: dict[str, LanguageModel] = {}
    for language, group in sorted(by_language.items()):
        previous = cache.models.get(language) if cache else None
        group_related, group_coverage, model = _link_language(group, language, limit, previous, while_waiting)
        related.update(group_related)
        coverage.update(group_coverage)
        if model is not None:
            models[language] = model
    while_waiting()
    return ArchiveLinks(related, coverage, RelatedCache(models) if models else None)


def archive_fingerprint(docs: Sequence[StoryDoc], limit: int = 5) -> str:
    """Changes when anything link_archive reads changes: an article's text, date, source, tags,
    language, pins and bans, the order, `limit`, the pair model. Equal, and the last build's links
    stand as they were: a rebuild with no change loads no model."""
    digest = hashlib.blake2b(MODEL_PATH.read_bytes(), digest_size=16)
    digest.update(str(limit).encode())
    for doc in docs:
        fields = [doc.key, doc.fingerprint, doc.language, *doc.pinned, "\1", *doc.banned, "\2"]
        digest.update("\0".join(fields).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def candidate_pairs(docs: Sequence[StoryDoc]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every candidate pair (i < j) of one language's `docs` and its features, as the model sees them.

    For the training script: the model is fitted on exactly these features.
    """
    from generator.enrich import vectors as models  # scikit-learn and SciPy: only when modelling

    _, vectors, similar, model, _ = models.model(docs, docs[0].language if docs else "en", None)
    return _pair_features(docs, vectors, similar, model.shares)


def _link_language(
    docs: list[StoryDoc], language: str, limit: int, cache: LanguageModel | None, while_waiting: Callable[[], None]
):
    from generator.enrich import vectors as models  # scikit-learn and SciPy: only when modelling

    related: dict[str, tuple[RelatedLink, ...]] = {doc.key: () for doc in docs}
    vectorizers, vectors, similar, model, known_reasons = models.model(docs, language, cache, while_waiting)
    if vectors is None:
        return related, {}, None
    first, second, features = _pair_features(docs, vectors, similar, model.shares)
    probability = same_event_probability(features)
    cosine = features[:, 0] if len(features) else np.array([])
    duplicate = cosine >= DUPLICATE_SIMILARITY
    duplicates = zip(first[duplicate].tolist(), second[duplicate].tolist(), strict=True)
    clusters = _of_several_sources(_clusters(len(docs), first, second, probability, duplicate), docs, duplicates)
    index = {doc.key: i for i, doc in enumerate(docs)}
    ranked: list[list[tuple[float, str, int]]] = [[] for _ in docs]
    for a, b, p in zip(first.tolist(), second.tolist(), probability.tolist(), strict=True):
        if p >= RELATED_PROBABILITY and clusters[a] != clusters[b]:
            ranked[a].append((-p, docs[b].key, b))
            ranked[b].append((-p, docs[a].key, a))
    reasons: dict[tuple[str, str], str] = {}
    terms = tuple(models.terms(vectorizer) for vectorizer in vectorizers)
    stop = models.stop_words_for(language)
    for i, doc in enumerate(docs):
        links = [RelatedLink(key, "Chosen by the editor") for key in doc.pinned if key in index and key != doc.key]
        choices = [j for _, key, j in sorted(ranked[i]) if key not in doc.banned and key not in doc.pinned]
        for j in choices[: max(0, limit - len(links))]:
            pair = (doc.key, docs[j].key)
            reasons[pair] = known_reasons.get(pair) or _reason(docs[i], docs[j], vectors, terms, i, j, stop)
            links.append(RelatedLink(docs[j].key, reasons[pair]))
        related[doc.key] = tuple(links[:limit])
    model.reasons = reasons
    members: dict[int, list[int]] = {}
    for i, root in enumerate(clusters):
        members.setdefault(root, []).append(i)
    coverage = {
        docs[i].key: tuple(docs[j].key for j in sorted(group, key=lambda j: (docs[j].date, docs[j].key)) if j != i)
        for group in members.values()
        if len(group) > 1
        for i in group
    }
    return related, coverage, model


def same_event_probability(features: np.ndarray) -> np.ndarray:
    """The shipped logistic model's probability that each pair reports the same event."""
    if not len(features):
        return np.array([])
    weights = load_model()
    logits = features @ np.asarray(weights["weights"]) + weights["bias"]
    return 1 / (1 + np.exp(-logits))


@lru_cache(maxsize=1)
def load_model() -> dict:
    """The pair model's weights (see benchmarks/train_related.py for how they were made)."""
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


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


def _pair_features(docs: Sequence[StoryDoc], vectors, similar, shares: tuple):
    """Each candidate pair once (first < second) and its features, in the order the model's weights expect:
    words, headline and names cosines (each at most WHOLE_TEXT_FACTOR times the whole texts':
    `shares`); log days apart, within a day, within a week; one source; the better and the worse
    of the two ranks each gives the other; the cosine over the best either has; the log of the
    terms the shorter keeps in the words model, and that times the words cosine."""
    # Every list entry as arrays (written for 50,000 articles' half a million entries): its owner,
    # the other article, the cosine and its place in the owner's list, the article itself left out.
    count = len(docs)
    owner = np.repeat(np.arange(count), [len(row) for row in similar])
    other = np.array([j for row in similar for j, _ in row], dtype=np.int64)
    value = np.array([cosine for row in similar for _, cosine in row], dtype=np.float64)
    keep = other != owner
    owner, other, value = owner[keep], other[keep], value[keep]
    if not len(owner):
        return np.array([], dtype=int), np.array([], dtype=int), np.zeros((0, 12))
    listed = np.bincount(owner, minlength=count)
    starts = np.cumsum(listed) - listed
    place = np.arange(len(owner)) - starts[owner]
    best = np.ones(count)
    best[listed > 0] = value[starts[listed > 0]]
    # Each pair once, by (first, second); where both lists hold it, the cosine the later entry gives.
    low, high = np.minimum(owner, other), np.maximum(owner, other)
    keys, last = np.unique((low * count + high)[::-1], return_index=True)
    first, second = keys // count, keys % count
    cosine = _at_most_whole(value[::-1][last], shares[0], first, second)
    directed = owner * count + other  # the place b has in a's list, a in b's, or CANDIDATES
    order = np.argsort(directed)

    def place_of(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        wanted = a * count + b
        found = np.minimum(np.searchsorted(directed, wanted, sorter=order), len(order) - 1)
        return np.where(directed[order[found]] == wanted, place[order[found]], CANDIDATES)

    title = np.asarray(vectors[1][first].multiply(vectors[1][second]).sum(axis=1)).ravel()
    names = np.asarray(vectors[2][first].multiply(vectors[2][second]).sum(axis=1)).ravel()
    names = _at_most_whole(names, shares[1], first, second)
    seconds = np.array([doc.date.timestamp() for doc in docs])
    days = np.abs(seconds[first] - seconds[second]) / 86400
    dated = np.array([doc.dated for doc in docs], dtype=bool)
    days[~(dated[first] & dated[second])] = UNKNOWN_DAYS_APART  # no evidence of "the same day"
    source = np.array([doc.source for doc in docs], dtype=object)
    ranks = np.column_stack([place_of(first, second), place_of(second, first)]) / CANDIDATES
    kept_terms = np.diff(vectors[0].tocsr().indptr)
    shorter = np.log1p(np.minimum(kept_terms[first], kept_terms[second]))
    features = np.column_stack(
        [
            cosine,
            title,
            names,
            np.log1p(days),
            days <= 1,
            days <= 7,
            source[first] == source[second],
            ranks.min(axis=1),
            ranks.max(axis=1),
            cosine / np.maximum(best[first], best[second]),
            shorter,
            cosine * shorter,
        ]
    ).astype(np.float64)
    return first, second, features


def _at_most_whole(cosine: np.ndarray, shares: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Each pair's cosine, at most WHOLE_TEXT_FACTOR times the cosine of their whole texts (the
    cosine times both rows' shares of their texts' lengths)."""
    return np.minimum(cosine, WHOLE_TEXT_FACTOR * cosine * shares[first] * shares[second])


def _clusters(count: int, first, second, probability, duplicate) -> list[int]:
    """The story of each article: pairs merged strongest first while their stories hold together;
    a `duplicate` pair (near-identical texts) merges as surely as any."""
    root = list(range(count))
    members = {i: [i] for i in range(count)}
    strength = np.where(duplicate, 1.0, probability).tolist()
    likelihood = dict(zip(zip(first.tolist(), second.tolist(), strict=True), strength, strict=True))
    # Only pairs strong enough to merge are sorted (most are not); all count for cohesion.
    strong = [item for item in likelihood.items() if item[1] >= CLUSTER_PROBABILITY]
    for (a, b), _ in sorted(strong, key=lambda item: (-item[1], item[0])):
        ra, rb = root[a], root[b]
        if ra == rb:
            continue
        left, right = members[ra], members[rb]
        across = sum(likelihood.get((min(x, y), max(x, y)), 0.0) for x in left for y in right)
        if across / (len(left) * len(right)) < COHESION:
            continue
        if len(left) < len(right):
            ra, rb, left, right = rb, ra, right, left
        for x in right:
            root[x] = ra
        left.extend(right)
        del members[rb]
    return [min(members[root[i]]) for i in range(count)]


def _of_several_sources(
    clusters: list[int], docs: Sequence[StoryDoc], duplicates: Iterable[tuple[int, int]]
) -> list[int]:
    """The stories of `clusters` that two sources or more report. A story all from one source
    keeps only its `duplicates` (pairs of near-identical texts: one article imported twice, as a
    feed item and as its saved page) together; its other articles are stories of their own, and
    their pairs may still be related stories. A story is one event as several sources report it:
    one feed's items of a day share its section's words and tags, and made "stories" of one
    source's unrelated pieces (in ../shared/corpus, twelve of the Guardian's US feed, from the
    State of the Union to a golf club's tax bill). A follow-up joins the story of its event
    when another source reported it too."""
    sources: dict[int, set[str]] = {}
    for story, doc in zip(clusters, docs, strict=True):
        sources.setdefault(story, set()).add(doc.source)
    one_source = {story for story, found in sources.items() if len(found) == 1}
    parent = list(range(len(docs)))  # duplicates joined, each set rooted at its first article

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in duplicates:
        if clusters[a] == clusters[b] and clusters[a] in one_source:
            ra, rb = root(a), root(b)
            parent[max(ra, rb)] = min(ra, rb)
    return [root(i) if story in one_source else story for i, story in enumerate(clusters)]


def _reason(a: StoryDoc, b: StoryDoc, vectors, terms, i: int, j: int, stop: frozenset[str]) -> str:
    """What the two share that a reader recognises: tags, then names, then words; never a source's own name
    or only `stop` words (the language's function words)."""

    def says_something(term: str) -> bool:  # not only function words ("US news" is "us" and "news")
        return not _words(term) <= stop

    own_names = _words(a.source) | _words(b.source)
    shared = [tag for tag in a.tags if tag.casefold() in b.tag_keys and says_something(tag)]
    for matrix, vocabulary, is_names in ((vectors[2], terms[2], True), (vectors[0], terms[0], False)):
        if not len(vocabulary) or len(shared) >= 3:
            continue
        for term in _shared_terms(matrix, vocabulary, i, j):
            shown = term.replace("_", " ") if is_names else term
            words = _words(shown)
            taken = frozenset().union(*(_words(name) for name in shared))
            if words <= own_names or words <= taken or not says_something(shown):
                continue
            shared.append(shown)
    return "Shares: " + ", ".join(shared[:3]) if shared else "Same subject"


@lru_cache(maxsize=65536)
def _words(text: str) -> frozenset[str]:
    """The words of a term or name, case-folded: what reasons compare."""
    return frozenset(word.casefold() for word in re.findall(r"\w+", text))


def _shared_terms(vectors, vocabulary, i: int, j: int) -> list[str]:
    cols_i, data_i = _row(vectors, i)
    cols_j, data_j = _row(vectors, j)
    common, at_i, at_j = np.intersect1d(cols_i, cols_j, assume_unique=True, return_indices=True)
    weights = data_i[at_i] * data_j[at_j]
    # Ties broken by the term itself: the same archive always gives the same reason.
    return [
        term for _, term in sorted((-w, vocabulary[c]) for w, c in zip(weights.tolist(), common.tolist(), strict=True))
    ][:6]


def _row(vectors, i: int):
    start, end = vectors.indptr[i], vectors.indptr[i + 1]
    return vectors.indices[start:end], vectors.data[start:end]


def _normalise(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", title.casefold()).split())
