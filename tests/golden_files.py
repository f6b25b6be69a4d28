"""Golden front matter for the seed and every raw and .story corpus input.

Each tests/golden/<input>.yaml holds what importing that input must give:
the front matter (less `content_hash`, which only restates the rest) and the
body's paragraph count, first and last paragraph. They were reviewed by hand;
after a deliberate change to the importer, `python tests/golden_files.py`
rewrites them, and `git diff tests/golden` is the review.

Inputs that state no date get one from `UNDATED`, as `--date` would give it.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import yaml
from support import CORPUS, EVAL, SEED

from generator.article import HASH_FIELD, parse_source, render_source
from generator.ingest.files import read_article

GOLDEN = Path(__file__).resolve().parent / "golden"

#: One CNN/Daily Mail file of the highlights evaluation set for each shape the
#: importer once got wrong (issue #17), by file name -> what it shows.
EVAL_CASES = {
    "dev/cnn-val-047ad1e61c29e1f0d17a7ae08c3cd02160115887.story": (
        "A one-paragraph body ending in a credit line: the quote closing the sentence before it stays."
    ),
    "test/cnn-val-f0cb3cf04e4692c27feb9d2888291162b6578e15.story": (
        "The dateline 'Washington (CNN) A huge ...': a known outlet, a space and no dash."
    ),
    "test/cnn-val-d40a97ce4bc5886e548077b321677f1c3a26375b.story": (
        "The dateline '(CNN)[Breaking news update ...]': the body opens with a bracket."
    ),
    "dev/cnn-val-086dbd6a9594a60e4d16fe08b23833c747530454.story": (
        "The dateline 'Omaha, Nebraska (the Heartland Project)When ...': a lower-case source."
    ),
    "dev/cnndm-train-0005d61497d21ff37a17751829bd7e3b6e4a7c5c.story": (
        "Daily Mail byline and time stamps ('By . Daily Mail Reporter . PUBLISHED: . ...') in unplaced_lines."
    ),
}

#: Input name -> (date given as --date, why). Everything else must date itself.
UNDATED = {
    "cnn-thanksgiving-storm-2013-scraped.txt": ("2013-11-27", "no date in the text; the saved page's pubdate"),
    **{
        Path(name).name: ("2000-01-01", "a .story file carries no date; any fixed date serves the test")
        for name in [*(path.name for path in (CORPUS / "articles").glob("*.story")), *EVAL_CASES]
    },
}


#: What a reviewer should know about an expectation that is not what a
#: human would write, and why it is still the right thing to expect.
REVIEW_NOTES = {
    "reuters-mumbai-sensex-flat-2014-scraped.txt": (
        "The story ran on 2014-12-30, but its only date is a file photo's (May 13, 2014): the caption"
        " rule gives May 13, marked date_inferred for an editor to fix. No rule could know better."
    ),
    "cnn-thanksgiving-storm-2013-scraped.txt": (
        "No headline in the scrape: the title is the lede, cut at a word and marked title_inferred."
    ),
}


def golden_inputs() -> list[Path]:
    return [
        SEED,
        *sorted((CORPUS / "articles" / "raw").glob("*.txt")),
        *sorted((CORPUS / "articles").glob("*.story")),
        *(EVAL / "highlights" / name for name in EVAL_CASES),
    ]


def imported(path: Path) -> dict:
    """What the importer gives for `path`, in the golden files' shape."""
    given = UNDATED.get(path.name)
    date = dt.datetime.fromisoformat(given[0]).replace(tzinfo=dt.UTC) if given else None
    text = render_source(read_article(path, date=date))
    article = parse_source(text, path)
    front_matter = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    front_matter.pop(HASH_FIELD)
    paragraphs = article.body.split("\n\n")
    return {
        "input": path.name,
        "date_given": f"{given[0]} ({given[1]})" if given else None,
        "review_note": REVIEW_NOTES.get(path.name) or EVAL_CASES.get(f"{path.parent.name}/{path.name}"),
        "front_matter": front_matter,
        "body": {"paragraphs": len(paragraphs), "first": paragraphs[0], "last": paragraphs[-1]},
    }


def golden_path(path: Path) -> Path:
    return GOLDEN / f"{path.name}.yaml"


if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    for path in golden_inputs():
        dump = yaml.safe_dump(imported(path), sort_keys=False, allow_unicode=True, width=100)
        golden_path(path).write_text(dump, encoding="utf-8")
        sys.stdout.write(f"wrote {golden_path(path).relative_to(GOLDEN.parent.parent)}\n")
