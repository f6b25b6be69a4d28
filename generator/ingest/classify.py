"""Category and tags for articles whose source gives neither.

Both are honest heuristics, documented in the README, and both are written to
the front matter where a maintainer can correct them:

- Tags are the proper names the article repeats: runs of capitalised words
  ("Idlib", "Ban Ki-moon", "Security Council") and acronyms ("UN", "ISIS")
  that occur at least twice, or once in the headline. A single capitalised
  word that only ever opens a sentence (or the headline) is not a name.
  Honorifics split names ("Judge Steven Leifman" -> "Steven Leifman"), and a
  surname alone counts for the full name it ends ("Barker" -> "Bob Barker").
  Single words that look like nationality adjectives ("Syrian", "Japanese",
  "British") are dropped: they describe, they do not name ("Iraqi", "Dutch"
  and a few more are listed). News agencies and the article's own source are
  not tags. The dateline's place is always a tag. Capitalisation only marks
  names in English, so other languages get the dateline's place alone.
- The category is the one whose (English) keyword list the text's lowercase
  words hit most often ("Snow" is a name, "snow" the weather), the headline
  counting three times; it needs 3 hits from 2 different keywords at least,
  or the article is filed under "News".
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
        "Politics": "election vote senate congress parliament campaign policy mayor council president law laws "
        "lawmakers legislation",
        "Business": "shares stocks market markets investors company companies startup economy profit "
        "revenue prices bank funding",
        "Technology": "software technology app battery electric engineers prototype data",
        "Science": "researchers scientists study species climate nasa space",
        "Health": "hospital virus ebola patients disease doctors vaccine health",
        "Sport": "match championship team coach season league tournament football soccer rowing goals players",
        "Weather": "storm flood flooding floods rain snow winds gusts forecasters hurricane surge tide dike dikes "
        "sandbags",
        "Transport": "airline airlines flight flights plane passengers airport aviation train trains ferry",
    }.items()
}

MAX_TAGS = 8
#: A category needs this many keyword hits, from two different keywords at least.
MIN_CATEGORY_HITS = 3

# Capitalised words (with inner hyphens/apostrophes: "Ki-moon", "O'Brien"),
# runs of them, optionally joined by "of"/"de"/"al-" ("Bank of England").
# Letters of the Latin, Greek and Cyrillic alphabets ("Součka", "Tomáš"),
# built from Unicode data rather than typed in: Python's re has no \p{Lu}.
_UPPER = "A-Z" + "".join(chr(c) for c in range(0xC0, 0x530) if chr(c).isupper())
_LOWER = "a-z" + "".join(chr(c) for c in range(0xC0, 0x530) if chr(c).islower())
# A capitalised word, CamelCase included ("AirAsia", "McDonald"), with inner
# hyphens or apostrophes ("Ki-moon", "O'Brien"); or an acronym ("UN", "ISIS").
_NAME = rf"(?:[{_UPPER}][{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)*(?:[-'’][{_UPPER}{_LOWER}]+)*|[{_UPPER}]{{2,}}s?)"
_NAME_RUN = re.compile(rf"\b{_NAME}(?:\s+(?:of\s+|de\s+|the\s+)?{_NAME})*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;“\"]\s+|[“\"])$")
_NATIONALITY = re.compile(r"^[A-Z][a-z]+(?:ian|ese|ish|ean|ican)s?$")
_NATIONALITY_WORDS = frozenset(
    "Dutch French Greek Thai Swiss Czech Welsh Scots Afghan Iraqi Israeli Pakistani Saudi Yemeni Somali".split()
)
#: Who reported a story is not what it is about.
NEWS_AGENCIES = frozenset("AP AFP CNN BBC Reuters AAP DPA EFE ANSA Xinhua".split())
_POSSESSIVE = re.compile(r"[’']s$")
# Capitalised words that open sentences or stand before names without naming
# anything themselves (honorifics): they split a run of capitalised words.
_NOT_NAMES = frozenset(
    """A An The This That These Those It Its He She They We I You His Her Their Our But And Or
    If In On At As By For From To With Without After Before When While Where What Who Why How
    Last Next More Most Some Many Much Other Another One Two Three There Here Yes No Not Also
    Mr Mrs Ms Dr Sir Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
    March April May June July August September October November December Photo Story
    Source Related Read Watch Later Earlier Meanwhile However Now Then Today Yesterday Tomorrow
    Tonight Still Even Only Just Since Despite Although Though Because Under Over Among During
    Until Both Each Every All Any Few Several Such So Yet Instead Once Asked
    President Prime Minister Secretary General Senator Sen Rep Gov Governor King Queen Pope
    Judge Chief Director Professor Prof Rev Reverend Lt Col Gen Sgt Capt NEW""".split()
)


def infer_tags(title: str, paragraphs: list[str], location: str = "", source: str = "") -> tuple[str, ...]:
    """The article's proper names, most mentioned first (ties: first mentioned).

    English only: German capitalises every noun and French its sentence-initial
    words differently, so for other languages the caller passes no paragraphs.
    """
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
    # A surname alone is the person introduced by full name before it: "Barker"
    # counts for "Bob Barker". Only a last word folds ("Duke" is not "Duke
    # University"), and only after the full name ("Syria" long before "Eastern
    # Syria" is the country, not a surname).
    for name in [n for n in counts if " " in n]:
        surname = name.rsplit(" ", 1)[1]
        if surname in counts and surname not in in_title and first_seen[name] < first_seen[surname]:
            counts[name] += counts.pop(surname)
            mid_sentence.add(name)
    candidates = [
        name
        for name in counts
        if (counts[name] >= 2 or name in in_title)
        and (name in mid_sentence or name in in_title or " " in name)
        and not (" " not in name and (_NATIONALITY.match(name) or name in _NATIONALITY_WORDS))
        and name not in NEWS_AGENCIES
        and name != source
    ]
    candidates.sort(key=lambda name: (-counts[name], first_seen[name]))
    tags = ([place] if place else []) + [name for name in candidates if name != place]
    return tuple(tags[:MAX_TAGS])


def infer_category(title: str, paragraphs: list[str]) -> str:
    """The best-scoring category for the text, or "News"."""
    # Lowercase words only: a capitalised "Snow" is Tony Snow, not the weather.
    words = Counter(re.findall(r"(?<![\w-])[a-z][a-z-]*", " ".join(paragraphs)))
    title_words = Counter(re.findall(r"(?<![\w-])[a-z][a-z-]*", title))
    scores = {}
    for category, keywords in CATEGORY_KEYWORDS.items():
        hits = [words[k] + 3 * title_words[k] for k in keywords]
        # One word is not evidence: "bank" was a river bank, "team" an aid team.
        if sum(hits) >= MIN_CATEGORY_HITS and sum(1 for h in hits if h) >= 2:
            scores[category] = sum(hits)
    return max(scores, key=lambda category: scores[category]) if scores else "News"


def _names(paragraphs: list[str]):
    """Yield (name, opens_a_sentence) for each run of capitalised words."""
    for paragraph in paragraphs:
        for match in _NAME_RUN.finditer(paragraph):
            if match.start() and paragraph[match.start() - 1] in "./@#":
                continue  # part of a ticker, URL or handle: "LART.NS", "@CNN"
            opens = bool(_SENTENCE_START.search(paragraph[: match.start()]))
            # Words that are not names split a run: "But Moscow" -> "Moscow",
            # "UN Secretary General Ban Ki-moon" -> "UN", "Ban Ki-moon".
            segment: list[str] = []
            for word in [*(_POSSESSIVE.sub("", word) for word in match.group().split()), "The"]:
                if word not in _NOT_NAMES:
                    segment.append(word)
                    continue
                while segment and segment[-1] in ("of", "de", "the"):
                    segment.pop()
                if segment:
                    yield " ".join(segment), opens
                segment = []
                opens = False
