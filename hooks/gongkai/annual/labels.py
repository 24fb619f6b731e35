"""Row labels of section 三 as real reports print them, matched to the national rows.

Reports copied from published 年报 number their rows in several ways (``四、``, ``（二）``,
``(二)``, ``1.``), keep or drop the format's parenthetical notes, write ``下一年度`` for
``下年度`` and mix ASCII and full-width punctuation. A label is reduced to its words
(numbering, notes, punctuation and spaces removed) before it is compared, so every such
form names its row, while an unknown label is still refused.
"""

from __future__ import annotations

import re
import unicodedata

from gongkai.annual.layout import OUTCOMES, ROWS3

_CN_DIGITS = "一二三四五六七八九十"
#: leading numbering: 四、 / 四. / （二） / (二) / 1. / 1、 (NFKC has made brackets ASCII)
_NUMBERING = re.compile(rf"^(?:[{_CN_DIGITS}]+[、.．]|\([{_CN_DIGITS}]+\)|\d+[.、．]?)")
_NOTE = re.compile(r"\([^()]*\)")
_PUNCT = re.compile(r"[\s,，、.．。;；:：\"'“”‘’「」『』]")
#: words real reports use for the format's own
_SYNONYMS = (("下一年度", "下年度"), ("下一年", "下年度"))


def _flat(text: str) -> str:
    """Full-width forms folded (NFKC: （ -> (, ， -> ,, １ -> 1), spaces and quotes gone."""
    return re.sub(r"[\s\"“”'‘’]", "", unicodedata.normalize("NFKC", text))


def words(text: str) -> str:
    """The label's words only: numbering, parenthetical notes and punctuation removed."""
    flat = _flat(text)
    while True:
        stripped = _NUMBERING.sub("", flat, count=1)
        if stripped == flat:
            break
        flat = stripped
    flat = _PUNCT.sub("", _NOTE.sub("", flat))
    for written, meant in _SYNONYMS:
        flat = flat.replace(written, meant)
    return flat


def _codes() -> dict[str, str]:
    """Numbering alone names a row too: ``（三）1``, ``三.三.1``, ``(七)``, ``四``."""
    out: dict[str, str] = {}
    for row in ROWS3:
        out[_flat(row.key)] = row.key
        number = re.match(r"^(?:[一二三四]、|（[一二三四五六七]）)", row.label)
        if number and row.group is None:
            out[_flat(number.group(0)).rstrip("、")] = row.key
    for row in OUTCOMES:
        parts = row.key.split(".")
        if len(parts) > 2:
            out[_flat(f"（{parts[1]}）{parts[2]}")] = row.key
            out[_flat(f"（{parts[1]}）{parts[2]}.")] = row.key
    return out


_BY_WORDS = {words(row.label): row.key for row in ROWS3} | {words(row.short): row.key for row in OUTCOMES}
_BY_CODE = _codes()


def row_key(label: str) -> str | None:
    """The row of section 三 a label names, or None."""
    flat = _flat(label)
    if flat in _BY_CODE:
        return _BY_CODE[flat]
    return _BY_WORDS.get(words(label)) or None


def outcome_key(label: str) -> str | None:
    """The outcome (one of the 21) a label names, or None."""
    key = row_key(label)
    return key if key is not None and any(r.key == key for r in OUTCOMES) else None
