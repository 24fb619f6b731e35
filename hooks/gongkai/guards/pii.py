"""Find unmasked personal numbers in text: ID cards, mobile phones, bank cards.

Leaked 公示 lists are a repeatedly reported incident, so any text that will be
published is scanned before the build. Only numbers that are real by their own
rules count (the ID check digit, a plausible birth date, the Luhn digit, a
card-issuer prefix), which keeps dates, amounts and 索引号 quiet. A number is a
whole run of digits: digits inside a longer run (an account statement line, a
serial) are not a number of their own. Masked forms such as 138****1234 and
35*************123 break the run and pass.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import html
import itertools
import re
from dataclasses import dataclass
from typing import Literal

# python-stdnum is imported on first use (``_stdnum``): its util module pulls in pydoc
# and ssl, which would cost every `gongkai` command a noticeable start-up, while nearly
# no text ever reaches a check digit.

Kind = Literal["id", "mobile", "card"]

KIND_LABELS: dict[str, str] = {"id": "身份证号", "mobile": "手机号", "card": "银行卡号"}

# Full-width digits are common in text pasted from Word; mapping them one to
# one keeps every column position valid.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX")

# What a reader does not see between two digits: zero-width characters, the soft
# hyphen, Markdown emphasis, code and escape markers. Removed before scanning, so
# ``139**0745**0001`` is the number it renders as.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"
_MARKERS = "*_`~\\\\"
# What people type between the groups of a number: spaces of every width (the
# ideographic space U+3000, NBSP), dots and dashes of every kind.
_SEPARATORS = (" \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
               ".\u00b7\u2024\u2027\u30fb\uff0e\uff65"
               "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d")
# HTML that a reader does not see: entities stand for their character, inline tags
# for nothing; any other tag ends a line of text (a cell, a paragraph).
_ENTITY = r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7});?|&[A-Za-z][A-Za-z0-9]{1,31};"
_TAG = r"<(?:/?([A-Za-z][A-Za-z0-9-]{0,30})(?:\s[^<>\n]{0,200})?/?|!--[^<>\n]{0,200}--)>"
_INLINE_TAGS = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn",
                          "em", "font", "i", "ins", "kbd", "mark", "q", "s", "samp", "small", "span",
                          "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr"})
_HIDDEN = re.compile(f"{_ENTITY}|{_TAG}|[{_INVISIBLE}{_MARKERS}]+|[０-９ｘＸ]+")
_HIDDEN_OTHER = re.compile(f"{_ENTITY}|{_TAG}|[{_INVISIBLE}{_MARKERS}]")
_FULL_WIDTH_CHARS = re.compile("[０-９ｘＸ]")

# Every finding needs eleven digits (the shortest number, a mobile), each next to
# the last or apart by what ``_HIDDEN`` removes and a few separators. Nearly all
# published text has no such run, so one C-level search settles it; the gaps never
# hold a newline, so texts joined with "\n" can be tested together. Entities are
# digits of their own (``&#49;``): text with one takes the slow path.
# A number starts a run of digits with 1-9 (a landline's 0 never does); the gaps are
# possessive because no digit is part of a gap: a failed match never backtracks into one.
_GAP = f"(?:[{_SEPARATORS}]|[{_INVISIBLE}{_MARKERS}]++|{_TAG}){{0,6}}+"
_CANDIDATE = re.compile(f"(?<![0-9０-９])[1-9１-９](?:{_GAP}[0-9０-９]){{10}}")
_HAS_ENTITY = re.compile(r"&#|&[A-Za-z][A-Za-z0-9]{1,31};")

# A chain of digit groups in the reader's text: ``110101 19900307 4514``,
# ``139.0745.0001``; the last group may end in the ID check letter X.
_CHAIN = re.compile(f"(?<![0-9])[0-9]+(?:[{_SEPARATORS}]{{1,3}}[0-9]+)*(?:[xX](?![A-Za-z]))?(?![0-9])")
_GROUP = re.compile(r"[0-9]+")
# How a mobile is grouped when it is written in groups
_MOBILE_GROUPS = frozenset({(3, 4, 4), (3, 8), (7, 4), (4, 4, 3), (4, 3, 4)})

# Where the fields of a resident ID end (region 3+3, birth year, month, day, serial):
# the only places a grouped ID is split
_ID18_CUTS = frozenset({3, 6, 10, 12, 14, 17})
_ID15_CUTS = frozenset({3, 6, 8, 10, 12})

# Issuer prefixes of cards issued or accepted in China (UnionPay 62, Visa 4,
# Mastercard 51-55/22-27, JCB 35, Discover 60/65, domestic 9…). Luhn alone
# passes one random number in ten; 18-digit agency codes start with 1.
_CARD_PREFIX = re.compile(r"^(62|4|5[1-5]|2[2-7]|35|60|65|9)")


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    number: str  # the digits as found, normalised (no spaces, upper-case X)
    line: int  # 1-based line within the scanned text
    column: int  # 1-based
    start: int = 0  # offsets of the whole written form in the scanned text
    end: int = 0

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def masked(self) -> str:
        return mask(self.kind, self.number)

    def message(self) -> str:
        return (f"含有未脱敏的{self.label}（{self.masked}）：公开前应脱敏，"
                f"写成 {self.masked} 这样的形式（{self.label}不能作为例外公开）")


def mask(kind: Kind, number: str) -> str:
    """The usual de-identified form, also safe to print in logs and comments."""
    if kind == "id":
        return number[:2] + "*" * (len(number) - 5) + number[-3:]
    if kind == "mobile":
        return number[:3] + "****" + number[-4:]
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def normalise(number: str) -> str:
    """Digits (and X) only, so an exception may be written with spaces or dashes."""
    return re.sub(r"[^0-9X]", "", number.translate(_FULL_WIDTH).upper())


@functools.cache
def _stdnum():
    from stdnum import exceptions, luhn, numdb
    from stdnum.cn import ric

    return ric, luhn, numdb.get("cn/loc"), exceptions.ValidationError


def id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2, as python-stdnum computes it for the resident ID."""
    return _stdnum()[0].calc_check_digit(first17 + "0")


def _born_ok(born: dt.date, today: dt.date | None) -> bool:
    return dt.date(1900, 1, 1) <= born <= (today or dt.date.today())


def is_id_number(number: str, today: dt.date | None = None) -> bool:
    """A resident ID: 18 characters with the MOD 11-2 check digit and a real birth date,
    or the 15-digit form issued before 1999 (a known province code and a real 19YYMMDD)."""
    if len(number) == 15:
        return number.isdigit() and _old_id(number, today)
    if len(number) != 18 or not number[:17].isdigit() or number[0] == "0":
        return False
    ric, _, _, invalid = _stdnum()
    if ric.calc_check_digit(number) != number[17].upper():
        return False
    try:
        born = ric.get_birth_date(number)
    except invalid:
        return False
    return _born_ok(born, today)


def _old_id(number: str, today: dt.date | None) -> bool:
    try:
        born = dt.date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    if not _born_ok(born, today):
        return False
    found = _stdnum()[2].info(number[:6])
    return bool(found and found[0][1].get("province"))


def luhn_ok(number: str) -> bool:
    return _stdnum()[1].is_valid(number)


def is_card_number(number: str) -> bool:
    return (16 <= len(number) <= 19 and number.isdigit() and bool(_CARD_PREFIX.match(number))
            and _stdnum()[1].is_valid(number))


def is_mobile(number: str) -> bool:
    return len(number) == 11 and re.fullmatch(r"1[3-9][0-9]{9}", number) is not None


def classify(number: str, today: dt.date | None = None) -> Kind | None:
    """What a whole run of digits is, if it is a personal number at all."""
    if len(number) in (15, 18) and is_id_number(number, today):
        return "id"
    if number.isdigit():
        if is_mobile(number):
            return "mobile"
        if is_card_number(number):
            return "card"
    return None


def _grouped(sizes: tuple[int, ...], number: str, today: dt.date | None) -> Kind | None:
    """What a number written in groups of ``sizes`` is, when the groups fall where people
    split that kind of number (an ID between its fields, a card in fours)."""
    total = len(number)
    cuts = set(itertools.accumulate(sizes[:-1]))
    if total == 11 and sizes in _MOBILE_GROUPS:
        return "mobile" if is_mobile(number) else None
    if total == 18 and cuts <= _ID18_CUTS:
        return "id" if is_id_number(number, today) else None
    if total == 15 and cuts <= _ID15_CUTS:
        return "id" if is_id_number(number, today) else None
    if 16 <= total <= 19 and (all(c % 4 == 0 for c in cuts) or cuts == {6}):
        return "card" if is_card_number(number) else None
    return None


def may_contain(text: str) -> bool:
    """False when ``text`` certainly holds no personal number (``scan`` would find nothing)."""
    return _CANDIDATE.search(text) is not None or (
        "&" in text and _HAS_ENTITY.search(text) is not None and _candidate_after_entities(text))


def _candidate_after_entities(text: str) -> bool:
    return _CANDIDATE.search(_ReaderText(text).text) is not None


def _mark(norm: list[int], orig: list[int], span: list[int], length: int, at: int, size: int) -> None:
    norm.append(length)
    orig.append(at)
    span.append(size)


class _ReaderText:
    """``text`` as a reader sees it (``_HIDDEN`` undone), with offsets back into ``text``."""

    __slots__ = ("text", "_norm", "_orig", "_span")

    def __init__(self, original: str):
        pieces: list[str] = []
        norm: list[int] = []  # where each segment starts in the reader's text
        orig: list[int] = []  # … and in the original
        span: list[int] = []  # the original length of a replaced segment; -1: copied as is
        at = 0
        length = 0
        for m in _HIDDEN.finditer(original):
            if m.start() > at:
                _mark(norm, orig, span, length, at, -1)
                pieces.append(original[at:m.start()])
                length += m.start() - at
            written = m.group()
            if written[0] == "&":
                replaced = html.unescape(written).translate(_FULL_WIDTH)
            elif written[0] == "<":
                name = (m.group(1) or "").lower()
                replaced = "" if name in _INLINE_TAGS or written.startswith("<!--") else "\n"
            elif written[0] in "０１２３４５６７８９ｘＸ":
                replaced = written.translate(_FULL_WIDTH)
            else:
                replaced = ""
            if replaced:
                _mark(norm, orig, span, length, m.start(), m.end() - m.start())
                pieces.append(replaced)
                length += len(replaced)
            at = m.end()
        if at < len(original) or not norm:
            _mark(norm, orig, span, length, at, -1)
            pieces.append(original[at:])
        self.text = "".join(pieces)
        self._norm, self._orig, self._span = norm, orig, span

    def start(self, offset: int) -> int:
        i = bisect.bisect_right(self._norm, offset) - 1
        if self._span[i] < 0:
            return self._orig[i] + offset - self._norm[i]
        return self._orig[i]

    def end(self, offset: int) -> int:
        i = bisect.bisect_right(self._norm, offset - 1) - 1
        if self._span[i] < 0:
            return self._orig[i] + offset - self._norm[i]
        return self._orig[i] + self._span[i]


def scan(text: str, today: dt.date | None = None) -> list[Finding]:
    """Every unmasked personal number in ``text``, in reading order."""
    if not may_contain(text):
        return []
    return full_scan(text, today)


def full_scan(text: str, today: dt.date | None = None) -> list[Finding]:
    """``scan`` without the ``may_contain`` shortcut (a test holds the two equal).

    The text is read twice when it holds anything a reader does not see: as written
    (a tag or a zero-width space between two numbers keeps them apart) and as the reader
    sees it (``139**0745**0001`` is one number); a number found either way counts.
    """
    plain = text.translate(_FULL_WIDTH) if _FULL_WIDTH_CHARS.search(text) is not None else text
    found = _chains(text, plain, None, today)
    if _HIDDEN_OTHER.search(text) is not None:
        reader = _ReaderText(text)
        known = {(f.number, f.start) for f in found}
        found += [f for f in _chains(text, reader.text, reader, today)
                  if (f.number, f.start) not in known]
    return sorted(found, key=lambda f: (f.line, f.column))


def _chains(text: str, seen: str, reader: _ReaderText | None, today: dt.date | None) -> list[Finding]:
    """Findings in ``seen`` (``text`` as read), with offsets into ``text``."""
    found: list[Finding] = []
    lines = _Lines(text)
    for chain in _CHAIN.finditer(seen):
        if chain.end() - chain.start() < 11:
            continue  # fewer than eleven characters hold no number (a mobile is the shortest)
        groups = [(g.start(), g.end(), g.group()) for g in _GROUP.finditer(chain.group())]
        if sum(len(g[2]) for g in groups) < 11:
            continue
        base = chain.start()
        check = "X" if chain.group()[-1] in "xX" else ""
        i = 0
        while i < len(groups):
            taken = _take(groups, i, check, today, seen, base)
            if taken is None:
                i += 1
                continue
            j, kind, number, start = taken
            end = base + groups[j][1] + (1 if check and j == len(groups) - 1 else 0)
            if reader is not None:
                start, end = reader.start(start), reader.end(end)
            found.append(_at(lines, start, end, kind, number))
            i = j + 1
    return found


def _take(groups: list[tuple[int, int, str]], i: int, check: str, today: dt.date | None,
          seen: str, base: int) -> tuple[int, Kind, str, int] | None:
    """The longest personal number written as groups ``i``…``j``: (j, kind, digits, start).

    At most 19 digits are looked at from group ``i`` on, and their prefixes are built once,
    so each group costs a bounded amount of work: the scan stays linear in its input."""
    last = len(groups) - 1
    if len(groups[i][2]) == 1 and i > 0 and len(groups[i - 1][2]) == 1:
        # inside a run of single digits: people never split a number after its first digit,
        # and single digits count only as a whole run, which started earlier
        return None
    total = 0
    j = i
    prefixes: list[str] = []
    sizes_upto: list[int] = []
    while j <= last and total + len(groups[j][2]) <= 19:
        total += len(groups[j][2])
        prefixes.append((prefixes[-1] if prefixes else "") + groups[j][2])
        sizes_upto.append(len(groups[j][2]))
        j += 1
    start = base + groups[i][0]
    # one digit at a time (``1 3 9 0 …``, as PDFs of spaced glyphs extract) is a number only
    # as a whole run of single digits, which must start here
    run_start = i == 0 or len(groups[i - 1][2]) > 1
    singles = next((n for n, size in enumerate(sizes_upto) if size > 1), len(sizes_upto))
    for k in range(j - 1, i - 1, -1):
        if 0 < k - i < singles and not run_start:
            continue  # single digits inside a longer run of them: no number of their own
        digits = prefixes[k - i]
        letter = check if k == last else ""
        if letter and len(digits) != 17:
            letter = ""  # an x after a number that is no ID ("13812345678x") is just text
        number = digits + letter
        if k == i:
            kind = classify(number, today)
            if (kind is None and len(digits) == 13 and digits.startswith("86")
                    and seen[start - 1:start] == "+" and is_mobile(digits[2:])):
                return k, "mobile", digits[2:], start
        else:
            sizes = tuple(sizes_upto[:k - i + 1])
            if max(sizes) == 1:
                whole = run_start and (k == last or len(groups[k + 1][2]) > 1)
                kind = classify(number, today) if whole else None
            else:
                kind = _grouped(sizes, number, today)
        if kind is not None:
            return k, kind, number, start
    return None


class _Lines:
    """Line and column of offsets met in increasing order, counting each newline once
    (counting from the start for every finding made many findings quadratic)."""

    __slots__ = ("text", "at", "line", "line_start")

    def __init__(self, text: str):
        self.text, self.at, self.line, self.line_start = text, 0, 1, 0

    def of(self, offset: int) -> tuple[int, int]:
        if offset < self.at:  # out of order (a second reading): count afresh
            self.at, self.line, self.line_start = 0, 1, 0
        count = self.text.count("\n", self.at, offset)
        if count:
            self.line += count
            self.line_start = self.text.rfind("\n", self.at, offset) + 1
        self.at = offset
        return self.line, offset - self.line_start + 1


def _at(lines: _Lines | str, offset: int, end: int, kind: Kind, number: str) -> Finding:
    """The finding at ``offset``; ``lines``: the scan's line counter, or the text itself."""
    line, column = (_Lines(lines) if isinstance(lines, str) else lines).of(offset)
    return Finding(kind, number, line, column, offset, end)


def redact(text: str) -> str:
    """``text`` with every personal number masked: for reports, logs and comments."""
    pieces: list[str] = []
    at = 0
    for f in sorted(scan(text), key=lambda f: f.start):
        if f.start < at:
            continue
        pieces += [text[at:f.start], f.masked]
        at = f.end
    return "".join(pieces) + text[at:]
