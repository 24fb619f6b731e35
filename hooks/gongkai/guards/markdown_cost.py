"""What converting a Markdown body will cost, counted before it is converted.

python-markdown is fast on ordinary text and slow on a few shapes, far below any size
limit (issue 26): its inline processor rebuilds a block's whole text for every entity,
tag, link or emphasis it replaces (so their number times the block's length); Python's
HTML parser, which reads raw HTML in the whole document, scans from an unclosed ``<`` to
the next ``>`` and then starts again one character further (so the sum of those
distances); and every block has a fixed cost of its own. Each is counted here in one
linear pass; ``guards.markup.precheck`` refuses a body over any budget, and it gates
conversion in ``gongkai check`` and in the build alike (``guards.findings.text_findings``),
so both refuse the same bodies with the same message.

The budgets hold a conversion to about a second on a quiet machine each; real documents
stay far below them (the largest sample body uses under a hundredth of each).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: blocks (paragraphs, tables, lists between blank lines) in one body
MAX_BLOCKS = 20_000
#: inline constructs (entities, tags, links, emphasis and code marks, escapes) in one body
MAX_INLINE = 100_000
#: inline constructs in one block times the block's length in characters
MAX_BLOCK_COST = 300_000_000
#: characters Python's HTML parser scans from each ``<`` that starts a tag to the next ``>``
MAX_TAG_SCAN = 3_000_000
#: a ``<`` whose ``>`` is further than this is named as the start of the costly construct
_FAR = 200

_BLOCK_BREAK = re.compile(r"\n[ \t]*\n")
# What the inline processor replaces one by one: entities, tags and comments, link and image
# brackets, emphasis, strike and code runs, backslash escapes
_INLINE = re.compile(r"&#?[A-Za-z0-9]+;|<[A-Za-z/!?]|\]\(|\]:|\[|[*_~`]+|\\.")
_TAG_OPEN = re.compile(r"<[A-Za-z/!?]")


@dataclass(frozen=True, slots=True)
class Overrun:
    offset: int  # where in the text the costly construct starts
    message: str  # Chinese, names the limit


def overrun(text: str) -> Overrun | None:
    """The first budget ``text`` exceeds, or None."""
    return _blocks(text) or _tag_scan(text)


def _blocks(text: str) -> Overrun | None:
    blocks = inline = 0
    start = 0
    for m in [*_BLOCK_BREAK.finditer(text), None]:
        end = m.start() if m is not None else len(text)
        if end > start:
            blocks += 1
            if blocks > MAX_BLOCKS:
                return Overrun(start, f"正文超过 {MAX_BLOCKS:,} 个段落（以空行分隔的段落、表格或列表）：转换会极慢，"
                                      "请拆分成多个条目或把内容改为附件")
            count = len(_INLINE.findall(text, start, end))
            inline += count
            if count * (end - start) > MAX_BLOCK_COST:
                return Overrun(start, f"这一段有 {count:,} 处实体（如 &amp;）、HTML 标签、链接或强调符号，"
                                      f"段长 {end - start:,} 个字符，超过转换限额（两者之积不超过 "
                                      f"{MAX_BLOCK_COST:,}）：转换会极慢，请用空行分段、删去多余的符号或改为附件")
            if inline > MAX_INLINE:
                return Overrun(start, f"正文中实体（如 &amp;）、HTML 标签、链接或强调符号超过 {MAX_INLINE:,} 处："
                                      "转换会极慢，请删去多余的符号、拆分成多个条目或改为附件")
        start = m.end() if m is not None else end
    return None


def _tag_scan(text: str) -> Overrun | None:
    scanned = 0
    first_far: int | None = None
    close = -1  # the next ">" at or after the current "<"
    for m in _TAG_OPEN.finditer(text):
        at = m.start()
        if close < at:
            close = text.find(">", at)
            if close < 0:
                close = len(text)
        distance = close - at
        scanned += distance
        if distance > _FAR and first_far is None:
            first_far = at
        if scanned > MAX_TAG_SCAN:
            return Overrun(first_far if first_far is not None else at,
                           f"正文中有未闭合的“<”（后面没有对应的“>”），转换时要从每个“<”起向后查找，"
                           f"累计超过 {MAX_TAG_SCAN:,} 个字符：转换会极慢。要显示“<”本身请写 &lt;，"
                           "HTML 标签请写完整")
    return None
