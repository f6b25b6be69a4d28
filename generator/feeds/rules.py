"""Keep/drop rules: which of a feed's items a maintainer wants.

A feed's `keep` and `drop` (NEWSDIGEST_FEEDS, or OPML attributes separated by
";") are lists of rules. A rule is `[field:]pattern`: the field is one of
title, summary, author, categories (without one, any of them); the pattern
is a keyword, matched as whole words, or a regular expression between
slashes (`/\\bIPO\\b/`). Both are case-insensitive (a regular expression can
turn that off inside itself: `/(?-i:Apple)/`). An item is dropped when a
drop rule matches it, or when the feed has keep rules and none matches.

A rule that does not compile is reported once, with the feed's name, and
skipped; the others still apply. Pure: `newsdigest feeds test-rules` shows
each rule's verdict on a feed's current items.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from generator.article import Article

log = logging.getLogger(__name__)

FIELDS = ("title", "summary", "author", "categories")


@dataclass(frozen=True)
class Rule:
    text: str
    fields: tuple[str, ...]
    pattern: re.Pattern


@dataclass(frozen=True)
class Verdict:
    """Whether an item is kept, and the rule that decided it ("" when no rule did)."""

    kept: bool
    rule: str = ""


def compile_rules(texts: tuple[str, ...], feed: str) -> tuple[Rule, ...]:
    """The rules that compile; each one that does not is logged with `feed` and skipped."""
    rules = []
    for text in texts:
        field, _, pattern = text.partition(":") if text.split(":", 1)[0] in FIELDS else ("", "", text)
        pattern = pattern.strip()
        try:
            if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/"):
                compiled = re.compile(pattern[1:-1], re.IGNORECASE)
            elif pattern:
                compiled = re.compile(rf"(?<!\w){re.escape(pattern)}(?!\w)", re.IGNORECASE)
            else:
                raise re.error("empty pattern")
        except re.error as exc:
            log.warning("%s: rule %r does not compile (%s); skipped", feed, text, exc)
            continue
        rules.append(Rule(text=text, fields=(field,) if field else FIELDS, pattern=compiled))
    return tuple(rules)


def verdict(article: Article, keep: tuple[Rule, ...], drop: tuple[Rule, ...]) -> Verdict:
    """Drop rules first; then, when the feed has keep rules, an item must match one."""
    values = {
        "title": article.title,
        "summary": f"{article.summary}\n{article.body}",
        "author": "\n".join(article.authors),
        "categories": "\n".join(article.tags),
    }
    for rule in drop:
        if _matches(rule, values):
            return Verdict(kept=False, rule=f"drop {rule.text!r}")
    if not keep:
        return Verdict(kept=True)
    for rule in keep:
        if _matches(rule, values):
            return Verdict(kept=True, rule=f"keep {rule.text!r}")
    return Verdict(kept=False, rule="no keep rule matches")


def _matches(rule: Rule, values: dict[str, str]) -> bool:
    return any(rule.pattern.search(values[field]) for field in rule.fields)
