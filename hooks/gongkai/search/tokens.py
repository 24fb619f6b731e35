"""Search tokens: the one definition the build and the browser both follow.

``overrides/assets/search/tokens.js`` is a line-by-line port of this module;
``tests/data/search_tokens.json`` holds vectors both implementations must
reproduce, so a change here that is not mirrored there fails the tests.
Where Python takes a faster route to the same tokens (``normalize``,
``words``: they run over every body at build time), the JavaScript keeps the
plain form; ``tests/test_search_tokens_fast.py`` compares the two routes.

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
from operator import add


# Han ideographs (BMP, Extension A, astral extensions) plus 〇; NFKC maps
# compatibility ideographs into these ranges.
def is_han(ch: str) -> bool:
    cp = ord(ch)
    return cp == 0x3007 or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF or 0x20000 <= cp <= 0x3134F


def is_word(ch: str) -> bool:
    return "0" <= ch <= "9" or "a" <= ch <= "z"


# Full-width punctuation of ordinary Chinese prose (and the … that ends a
# shortened summary), each NFKC-mapped to ASCII. NFKC runs its slow path over
# the whole string as soon as one character needs mapping; replacing these
# first (C-speed str.replace) leaves most texts already normalized, so NFKC
# only checks them. The result is the same: NFKC decomposes each of these
# characters to exactly the ASCII put in its place, and composes from that
# decomposition (tests/test_search_tokens_fast.py checks both).
_COMMON_COMPAT = tuple((ch, unicodedata.normalize("NFKC", ch)) for ch in "，（）；：！？％　．／－～…")
_UPPER = re.compile(r"[A-Z]+")


def _lower(m: re.Match) -> str:
    return m.group(0).lower()


def normalize(text: str) -> str:
    """NFKC (full-width digits/letters/brackets to ASCII) and ASCII lower case."""
    for ch, ascii_ch in _COMMON_COMPAT:
        if ch in text:
            text = text.replace(ch, ascii_ch)
    text = unicodedata.normalize("NFKC", text)
    return _UPPER.sub(_lower, text)


_WS = r"[ \t\r\n\f\v]*"  # spelled out: Python's \s and \d are wider than JavaScript's
_WS_CHARS = " \t\r\n\f\v"
# After NFKC: 〔〕 and 【】 stay, full-width [] () {} become ASCII. The Han
# prefix (机关代字) is found by walking back from the match: a regex with a
# leading Han run would retry it at every character, quadratic on long bodies.
_DOC_NUMBER = re.compile(
    rf"[〔\[(【{{]{_WS}([0-9]{{4}}|[0-9]{{2}}){_WS}[〕\])】}}]{_WS}(第)?{_WS}([0-9]+){_WS}(号)?")
_ORDER_NUMBER = re.compile(rf"令{_WS}(?:第{_WS}([0-9]+){_WS}号?|([0-9]+){_WS}号)")
_INDEX_NUMBER = re.compile(
    rf"(?<![0-9a-z])([0-9a-z]{{18}}|[0-9a-z]{{9}}){_WS}/{_WS}([0-9]{{4}}){_WS}-{_WS}([0-9]+)(?![0-9])")


def _is_prefix_han(ch: str) -> bool:
    cp = ord(ch)
    return cp == 0x3007 or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF


def _han_prefix_start(text: str, pos: int, floor: int, skip_space: bool) -> tuple[int, int]:
    """(start, end) of the Han run ending at ``pos`` (after optional spaces), not before ``floor``."""
    end = pos
    if skip_space:
        while end > floor and text[end - 1] in _WS_CHARS:
            end -= 1
    start = end
    while start > floor and _is_prefix_han(text[start - 1]):
        start -= 1
    return start, end


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
    # the 索引号 pattern cannot skip ahead (it opens with a lookbehind) and
    # would try every position of a long body; no "/" means no 索引号
    index_numbers = _INDEX_NUMBER.finditer(text) if "/" in text else ()
    for m in index_numbers:
        token = f"{m[1]}/{m[2]}-{int(m[3])}"
        found.append(Special(m.start(), m.end(), token, token))
    floor = 0
    for m in _DOC_NUMBER.finditer(text):
        start, end = _han_prefix_start(text, m.start(), floor, True)
        floor = m.end()
        if _overlaps(found, start, m.end()):
            continue
        year = m[1] if len(m[1]) == 4 else "20" + m[1]
        bare = f"〔{year}〕{int(m[3])}号"
        found.append(Special(start, m.end(), bare, text[start:end] + bare))
    floor = 0
    for m in _ORDER_NUMBER.finditer(text):
        start, end = _han_prefix_start(text, m.start(), floor, False)
        floor = m.end()
        if _overlaps(found, start, m.end()):
            continue
        num = int(m[1] or m[2])
        if num == 0:
            continue
        bare = f"令第{num}号"
        found.append(Special(start, m.end(), bare, text[start:end] + bare))
    return sorted(found, key=lambda s: s.start)


def _overlaps(found: list[Special], start: int, end: int) -> bool:
    return any(s.start < end and start < s.end for s in found)


_RUNS = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]+|[0-9a-z]+")


# Tokens of a run, by run, kept for the runs seen first (a bound on memory: a
# few tens of MB). A site repeats its phrases (套话, agency names, the opening of a
# body in its summary): a run seen before costs one dictionary look-up instead of
# a string per pair, and its pairs are the same str objects as before, whose hash
# is already known to the counting and posting dictionaries downstream.
RUN_CACHE_MAX = 1 << 15
_run_cache: tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]] = ({}, {})


def _run_words(run: str, unigrams: bool) -> tuple[str, ...]:
    if len(run) == 1 or run[0] <= "z":  # a lone Han character, or an ASCII word
        return (run,)
    pairs = tuple(map(add, run, run[1:]))  # pairs of the run and the run shifted by one, made in C
    return (*run, *pairs) if unigrams else pairs


def words(text: str, unigrams: bool) -> list[str]:
    """Ordinary tokens of normalized text: ASCII words/numbers, Han bigrams.

    A lone Han character (a run of one) is its own token; with ``unigrams``
    every Han character also is, so single-character queries find titles.
    """
    # The hot loop of the index build: one Python step and one look-up per run.
    out: list[str] = []
    extend = out.extend
    cache = _run_cache[unigrams]
    get = cache.get
    for run in _RUNS.findall(text):
        found = get(run)
        if found is None:
            found = _run_words(run, unigrams)
            if len(cache) < RUN_CACHE_MAX:
                cache[run] = found
        extend(found)
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

