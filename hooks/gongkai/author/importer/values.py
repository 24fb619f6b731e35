"""Normalising the values old catalogue systems export: dates, 发文字号, 有效性, topics.

Each function returns the normalised value or raises ``ValueProblem`` with a Chinese reason;
a fix worth telling the editor (a 发文字号 rewritten) is returned alongside.
"""

from __future__ import annotations

import datetime as dt
import re

from gongkai import vocab
from gongkai.schema.doc_number import check as check_doc_number


class ValueProblem(Exception):
    """A value that cannot be imported as written; the message says why, in Chinese."""


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (it counts the non-existent 1900-02-29)
_NUMERIC_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{4,5}(?:\.\d+)?$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９／．－：　", "0123456789/.-: ")
# the zero of a typed 二〇一一 is as often the letter O (or o, Ｏ) or a digit 0 as 〇
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "o": 0, "０": 0, "0": 0, "一": 1, "二": 2, "三": 3,
              "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = "[〇○零ＯOo０0一二三四五六七八九]{4}"
_CN_SMALL = "[一二三四五六七八九十]{1,3}"
# 二〇一一年五月十六日, and the mixed forms old systems hold: 二O一一年5月16日, 2011年五月十六日
CN_DATE = re.compile(rf"({_CN_YEAR}|\d{{4}})\s*年\s*({_CN_SMALL}|\d{{1,2}})\s*月\s*({_CN_SMALL}|\d{{1,2}})\s*日")
#: what CMSs store for "no date": the Unix and Excel epochs and MySQL's zero date
CMS_EMPTY_DATES = frozenset({dt.date(1970, 1, 1), dt.date(1900, 1, 1), dt.date(1899, 12, 30),
                             dt.date(1899, 12, 31)})
_ZERO_DATE = re.compile(r"^0{4}\s*[-/.年]?\s*0{1,2}\s*[-/.月]?\s*0{1,2}\s*日?(?:[\sT]+[\d:.]+)?$")


def _cn_small(text: str) -> int:
    """一 … 三十一 (month and day numerals), or Arabic digits."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def chinese_date(text: str) -> dt.date | None:
    """``二〇二五年三月五日`` (the date line of a 公文, GB/T 9704 §7.3.5) as a date."""
    m = CN_DATE.fullmatch(text.strip())
    if m is None:
        return None
    try:
        year = int(m[1]) if m[1].isdigit() and m[1].isascii() else int("".join(str(_CN_DIGITS[c]) for c in m[1]))
        return dt.date(year, _cn_small(m[2]), _cn_small(m[3]))
    except (KeyError, ValueError):
        return None


def parse_date(value: object) -> dt.date | None:
    """A date as old systems write it; None for an empty cell or a CMS's "no date"."""
    found = _parse_date(value)
    return None if found in CMS_EMPTY_DATES else found


def _parse_date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None if value in (0, 1) else _serial(float(value), str(value))
    text = str(value).strip().translate(_FULLWIDTH).strip()
    if not text or _ZERO_DATE.match(text):
        return None
    m = _NUMERIC_DATE.match(text) or _COMPACT_DATE.match(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise ValueProblem(f"日期“{text}”不存在") from None
    if _SERIAL.match(text):
        return _serial(float(text), text)
    found = chinese_date(text)
    if found is not None:
        return found
    raise ValueProblem(f"无法识别日期“{text}”：应写成 2019-03-05、2019年3月5日、2019/3/5、2019.03.05 或 二〇一九年三月五日")


def _serial(number: float, text: str) -> dt.date:
    # Excel serials of 1990-2100: anything else is not a date somebody meant
    if not 32874 <= number <= 73051:
        raise ValueProblem(f"无法识别日期“{text}”：不是 1990—2100 年间的 Excel 日期序号")
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


def doc_number(value: object) -> tuple[str | None, str | None]:
    """(the 发文字号 to write, the fix made or None); raises when it cannot be read.

    The fix is the one ``gongkai check`` suggests (``schema.doc_number``), so an import
    writes exactly what an editor would have been told to write.
    """
    text = _cell(value)
    if not text or text in ("无", "/", "-", "—", "暂无"):
        return None, None
    result = check_doc_number(text)
    if result.ok:
        return text, None
    if result.fixed:
        return result.fixed, f"已将“{text}”改为“{result.fixed}”（{'；'.join(result.reasons)}）"
    raise ValueProblem(result.message() + f"；原文为“{text}”")


#: what old systems write in the 有效性 column -> the schema's word
STATUS_WORDS = {
    "有效": "有效", "现行有效": "有效", "现行": "有效", "是": "有效", "继续有效": "有效", "生效": "有效",
    "长期有效": "有效", "尚未生效": "有效",
    "失效": "失效", "已失效": "失效", "过期": "失效", "已过期": "失效", "失效文件": "失效", "否": "失效",
    "废止": "废止", "已废止": "废止", "宣布废止": "废止", "废止文件": "废止",
    "已修订": "已修订", "修订": "已修订", "已修改": "已修订", "修改": "已修订", "部分修订": "已修订",
}
#: English values some exports use
_STATUS_EN = {"valid": "有效", "effective": "有效", "in force": "有效", "invalid": "失效",
              "expired": "失效", "repealed": "废止", "abolished": "废止", "revised": "已修订",
              "amended": "已修订"}


def status(value: object) -> str | None:
    """The schema's word, or None for an empty cell: an import never invents a 有效性."""
    text = re.sub(r"\s+", "", _cell(value))
    if not text:
        return None
    found = STATUS_WORDS.get(text) or _STATUS_EN.get(text.lower())
    if found is None:
        raise ValueProblem(f"无法识别有效性“{text}”：应为" + "、".join(vocab.STATUSES)
                           + "（也识别现行有效、已废止、已失效等写法）")
    return found


def keywords(value: object) -> list[str]:
    return [k for k in re.split(r"[,，、;；|\s]+", _cell(value)) if k]


def topics(value: object, tree: dict[str, tuple[str, ...]], aliases: dict[str, str]) -> tuple[str | None, str | None]:
    """(the topic, a note) from a cell that may hold several (``综合政务,文秘工作 其他``): the
    first one that is a valid topic, the others named in the note. An item has one 主题分类."""
    text = _cell(value)
    parts = [p for p in re.split(r"[,，;；|\s]+", text) if p]
    try:
        return topic(text, tree, aliases), None
    except ValueProblem:
        if len(parts) < 2:
            raise
    for i, part in enumerate(parts):
        try:
            found = topic(part, tree, aliases)
        except ValueProblem:
            continue
        rest = "、".join(f"“{p}”" for j, p in enumerate(parts) if j != i)
        return found, f"主题分类“{text}”有多个值，每条信息只有一个主题分类：导入了第一个有效的“{found}”，未导入{rest}"
    raise ValueProblem(f"主题分类“{text}”中没有一个在 22 类主题分类中（catalog/topics.yml）")


def topic(value: object, topics: dict[str, tuple[str, ...]], aliases: dict[str, str]) -> str | None:
    """``综合政务\\政务公开`` from ``综合政务/政务公开``, ``综合政务-政务公开`` or ``政务公开``."""
    text = _cell(value)
    if not text:
        return None
    parts = [p.strip() for p in re.split(r"\s*(?:\\|/|>|＞|－|-|—|→)\s*", text) if p.strip()]
    top = aliases.get(parts[0], parts[0])
    if top in topics:
        if len(parts) == 1:
            return top
        second = parts[-1]
        if second in topics[top]:
            return f"{top}\\{second}"
        raise ValueProblem(f"“{second}”不是“{top}”下的二级主题；可用：" + "、".join(topics[top]))
    # only the second level written: take it when exactly one top-level topic has it
    owners = [t for t, children in topics.items() if parts[-1] in children]
    if len(owners) == 1 and len(parts) <= 2:
        return f"{owners[0]}\\{parts[-1]}"
    if len(owners) > 1:
        raise ValueProblem(f"主题“{parts[-1]}”属于多个一级主题（{'、'.join(owners)}）：请写作“一级\\二级”")
    raise ValueProblem(f"主题分类“{text}”不在 22 类主题分类中（catalog/topics.yml）")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


cell_text = _cell
