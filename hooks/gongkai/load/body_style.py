"""Word-pasted bodies: what Markdown would show differently from what the editor sees.

A paragraph pasted from Word often keeps its first-line indent as a Tab or
spaces; Markdown shows a line indented by a Tab or four spaces after a blank
line as a grey, fixed-width code box. Word's bullets (``•``) are no Markdown
list marker, so the lines run together into one paragraph. Both are warnings
with the fix: the source is never rewritten, and a code block may be meant.
"""

from __future__ import annotations

import re

from gongkai.problems import Problems

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_CODE_INDENT = re.compile(r"^(?:\t| {4})\s*\S")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")
_BULLET = re.compile(r"^\s*([•●◆▪■·])\s*\S")


def check_body(body: str, first_line: int, display: str, problems: Problems) -> None:
    """Warn, once per kind and file, about pasted indents that become code boxes and bullets
    that are not a list."""
    in_fence = False
    blank_before = True
    in_list = False
    indented: list[int] = []
    bullets: list[tuple[int, str]] = []
    for offset, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if not line.strip():
            blank_before = True
            continue
        if _LIST_ITEM.match(line) and not _CODE_INDENT.match(line):
            in_list = True
        elif not line[0].isspace():
            in_list = False
        if _CODE_INDENT.match(line) and blank_before and not in_list:
            indented.append(first_line + offset)
        if (m := _BULLET.match(line)) is not None:
            bullets.append((first_line + offset, m.group(1)))
        blank_before = False
    if indented:
        problems.add(display, indented[0], "正文",
                     "这一行以 Tab 或 4 个以上空格开头（从 Word 粘贴时常见的首行缩进），网页上会显示成"
                     f"灰底的代码框{_also(indented)}：请删去行首的空白，段落之间空一行即可", "warning")
    if bullets:
        lines = [n for n, _ in bullets]
        problems.add(display, lines[0], "正文",
                     f"行首的“{bullets[0][1]}”不是列表符号，这几行会并成一段{_also(lines)}："
                     "请改成减号加空格“- ”，或编号“1. ”", "warning")


def _also(lines: list[int]) -> str:
    if len(lines) == 1:
        return ""
    shown = "、".join(str(n) for n in lines[:5]) + ("等" if len(lines) > 5 else "")
    return f"（共 {len(lines)} 处：第 {shown} 行）"
