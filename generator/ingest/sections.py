"""A story's section, from the categories its source gives it.

Feeds label their items ("US politics", "Football", "Economia", "Cell
Biology") and sometimes themselves (a feed titled "heise developer" or
"Science twis"). Each label is read word by word against SECTION_WORDS, a
small table of the words that name a section in the languages of our
inputs; a label's words vote, and the section with most votes over all of an
item's labels wins (ties: the earliest label). "News" is what is left: a
story no label places, and that the text classifier (generator.ingest.classify)
cannot place either.

A feed's own words (its channel categories, and its title when that is
short, a name and not a tagline: "Hacker News", not "Reviews for the Real
World") count only when its items' labels place nothing. A maintainer overrides the table for one feed
(`sections` in NEWSDIGEST_FEEDS or OPML: "Nacional=Portugal") or sets every
item's section (`category`). The table is in docs/inputs.md.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

#: What is left when nothing places a story.
NEWS = "News"

#: Section -> the lowercase words (in the languages of our inputs) that name it in a category label.
SECTION_WORDS: dict[str, frozenset[str]] = {
    section: frozenset(words.split())
    for section, words in {
        "World": "world mundo welt monde mondo international internacional internazionale ausland esteri "
        "foreign global europe europa africa asia americas middle-east",
        "Politics": "politics political politik politique politica política elections election eleições "
        "elecciones wahlen congress senate parliament government",
        "Business": "business economy economics economia economía wirtschaft économie finance finanzas finanças "
        "finanzen money markets market mercados negócios negocios companies industries industry",
        "Technology": "technology tech tecnologia tecnología technik technologie computing computer computers "
        "internet security software developer developers programming gadgets digital netzpolitik "
        "hacker hackers apps mobile ai",
        "Science": "science sciences ciência ciencia wissenschaft scienza chemistry physics biology neuroscience "
        "genetics geochemistry geophysics ecology astronomy space environment climate evolution "
        "paleontology geology",
        "Health": "health saúde salud gesundheit santé salute medicine medizin psychology psychologie psicologia "
        "psycho wellbeing",
        "Sport": "sport sports football soccer desporto deporte deportes esporte esportes fußball fussball "
        "calcio tennis cricket rugby nfl nba golf olympics cycling baseball basketball",
        "Culture": "culture cultura kultur arts books film films movies cinema music música musik "
        "television tv radio entertainment theatre podcast podcasts",
        "Lifestyle": "lifestyle food cooking recipe recipes travel fashion foraging",
        "Crime": "crime justice justiça justicia justiz police polícia policía courts",
    }.items()
}
#: A feed label (its title or a channel category) longer than this many words is a tagline: not read.
MAX_FEED_TITLE_WORDS = 4
_WORD_SECTION = {word: section for section, words in SECTION_WORDS.items() for word in words}
_WORD = re.compile(r"\w[\w-]*")


def section_for(
    labels: Iterable[str], feed_labels: Iterable[str] = (), overrides: Mapping[str, str] | None = None
) -> str:
    """The section an item's `labels` name (or its feed's, when its own name none), or "".

    `overrides` maps a label (case-insensitive) straight to a section.
    """
    overrides = {label.casefold(): section for label, section in (overrides or {}).items()}
    feed_labels = [label for label in feed_labels if len(_WORD.findall(label)) <= MAX_FEED_TITLE_WORDS]
    for candidates in (list(labels), feed_labels):
        votes: Counter[str] = Counter()
        first: dict[str, int] = {}
        for position, label in enumerate(candidates):
            if label.casefold().strip() in overrides:
                return overrides[label.casefold().strip()]
            for section in _sections_named(label):
                votes[section] += 1
                first.setdefault(section, position)
        if votes:
            return min(votes, key=lambda section: (-votes[section], first[section]))
    return ""


def _sections_named(label: str) -> set[str]:
    words = _WORD.findall(label.casefold())
    return {_WORD_SECTION[word] for word in words if word in _WORD_SECTION}
