"""What converting a Markdown body will cost, counted before it is converted.

python-markdown is fast on ordinary text and slow on a few shapes, far below any size
limit (issue 26): its inline processor rebuilds a block's whole text for every entity,
tag, link or emphasis it replaces (so their number times the length of the text it sits in:
a paragraph, a table row, a list item); Python's
HTML parser, which reads raw HTML in the whole document, scans from an unclosed ``<`` to
the next ``>`` and then starts again one character further (so the sum of those
distances); a heading or rule line is taken off its block, and the rest of the block is
searched again (so the block's remaining length for each such line); and every block has a
fixed cost of its own. Each is counted here in one
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
#: inline constructs in each block (a table row, a list item) times its length, summed
MAX_INLINE_COST = 300_000_000
#: characters Python's HTML parser scans from each ``<`` that starts a tag to the next ``>``
MAX_TAG_SCAN = 3_000_000
#: link brackets ``[`` in one block (python-markdown pairs them by scanning: quadratic in them)
MAX_BRACKETS = 400
#: the squares of each block's bracket count, summed
MAX_BRACKET_COST = 4_000_000
#: for each line that a block processor splits off its block one at a time (an ATX or setext
#: heading, a horizontal rule), the length of the block from it to its end, summed
MAX_SPLIT_COST = 15_000_000
#: a ``<`` whose ``>`` is further than this is named as the start of the costly construct
_FAR = 200

_BLOCK_BREAK = re.compile(r"\n[ \t]*\n")
# What the inline processor replaces one by one: entities, tags and comments, link and image
# brackets, emphasis, strike and code runs, backslash escapes
_INLINE = re.compile(r"&#?[A-Za-z0-9]+;|<[A-Za-z/!?]|\]\(|\]:|\[|[*_~`]+|\\.")
_TAG_OPEN = re.compile(r"<[A-Za-z/!?]")
_UNIT_START = re.compile(r"^[ \t]*(?:\||[-*+][ \t]|\d+[.)][ \t])", re.M)
# Lines python-markdown takes off a block one by one, then searching the rest of the block again
# and putting it back as a new block: quadratic in a block made of them (25,000 heading lines
# without blank lines between them took minutes)
_SPLIT_LINE = re.compile(r"^(?:#{1,6}|[ ]{0,3}(?:[-*_][ ]{0,2}){3,}[ ]*$|[=-]+[ ]*$)", re.M)


@dataclass(frozen=True, slots=True)
class Overrun:
    offset: int  # where in the text the costly construct starts
    message: str  # Chinese, names the limit


def overrun(text: str) -> Overrun | None:
    """The first budget ``text`` exceeds, or None."""
    return _blocks(text) or _tag_scan(text)


def _blocks(text: str) -> Overrun | None:
    blocks = inline = cost = bracket_cost = split_cost = 0
    biggest = (-1, 0, 0, 0)  # (cost, start, constructs, length) of the costliest unit so far
    start = 0
    for m in [*_BLOCK_BREAK.finditer(text), None]:
        end = m.start() if m is not None else len(text)
        if end > start:
            blocks += 1
            if blocks > MAX_BLOCKS:
                return Overrun(start, f"正文超过 {MAX_BLOCKS:,} 个段落（以空行分隔的段落、表格或列表）：转换会极慢，"
                                      "请拆分成多个条目或把内容改为附件")
            for split in _SPLIT_LINE.finditer(text, start, end):
                split_cost += end - split.start()
                if split_cost > MAX_SPLIT_COST:
                    return Overrun(start, "这一段（空行之间的文字）有很多标题行或分隔线“---”：转换时每一行都要重新处理"
                                          f"其后的整段文字，累计超过 {MAX_SPLIT_COST:,} 个字符，转换会极慢。"
                                          "请在标题、分隔线前后加空行")
            for unit_start, unit_end in _units(text, start, end):
                brackets = text.count("[", unit_start, unit_end)
                if brackets > MAX_BRACKETS:
                    return Overrun(unit_start, f"一个段落中有超过 {MAX_BRACKETS} 个方括号“[”：转换会极慢，"
                                               "请删去多余的方括号（要显示方括号本身请写 \\[）")
                bracket_cost += brackets * brackets
                if bracket_cost > MAX_BRACKET_COST:
                    return Overrun(unit_start, f"正文中方括号“[”过多（各段方括号数的平方之和超过 {MAX_BRACKET_COST:,}）："
                                               "转换会极慢，请删去多余的方括号（要显示方括号本身请写 \\[）或拆分成多个条目")
                count = len(_INLINE.findall(text, unit_start, unit_end))
                inline += count
                unit_cost = count * (unit_end - unit_start)
                cost += unit_cost
                if unit_cost > biggest[0]:
                    biggest = (unit_cost, unit_start, count, unit_end - unit_start)
                if cost > MAX_INLINE_COST:
                    _, at, n, length = biggest
                    return Overrun(at, f"这一段有 {n:,} 处实体（如 &amp;）、HTML 标签、链接或强调符号，段长 {length:,} 个"
                                       "字符：转换时每处都要重写整段文字，全文各段“符号数×段长”之和超过限额 "
                                       f"{MAX_INLINE_COST:,}，转换会极慢。请用空行分段、删去多余的符号或改为附件")
            if inline > MAX_INLINE:
                return Overrun(start, f"正文中实体（如 &amp;）、HTML 标签、链接或强调符号超过 {MAX_INLINE:,} 处："
                                      "转换会极慢，请删去多余的符号、拆分成多个条目或改为附件")
        start = m.end() if m is not None else end
    return None


def _units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of a block that python-markdown gives the inline processor one by one: a
    table row or a list item each (its cells and items are separate texts), else the block."""
    starts = [m.start() for m in _UNIT_START.finditer(text, start, end)]
    if not starts or starts[0] != start:
        starts.insert(0, start)
    return list(zip(starts, [*starts[1:], end], strict=True))


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
