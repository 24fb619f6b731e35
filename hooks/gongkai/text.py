"""Plain-text helpers shared by pages, feeds and the search index."""

from __future__ import annotations

import functools
import re

#: (pattern, replacement, strings the pattern cannot match without): a pattern is
#: only run when its strings occur, which spares most bodies four of the passes
_MARKUP = [
    (re.compile(r"<[^>]+>"), "", ("<", ">")),  # HTML tags
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), "", ("![", "](", ")")),  # images
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1", ("[", "](", ")")),  # links keep their text
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+", re.M), "", ()),  # block markers
    (re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$", re.M), "", ("|",)),  # table rules
    (re.compile(r"[*_`~|]"), "", ()),
]


# the loader asks twice per item for the same body (the guards' reading of it, then the
# automatic summary): the second time is a look-up
@functools.lru_cache(maxsize=8)
def plain_text(markdown: str) -> str:
    text = markdown
    for pattern, repl, needs in _MARKUP:
        if all(s in text for s in needs):
            text = pattern.sub(repl, text)
    # every run of whitespace becomes one space, ends stripped: str.split() and re's \s
    # agree on what whitespace is, and this is four times faster than re.sub(r"\s+", " ")
    return " ".join(text.split())


def plain_summary(markdown: str, limit: int = 120) -> str:
    text = plain_text(markdown)
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: a cell starting with one of these is a formula to Excel and WPS (``=HYPERLINK(…)``, ``@SUM``,
#: and a tab or CR that some versions skip before one)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(cell: str) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading ' is what Excel and WPS
    themselves use to mark text that would otherwise be read as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell
