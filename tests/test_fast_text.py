"""plain_text skips passes that cannot match; the text it gives is unchanged.

``reference_plain_text`` is the function as it was, every pass run on every
text; on random Markdown-ish text both must agree character for character.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.text import plain_summary, plain_text

_REFERENCE = [
    (re.compile(r"<[^>]+>"), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+", re.M), ""),
    (re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$", re.M), ""),
    (re.compile(r"[*_`~|]"), ""),
    (re.compile(r"\s+"), " "),
]


def reference_plain_text(markdown: str) -> str:
    text = markdown
    for pattern, repl in _REFERENCE:
        text = pattern.sub(repl, text)
    return text.strip()


pieces = st.one_of(
    st.sampled_from(["<", ">", "<b>", "</b>", "![", "](", ")", "(", "[", "]", "|", "| a | b |", "|---|:-:|",
                     "\n", "\n\n", "  ", "# ", "## ", "> ", "- ", "* ", "1. ", "2) ", "*", "_", "`", "~",
                     "正文", "链接", "![图](a.png)", "[链接](https://x/)", "<img src=a>", "\t"]),
    st.text(max_size=5),
)


# A fixed draw (derandomize) of 400 reaches every branch of gongkai.text and of the reference
# above that 2,000 random ones did (branch coverage compared), at a fifth of the cost: in test-fast.
@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(pieces, max_size=30).map("".join))
def test_plain_text_equals_reference(markdown):
    assert plain_text(markdown) == reference_plain_text(markdown)
    text = reference_plain_text(markdown)
    assert plain_summary(markdown, 20) == (text if len(text) <= 20 else text[:19] + "…")
