"""The reader's fast folding and JSON reading give what the plain ones gave.

``guards.reader.fold`` maps only the runs of characters that change instead of translating
every character, and skips passes that cannot match; ``_json_strings`` skips lists of short
integers in one step. The plain versions are kept here verbatim as the reference.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.guards import pii, reader

# --- the reference: reader.fold and reader._json_strings before they were made fast ------------

_OLD_GAPS = re.compile(f"(?<=[0-9])[{reader._GAP_CHARS}]++(?=[0-9])")
_OLD_NEAR = re.compile(f"(?<=[0-9])[{reader._DIGIT_LIKE}]++|(?<![{reader._DIGIT_LIKE}])[{reader._DIGIT_LIKE}]++(?=[0-9])")


def old_fold(text: str, chinese: bool = True) -> str:
    if not text.isascii():
        table = reader._fold_table(chinese)
        text = unicodedata.normalize("NFKC", text.translate(table)).translate(table)
    if any(c in text for c in reader._DIGIT_LIKE):
        text = _OLD_NEAR.sub(lambda m: m.group().translate(reader._DIGIT_LIKE_MAP), text)
    return _OLD_GAPS.sub(" ", text)


def old_json_strings(data: object):
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            yield from map(str, value)
            stack.extend(value.values())
        elif isinstance(value, int) and value >= 10**10:
            yield str(value)


def old_scan_text(text: str) -> list:
    found = _old_scan_folded(old_fold(text))
    if any(c in reader._CHINESE_DIGITS for c in text):
        known = {f.number for f in found}
        found += [f for f in _old_scan_folded(old_fold(text, chinese=False)) if f.number not in known]
    return found


def _old_scan_folded(folded: str) -> list:
    found = pii.scan(folded, None)
    if not any(c in folded for c in "/\\|,\u3001:;~"):
        return found
    known = {f.number for f in found}
    line, line_start, at = 1, 0, 0
    for run in reader._WEAK_RUN.finditer(folded):
        written = run.group()
        if sum(c.isdigit() for c in written) < 11:
            continue
        for f in pii.scan(reader._WEAK_GAP.sub(" ", written), None):
            if f.number in known:
                continue
            known.add(f.number)
            start = run.start()
            newlines = folded.count("\n", at, start)
            if newlines:
                line += newlines
                line_start = folded.rfind("\n", at, start) + 1
            at = start
            found.append(pii.Finding(f.kind, f.number, line, start - line_start + 1, start, run.end()))
    return found


# --- texts made of what folding treats specially -------------------------------------------------

_SPECIAL = ("0123456789１２３４５６７８９０〇零一二三四五六七八九壹贰叁肆伍陆柒捌玖幺"
            "ХхΧχ×✕✖╳ⅩⅹＸｘxXOoОоΟοIlІＯｌ"
            " \t\u00a0\u3000.\u00b7\u30fb\uff0e-\u2010\u2013\u2014\u2212\uff0d/\\|,\u3001:;~"
            "，。：；（）！？…“”《》、"
            "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u180e\ufe0f\u3164\u0301\u0308\u20dd"
            "①⑴⒈㈠㊀⼀﹒ℓﬁ™½¹²³\u2126\u212a\u00c5A\u030a"
            "\U0001d7cf\U0001d7ce\U000e0031\U000e0020\U0001f600"
            "青禾县人民政府abc\n")
texts = st.text(alphabet=st.one_of(st.sampled_from(_SPECIAL), st.characters(max_codepoint=0x2FFFF)),
                max_size=80)


@pytest.mark.slow  # thousands of drawn texts: `make test`; test-fast keeps the exhaustive and worked examples
@settings(max_examples=3000, deadline=None)
@given(texts)
def test_fold_is_the_plain_fold(text):
    assert reader.fold(text) == old_fold(text)
    assert reader.fold(text, chinese=False) == old_fold(text, chinese=False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x80, max_codepoint=0xFFFF), min_size=200, max_size=400))
def test_fold_is_the_plain_fold_on_any_bmp_character(text):
    assert reader.fold(text) == old_fold(text)


def test_every_bmp_character_folds_as_before():
    # one by one and beside a digit, so every table entry and every NFKD shortcut is met
    for cp in range(0x80, 0x10000):
        ch = chr(cp)
        for text in (ch, f"1{ch}2", f"{ch}\u0301"):
            assert reader.fold(text) == old_fold(text), hex(cp)


numbery = st.text(alphabet=st.sampled_from("0123456789 /,、-xX一二〇零王五\n１３９" "\u200b"), max_size=120)


@pytest.mark.slow  # thousands of drawn texts: `make test`; test-fast keeps the exhaustive and worked examples
@settings(max_examples=2000, deadline=None)
@given(st.one_of(texts, numbery))
def test_scan_text_finds_what_it_found(text):
    assert reader.scan_text(text) == old_scan_text(text)


def test_a_page_of_prose_folds_as_before():
    text = ("关于申报二〇一九年度老旧小区改造项目的公告（第１号）：联系电话 139\u200b0745\u30fb0001，"
            "身份证 11010５1990O3074514，卡号 6222 0212 3456 7890 128；ⅼ①⑵ 一二三…\n") * 50
    assert reader.fold(text) == old_fold(text)
    assert reader.fold(text, chinese=False) == old_fold(text, chinese=False)
    assert reader.scan_text(text) == old_scan_text(text)
    assert reader.scan_text(text)  # the test text does hold numbers


json_values = st.recursive(
    st.one_of(st.integers(min_value=-10, max_value=10**12), st.booleans(), st.none(), st.text(max_size=5),
              st.floats(allow_nan=False)),
    lambda inner: st.one_of(st.lists(inner, max_size=6), st.dictionaries(st.text(max_size=4), inner, max_size=4)),
    max_leaves=40)


@pytest.mark.slow  # thousands of drawn texts: `make test`; test-fast keeps the exhaustive and worked examples
@settings(max_examples=1000, deadline=None)
@given(json_values)
def test_json_strings_are_the_plain_ones(data):
    data = json.loads(json.dumps(data))
    assert list(reader._json_strings(data)) == list(old_json_strings(data))


def test_postings_are_skipped_but_long_numbers_read():
    data = {"t": [1, 2, 3, 99], "u": [5, 12345678901], "v": [True, 3], "w": [[1], "号"]}
    assert list(reader._json_strings(data)) == list(old_json_strings(data))
    assert "12345678901" in list(reader._json_strings(data))
