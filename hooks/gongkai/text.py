"""Plain-text helpers shared by pages, feeds and the search index."""

from __future__ import annotations

import re

_MARKUP = [
    (re.compile(r"<[^>]+>"), ""),  # HTML tags
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+", re.M), ""),  # block markers
    (re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$", re.M), ""),  # table rules
    (re.compile(r"[*_`~|]"), ""),
    (re.compile(r"\s+"), " "),
]


def plain_text(markdown: str) -> str:
    text = markdown
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    return text.strip()


def plain_summary(markdown: str, limit: int = 120) -> str:
    text = plain_text(markdown)
    return text if len(text) <= limit else text[: limit - 1] + "…"
