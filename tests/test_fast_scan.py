"""The quick personal-number scan finds exactly what the full scan finds.

``pii.scan`` first asks one regular expression whether a text can hold a
personal number at all, and the guards test an item's front matter joined
into one text before scanning field by field: for any text the shortcut must
never say "nothing" where ``pii.full_scan`` finds something. ``reference_scan``
below is the scanner as it was before the reader's-view normalisation, kept
verbatim: whatever it found, today's scanner finds too, at the same place.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.guards import pii

_FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX")
_RUN = re.compile(r"(?<![0-9])([0-9]+)([xX](?![A-Za-z]))?(?![0-9])")
_GROUPED_MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])([ -])([0-9]{4})\2([0-9]{4})(?![0-9])")
_GROUPED_CARD = re.compile(
    r"(?<![0-9])([0-9]{4})([ -])([0-9]{4})\2([0-9]{4})\2([0-9]{4})(?:\2([0-9]{1,3}))?(?![0-9])")


def reference_scan(text: str) -> list[pii.Finding]:
    text = text.translate(_FULL_WIDTH)
    found = []
    for m in _RUN.finditer(text):
        digits, check = m.group(1), (m.group(2) or "").upper()
        number = digits + check
        if check and len(digits) != 17:
            continue
        kind = pii.classify(number)
        if kind is None and len(digits) == 13 and digits.startswith("86") and text[m.start() - 1:m.start()] == "+":
            number, kind = digits[2:], ("mobile" if pii.is_mobile(digits[2:]) else None)
        if kind is not None:
            found.append(pii._at(text, m.start(), m.end(), kind, number))
    for pattern, kind in ((_GROUPED_MOBILE, "mobile"), (_GROUPED_CARD, "card")):
        for m in pattern.finditer(text):
            number = "".join(g for i, g in enumerate(m.groups(), 1) if g and i != 2)
            if (pii.is_mobile(number) if kind == "mobile" else pii.is_card_number(number)):
                found.append(pii._at(text, m.start(), m.end(), kind, number))
    return sorted(found, key=lambda f: (f.line, f.column))


REAL = ["330102198506141232", "11010519491231002X", "11010519491231002x", "6222021234567890128",
        "6228480012345671", "13812345678", "１３８１２３４５６７８", "138 1234 5678", "138-1234-5678",
        "+8613812345678", "6222 0212 3456 7890 128", "6222-0212-3456-7890", "３３０１０２１９８５０６１４１２３２"]
NOISE = ["002501001/2024-00012", "2025-03-18", "12345678.90", "0571-65000001", "138****5678",
         "青政发〔2025〕4号", "x", "X", "ｘ", "+", "+86", " ", "-", "\n", "\r\n", "　", "／", "abc"]
# the spellings the reader's view undoes: entities, emphasis, zero-width characters, tags
WRITTEN = ["110101 19900307 4514", "139　0745　0001", "139.0745.0001", "139–0745–0001", "&#49;3907450001",
           "139**0745**0001", "1\u200b3907450001", "110101900307451", "6222　0212　3456　7890　128",
           "139<b>0745</b>0001", "&nbsp;", "&#x31;", "&amp;", "<br>", "<b>", "**", "`", "\u00ad", "\ufeff"]
pieces = st.one_of(
    st.sampled_from(REAL + NOISE + WRITTEN),
    st.text(alphabet="0123456789０１２３４５６７８９ xX-+\n　.–*_`\u200b&#;<>b", max_size=25),
    st.text(max_size=8),
    st.integers(0, 10**20).map(str),
)
texts = st.lists(pieces, max_size=12).map("".join)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(texts)
def test_quick_scan_equals_full_scan_and_finds_all_the_old_scan_found(text):
    full = pii.full_scan(text)
    assert pii.scan(text) == full
    if full:
        assert pii.may_contain(text)
    assert {(f.number, f.start) for f in reference_scan(text)} <= {(f.number, f.start) for f in full}


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(st.lists(texts, max_size=8))
def test_joined_texts_hide_no_number(parts):
    # the guards test "\n".join(front-matter strings) once; a number in any part must show
    if any(pii.full_scan(p) for p in parts):
        assert pii.may_contain("\n".join(parts))
