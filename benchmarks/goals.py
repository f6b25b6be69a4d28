"""Every benchmark's goals, in one table at the end of `make bench`.

A benchmark calls `record(goal, figure, limit, unit)` for each goal it measures
(`figure <= limit` is met); with NEWSDIGEST_BENCH_RESULTS set to a file, each
record is appended there as a JSON line. `python benchmarks/goals.py FILE`
prints the table: goal, this run's figure, met or not. `make bench` sets the
file, runs every benchmark, then prints the table, so that a goal once met is
re-checked after every change, and a lost one is seen (issue #20).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

RESULTS = "NEWSDIGEST_BENCH_RESULTS"


def record(goal: str, figure: float, limit: float, unit: str) -> None:
    """Note one goal's figure from this run (`unit`: "s", "x", "MB", "KB")."""
    path = os.environ.get(RESULTS)
    if path:
        with open(path, "a", encoding="utf-8") as results:
            results.write(json.dumps({"goal": goal, "figure": figure, "limit": limit, "unit": unit}) + "\n")


def table(lines: list[str]) -> str:
    rows = [json.loads(line) for line in lines if line.strip()]
    width = max([len(row["goal"]) for row in rows] + [4])
    out = [f"{'goal':<{width}}  {'this run':>10}  {'limit':>8}  met"]
    for row in rows:
        met = "yes" if row["figure"] <= row["limit"] else "NO"
        figure, limit = (f"{row[key]:.2f} {row['unit']}" for key in ("figure", "limit"))
        out.append(f"{row['goal']:<{width}}  {figure:>10}  {limit:>8}  {met}")
    return "\n".join(out)


if __name__ == "__main__":
    print(table(Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()))
