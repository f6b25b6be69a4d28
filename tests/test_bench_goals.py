"""`make bench` ends with one table of every goal: benchmarks/goals.py."""

from __future__ import annotations

import importlib.util
import json

from support import REPO

spec = importlib.util.spec_from_file_location("goals", REPO / "benchmarks" / "goals.py")
goals = importlib.util.module_from_spec(spec)
spec.loader.exec_module(goals)


def test_each_recorded_goal_is_a_row_saying_whether_it_was_met(tmp_path, monkeypatch):
    results = tmp_path / "results.jsonl"
    monkeypatch.setenv(goals.RESULTS, str(results))
    goals.record("fetch: cold run", 33.8, 15, "s")
    goals.record("page: heaviest", 14.6, 30, "KB")
    rows = goals.table(results.read_text(encoding="utf-8").splitlines()).splitlines()
    assert rows[0].split() == ["goal", "this", "run", "limit", "met"]
    assert rows[1].split()[-1] == "NO" and "33.80 s" in rows[1] and "15.00 s" in rows[1]
    assert rows[2].split()[-1] == "yes"
    monkeypatch.delenv(goals.RESULTS)
    goals.record("not recorded without the variable", 1, 2, "s")
    assert len(results.read_text(encoding="utf-8").splitlines()) == 2
    assert json.loads(results.read_text(encoding="utf-8").splitlines()[0])["limit"] == 15
