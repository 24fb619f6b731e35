"""The relevance set and its figures, shared by the Node and the Chromium tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

RELEVANCE = Path(__file__).resolve().parent / "data" / "search_relevance.json"
NUMBER_KINDS = ("doc number", "index number")


def queries() -> list[dict]:
    return json.loads(RELEVANCE.read_text(encoding="utf-8"))["queries"]


@dataclass
class Figures:
    recall_at_10: float  # mean share of expected items in the first ten, over queries expecting some
    first_share: float  # share of queries whose first result is expected (empty when none expected)
    failures: list[str]  # queries that miss their own bar, with what came back


def figures(results: dict[str, list[str] | tuple[list[str], str]]) -> Figures:
    """``results``: query -> result ids (索引号, or a page's URL) in ranked order, or
    (ids, mode) with the engine's match mode: "all", "partial" (no document held
    every word, the closest are shown and the page says so) or "none".

    A query expecting nothing must match nothing fully; partial matches may show."""
    recalls, firsts, failures = [], [], []
    for q in queries():
        got, mode = results[q["query"]] if isinstance(results[q["query"]], tuple) else (results[q["query"]], None)
        expect = q["expect"]
        top = got[:10]
        if expect:
            recall = sum(e in top for e in expect) / len(expect)
            recalls.append(recall)
            first_ok = bool(top) and (top[0] == q["first"] if "first" in q else top[0] in expect)
        else:
            recall, first_ok = 1.0, (not got) if mode is None else mode != "all"
        if q.get("mode") and mode is not None and mode != q["mode"]:
            first_ok = False
        firsts.append(first_ok)
        leaked = [a for a in q.get("absent", []) if a in got]
        if recall < 1 or not first_ok or leaked:
            failures.append(f"{q['kind']} {q['query']!r}: expected {expect} got {top}"
                            + (f", leaked {leaked}" if leaked else ""))
    return Figures(sum(recalls) / len(recalls), sum(firsts) / len(firsts), failures)


def check_goal(fig: Figures) -> None:
    """Issue 18's goal: recall@10 >= 0.95, first >= 90%, every number query first, no leaks."""
    number_misses = [f for f in fig.failures if f.startswith(NUMBER_KINDS)]
    leaks = [f for f in fig.failures if "leaked" in f]
    assert fig.recall_at_10 >= 0.95, fig.failures
    assert fig.first_share >= 0.90, fig.failures
    assert not number_misses, number_misses
    assert not leaks, leaks
