"""Search tokens: the one definition the build and the browser both follow.

``overrides/assets/search/tokens.js`` is a line-by-line port of this module;
``tests/data/search_tokens.json`` holds vectors both implementations must
reproduce, so a change here that is not mirrored there fails the tests.

Why character bigrams: Chinese has no spaces, and a citizen types any run of
characters from a title (Ctrl-F habits). Every run of two or more characters
is found if the index holds every overlapping pair and the query asks for all
pairs of its own runs. Word segmentation (jieba) would split 扶贫资金 in the
index and a typed 贫资 differently, losing documents.

发文字号 and 索引号 get dedicated exact tokens in their canonical spelling,
whatever brackets, digits or spaces a user types. Those tokens contain
brackets or a slash, so no ordinary token can ever equal one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


# Han ideographs (BMP, Extension A, astral extensions) plus 〇; NFKC maps
# compatibility ideographs into these ranges.
def is_han(ch: str) -> bool:
    cp = ord(ch)
    return cp == 0x3007 or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0x20000 <= cp <= 0x3134F


def is_word(ch: str) -> bool:
    return "0" <= ch <= "9" or "a" <= ch <= "z"


def normalize(text: str) -> str:
    """NFKC (full-width digits/letters/brackets to ASCII) and ASCII lower case."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[A-Z]+", lambda m: m.group(0).lower(), text)


_HAN = r"\u3007\u3400-\u4dbf\u4e00-\u9fff"
_WS = r"[ \t\r\n\f\v]*"  # spelled out: Python's \s and \d are wider than JavaScript's
# After NFKC: 〔〕 and 【】 stay, full-width [] () {} become ASCII.
_DOC_NUMBER = re.compile(
    rf"([{_HAN}]*){_WS}[〔\[(【{{]{_WS}([0-9]{{4}}|[0-9]{{2}}){_WS}[〕\])】}}]{_WS}(第)?{_WS}([0-9]+){_WS}(号)?")
_ORDER_NUMBER = re.compile(rf"([{_HAN}]*令){_WS}(?:第{_WS}([0-9]+){_WS}号?|([0-9]+){_WS}号)")
_INDEX_NUMBER = re.compile(
    rf"(?<![0-9a-z])([0-9a-z]{{18}}|[0-9a-z]{{9}}){_WS}/{_WS}([0-9]{{4}}){_WS}-{_WS}([0-9]+)(?![0-9])")


@dataclass(frozen=True, slots=True)
class Special:
    """An exact-lookup token found in text: ``bare`` must match, ``full`` ranks."""

    start: int
    end: int
    bare: str
    full: str


def specials(text: str) -> list[Special]:
    """发文字号, 令 numbers and 索引号 in already ``normalize``d text, in order."""
    found: list[Special] = []
    for m in _INDEX_NUMBER.finditer(text):
        token = f"{m[1]}/{m[2]}-{int(m[3])}"
        found.append(Special(m.start(), m.end(), token, token))
    for m in _DOC_NUMBER.finditer(text):
        if _overlaps(found, m.start(), m.end()):
            continue
        year = m[2] if len(m[2]) == 4 else "20" + m[2]
        bare = f"〔{year}〕{int(m[4])}号"
        found.append(Special(m.start(), m.end(), bare, m[1] + bare))
    for m in _ORDER_NUMBER.finditer(text):
        if _overlaps(found, m.start(), m.end()):
            continue
        num = int(m[2] or m[3])
        if num == 0:
            continue
        bare = f"令第{num}号"
        found.append(Special(m.start(), m.end(), bare, m[1][:-1] + bare))
    return sorted(found, key=lambda s: s.start)


def _overlaps(found: list[Special], start: int, end: int) -> bool:
    return any(s.start < end and start < s.end for s in found)


def words(text: str, unigrams: bool) -> list[str]:
    """Ordinary tokens of normalized text: ASCII words/numbers, Han bigrams.

    A lone Han character (a run of one) is its own token; with ``unigrams``
    every Han character also is, so single-character queries find titles.
    """
    out: list[str] = []
    run: list[str] = []
    word: list[str] = []

    def flush_run():
        if len(run) == 1:
            out.append(run[0])
        else:
            if unigrams:
                out.extend(run)
            out.extend(run[i] + run[i + 1] for i in range(len(run) - 1))
        run.clear()

    def flush_word():
        out.append("".join(word))
        word.clear()

    for ch in text:
        if is_han(ch):
            if word:
                flush_word()
            run.append(ch)
        elif is_word(ch):
            if run:
                flush_run()
            word.append(ch)
        else:
            if run:
                flush_run()
            if word:
                flush_word()
    if run:
        flush_run()
    if word:
        flush_word()
    return out


def tokenize(text: str, unigrams: bool = False) -> list[str]:
    """Every token of a document field, in order, repeats kept (lunr counts them)."""
    text = normalize(text)
    found = specials(text)
    tokens = words(text, unigrams)
    for s in found:
        tokens.append(s.bare)
        if s.full != s.bare:
            tokens.append(s.full)
    return tokens


@dataclass(frozen=True, slots=True)
class Clause:
    term: str
    required: bool
    boost: float


FULL_NUMBER_BOOST = 10.0


def query_clauses(query: str) -> list[Clause]:
    """What a typed query asks for: every ordinary token and every bare
    number required (AND, as citizens expect), full numbers as a ranking boost.
    """
    text = normalize(query)
    found = specials(text)
    clauses: list[Clause] = []
    seen: set[str] = set()

    def add(term: str, required: bool, boost: float):
        if term not in seen:
            seen.add(term)
            clauses.append(Clause(term, required, boost))

    rest, pos = [], 0
    for s in found:
        rest.append(text[pos:s.start])
        pos = s.end
        add(s.bare, True, 1.0)
        if s.full != s.bare:
            add(s.full, False, FULL_NUMBER_BOOST)
    rest.append(text[pos:])
    for term in words(" ".join(rest), unigrams=False):
        add(term, True, 1.0)
    return clauses

