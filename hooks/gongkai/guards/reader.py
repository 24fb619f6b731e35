"""Personal numbers in the text a reader gets, not in the text an author wrote.

``pii`` reads source text and knows a list of what hides between digits. A browser
knows more: it decodes every entity, collapses whitespace (a line break inside a
paragraph is a space), draws nothing for format characters, joins adjacent inline
elements (``[139](#)[0745](#)[0001](#)`` is one number) and a reader takes ``１``,
``𝟏``, ``一`` and a Cyrillic ``Х`` for what they look like. So the converted HTML is
read here as a browser shows it, folded to what a reader takes it for, and handed to
``pii``; link targets are read percent-decoded. Every pass is linear in its input.

``locate`` maps a number found this way back to a line of the source: the source's
digits in reading order, found as one run (best effort; ``None`` when they are not).
"""

from __future__ import annotations

import datetime as dt
import functools
import html as html_lib
import itertools
import json
import operator
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gongkai.guards import pii

#: characters a reader may take for the ID check letter X
_X_LIKE = "ХхΧχ×✕✖╳ⅩⅹＸｘ"
#: digits written with Chinese numerals (an author can spell a number out digit by digit)
_CHINESE_DIGITS = {**dict(zip("〇零一二三四五六七八九", "00123456789", strict=True)),
                   **dict(zip("壹贰叁肆伍陆柒捌玖幺", "1234567891", strict=True))}
#: default-ignorable code points that are not ``Cf`` (Unicode's DerivedCoreProperties)
_IGNORABLE_RANGES = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
                     (0x2065, 0x2065), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0),
                     (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0xE0000, 0xE0FFF))


def is_invisible(ch: str) -> bool:
    """A character that draws nothing: every ``Cf`` and the other default-ignorables."""
    cp = ord(ch)
    if unicodedata.category(ch) == "Cf":
        return True
    return any(lo <= cp <= hi for lo, hi in _IGNORABLE_RANGES)


@functools.cache
def _fold_table(chinese: bool = True) -> dict[int, str | None]:
    """One translation: invisible characters and combining marks dropped, digits of every
    script (and, with ``chinese``, the Chinese numerals) made ASCII digits, look-alikes of X
    made X."""
    table: dict[int, str | None] = {}
    # Cf, Nd, Mn and Me code points all lie below U+20000 but for the tag and
    # variation-selector blocks, which _IGNORABLE_RANGES covers
    for cp in range(0x80, 0x20000):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat in ("Cf", "Mn", "Me"):
            table[cp] = None
        elif cat == "Nd":
            table[cp] = str(unicodedata.decimal(ch))
    for lo, hi in _IGNORABLE_RANGES:
        for cp in range(lo, hi + 1):
            table[cp] = None
    if chinese:
        for ch, digit in _CHINESE_DIGITS.items():
            table[ord(ch)] = digit
    for ch in _X_LIKE:
        table[ord(ch)] = "X"
    return table


@functools.cache
def invisible_class() -> str:
    """A regular-expression class of every character ``is_invisible`` holds true for."""
    table = _fold_table()
    chars = [chr(cp) for cp, value in table.items()
             if value is None and unicodedata.category(chr(cp)) not in ("Mn", "Me")]
    chars += [chr(cp) for lo, hi in _IGNORABLE_RANGES for cp in range(lo, hi + 1)]
    chars += [chr(cp) for cp in range(0xE0000, 0xE1000) if unicodedata.category(chr(cp)) == "Cf"]
    return _char_class({ord(c) for c in chars})


#: what people type between the groups of a number (``pii``'s separators: spaces, dots,
#: dashes); once folded, a run of them reads as one gap
_GAP_CHARS = (" \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
              ".\u00b7\u2024\u2027\u30fb\uff0e\uff65"
              "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d")
# a run of gaps whose first character follows a digit: the same runs as
# ``(?<=[0-9])[gaps]++(?=[0-9])``, but a pattern that starts with a class is searched for fast
_GAPS = re.compile(f"[{_GAP_CHARS}](?<=[0-9][{_GAP_CHARS}])[{_GAP_CHARS}]*+(?=[0-9])")
#: separators that also stand between figures of a table row (``612/1485``, ``3,862``): a
#: number only when one of them joins every group (``139/0745/0001``, ``139，0745，0001``)
_WEAK = "/\\|,\u3001:;~"
_WEAK_RUN = re.compile(f"(?<![0-9])[0-9]++ ?+([{_WEAK}]) ?+[0-9]++(?: ?+\\1 ?+[0-9]++)*+(?:[xX](?![A-Za-z]))?")
_WEAK_GAP = re.compile(f" ?+[{_WEAK}] ?+")
#: letters a reader takes for 0 and 1 when they stand among digits
_DIGIT_LIKE = "OoОоΟοIlІ"
_DIGIT_LIKE_MAP = str.maketrans(_DIGIT_LIKE, "000000111")
_NEAR_DIGITS = re.compile(f"(?<=[0-9])[{_DIGIT_LIKE}]++|(?<![{_DIGIT_LIKE}])[{_DIGIT_LIKE}]++(?=[0-9])")
#: a look-alike next to a digit: without one ``_NEAR_DIGITS`` changes nothing
_NEAR_ANY = re.compile(f"[{_DIGIT_LIKE}](?:(?<=[0-9][{_DIGIT_LIKE}])|(?=[0-9]))")


def fold(text: str, chinese: bool = True) -> str:
    """``text`` as a reader takes it: nothing invisible, NFKC, every digit an ASCII digit,
    look-alike letters among digits read as digits, each gap between digit groups one space.
    Lines stay lines: no newline is added or removed. ``chinese``: Chinese numerals are
    digits too (a name such as 王五 before a number is then read as part of it: callers
    scan both ways)."""
    if not text.isascii():
        text = _translated_nfkc(text, chinese)
    return _among_digits(text)


def _among_digits(text: str) -> str:
    """``fold``'s passes after the translation: look-alikes among digits, gaps between them."""
    if _NEAR_ANY.search(text) is not None:
        text = _NEAR_DIGITS.sub(lambda m: m.group().translate(_DIGIT_LIKE_MAP), text)
    return _GAPS.sub(" ", text)


def _translated_nfkc(text: str, chinese: bool) -> str:
    """``NFKC(text.translate(table)).translate(table)`` with ``_fold_table(chinese)``, without
    ``str.translate``'s dictionary look-up per character (a tenth of the time on Chinese text).

    Exact: one substitution over the runs of characters the table or NFKD would change maps
    the table's characters as the table does and every other one to its NFKD, which is ASCII
    here; NFKC of a text equals NFKC of it with any character replaced by its NFKD. What is
    left then passes NFKC's quick check unchanged in nearly every text, and holds no key of
    the table (the table and NFKD give ASCII, and no table key is ASCII), so the second
    translation changes nothing unless NFKC did. Characters beyond the BMP (rare) take the
    translating path."""
    table = _fold_table(chinese)
    if _ASTRAL.search(text) is not None:
        return unicodedata.normalize("NFKC", text.translate(table)).translate(table)
    premap, changed = _premap(chinese)
    once = changed.sub(lambda m: m.group().translate(premap), text)
    normal = unicodedata.normalize("NFKC", once)
    if normal == once:
        return once
    return normal.translate(table)


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@functools.cache
def _premap(chinese: bool) -> tuple[dict[int, str | None], re.Pattern[str]]:
    """The fold table's BMP characters, and every other BMP character whose NFKD is other
    ASCII text (full-width punctuation, the ideographic space); and a pattern of runs of them."""
    table = _fold_table(chinese)
    premap: dict[int, str | None] = {cp: value for cp, value in table.items() if cp < 0x10000}
    for cp in range(0x80, 0x10000):
        if cp not in premap:
            decomposed = unicodedata.normalize("NFKD", chr(cp))
            if decomposed != chr(cp) and decomposed.isascii():
                premap[cp] = decomposed
    return premap, re.compile(_char_class(premap) + "++")


def _char_class(points: Iterable[int]) -> str:
    """A regular-expression class of ``points``, as ranges: a class of thousands of single
    characters matches slowly."""
    ranges: list[list[int]] = []
    for cp in sorted(points):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "[" + "".join(re.escape(chr(lo)) + (f"-{re.escape(chr(hi))}" if hi > lo else "")
                         for lo, hi in ranges) + "]"


# --- HTML as a browser shows it ---------------------------------------------------------------

_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em",
                     "font", "i", "ins", "kbd", "label", "mark", "q", "rb", "rp", "rt", "ruby", "s",
                     "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u",
                     "var", "wbr", "img"})
_HIDDEN_CONTENT = frozenset({"script", "style", "template", "noscript"})
# A tag as the tokenizer reads it; quoted values may hold ">" (possessive: never re-tried)
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*+)((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>")
_ATTR = re.compile(r"([^\s=/>]++)(?:\s*+=\s*+(\"[^\"]*+\"|'[^']*+'|[^\s>]++))?")
_WHITESPACE = re.compile(r"[ \t\n\r\f]++")
_SHOWN_ATTRS = frozenset({"title", "alt", "placeholder", "aria-label", "label", "value", "content"})
_URL_ATTRS = frozenset({"href", "src", "action", "poster", "cite", "data", "srcset", "xlink:href"})


@dataclass(frozen=True, slots=True)
class Reading:
    text: str  # the page's text: blocks on lines of their own, whitespace collapsed
    shown: tuple[str, ...]  # attribute texts a reader sees (title tooltips, alt text)
    targets: tuple[str, ...]  # link and resource addresses, entities and %-escapes decoded


def read_html(html: str) -> Reading:
    """What a browser shows of ``html``: linear, and an unclosed tag or comment ends the
    text as it does in a browser (the rest is inside the tag)."""
    fast = _read_html_fast(html)
    return fast if fast is not None else _read_html_plain(html)


# The fast path reads HTML made of text, tags, comments and declarations only (nearly every page,
# feed and sitemap) with a few whole-string regular-expression passes instead of a Python
# step per tag; anything else returns None and takes ``_read_html_plain``.
#
# Why it gives the same reading: every ``<`` the plain tokenizer stops at is the start of a
# token below or is left in the text (CDATA, an unclosed tag or comment, a literal ``<``), and
# a search for the next token from where the last one ended finds the token the tokenizer
# reads there, as long as no ``<`` lies between them; so when every ``<`` starts a token,
# both read the same tokens. Each token becomes a control character that the HTML cannot
# hold (checked) and no character reference decodes to (``html.unescape`` gives "" for
# U+0001-U+0008): text between tokens stays apart when it is unescaped (a reference never
# spans one: its name holds no control character, and the longest-name rule finds the same
# name) and when its whitespace is collapsed, as the plain path does per chunk.
#: a comment (up to the first "-->" after its "<!--", as the tokenizer finds it) or a
#: declaration (``<?xml …?>``, a doctype)
_DECLARATION = r"!--(?s:.*?)-->|\?[^>]*+>|!(?!--|\[CDATA\[)[^>]*+>"
#: a tag (group 1: "/" when it closes, 2: its name, 3: its attributes), a comment or a
#: declaration (every group None); or (group 4) a "<" that starts none of them and all after
#: it: a search for tokens that failed at every later "<" again would take quadratic time
_TOKEN = re.compile(r"<(?:(/?)([A-Za-z][^\s/>]*+)((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>|"
                    + _DECLARATION + r")|(<[\s\S]*+)")
_CONTROLS = re.compile("[\x00-\x08]")
#: an element whose content is skipped, or ``pre`` (whitespace kept): the plain path (broader
#: than the names themselves, which only costs time)
_NOT_FAST = re.compile("<(?i:script|style|template|noscript|pre)")
_INLINE_MARK, _BLOCK_MARK = "\x04", "\x05"


def _spellings(name: str) -> Iterator[str]:
    """Every name that ``str.lower`` makes ``name`` (the Kelvin sign lowers to k)."""
    options = [{c, c.upper()} | ({"\u212a"} if c == "k" else set()) for c in name]
    return map("".join, itertools.product(*options))


#: what a token leaves between the texts around it: an inline element, a comment or a
#: declaration nothing (they join), any other element a line break
_SEPARATOR: dict[str | None, str] = {None: _INLINE_MARK,
                                     **{spelt: _INLINE_MARK for name in _INLINE for spelt in _spellings(name)}}


def _read_html_fast(html: str) -> Reading | None:
    if _CONTROLS.search(html) is not None or _NOT_FAST.search(html) is not None:
        return None
    parts = _TOKEN.split(html)  # text, then per token its 4 groups and the text after it
    if len(parts) > 1 and parts[-2] is not None:
        return None  # CDATA, an unclosed tag or comment, or a literal "<"
    texts = parts[0::5]
    separators = map(_SEPARATOR.get, parts[2::5], itertools.repeat(_BLOCK_MARK))
    # one text more than tokens: the last one follows the pairs
    marked = "".join(itertools.chain.from_iterable(zip(texts, separators, strict=False))) + texts[-1]
    if "&" in marked:
        marked = html_lib.unescape(marked)
    text = _WHITESPACE.sub(" ", marked).replace(_INLINE_MARK, "").replace(_BLOCK_MARK, "\n")
    shown: list[str] = []
    targets: list[str] = []
    # the attributes of opening tags only, as the plain path reads them
    for attrs in filter(None, itertools.compress(parts[3::5], map(operator.not_, parts[1::5]))):
        links, labels = _attributes(attrs)
        if links:
            targets += links
        if labels:
            shown += labels
    return Reading(text, tuple(shown), tuple(targets))


def _attributes(attrs: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An opening tag's link addresses and shown texts, in order; pages share most tags, so
    each distinct short attribute list is read once."""
    if len(attrs) > _CACHED_LENGTH:
        return _attributes_read(attrs)
    return _attributes_cached(attrs)


#: the longest attribute list, attribute or link kept with what was read from it (bounds
#: the caches' memory: an embedded image's address can be megabytes)
_CACHED_LENGTH = 256


@functools.lru_cache(maxsize=8192)
def _attributes_cached(attrs: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return _attributes_read(attrs)


def _attributes_read(attrs: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    targets: list[str] = []
    shown: list[str] = []
    for a in _ATTR.finditer(attrs):
        attr = a.group(1).lower()
        value = a.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        if attr in _URL_ATTRS:
            targets.append(urllib.parse.unquote(html_lib.unescape(value)))
        elif attr in _SHOWN_ATTRS:
            shown.append(html_lib.unescape(value))
    return tuple(targets), tuple(shown)


def _read_html_plain(html: str) -> Reading:
    """``read_html`` one token at a time: the reference, and the path for HTML that holds
    what the fast path leaves out (CDATA, hidden content, ``pre``, a stray ``<``)."""
    out: list[str] = []
    shown: list[str] = []
    targets: list[str] = []
    pos = 0
    pre = 0
    n = len(html)
    while pos < n:
        at = html.find("<", pos)
        if at < 0:
            at = n
        if at > pos:
            out.append(_text(html[pos:at], pre > 0))
        if at >= n:
            break
        if html.startswith("<!--", at):
            end = html.find("-->", at + 4)
            if end < 0:
                break
            pos = end + 3
            continue
        if html.startswith("<![CDATA[", at):  # XML (a feed): its content is text
            end = html.find("]]>", at + 9)
            out.append(_WHITESPACE.sub(" ", html[at + 9:n if end < 0 else end]))
            pos = n if end < 0 else end + 3
            continue
        if html.startswith(("<?", "<!"), at):  # an XML declaration, a doctype
            end = html.find(">", at + 2)
            if end < 0:
                break
            pos = end + 1
            continue
        m = _TAG.match(html, at)
        if m is None:
            nxt = html[at + 1:at + 2]
            if nxt.isalpha() or nxt in ("/", "!", "?"):
                break  # an unclosed tag: a browser reads the rest as its attributes
            out.append("<")
            pos = at + 1
            continue
        pos = m.end()
        closing, name = m.group(1), m.group(2).lower()
        if not closing:
            tag_targets, tag_shown = _attributes_read(m.group(3))
            targets.extend(tag_targets)
            shown.extend(tag_shown)
            if name in _HIDDEN_CONTENT:
                end = _find_lower(html, f"</{name}", pos)
                pos = n if end < 0 else end
                continue
        if name == "pre":
            pre = max(0, pre + (-1 if closing else 1))
        if name not in _INLINE:
            out.append("\n")
    return Reading("".join(out), tuple(shown), tuple(targets))


def _find_lower(html: str, needle: str, start: int) -> int:
    m = re.compile(re.escape(needle), re.I).search(html, start)
    return -1 if m is None else m.start()


def _text(chunk: str, pre: bool) -> str:
    if "&" in chunk:
        chunk = html_lib.unescape(chunk)
    if pre:
        return chunk
    return _WHITESPACE.sub(" ", chunk)


# --- scanning -------------------------------------------------------------------------------

#: constructs that can hide text written between two digits: tags, comments and attributes,
#: link targets and references, attribute lists, entities, escapes, footnotes
_HIDING = ("<", "](", "]:", "{", "&", "%", "[^", "][")
#: what Markdown turns into nothing or a gap without those: whitespace, line breaks,
#: emphasis, code, escapes, block markers (headings, quotes, lists, tables, rules)
_VANISHING = re.compile(f"[0-9\n\r*_`~\\\\#>|+=!{_GAP_CHARS}{_WEAK}]++")


def may_show_number(markdown: str) -> bool:
    """False when the HTML that ``markdown`` converts to certainly shows no personal number
    a reader could read, so it need not be converted to be sure."""
    folded = fold(markdown)
    if sum(c.isdigit() for c in folded) < 11:
        return False
    if any(h in markdown for h in _HIDING):
        return True
    # every visible character is shown: a number needs eleven digits with nothing shown between
    return any(sum(c.isdigit() for c in m.group()) >= 11 for m in _VANISHING.finditer(folded))


@dataclass(frozen=True, slots=True)
class Seen:
    """A personal number a reader gets, and where: the page text, an attribute or a link."""

    finding: pii.Finding
    where: str  # "text", "attribute", "link"


_CHINESE_DIGIT = re.compile(f"[{''.join(_CHINESE_DIGITS)}]")


_CHINESE_DIGIT_RUN = re.compile(f"[{''.join(_CHINESE_DIGITS)}]++")
_CHINESE_DIGIT_MAP = str.maketrans(_CHINESE_DIGITS)


def scan_text(text: str, today: dt.date | None = None) -> list[pii.Finding]:
    """Personal numbers in plain text (a field, a summary) as a reader reads it. Offsets,
    lines and columns are those of the folded text (whose lines are ``text``'s lines)."""
    if _CHINESE_DIGIT.search(text) is None:
        return _scan_folded(fold(text), today)
    # a Chinese numeral beside a number may be a word (王五13907450001), not a digit of it
    words, digits = _fold_both(text)
    found = _scan_folded(digits, today)
    known = {f.number for f in found}
    if any(f.number not in known for f in _scan_folded(_lines_apart(words, digits), today)):
        found += [f for f in _scan_folded(words, today) if f.number not in known]
    return found


def _lines_apart(words: str, digits: str) -> str:
    """The lines of ``words`` that differ from ``digits``'s (the two folds keep ``text``'s
    lines), where alone the numerals-as-words reading can find a number the other did not.

    A number never spans a line (no gap, separator or hidden construct holds a newline), so
    each finding comes from one line, as it would from that line alone; a line the two
    readings share gives a number the first reading found too (``known``). Scanned together,
    the differing lines give every number the whole text would, as the weak runs' record of
    numbers already found holds less here; so when they give nothing new, the whole text gives
    nothing new, and when they do, the whole text is scanned for the findings' exact places."""
    word_lines, digit_lines = words.split("\n"), digits.split("\n")
    if len(word_lines) != len(digit_lines):
        return words  # not expected: then the whole text is the one to scan
    return "\n".join(w for w, d in zip(word_lines, digit_lines, strict=True) if w != d)


def _fold_both(text: str) -> tuple[str, str]:
    """``(fold(text, chinese=False), fold(text))`` with one translation and NFKC instead of
    two: the fold table with the numerals is the one without them plus the numerals, which
    NFKC leaves alone as it leaves digits (starters that compose with nothing), so
    translating them afterwards gives the same text."""
    if text.isascii():
        folded = _among_digits(text)
        return folded, folded
    words = _translated_nfkc(text, chinese=False)
    digits = _CHINESE_DIGIT_RUN.sub(lambda m: m.group().translate(_CHINESE_DIGIT_MAP), words)
    return _among_digits(words), _among_digits(digits)


def _scan_folded(folded: str, today: dt.date | None) -> list[pii.Finding]:
    found = pii.scan(folded, today)
    if not any(c in folded for c in "/\\|,\u3001:;~"):
        return found
    known = {f.number for f in found}
    line, line_start, at = 1, 0, 0
    for run in _WEAK_RUN.finditer(folded):
        written = run.group()
        if sum(map(written.count, "0123456789")) < 11:  # its only digits are ASCII ones
            continue
        for f in pii.scan(_WEAK_GAP.sub(" ", written), today):
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


def scan_html(html: str, today: dt.date | None = None) -> list[Seen]:
    """Personal numbers a reader gets from converted HTML: its text, the attribute texts a
    browser shows and the addresses its links and images go to."""
    return _scan_reading(read_html(html), today)


def _scan_reading(reading: Reading, today: dt.date | None) -> list[Seen]:
    seen = [Seen(f, "text") for f in scan_text(reading.text, today)]
    for value in reading.shown:
        seen += [Seen(f, "attribute") for f in _scan_value(value, today)]
    for target in reading.targets:
        seen += [Seen(f, "link") for f in _scan_value(target, today)]
    return seen


def _scan_value(value: str, today: dt.date | None) -> tuple[pii.Finding, ...]:
    """``scan_text`` of an attribute or a link: pages share most of them (the navigation, the
    catalogue's links), so each distinct short one is read once."""
    if len(value) > _CACHED_LENGTH:
        return tuple(scan_text(value, today))
    return _scan_value_cached(value, today)


@functools.lru_cache(maxsize=8192)
def _scan_value_cached(value: str, today: dt.date | None) -> tuple[pii.Finding, ...]:
    return tuple(scan_text(value, today))


def scan_output(name: str, content: bytes, today: dt.date | None = None) -> list[pii.Finding]:
    """Personal numbers in a generated file, read the way its readers read it: JSON by its
    strings (escapes decoded), XML and HTML as text and addresses, anything else as text;
    each also with its %-escapes decoded (addresses in a sitemap or an export)."""
    text = content.decode("utf-8", "replace")
    low = name.lower()
    if low.endswith(".json"):
        try:
            data = json.loads(text)
        except ValueError:
            return _with_escapes(text, today)
        return _with_escapes("\n".join(_json_strings(data)), today)
    if low.endswith((".xml", ".html", ".htm", ".svg")):
        reading = read_html(text)
        found = [s.finding for s in _scan_reading(reading, today)]
        # a feed carries each entry's HTML escaped: read once more, as the reader's app does
        inner = reading.text
        found += _with_escapes(inner, today)
        if "<" in inner:
            found += [s.finding for s in scan_html(inner, today)]
        return found
    return _with_escapes(text, today)


def _with_escapes(text: str, today: dt.date | None) -> list[pii.Finding]:
    found = scan_text(text, today)
    if "%" in text:
        found += scan_text(_PERCENT.sub(lambda m: urllib.parse.unquote(m.group()), text), today)
    return found


_PLAIN_INTS = frozenset({int, bool})


def _json_strings(data: object) -> Iterator[str]:
    """Every string (keys too) and every integer long enough to be a number, one per line:
    the short integers of an index (positions, counts) are no text anyone reads."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            # a list of short integers (an index's postings) holds nothing to read: settled in C
            if not (set(map(type, value)) <= _PLAIN_INTS and (not value or max(value) < 10**10)):
                stack.extend(value)
        elif isinstance(value, dict):
            yield from map(str, value)
            stack.extend(value.values())
        elif isinstance(value, int) and value >= 10**10:
            yield str(value)


# --- back to the source -----------------------------------------------------------------------

_ENTITY = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});?")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})++")


def _digits(line: str) -> str:
    """The digits (and a check X after a digit) a source line shows, in order."""
    if "&" in line:
        line = _ENTITY.sub(lambda m: html_lib.unescape(m.group()), line)
    if "%" in line:
        line = _PERCENT.sub(lambda m: urllib.parse.unquote(m.group()), line)
    folded = fold(line)
    out: list[str] = []
    for ch in folded:
        if "0" <= ch <= "9" or (ch in "xX" and out and out[-1] != "X"):
            out.append("X" if ch in "xX" else ch)
    return "".join(out)


def locate(number: str, source: str, partial: bool = True) -> int | None:
    """0-based line of ``source`` where ``number`` starts, as its digits are written (across
    lines, Markdown, entities and escapes); ``None`` when they are not one run there.
    ``partial``: else the line where its first digits are (other digits written between)."""
    starts: list[int] = []
    stream: list[str] = []
    length = 0
    for line in source.split("\n"):
        starts.append(length)
        digits = _digits(line)
        stream.append(digits)
        length += len(digits)
    joined = "".join(stream)
    for probe in (number, number[:7], number[:4]) if partial else (number,):
        at = joined.find(probe)
        if at >= 0:
            return _line_at(starts, at)
    return None


def _line_at(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:  # the last line starting at or before offset
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def reader_note(where: str) -> str:
    return {"text": "：读者在页面上看到的是连在一起的完整号码（源文件中被换行、空格、不可见字符、实体、"
                    "Markdown 结构或形近字符拆开或改写的，页面上仍会显示出来）",
            "attribute": "：号码出现在页面的提示文字或图片说明（title、alt）中",
            "link": "：号码出现在链接或图片地址中（解码 %xx 后）"}.get(where, "")
