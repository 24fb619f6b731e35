"""What an editor most likely mistyped when front matter does not parse, in Chinese.

PyYAML reports where its parser gave up, often the line after the slip and in
its own English (``mapping values are not allowed here``). Editors make a few
slips again and again: a full-width colon (``标题：…``), a Tab, a value that
starts with a quote or ``[``, an ASCII ``: `` inside a value, a list whose lines
are indented differently. ``diagnose`` looks at the lines around the parser's
mark for those slips and names the line, the field as written and the fix.

``recover`` then blanks the field's lines and parses again, so the rest of
the front matter can still be checked and every problem of the file is
reported in one pass. ``cut_values`` finds values YAML would silently cut at
`` #`` (a comment) where the text plainly goes on after a single space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from gongkai.read import strict_yaml

#: attempts to blank a broken field and parse again; a file with more slips is rare
MAX_RECOVERIES = 8

_KEY = re.compile(r"^( *)(?:- +)?([^\s:：#\-\[\]{}\"'][^:：]{0,40}?) *(:(?= |$)|：) *(.*)$")


@dataclass(frozen=True, slots=True)
class Slip:
    line: int  # in the file
    field: str | None  # the top-level key as written
    message: str


def _field_of(lines: list[str], index: int) -> str | None:
    """The top-level key whose entry holds line ``index``."""
    for i in range(min(index, len(lines) - 1), -1, -1):
        text = lines[i]
        if text and not text[0].isspace() and not text.startswith(("#", "-")):
            m = _KEY.match(text.replace("\t", " "))
            return m.group(2).strip() if m else None
    return None


def _quoted(value: str) -> str:
    """``value`` in single quotes, as YAML reads it back unchanged."""
    return "'" + value.replace("'", "''") + "'"


def _value_slip(key: str, value: str, prefix: str) -> str | None:
    """The slip in ``key: value`` that would stop YAML, with the fixed line."""
    fixed = f"{prefix}{key}: {_quoted(value)}"
    if value[0] in "\"'":
        try:
            yaml.safe_load(f"k: {value}")
        except yaml.YAMLError:
            return (f"值以引号“{value[0]}”开头，YAML 会把它当作括住整个值的引号，引号后面的文字就读不下去了："
                    f"请把整个值再用单引号括起来，写成“{fixed}”，或改用中文引号“”")
        return None
    if value[0] in "[{":
        try:
            yaml.safe_load(f"k: {value}")
        except yaml.YAMLError:
            return (f"值以“{value[0]}”开头，YAML 会把它当作列表的开始：请把整个值用单引号括起来，"
                    f"写成“{fixed}”")
        return None
    if ": " in value or value.endswith(":"):
        return (f"值里有英文冒号加空格“: ”，YAML 会把它当作又一个字段：请把整个值用单引号括起来，"
                f"写成“{fixed}”，或把冒号改成中文冒号“：”")
    if value[0] in "&*!|>%@`":
        return f"值不能以“{value[0]}”开头（YAML 的特殊符号）：请把整个值用单引号括起来，写成“{fixed}”"
    return None


def _line_slip(lines: list[str], i: int) -> str | None:
    text = lines[i]
    if "\t" in text:
        return "这一行有 Tab 字符：YAML 头信息里不能用 Tab 键缩进或对齐，请删掉 Tab，改用空格"
    m = _KEY.match(text)
    if m is None:
        return None
    indent, key, colon, value = m.groups()
    prefix = text[: m.start(2)]
    if colon == "：":
        rest = (value or "").strip()
        return (f"“{key}”后面的冒号是中文（全角）冒号“：”：字段名后要用英文冒号加一个空格，"
                f"应写成“{prefix}{key}: {rest}”")
    if value:
        # a comment set off by two or more spaces (as ``gongkai new`` writes beside each
        # field) is no part of the value: the fix must not put it into the title
        value = _ALIGNED_COMMENT.split(value, maxsplit=1)[0]
        return _value_slip(key, value.rstrip(" "), prefix) if value.strip() else None
    return None


_ALIGNED_COMMENT = re.compile(r"[ \t]{2,}#")


def diagnose(text: str, first_line: int, exc: strict_yaml.YamlError) -> Slip:
    """The slip behind a parse error of ``text`` (front matter starting at ``first_line``)."""
    lines = text.split("\n")
    if exc.line is None:
        return Slip(first_line, None, _generic(exc.message))
    at = min(max(exc.line - first_line, 0), max(len(lines) - 1, 0))
    if exc.path or exc.refused:  # strict_yaml's own refusals (duplicate key, anchor, tag): already Chinese
        return Slip(exc.line, _field_of(lines, at), exc.message)
    # the parser notices a slip on its line or up to a few lines later (a full-width colon
    # makes the next line part of the same text); look back over the entry, nearest first
    start = at
    while start > 0 and (not lines[start] or lines[start][0] in " \t-#"):
        start -= 1
    for i in [at] + list(range(at - 1, max(start - 2, -1), -1)):
        if 0 <= i < len(lines) and (slip := _line_slip(lines, i)) is not None:
            return Slip(first_line + i, _field_of(lines, i), slip)
    field = _field_of(lines, at)
    if (empty := _empty_before_entries(lines, at)) is not None:
        return Slip(first_line + empty, field, _entries_after_empty(lines[empty]))
    if at > 0 and (lines[at][:1] == " " or lines[at].startswith("-")):
        return Slip(exc.line, field, _indentation(field, lines[at]))
    return Slip(exc.line, field, _generic(exc.message))


def _empty_before_entries(lines: list[str], at: int) -> int | None:
    """The line of ``key: []`` (or ``{}``) whose entries follow on the next lines: the empty
    list ends the value, so YAML cannot read them; None when that is not the slip."""
    start = at
    while start > 0 and (not lines[start] or lines[start][0] in " \t-#"):
        start -= 1
    m = _KEY.match(lines[start])
    if m is None or m.group(4).split(" #")[0].strip() not in ("[]", "{}") or start == at \
            and not (at + 1 < len(lines) and lines[at + 1][:1] in (" ", "-")):
        return None
    return start


def _entries_after_empty(line: str) -> str:
    m = _KEY.match(line)
    key, value = (m.group(2), m.group(4).split(" #")[0].strip()) if m else ("附件", "[]")
    return (f"“{key}: {value}”表示没有内容，下面各行就读不下去了：有内容时请删去“{value}”，只写“{key}:”，"
            "下面的各项照常缩进")


def _indentation(field: str | None, line: str) -> str:
    if field in ("附件", "attachments"):
        return ("附件列表的缩进不一致：每个附件以“  - 文件: 名单.xlsx”开头，同一附件的下一行"
                "“    名称: 名单”要与“文件”对齐（比“-”多两个空格），各个附件的“-”也要对齐")
    return (f"这一行的缩进与上下文不一致：“{field or '字段'}”下面的各行要用同样多的空格缩进，"
            "列表项“- ”下的字段要与“- ”后的文字对齐")


def _generic(message: str) -> str:
    if re.search(r"[A-Za-z]{4,}", message):  # PyYAML's own words: an editor cannot act on them
        return ("YAML 头信息写法有误：请检查这一行及上一行的冒号（英文冒号加空格“: ”）、引号是否成对、"
                "缩进是否用空格且对齐")
    return message


def recover(text: str, first_line: int, first: strict_yaml.YamlError
            ) -> tuple[strict_yaml.Document | None, list[Slip], set[str]]:
    """Every slip in ``text`` and the document without the fields they broke.

    Each broken top-level field is blanked (its lines kept empty, so the line
    numbers stay) and the text parsed again. Returns (document or None, the slips,
    the keys blanked).
    """
    lines = text.split("\n")
    slips: list[Slip] = []
    blanked: set[str] = set()
    exc = first
    for _ in range(MAX_RECOVERIES):
        slip = diagnose("\n".join(lines), first_line, exc)
        slips.append(slip)
        if exc.refused:  # an anchor, tag or size limit: one message, not one per line of a bomb
            return None, slips, blanked
        at = slip.line - first_line
        if not 0 <= at < len(lines) or not lines[at].strip():
            return None, slips, blanked
        start = at
        while start > 0 and (not lines[start] or lines[start][0] in " \t-#"):
            start -= 1
        end = at + 1
        while end < len(lines) and (not lines[end] or lines[end][0] in " \t-#"):
            end += 1
        if slip.field:
            blanked.add(slip.field)
        for i in range(start, end):
            lines[i] = ""
        try:
            return strict_yaml.load("\n".join(lines), first_line), slips, blanked
        except strict_yaml.YamlError as again:
            exc = again
    return None, slips, blanked


def recover_lines(text: str, first: strict_yaml.YamlError
                  ) -> tuple[strict_yaml.Document | None, list[Slip], set[str]]:
    """A whole YAML file (a catalog file) read without its broken lines: each slip's line and
    the lines indented under it are blanked, not the whole top-level field (which in a
    catalog file is every entry), so the other entries are still checked in this round."""
    lines = text.split("\n")
    slips: list[Slip] = []
    blanked: set[str] = set()  # the keys of the lines blanked, as written
    exc = first
    for _ in range(MAX_RECOVERIES):
        slip = diagnose("\n".join(lines), 1, exc)
        slips.append(slip)
        at = slip.line - 1
        if exc.refused or not 0 <= at < len(lines) or not lines[at].strip():
            return None, slips, blanked
        if (m := _KEY.match(lines[at].replace("\t", " "))) is not None:
            blanked.add(m.group(2).strip())
        indent = len(lines[at]) - len(lines[at].lstrip(" -"))
        end = at + 1
        while end < len(lines) and (not lines[end].strip()
                                    or len(lines[end]) - len(lines[end].lstrip(" ")) > indent):
            end += 1
        for i in range(at, end):
            # a list entry's dash stays, so the entry is not joined to the one before
            lines[i] = lines[i][: len(lines[i]) - len(lines[i].lstrip(" -"))].rstrip() if i == at \
                and lines[i].lstrip().startswith("- ") else ""
        try:
            return strict_yaml.load("\n".join(lines)), slips, blanked
        except strict_yaml.YamlError as again:
            exc = again
    return None, slips, blanked


#: a plain value ends on a non-space; YAML cuts it where one space or Tab and a "#" follow
_ONE_SPACE_HASH = re.compile(r"[^ \t\n][ \t]#")


def cut_values(text: str, first_line: int) -> list[Slip]:
    """Values YAML cuts at `` #``: ``标题: …决定书 #31号`` would be stored as ``…决定书``.
    A comment set off by two or more spaces (``目录: xzcf   # 目录代码``) is meant as one."""
    if _ONE_SPACE_HASH.search(text) is None:  # what every cut value needs: the usual case
        return []
    lines = text.split("\n")
    found = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if not isinstance(token, yaml.ScalarToken) or not token.plain:
                continue
            end = token.end_mark
            rest = lines[end.line][end.column:] if end.line < len(lines) else ""
            # one space: text that goes on (``决定书 #31号``); an aligned comment, as the
            # files gongkai new writes carry, has two or more
            if re.match(r"[ \t]#", rest):
                line = lines[end.line]
                whole = line[token.start_mark.column:].rstrip()
                prefix = line[: token.start_mark.column]
                found.append(Slip(
                    first_line + end.line, _field_of(lines, end.line),
                    f"值中的“ #”及其后的文字（“{rest.strip()}”）会被 YAML 当作注释丢掉，只剩“{token.value}”："
                    f"请把整个值用单引号括起来，写成“{prefix}{_quoted(whole)}”，或把“#”改成全角“＃”"))
    except yaml.YAMLError:  # the text parsed already; scanning it again cannot fail
        return found
    return found
