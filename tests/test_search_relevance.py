"""The relevance set under lunr.js in Node, through the page's own engine.js (the whole set runs
here; test_search_browser.py runs a few of each kind in Chromium and holds them equal to Node's)."""

from __future__ import annotations

import json

import pytest
import search_relevance


@pytest.mark.skipif(search_relevance.NODE is None, reason="node is not installed")
def test_relevance_set_meets_the_goal_under_node(built_site, tmp_path):
    queries = [q["query"] for q in search_relevance.all_queries()]
    assert len(queries) >= 80
    rows = search_relevance.run_in_node(built_site, queries, tmp_path)
    fig = search_relevance.figures({r["query"]: (r["ids"], r["mode"]) for r in rows})
    print(f"\nNode: recall@10 {fig.recall_at_10:.3f}, first {fig.first_share:.1%}, misses {fig.failures}")
    search_relevance.check_goal(fig)
    qfig = search_relevance.question_figures({r["query"]: (r["ids"], r["mode"]) for r in rows})
    print(f"Node questions: top 3 {qfig.top3_share:.1%} (full matches {qfig.full_share:.1%}), misses {qfig.misses}")
    search_relevance.check_question_goal(qfig)
    kinds = {q["kind"] for q in search_relevance.queries()}
    assert {"pinyin", "synonym", "typo", "partial", "page", "attachment"} <= kinds
    # every query fetched the index's metadata and only the shards of its own terms
    meta = json.loads((built_site / "search/idx/meta.json").read_text(encoding="utf-8"))
    for row in rows:
        shards = [f for f in row["files"] if f.startswith("t/")]
        assert len(shards) < meta["shards"], row["query"]


def test_goal_check_fails_on_a_bad_ranking():
    """The figures are not a rubber stamp: reversed rankings miss the goal."""
    rows = {q["query"]: list(reversed(q["expect"])) + ["000000000/2000-00001"] * 12
            for q in search_relevance.queries()}
    rows = {k: v[-10:] if len(v) > 10 else v for k, v in rows.items()}
    fig = search_relevance.figures(rows)
    with pytest.raises(AssertionError):
        search_relevance.check_goal(fig)


def test_question_goal_fails_when_the_wanted_items_are_not_first():
    """Wanted items pushed to fourth place miss the question goal."""
    rows = {q["query"]: (["x", "y", "z", *q["expect"]], "all") for q in search_relevance.questions()}
    with pytest.raises(AssertionError):
        search_relevance.check_question_goal(search_relevance.question_figures(rows))
