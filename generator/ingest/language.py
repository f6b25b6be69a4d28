"""The language an article is written in: what it declares, else what its text says.

A feed's `<language>`, a page's `<html lang>` or an importer's own knowledge
wins; without one, lingua (which ships its models in its wheel: nothing is
downloaded) reads the headline and the start of the body. English is "" (the
site's language, as `Article.lang` means it); a detection that is not sure,
or text too short to tell, is "" too: a wrong language would cut the article
off from its related stories (issue #15), a missing one only from another
language's.
"""

from __future__ import annotations

from functools import lru_cache

#: Characters of text read for detection: a headline and a paragraph say it. lingua's time
#: grows with the text (a fifth of a fetched item's cost at 600); on the 469 items and
#: pages of ../shared/corpus/ (de, pt, ru, ur, fr, it, ja, en), 400 and 600 give the same
#: languages but for one English Medium item read as Latin at 600, Tagalog at 400.
SAMPLE = 400
#: Below this many letters, a language is a guess.
MIN_LETTERS = 40
#: lingua's confidence needed to name a language.
MIN_CONFIDENCE = 0.6


def article_language(declared: str, text: str) -> str:
    """A BCP 47 tag for the article ("de", "pt-BR"), or "" for English or when unknown."""
    declared = declared.strip().replace("_", "-")
    if declared:
        return "" if declared.split("-")[0].lower() == "en" else declared
    return detect_language(text)


def detect_language(text: str) -> str:
    """The ISO 639-1 code lingua is sure of for `text`, "" for English or when it is not sure."""
    sample = text[:SAMPLE]
    if sum(map(str.isalpha, sample)) < MIN_LETTERS:
        return ""
    best = detector().compute_language_confidence_values(sample)[0]
    if best.value < MIN_CONFIDENCE:
        return ""
    code = best.language.iso_code_639_1.name.lower()
    return "" if code == "en" else code


@lru_cache(maxsize=1)
def detector():
    """lingua's detector, its models loaded (0.1 s): a fetch calls this before forking its workers,
    which then share them rather than each load them on first use (0.5 s a process)."""
    # Imported here: only imports and fetches of undeclared text pay for lingua's start.
    from lingua import LanguageDetectorBuilder

    return (
        LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().with_preloaded_language_models().build()
    )
