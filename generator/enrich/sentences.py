"""Sentences of an article body, the unit highlights are made of.

pysbd (rule-based, no downloads) splits paragraphs into sentences; each
sentence remembers its paragraph, so that a highlight can link to where it
stands in the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd


@dataclass(frozen=True)
class Sentence:
    text: str
    #: Index of the paragraph it stands in.
    paragraph: int
    #: Index among all the article's sentences.
    position: int


#: Languages pysbd has rules for; others are split with the English rules.
PYSBD_LANGUAGES = frozenset("en hi mr zh es am ar hy bg ur ru pl fa nl da fr my el it ja de kk sk".split())


@lru_cache(maxsize=8)
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False)


def split_sentences(paragraphs: list[str], language: str = "en") -> list[Sentence]:
    """Every sentence of `paragraphs`, in order; `language` is a BCP 47 tag ("fr", "de-DE")."""
    primary = (language or "en").split("-")[0].lower()
    segmenter = _segmenter(primary if primary in PYSBD_LANGUAGES else "en")
    found: list[Sentence] = []
    for number, paragraph in enumerate(paragraphs):
        for text in segmenter.segment(paragraph):
            text = " ".join(text.split())
            if re.search(r"\w", text):
                found.append(Sentence(text=text, paragraph=number, position=len(found)))
    return found
