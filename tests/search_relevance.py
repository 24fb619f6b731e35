"""The relevance set and its figures, shared by the Node and the Chromium tests."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

RELEVANCE = Path(__file__).resolve().parent / "data" / "search_relevance.json"
RUN_QUERIES = Path(__file__).resolve().parent / "js" / "run_queries.js"
NODE = shutil.which("node")
#: the kinds of query the browser runs as well: one of each proves the page's path (fetch, the
#: engine in the page, paging, the match mode) gives what Node gives; Node runs the whole set
SMOKE_KINDS = ("doc number", "pinyin", "synonym", "typo", "page", "attachment", "no result")
NUMBER_KINDS = ("doc number", "index number")
#: questions typed the Chinese way (低保怎么申请) and colloquial names (拆迁, dibao): judged by
#: whether a wanted item is among the first three shown, apart from the figures of issue 18
QUESTION_KINDS = ("question", "colloquial")


def all_queries() -> list[dict]:
    return json.loads(RELEVANCE.read_text(encoding="utf-8"))["queries"]


def queries() -> list[dict]:
    """The set of issue 18 (words, phrases, numbers, pages …)."""
    return [q for q in all_queries() if q["kind"] not in QUESTION_KINDS]


def questions() -> list[dict]:
    return [q for q in all_queries() if q["kind"] in QUESTION_KINDS]


def smoke_queries() -> list[dict]:
    """The first query of each of SMOKE_KINDS."""
    first: dict[str, dict] = {}
    for q in queries():
        first.setdefault(q["kind"], q)
    return [first[kind] for kind in SMOKE_KINDS]


def run_in_node(site_dir: Path, query_strings: list[str], folder: Path) -> list[dict]:
    """tests/js/run_queries.js over ``site_dir``'s index: a row per query (ids, mode, files)."""
    path = folder / "queries.json"
    path.write_text(json.dumps(query_strings, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([str(NODE), str(RUN_QUERIES), str(site_dir), str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


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


@dataclass
class QuestionFigures:
    top3_share: float  # share of questions with a wanted item among the first three shown
    full_share: float  # … of which the engine found every content word (mode "all")
    misses: list[str]


def question_figures(results: dict[str, tuple[list[str], str]]) -> QuestionFigures:
    """``results``: query -> (ids shown, match mode). A partial match shown in the first three
    counts: the page shows it (saying it is partial), and the citizen finds the item."""
    top3 = full = 0
    misses = []
    for q in questions():
        got, mode = results[q["query"]]
        if any(e in got[:3] for e in q["expect"]):
            top3 += 1
            full += mode == "all"
        else:
            misses.append(f"{q['kind']} {q['query']!r}: wanted one of {q['expect']}, got {got[:3]} ({mode})")
    n = len(questions())
    return QuestionFigures(top3 / n, full / n, misses)


def check_question_goal(fig: QuestionFigures) -> None:
    """Issue 30's goal: a wanted item in the first three for at least 90 % of the questions."""
    assert len(questions()) >= 40
    assert fig.top3_share >= 0.90, fig.misses


def check_goal(fig: Figures) -> None:
    """Issue 18's goal: recall@10 >= 0.95, first >= 90%, every number query first, no leaks."""
    number_misses = [f for f in fig.failures if f.startswith(NUMBER_KINDS)]
    leaks = [f for f in fig.failures if "leaked" in f]
    assert fig.recall_at_10 >= 0.95, fig.failures
    assert fig.first_share >= 0.90, fig.failures
    assert not number_misses, number_misses
    assert not leaks, leaks
