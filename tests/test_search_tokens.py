"""The search tokenizer: Python and the browser's JavaScript give the same tokens."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from gongkai.schema import doc_number
from gongkai.search.tokens import normalize, query_clauses, specials, tokenize

ROOT = Path(__file__).resolve().parent.parent
VECTORS = json.loads((ROOT / "tests/data/search_tokens.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", VECTORS["tokenize"], ids=lambda c: c["text"])
def test_tokenize_vectors(case):
    assert tokenize(case["text"], case["unigrams"]) == case["tokens"]


@pytest.mark.parametrize("case", VECTORS["query"], ids=lambda c: c["query"])
def test_query_vectors(case):
    got = [[c.term, c.required, c.boost] for c in query_clauses(case["query"])]
    assert got == case["clauses"]


@pytest.mark.parametrize("typed", VECTORS["doc_numbers"])
def test_exact_token_is_the_canonical_doc_number(typed):
    """Whatever spelling is typed, the exact token is what doc_number.normalize gives."""
    canonical = doc_number.normalize(typed)
    assert canonical is not None
    assert [s.full for s in specials(normalize(typed))] == [canonical]


def test_javascript_tokenizer_matches_the_same_vectors(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    # the JS test also checks every doc-number spelling against the canonical
    # form computed here by doc_number.normalize, so the two cannot drift
    vectors = dict(VECTORS, doc_numbers_canonical={t: doc_number.normalize(t) for t in VECTORS["doc_numbers"]})
    data = tmp_path / "search_tokens.json"
    data.write_text(json.dumps(vectors, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run([node, str(ROOT / "tests/js/tokens.test.js"), str(data)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "all vectors pass" in result.stdout
