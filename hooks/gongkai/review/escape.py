"""Author text made safe for a forge comment: it is shown, never obeyed.

Every string an author supplies (file names, titles, field values, link texts,
register cells) passes through one of these before it reaches the comment, so no
file name or title can add a heading, a ✅, a link or an HTML comment that hides
what follows, and no invisible character can make a line read differently.
"""

from __future__ import annotations

import html
import re
import unicodedata

#: characters that make Markdown (or the HTML a forge allows in it) out of text; ``@`` and
#: ``#`` would notify people or link issues; never at a line start, so not - + >
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~@#])")
#: ``:white_check_mark:`` is an emoji shortcode on GitHub and Gitea, also escaped (the forge
#: looks for it in the rendered text); inside a code span it stays text
_SHORTCODE = re.compile(r"(:[A-Za-z0-9_+-]*[A-Za-z][A-Za-z0-9_+-]*:)")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _hidden(ch: str) -> bool:
    """Control, format (bidi, zero-width) and line/paragraph separator characters."""
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co")


def visible(text: object, keep_tab: bool = False) -> str:
    """Control characters as readable marks: a newline as ``\\n``, U+202E as ``<U+202E>``."""
    s = str(text if text is not None else "")
    if not any(_hidden(ch) for ch in s):
        return s
    out = []
    for ch in s:
        if keep_tab and ch == "\t" or not _hidden(ch):
            out.append(ch)
        else:
            out.append(_NAMED.get(ch) or f"<U+{ord(ch):04X}>")
    return "".join(out)


def text(value: object) -> str:
    """Inline Markdown that shows ``value`` as it is written."""
    parts = _SHORTCODE.split(visible(value))  # odd parts: shortcodes
    return "".join(code(part) if i % 2 else _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(part, quote=False))
                   for i, part in enumerate(parts))


def html_text(value: object) -> str:
    """Text inside raw HTML (a ``<summary>``), where Markdown is not read."""
    return html.escape(visible(value), quote=True)


def code(value: object) -> str:
    """A code span: HTML and Markdown inside it are shown literally; a backtick would end it."""
    return "`" + visible(value).replace("`", "ˋ") + "`"


def fence(lines: list[str], kind: str) -> list[str]:
    """Lines in a code block: shown as written, and no line can close the block early."""
    return ["```" + kind, *(visible(line, keep_tab=True).replace("```", "ˋˋˋ") for line in lines), "```"]
