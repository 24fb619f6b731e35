"""What characters titles, numbers, names and bodies may hold.

Bidi controls reorder what is displayed (``关于\\u202e知通的理管全安\\u202c的通知`` shows a
different title from the one stored, searched and reviewed), invisible characters split
numbers and words without a trace, and letters of another script that look like Chinese
or Latin ones make a 发文字号 that looks right and matches nothing. Each is refused with
where it stands (line, column, the character's U+ code) and how to fix it.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from gongkai.guards.reader import invisible_class, is_invisible
from gongkai.read.source import MarkdownSource
from gongkai.schema.front_matter import ALIASES, LABELS

#: Unicode's bidirectional formatting characters
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
#: fields a reader takes at their word: (English key, label), attachments' own keys below
_FIELDS = ("title", "doc_number", "agency", "summary")
_ATTACHMENT_FIELDS = ("file", "title")
#: at most this many places are named per field; the rest are counted
_MAX_NAMED = 5
_ENTITY = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});?")
#: emoji sequences join symbols with ZWJ and pick their look with a variation selector
_EMOJI_JOINERS = frozenset("\u200d\ufe0e\ufe0f")


def _suspect(text: str) -> bool:
    return not text.isascii() and any(_bad(text, i) for i in range(len(text)))


def _bad(text: str, i: int) -> bool:
    ch = text[i]
    if ch in BIDI:
        return True
    if not is_invisible(ch):
        return False
    if ch in _EMOJI_JOINERS and i > 0:
        prev = text[i - 1]
        return not (unicodedata.category(prev) in ("So", "Sk") or prev in _EMOJI_JOINERS)
    return True


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    code = f"U+{ord(ch):04X}" + (f" {name}" if name else "")
    if ch in BIDI:
        return f"双向文字控制符（{code}，会让文字的显示顺序与实际内容不同）"
    return f"不可见字符（{code}，显示不出来，却会拆开号码、改变文字的含义或搜索结果）"


_FIX = "请删除该字符：在编辑器中打开“显示不可见字符”，或把这段文字删掉重新输入"


@functools.cache
def _refused() -> re.Pattern[str]:
    return re.compile(f"{invisible_class()}|[{''.join(sorted(BIDI))}]|{_ENTITY.pattern}")


def places(text: str) -> Iterator[tuple[int, int, str]]:
    """(0-based line, 1-based column, character) of each refused character in ``text``,
    written as is or as an HTML entity (``&#x202e;``, ``&lrm;``)."""
    if text.isascii() and "&" not in text:
        return
    line, line_start, at = 0, 0, 0
    for m in _refused().finditer(text):
        i = m.start()
        written = m.group()
        ch = html_lib.unescape(written) if written[0] == "&" else written
        if len(ch) != 1 or not _bad(text if ch is written else ch, i if ch is written else 0):
            continue
        newlines = text.count("\n", at, i)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", at, i) + 1
        at = i
        yield line, i - line_start + 1, ch


def _messages(where: str, found: list[tuple[int, int, str]]) -> Iterator[tuple[int, str]]:
    for line, column, ch in found[:_MAX_NAMED]:
        yield line, f"{where}第 {column} 个字符是{describe(ch)}：{_FIX}"
    if len(found) > _MAX_NAMED:
        yield found[_MAX_NAMED][0], f"{where}另有 {len(found) - _MAX_NAMED} 处同类字符：{_FIX}"


def item_hits(source: MarkdownSource) -> list[tuple[int | None, str, str]]:
    """(line, field, message) for each refused character in an item's title, 发文字号,
    发布机构, 内容概述, attachments' file names and names, and body."""
    out: list[tuple[int | None, str, str]] = []
    data = source.front.data
    if isinstance(data, dict):
        keys: dict[str, str] = {ALIASES[""].get(str(k), str(k)): str(k) for k in data}
        for field in _FIELDS:
            key = keys.get(field)
            value = data.get(key) if key is not None else None
            if key is not None and isinstance(value, str):
                out += _value_hits(value, LABELS[field], source.front.line_of((key,)))
                if field == "doc_number":
                    out += [(source.front.line_of((key,)), LABELS[field], m) for m in prefix_problems(value)]
        key = keys.get("attachments")
        refs = data.get(key) if key is not None else None
        if key is not None and isinstance(refs, list):
            for n, ref in enumerate(refs):
                out += _attachment_hits(ref, n, key, source)
    found = list(places(source.body))
    for line, column, ch in found[:_MAX_NAMED]:
        at = source.body_line + line
        out.append((at, "正文", f"第 {at} 行第 {column} 列是{describe(ch)}：{_FIX}"))
    if len(found) > _MAX_NAMED:
        out.append((source.body_line + found[_MAX_NAMED][0], "正文",
                    f"另有 {len(found) - _MAX_NAMED} 处同类字符：{_FIX}"))
    return out


def _attachment_hits(ref: Any, n: int, key: str, source: MarkdownSource) -> list[tuple[int | None, str, str]]:
    if not isinstance(ref, dict):
        return []
    out: list[tuple[int | None, str, str]] = []
    names: dict[str, str] = {ALIASES["attachments"].get(str(k), str(k)): str(k) for k in ref}
    for field in _ATTACHMENT_FIELDS:
        k = names.get(field)
        value = ref.get(k) if k is not None else None
        if k is not None and isinstance(value, str):
            label = f"附件[{n + 1}].{'文件' if field == 'file' else '名称'}"
            out += _value_hits(value, label, source.front.line_of((key, n, k)))
    return out


def _value_hits(value: str, label: str, line: int | None) -> list[tuple[int | None, str, str]]:
    if not _suspect(value):
        return []
    found = [(0, col, ch) for _, col, ch in places(value.replace("\n", " "))]
    return [(line, label, message) for _, message in _messages("值的", found)]


def name_hits(value: str) -> list[str]:
    """Messages for a catalog name (an agency's): the same characters are refused there."""
    if not _suspect(value):
        return []
    found = [(0, col, ch) for _, col, ch in places(value.replace("\n", " "))]
    return [message for _, message in _messages("名称的", found)]


# --- 发文字号: letters of other scripts among Chinese ----------------------------------------------

_PREFIX_END = re.compile(r"[〔\[［(（【{｛第0-9０-９]")


def doc_prefix(number: str) -> str:
    m = _PREFIX_END.search(number)
    return (number[:m.start()] if m else number).strip()


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if name.startswith(("CJK", "IDEOGRAPHIC")):
        return "han"
    return name.split(" ", 1)[0].lower()  # LATIN, CYRILLIC, GREEK, FULLWIDTH …


def prefix_problems(number: str) -> list[str]:
    """A 机关代字 mixing Chinese characters with letters (Latin, Cyrillic, Greek, full-width)."""
    prefix = doc_prefix(number)
    letters = [ch for ch in prefix if unicodedata.category(ch).startswith("L")]
    if not any(_script(ch) == "han" for ch in letters):
        return []
    foreign = [ch for ch in letters if _script(ch) != "han"]
    if not foreign:
        return []
    shown = "、".join(f"“{ch}”（U+{ord(ch):04X} {unicodedata.name(ch, '')}）" for ch in foreign[:3])
    return [f"发文字号的机关代字“{prefix}”在汉字中夹有其他文字的字母 {shown}：看起来相同，却与任何机关代字都对不上。"
            "请用中文输入法重新输入机关代字"]


# --- 发文字号: a look-alike of a catalog prefix ----------------------------------------------------

#: traditional and variant forms of characters common in 机关代字, with their simplified form
_VARIANTS: dict[str, str | int | None] = dict(zip(
    "辦發號區縣鄉鎮務組華廳財規衛環農業東門開關長會書廣員園動勞醫藥體黨黃氣電網監審計統總協興稅證權龍鐵陽寧貴臺灣遼贛閩蘇滬魯"
    "條徵應對報機構設議調價運輸漁林礦產廠場資廢擬處類義際戰備選舉聯絡職業學務訊聽種倉儲",
    "办发号区县乡镇务组华厅财规卫环农业东门开关长会书广员园动劳医药体党黄气电网监审计统总协兴税证权龙铁阳宁贵台湾辽赣闽苏沪鲁"
    "条征应对报机构设议调价运输渔林矿产厂场资废拟处类义际战备选举联络职业学务讯听种仓储", strict=True))


def lookalike_prefix(prefix: str, known: list[str]) -> str | None:
    """The catalog prefix ``prefix`` imitates (traditional forms, full-width or look-alike
    letters), when it is not itself one of ``known``."""
    if not prefix or prefix in known:
        return None
    table = str.maketrans(_VARIANTS)
    simplified = unicodedata.normalize("NFKC", prefix).translate(table)
    for other in known:
        if other != prefix and simplified == unicodedata.normalize("NFKC", other).translate(table):
            return other
    return None
