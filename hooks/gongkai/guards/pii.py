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

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["id", "mobile", "card"]

KIND_LABELS: dict[str, str] = {"id": "身份证号", "mobile": "手机号", "card": "银行卡号"}

# Full-width digits are common in text pasted from Word; mapping them one to
# one keeps every column position valid.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX")
# Translating is a per-character dict look-up on Chinese text: only pay for it
# when there is something to translate.
_FULL_WIDTH_CHARS = re.compile("[０-９ｘＸ]")
# Every finding needs eleven digits in a row (the shortest whole number, a
# mobile) or the grouped form ``ddd-dddd-dddd`` that both grouped patterns
# contain. Nearly all published text has neither, so one C-level search
# settles it; the separators are not newlines, so texts joined with "\n" can
# be tested together without a match spanning two of them. The leading digit
# is factored out, and text without full-width digits gets the ASCII-only
# form: both make the search several times faster on Chinese text.
_CANDIDATE = re.compile(r"[0-9０-９](?:[0-9０-９]{10}|[0-9０-９]{2}([ -])[0-9０-９]{4}\1[0-9０-９]{4})")
_CANDIDATE_ASCII = re.compile(r"[0-9](?:[0-9]{10}|[0-9]{2}([ -])[0-9]{4}\1[0-9]{4})")
_FULL_WIDTH_DIGIT = re.compile("[０-９]")

# A maximal run of ASCII digits, optionally ending in the ID check letter X.
_RUN = re.compile(r"(?<![0-9])([0-9]+)([xX](?![A-Za-z]))?(?![0-9])")
# Numbers written in groups, as people type them: 138 1234 5678, 6222-0212-…
_GROUPED_MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])([ -])([0-9]{4})\2([0-9]{4})(?![0-9])")
_GROUPED_CARD = re.compile(
    r"(?<![0-9])([0-9]{4})([ -])([0-9]{4})\2([0-9]{4})\2([0-9]{4})(?:\2([0-9]{1,3}))?(?![0-9])")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
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
                f"写成 {self.masked} 这样的形式；确需公开的，在“个人信息例外”中写明号码和理由")


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


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def is_id_number(number: str, today: dt.date | None = None) -> bool:
    """An 18-character resident ID: MOD 11-2 check digit and a real birth date."""
    if len(number) != 18 or not number[:17].isdigit() or number[0] == "0":
        return False
    if id_check_digit(number[:17]) != number[17].upper():
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= (today or dt.date.today())


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def is_card_number(number: str) -> bool:
    return (16 <= len(number) <= 19 and number.isdigit() and bool(_CARD_PREFIX.match(number))
            and luhn_ok(number))


def is_mobile(number: str) -> bool:
    return len(number) == 11 and re.fullmatch(r"1[3-9][0-9]{9}", number) is not None


def classify(number: str, today: dt.date | None = None) -> Kind | None:
    """What a whole run of digits is, if it is a personal number at all."""
    if len(number) == 18 and is_id_number(number, today):
        return "id"
    if number.isdigit():
        if is_mobile(number):
            return "mobile"
        if is_card_number(number):
            return "card"
    return None


def may_contain(text: str) -> bool:
    """False when ``text`` certainly holds no personal number (``scan`` would find nothing)."""
    candidate = _CANDIDATE if _FULL_WIDTH_DIGIT.search(text) is not None else _CANDIDATE_ASCII
    return candidate.search(text) is not None


def scan(text: str, today: dt.date | None = None) -> list[Finding]:
    """Every unmasked personal number in ``text``, in reading order."""
    if not may_contain(text):
        return []
    if _FULL_WIDTH_CHARS.search(text) is not None:
        text = text.translate(_FULL_WIDTH)
    found: list[Finding] = []
    for m in _RUN.finditer(text):
        digits, check = m.group(1), (m.group(2) or "").upper()
        number = digits + check
        if check and len(digits) != 17:
            continue
        kind = classify(number, today)
        if kind is None and len(digits) == 13 and digits.startswith("86") and text[m.start() - 1:m.start()] == "+":
            number, kind = digits[2:], ("mobile" if is_mobile(digits[2:]) else None)
        if kind is not None:
            found.append(_at(text, m.start(), m.end(), kind, number))
    for pattern, kind in ((_GROUPED_MOBILE, "mobile"), (_GROUPED_CARD, "card")):
        for m in pattern.finditer(text):
            number = "".join(g for i, g in enumerate(m.groups(), 1) if g and i != 2)
            if (is_mobile(number) if kind == "mobile" else is_card_number(number)):
                found.append(_at(text, m.start(), m.end(), kind, number))
    return sorted(found, key=lambda f: (f.line, f.column))


def _at(text: str, offset: int, end: int, kind: Kind, number: str) -> Finding:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Finding(kind, number, line, column, offset, end)


def redact(text: str) -> str:
    """``text`` with every personal number masked: for reports, logs and comments."""
    for f in sorted(scan(text), key=lambda f: f.start, reverse=True):
        text = text[:f.start] + f.masked + text[f.end:]
    return text
