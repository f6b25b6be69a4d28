"""Time and peak memory of related stories and clusters at 1k, 10k and 50k articles.

    python benchmarks/related_bench.py [--sizes 1000 10000 50000]

Articles are generated: about 300 words each, drawn from a Zipf-distributed
vocabulary of 30,000 words (many words shared by many articles: the hard
case for a sparse product), 10 sources, tags from 400 names, dates over a
year. Each size runs in its own process, so its peak memory is its own.
Goal (issue #5): 50,000 articles in at most 30 s and 2 GiB on this 2-core
machine. "+1 article" is the rebuild after one new article, with the cache
of the first build. The baseline the issue measured, a plain chunked sparse product
with top-5: 0.5 s at 1k, 10.6 s at 10k, 202 s and 2.0 GB at 50k.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import multiprocessing
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from goals import record

from generator.enrich import vectors  # noqa: F401  imported here, not inside the timed linking (as a build imports it)
from generator.enrich.related import StoryDoc, link_archive

VOCABULARY = 30_000
WORDS = 300


def articles(count: int, seed: int = 7) -> list[StoryDoc]:
    rng = np.random.default_rng(seed)
    words = [f"w{n}" for n in range(VOCABULARY)]
    names = [f"Name{n}" for n in range(400)]
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ranks = np.minimum(rng.zipf(1.3, size=(count, WORDS)), VOCABULARY) - 1
    docs = []
    for n in range(count):
        tags = tuple(names[i] for i in rng.choice(400, size=3, replace=False))
        text = " ".join(words[i] for i in ranks[n])
        docs.append(
            StoryDoc(
                key=f"article-{n}",
                title=" ".join(words[i] for i in ranks[n][:8]),
                text=text,
                date=start + dt.timedelta(minutes=int(rng.integers(0, 365 * 24 * 60))),
                source=f"Source {n % 10}",
                tags=tags,
            )
        )
    return docs


def measure(count: int, out) -> None:
    docs = articles(count)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    links = link_archive(docs)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    linked = sum(1 for v in links.related.values() if v)
    newcomer = articles(count + 1, seed=11)[-1]
    newcomer = dataclasses.replace(newcomer, key="newcomer")
    started = time.perf_counter()
    link_archive([*docs, newcomer], cache=links.cache)
    rebuild = time.perf_counter() - started
    out.put((count, seconds, peak / 1024, (peak - before) / 1024, linked, rebuild))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    args = parser.parse_args()
    header = (
        f"{'articles':>9} {'time':>8} {'peak RSS':>10} {'of it, linking':>15} {'with links':>11} {'+1 article':>11}"
    )
    print(header + "  goal at 50k: 30 s, 2 GiB")
    for count in args.sizes:
        out = multiprocessing.Queue()
        process = multiprocessing.Process(target=measure, args=(count, out))
        process.start()
        count, seconds, peak, grown, linked, rebuild = out.get()
        process.join()
        note = f"  -> {seconds / 30:.2f}x of 30 s, {peak / 2048:.2f}x of 2 GiB" if count == 50000 else ""
        if count == 50000:
            record("related: 50,000 articles, time", seconds, 30, "s")
            record("related: 50,000 articles, peak", peak, 2048, "MB")
        print(f"{count:>9} {seconds:>7.1f}s {peak:>8.0f} MB {grown:>12.0f} MB {linked:>11} {rebuild:>10.1f}s{note}")


if __name__ == "__main__":
    main()
