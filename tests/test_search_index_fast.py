"""The index build's shortcuts change no byte: exact weights and exact JSON.

``tests/test_search_index.py`` compares weights with lunr.py within its
rounding (±0.001); here the fast paths of ``Postings`` (postings appended in
C, a tf == 1 shortcut, a table of decimal strings) are compared to the
formula and ``json.dumps`` written out plainly, to the last digit.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.pipeline import load_site
from gongkai.search.documents import documents
from gongkai.search.index import (
    FIELDS,
    K1,
    B,
    Postings,
    _dumps,
    _encode_postings,
    field_tokens,
    site_names,
)

ROOT = Path(__file__).resolve().parent.parent


def reference_weighted(docs: list[list[list[str]]]) -> list[tuple[str, int, list[list[int]]]]:
    """lunr's term indices and BM25 weights, one posting at a time."""
    n = len(docs)
    terms: dict[str, int] = {}
    postings: dict[tuple[str, int], list[tuple[int, int]]] = {}
    lengths = [[len(fields[fi]) for fields in docs] for fi in range(len(FIELDS))]
    for doc, fields in enumerate(docs):
        for fi, tokens in enumerate(fields):
            for term in tokens:
                terms.setdefault(term, len(terms))
            for term, tf in Counter(tokens).items():
                postings.setdefault((term, fi), []).append((doc, tf))
    out = []
    for term, index in terms.items():
        df = sum(len(postings.get((term, fi), [])) for fi in range(len(FIELDS)))
        idf = math.log(1 + abs((n - df + 0.5) / (df + 0.5)))
        per_field = []
        for fi, field in enumerate(FIELDS):
            avg = sum(lengths[fi]) / n
            flat, previous = [], 0
            for doc, tf in postings.get((term, fi), []):
                norm = K1 * (1 - B + B * (lengths[fi][doc] / avg)) if avg else 0.0
                weight = idf * ((K1 + 1) * tf) / (norm + tf) * field.boost * 1000
                flat += [doc - previous, math.floor(weight + 0.5)]
                previous = doc
            per_field.append(flat)
        out.append((term, index, per_field))
    return out


@pytest.fixture(scope="module")
def sample_tokens():
    site = load_site(ROOT, dt.date(2026, 11, 26))
    names = site_names(site)
    return [field_tokens(d, names) for d in documents(site)]


def test_weights_equal_the_formula_to_the_last_digit(sample_tokens):
    postings = Postings(FIELDS)
    for fields in sample_tokens:
        postings.add(fields)
    got = list(postings.weighted())
    assert got == reference_weighted(sample_tokens)
    # the sample has terms repeated in a field, so both weight paths ran
    assert any(tf > 1 for fields in sample_tokens for tokens in fields for tf in Counter(tokens).values())
    # every number fits the table of decimal strings
    assert max(max(f, default=0) for _, _, fields in got for f in fields) <= postings.largest_number()


def test_weights_with_repeated_terms_and_empty_fields():
    docs = [[["公开"] * 3 + ["目录"], [], ["x"], ["公开"], [], ["公开", "公开"], ["县"] * 40, ["#县"], ["gk"]],
            [["目录"], ["〔2024〕1号"], [], [], ["局"], [], ["公开"] * 7 + ["县"], [], []],
            [[], [], [], [], [], [], [], [], []]]
    assert all(len(d) == len(FIELDS) for d in docs)
    postings = Postings(FIELDS)
    for fields in docs:
        postings.add(fields)
    assert list(postings.weighted()) == reference_weighted(docs)


@settings(max_examples=300, deadline=None)
@given(index=st.integers(0, 10**6),
       fields=st.lists(st.lists(st.integers(0, 5000), max_size=30), min_size=1, max_size=7))
def test_encoded_postings_are_json_dumps(index, fields):
    table = list(map(str, range(1000))).__getitem__  # numbers above 999 take the fallback
    encoded = _encode_postings(index, fields, table)
    assert encoded == _dumps([index, *fields])
    assert json.loads(encoded) == [index, *fields]


def reference_head(fields: list[list[int]], size: int) -> list[list[int]]:
    """The heaviest ``size`` documents of a term (ties: lower number), in plain Python."""
    totals: dict[int, int] = {}
    decoded = []
    for flat in fields:
        pairs, doc = [], 0
        for delta, weight in zip(flat[0::2], flat[1::2], strict=False):
            doc += delta
            pairs.append((doc, weight))
            totals[doc] = totals.get(doc, 0) + weight
        decoded.append(pairs)
    keep = set(sorted(totals, key=lambda d: (-totals[d], d))[:size])
    out = []
    for pairs in decoded:
        flat, last = [], 0
        for doc, weight in pairs:
            if doc in keep:
                flat += [doc - last, weight]
                last = doc
        out.append(flat)
    return out


@settings(max_examples=300, deadline=None)
@given(fields=st.lists(st.lists(st.tuples(st.integers(0, 300), st.integers(1, 40)), max_size=60),
                       min_size=1, max_size=9),
       size=st.integers(1, 50))
def test_heads_of_common_pairs_are_the_heaviest_documents(fields, size):
    from gongkai.search.index import _head

    flats = []
    for pairs in fields:
        by_doc = dict(pairs)
        flat, last = [], 0
        for doc in sorted(by_doc):
            flat += [doc - last, by_doc[doc]]
            last = doc
        flats.append(flat)
    assert _head(flats, size) == reference_head(flats, size)
