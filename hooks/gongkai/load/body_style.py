"""Word-pasted bodies: what Markdown would show differently from what the editor sees.

A paragraph pasted from Word often keeps its first-line indent as a Tab or
spaces; Markdown shows a line indented by a Tab or four spaces after a blank
line as a grey, fixed-width code box. Word's bullets (``•``) are no Markdown
list marker, so the lines run together into one paragraph. Both are warnings
with the fix: the source is never rewritten, and a code block may be meant.

Word's paragraphs come without the blank line Markdown needs between them, so they run
together into one; its outline headings (``一、``, ``（一）``) stay plain text; a table
copied from Word or Excel arrives as Tab-separated lines, and a pipe table written without
its ``|---|`` row is no table either. Each is a warning naming the fix.
"""

from __future__ import annotations

import re

from gongkai.problems import Problems

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_CODE_INDENT = re.compile(r"^(?:\t| {4})\s*\S")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")
_BULLET = re.compile(r"^\s*([•●◆▪■·])\s*\S")
_CN_NUMERAL = "一二三四五六七八九十"
#: an outline heading as Word numbers it: ``一、总体要求`` (level 2), ``（一）工作目标`` (level 3)
_HEADING = re.compile(rf"^\s*(?:([{_CN_NUMERAL}]+、)|([（(][{_CN_NUMERAL}]+[）)]))\s*(\S.{{0,29}})$")
_SENTENCE_END = "。！？；：!?;"
#: a line that is no paragraph text (a heading, list, quote, table, HTML, placeholder block)
_BLOCK = re.compile(r"^\s*(?:#|>|[-*+]\s|\d{1,9}[.)]\s|\||<|\{\{|!?\[)")
_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def check_body(body: str, first_line: int, display: str, problems: Problems) -> None:
    """Warn, once per kind and file, about pasted indents that become code boxes, bullets
    that are not a list, and the lost structure of a Word paste."""
    in_fence = False
    blank_before = True
    in_list = False
    indented: list[int] = []
    bullets: list[tuple[int, str]] = []
    lines = body.split("\n")
    prose: list[str] = []  # each line outside fences, "" for a fence line, so offsets stay
    for offset, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            prose.append("")
            continue
        prose.append("" if in_fence else line)
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
        found = [n for n, _ in bullets]
        problems.add(display, found[0], "正文",
                     f"行首的“{bullets[0][1]}”不是列表符号，这几行会并成一段{_also(found)}："
                     "请改成减号加空格“- ”，或编号“1. ”", "warning")
    _check_word_structure(prose, first_line, display, problems)


def _check_word_structure(lines: list[str], first_line: int, display: str, problems: Problems) -> None:
    """Paragraphs without a blank line between them, outline headings, Tab and pipe tables."""
    found: dict[str, list[int]] = {kind: [] for kind in _STRUCTURE_MESSAGES}
    for offset, line in enumerate(lines):
        if line.strip():
            for kind in _structure_lost(lines, offset):
                if kind != "tabbed" or not found[kind] or found[kind][-1] < first_line + offset - 1:
                    found[kind].append(first_line + offset)
    for kind, where in found.items():
        if where:
            head, tail = _STRUCTURE_MESSAGES[kind]
            problems.add(display, where[0], "正文", head + _also(where) + tail, "warning")


def _structure_lost(lines: list[str], offset: int) -> list[str]:
    """What of a Word paste line ``offset`` loses (kinds of ``_STRUCTURE_MESSAGES``)."""
    line, text = lines[offset], lines[offset].strip()
    previous = lines[offset - 1].strip() if offset else ""
    following = lines[offset + 1].strip() if offset + 1 < len(lines) else ""
    kinds = []
    heading = _HEADING.match(line)
    if heading is not None and not heading.group(3).endswith(tuple(_SENTENCE_END[:3])) \
            and "。" not in heading.group(3):
        kinds.append("level2" if heading.group(1) else "level3")
    elif previous and previous[-1] in _SENTENCE_END and not _BLOCK.match(line) \
            and not _BLOCK.match(lines[offset - 1]) and "\t" not in line and not line[0].isspace():
        kinds.append("joined")
    if "\t" in text and "\t" in following and not line.startswith("\t"):
        kinds.append("tabbed")
    if text.startswith("|") and text.count("|") >= 2 and not previous.startswith("|") \
            and following.startswith("|") and not _SEPARATOR_ROW.match(following):
        kinds.append("unseparated")
    return kinds


#: each lost structure's warning: (before the list of lines, after it)
_STRUCTURE_MESSAGES = {
    "joined": ("这一行与上一行之间没有空行，网页上会和上一段并成一段", "：段落之间请空一行（从 Word 粘贴时常见）"),
    "level2": ("以“一、”开头的这一行像是标题，网页上只会显示成普通文字",
               "：请在行首加“## ”（井号和空格）使它成为标题，并在前后各空一行"),
    "level3": ("以“（一）”开头的这一行像是标题，网页上只会显示成普通文字",
               "：请在行首加“### ”（井号和空格）使它成为标题，并在前后各空一行"),
    "tabbed": ("这几行用 Tab 分隔（从 Word 或 Excel 粘贴的表格），网页上不会显示成表格",
               "：请改成每行“| 列1 | 列2 |”，并在第一行下面加一行“|---|---|”（每列一个“---”）"),
    "unseparated": ("这个表格缺少表头下面的分隔行，网页上不会显示成表格",
                    "：请在第一行下面加一行“|---|---|”（每列一个“---”），前后各空一行"),
}


def _also(lines: list[int]) -> str:
    if len(lines) == 1:
        return ""
    shown = "、".join(str(n) for n in lines[:5]) + ("等" if len(lines) > 5 else "")
    return f"（共 {len(lines)} 处：第 {shown} 行）"
