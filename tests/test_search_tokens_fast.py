"""The tokenizer's fast routes give exactly what the plain definition gives.

``search_tokens`` replaces common full-width punctuation before NFKC and makes
bigrams with ``map``; the references below are the definition spelled out one
character at a time (as ``tokens.js`` does), with no shortcut. Any difference
would change the index and break the browser's lookups.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.pipeline import load_site
from gongkai.search.documents import item_doc
from gongkai.search.index import FIELDS, field_tokens
from gongkai.search.tokens import (
    _COMMON_COMPAT,
    is_han,
    is_word,
    normalize,
    specials,
    tokenize,
    words,
)
from gongkai.text import plain_text

ROOT = Path(__file__).resolve().parent.parent


def reference_normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch.lower() if "A" <= ch <= "Z" else ch for ch in text)


def reference_words(text: str, unigrams: bool) -> list[str]:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        kind = is_han if is_han(text[i]) else is_word if is_word(text[i]) else None
        if kind is None:
            i += 1
            continue
        j = i
        while j < n and kind(text[j]):
            j += 1
        run, i = text[i:j], j
        if kind is is_word or len(run) == 1:
            out.append(run)
            continue
        if unigrams:
            out.extend(run)
        out.extend(run[k:k + 2] for k in range(len(run) - 1))
    return out


def reference_tokenize(text: str, unigrams: bool = False) -> list[str]:
    text = reference_normalize(text)
    tokens = reference_words(text, unigrams)
    for s in specials(text):
        tokens.append(s.bare)
        if s.full != s.bare:
            tokens.append(s.full)
    return tokens


# Han of every range (BMP, Extension A, astral, 〇, a compatibility ideograph
# NFKC maps into them), ASCII and full-width letters and digits, the replaced
# punctuation next to combining marks (which NFKC composes across), other
# compatibility characters, and the pieces of 发文字号 and 索引号.
INTERESTING = list(
    "扶贫资金青政办发令第号县〇㐀䶵𠀋𠀌\uf900\u2f00"
    "0123456789abcxyzABCXYZ０１９ＡＺａｚ"
    + "".join(ch for ch, _ in _COMMON_COMPAT)
    + "、。“”〔〕【】[](){}/-  \t\n\u0301\u0308\u3099①㎡…ℂⅠéｶﾞ가"
)
texts = st.text(alphabet=st.one_of(st.sampled_from(INTERESTING), st.characters()), max_size=80)


def test_each_replaced_character_decomposes_to_its_ascii_replacement():
    """Why replacing before NFKC cannot change NFKC's result."""
    assert len(_COMMON_COMPAT) >= 10
    for ch, ascii_text in _COMMON_COMPAT:
        assert ascii_text.isascii(), ch
        assert unicodedata.normalize("NFKD", ch) == ascii_text, ch
        assert all(unicodedata.combining(c) == 0 for c in ascii_text), ch


@pytest.mark.slow  # thousands of drawn texts: `make test`; test-fast keeps the exhaustive and worked examples
@settings(max_examples=1500, deadline=None)
@given(text=texts)
def test_normalize_equals_plain_nfkc_and_ascii_lower_case(text):
    assert normalize(text) == reference_normalize(text)


@pytest.mark.slow  # thousands of drawn texts: `make test`; test-fast keeps the exhaustive and worked examples
@settings(max_examples=1500, deadline=None)
@given(text=texts, unigrams=st.booleans())
def test_words_equal_the_character_by_character_definition(text, unigrams):
    normalized = reference_normalize(text)
    assert words(normalized, unigrams) == reference_words(normalized, unigrams)
    assert words(normalized, unigrams) == reference_words(normalized, unigrams)  # its runs from the cache now
    assert tokenize(text, unigrams) == reference_tokenize(text, unigrams)


def test_every_field_of_the_sample_site_tokenizes_as_the_definition_says():
    site = load_site(ROOT, dt.date(2026, 11, 26))
    compared = 0
    for item in site.public_items:
        body = plain_text(item.body)
        got = field_tokens(item_doc(site, item))
        values = [item.title, item.doc_number or "", item.id, " ".join(item.keywords), item.agency.name,
                  item.summary, body]
        # names and pinyin are not text tokens: tests/test_search_pinyin.py covers them
        for field, tokens, value in zip(FIELDS[:len(values)], got, values, strict=False):
            expected = reference_tokenize(value, field.unigrams)
            if field.name == "id":
                expected = [t for t in expected if "/" in t]
            assert tokens == expected, (item.id, field.name)
            compared += len(tokens)
    assert compared > 10_000
