"""Category and tags for articles whose source gives neither.

Both are honest heuristics, documented in the README, and both are written to
the front matter where a maintainer can correct them:

- Tags are the proper names the article repeats: runs of capitalised words
  ("Idlib", "Ban Ki-moon", "Security Council") and acronyms ("UN", "ISIS")
  that occur at least twice, or once in the headline. A single capitalised
  word that only ever opens a sentence (or the headline) is not a name. Single words that look like
  nationality adjectives ("Syrian", "Japanese", "British") are dropped: they
  describe, they do not name ("Iraqi", "Dutch" and a few more are listed).
  The dateline's place is always a tag.
- The category is the one whose keyword list the text hits most often, the
  headline counting three times; "News" when nothing hits.
"""

from __future__ import annotations

import re
from collections import Counter

#: Category -> words that signal it. Matching is on lowercase whole words.
CATEGORY_KEYWORDS: dict[str, tuple[str, ...]] = {
    category: tuple(words.split())
    for category, words in {
        "World": "war military troops airstrike airstrikes rebel rebels ceasefire cease-fire refugees "
        "embassy diplomat diplomats sanctions un regime minister humanitarian aid",
        "Politics": "election vote senate congress parliament campaign policy mayor council",
        "Business": "shares stocks market markets investors company companies startup economy profit "
        "revenue prices bank funding",
        "Technology": "software technology app battery electric engineers prototype data",
        "Science": "researchers scientists study species climate nasa space",
        "Health": "hospital virus ebola patients disease doctors vaccine health",
        "Sport": "match championship final team coach season league race crew",
        "Weather": "storm flood flooding floods rain snow winds forecasters hurricane",
    }.items()
}

MAX_TAGS = 8

# Capitalised words (with inner hyphens/apostrophes: "Ki-moon", "O'Brien"),
# runs of them, optionally joined by "of"/"de"/"al-" ("Bank of England").
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_NAME = rf"(?:[{_UPPER}][{_LOWER}]+(?:[-'’][{_UPPER}{_LOWER}]+)*|[{_UPPER}]{{2,}}s?)"
_NAME_RUN = re.compile(rf"\b{_NAME}(?:\s+(?:of\s+|de\s+|the\s+)?{_NAME})*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;“\"]\s+|[“\"])$")
_NATIONALITY = re.compile(r"^[A-Z][a-z]+(?:ian|ese|ish|ean|ican)$")
_NATIONALITY_WORDS = frozenset(
    "Dutch French Greek Thai Swiss Czech Welsh Scots Afghan Iraqi Israeli Pakistani Saudi Yemeni Somali".split()
)
_POSSESSIVE = re.compile(r"[’']s$")
# Capitalised words that open sentences or titles without naming anything;
# dropped from the front of a run ("Later Idlib" -> "Idlib").
_NOT_NAMES = frozenset(
    """A An The This That These Those It Its He She They We I You His Her Their Our But And Or
    If In On At As By For From To With Without After Before When While Where What Who Why How
    Last Next More Most Some Many Much Other Another One Two Three There Here Yes No Not Also
    Mr Mrs Ms Dr Sir Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
    March April May June July August September October November December Photo Story
    Source Related Read Watch Later Earlier Meanwhile However Now Then Today Yesterday Tomorrow
    Tonight Still Even Only Just Since Despite Although Though Because Under Over Among During
    Until Both Each Every All Any Few Several Such So Yet Instead Once Asked""".split()
)


def infer_tags(title: str, paragraphs: list[str], location: str = "") -> tuple[str, ...]:
    """The article's proper names, most mentioned first (ties: first mentioned)."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    mid_sentence: set[str] = set()
    for position, (name, opens_sentence) in enumerate(_names(paragraphs)):
        counts[name] += 1
        first_seen.setdefault(name, position)
        if not opens_sentence:
            mid_sentence.add(name)
    # A headline capitalises its first word whatever it is; only its later
    # capitalised words are names on the headline's word alone.
    in_title = {name for name, opens in _names([title]) if not opens}
    place = _POSSESSIVE.sub("", location.split(",")[0].split("/")[0].strip()).title() if location else ""
    candidates = [
        name
        for name in counts
        if (counts[name] >= 2 or name in in_title)
        and (name in mid_sentence or name in in_title or " " in name)
        and not (" " not in name and (_NATIONALITY.match(name) or name in _NATIONALITY_WORDS))
    ]
    candidates.sort(key=lambda name: (-counts[name], first_seen[name]))
    tags = ([place] if place else []) + [name for name in candidates if name != place]
    return tuple(tags[:MAX_TAGS])


def infer_category(title: str, paragraphs: list[str]) -> str:
    """The best-scoring category for the text, or "News"."""
    words = Counter(re.findall(r"[a-z][a-z-]*", " ".join(paragraphs).lower()))
    title_words = Counter(re.findall(r"[a-z][a-z-]*", title.lower()))
    scores = {
        category: sum(words[k] + 3 * title_words[k] for k in keywords)
        for category, keywords in CATEGORY_KEYWORDS.items()
    }
    best = max(scores, key=lambda category: scores[category])
    return best if scores[best] > 0 else "News"


def _names(paragraphs: list[str]):
    """Yield (name, opens_a_sentence) for each run of capitalised words."""
    for paragraph in paragraphs:
        for match in _NAME_RUN.finditer(paragraph):
            words = [_POSSESSIVE.sub("", word) for word in match.group().split()]
            opens = bool(_SENTENCE_START.search(paragraph[: match.start()]))
            # Drop leading words that are not names ("But Moscow" -> "Moscow").
            while words and words[0] in _NOT_NAMES:
                words.pop(0)
                opens = False
            while words and words[-1] in ("of", "de", "the"):
                words.pop()
            if words and words[-1] in _NOT_NAMES:
                continue
            if words:
                yield " ".join(words), opens
