"""Each story's record fingerprints, carried to the next build while nothing they are made of changed.

A page is rendered again when a record it shows changes, and telling that
means hashing every field of every story's records (generator.build.story),
on every build: 0.9 s at 10,000 stories and 9 s at 100,000, for records
that one new article leaves as they were. What a record is made of is
known: the story's own source (read with the settings and the code, whose
change drops this cache with Pelican's: generator.build.site), and the
archive's links: the stories it names as its other coverage, its related
stories and why, and the stories its "RELATED:" lines resolve to, each of
those by its own source. So a story's fingerprints from the last build
stand while its source and every source it links to have the modification
times they had then, and its links are the same ones.

A source whose body links to other content of the site in Pelican's
`{filename}` syntax is rendered with their addresses: its record is made of
more than that, and its fingerprints are worked out on every build.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from generator.article import read_pickle, write_pickle
from generator.build.story import Story, carry_fingerprint, hash_text

log = logging.getLogger(__name__)

CACHE_NAME = "newsdigest-fingerprints.pickle"

#: A link's stamp when it names no story (a "RELATED:" line that resolves to none here).
NO_STORY = "-"


class CarriedFingerprints:
    """The last build's fingerprints of each story's card and record, by the inputs they were made of."""

    def __init__(self, settings: dict) -> None:
        self.path = Path(settings.get("CACHE_PATH", "cache")) / CACHE_NAME
        last = read_pickle(self.path) if settings.get("LOAD_CONTENT_CACHE") else None
        #: Source path -> (inputs, card fingerprint, story fingerprint).
        self.last: dict[str, tuple[str, str, str]] = last if isinstance(last, dict) else {}
        self.current: dict[str, tuple[str, str, str]] = {}
        #: The source paths of stories whose fingerprints are worked out on this build.
        self.changed: set[str] = set()
        #: Stories whose fingerprints are this build's own, with what they are made of.
        self._fresh: dict[str, tuple[str, Story]] = {}

    def carry(self, source_path: str, inputs: str | None, story: Story) -> None:
        """Give a story just made (its fingerprints not yet worked out) the last build's, when it was
        made of the same `inputs` (`inputs_of`; None: not known, worked out on this build)."""
        last = self.last.get(source_path)
        if inputs is not None and last is not None and last[0] == inputs:
            carry_fingerprint(story.card, last[1])
            carry_fingerprint(story, last[2])
            self.current[source_path] = last
            return
        self.changed.add(source_path)
        if inputs is not None:
            self._fresh[source_path] = (inputs, story)

    def save(self) -> None:
        """Keep this build's fingerprints for the next when one is new. Those of a story not carried
        are worked out here: work its page's check would do anyway."""
        for source_path, (inputs, story) in self._fresh.items():
            self.current[source_path] = (inputs, story.card.fingerprint, story.fingerprint)
        if not self._fresh and self.current.keys() == self.last.keys():
            return
        try:
            write_pickle(self.path, self.current)
        except OSError as exc:
            log.warning("could not save %s: %s", self.path, exc)


def inputs_of(own: tuple[str, str | None], links: Iterable[tuple[tuple[str, ...], str | None]]) -> str | None:
    """What a story's records are made of, as one key: `own`, how it is listed ("listed", "hidden",
    "draft": a draft by date is published later with no change to its file) and its source's stamp,
    and each link with its story's source stamp. None when a stamp is unknown: a source that cannot
    be read, or one whose body links to other content."""
    parts = [*own]
    for link, stamp in links:
        parts += (*link, stamp)
    return None if None in parts else hash_text(parts)
