"""发文字号 (document numbers) per GB/T 9704-2012 §7.2.5, and the other forms real issuers print.

``X〔2024〕12号``: issuing-organ code, the full year in six-corner brackets, the number
without leading zeros or 第. Orders keep their own numbering: ``国务院令第711号``, per year
(``交通运输部令2024年第13号``, ``中国人民银行令〔2021〕第3号``) or in Chinese numerals
(``中华人民共和国主席令 第十六号``); ministries number announcements per year
(``国家税务总局公告2022年第3号``, joint ``财政部 税务总局公告2022年第10号`` with a space
between issuers). A bare sequence (``第7号``, ``2022年第10号``) is a form of its own: the
schema reads it, and a site accepts it only when ``catalog/site.yml`` says so.

A fix is offered only when it is certain; two numbers printed side by side (a 规范性文件
registration number and the 发文字号) are never glued into one. ``normalize`` also serves
search, which must find a number however a citizen types it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
# brackets that stand for 〔〕 in what editors paste: ASCII, full-width, lenticular, the small
# tortoise-shell pair (U+FE5D/FE5E) some fonts and converters substitute, white lenticular,
# and the „‟ that text extracted from PDFs set in the 方正 fonts shows for 〔〕
_OPEN = "〔\\[［(（【{｛﹝〖〘„"
_CLOSE = "〕\\]］)）】}｝﹞〗〙‟"
_CN_NUM = "[一二三四五六七八九十百千〇零]+"
_SEQ = rf"(?:[1-9]\d*|{_CN_NUM})"

_CANONICAL = re.compile(r"^(?P<prefix>[^\s〔〕\[\]()（）【】﹝﹞]+?)〔(?P<year>\d{4})〕(?P<num>[1-9]\d*)号$")
# 令 and 公告, one issuer or several separated by one space; numbered straight, per year or
# (the 人民银行 and some provinces) with the year in brackets
_ISSUED = re.compile(
    rf"^(?P<prefix>[^\s〔〕]+?(?: [^\s〔〕]+?)*(?P<kind>令|公告))[ 　]?"
    rf"(?:(?P<year>\d{{4}})年|〔(?P<byear>\d{{4}})〕)?第(?P<num>{_SEQ})号$")
_SEQUENCE_ONLY = re.compile(rf"^(?:(?P<year>\d{{4}})年)?第(?P<num>{_SEQ})号$")
_LOOSE = re.compile(
    rf"^(?P<prefix>.*?)\s*[{_OPEN}]\s*(?P<year>\d{{2}}|\d{{4}})\s*[{_CLOSE}]\s*"
    r"(?P<di>第)?\s*(?P<num>\d+)\s*(?P<hao>号)?$"
)
_LOOSE_ORDER = re.compile(r"^(?P<prefix>.*?令)\s*(?P<di>第)?\s*(?P<num>\d+)\s*号?$")
_YEAR_BRACKETS = re.compile(rf"[{_OPEN}]\s*[\d０-９]{{2,4}}\s*[{_CLOSE}]")
# 规范性文件统一登记号 as pages print them beside the 发文字号: HHCR-2023-01005,
# ZJSP01-2023-0001, GDCR2023001: Latin letters and digits, never part of a 发文字号
_REGISTRATION = re.compile(r"[A-Za-z]{2,}[A-Za-z0-9]*(?:[-－—_][0-9A-Za-z]+)+|[A-Za-z]{2,}\d{5,}")

SEQUENCE_SETTING = "发文字号可仅写序号"


@dataclass(frozen=True, slots=True)
class DocNumberCheck:
    ok: bool
    fixed: str | None  # the certain repair, applied as is by an import
    reasons: tuple[str, ...]
    hint: str | None = None  # the number a refusal tells the editor to write instead
    registration: str | None = None  # the part that is a registration number, when found
    sequence_only: bool = False  # ``第7号``: valid only where the site allows it

    def message(self) -> str:
        if self.fixed:
            return f"发文字号格式不规范（{'；'.join(self.reasons)}），应写作“{self.fixed}”"
        if self.registration:
            rest = f"发文字号只写“{self.hint}”，" if self.hint else ""
            return (f"发文字号中的“{self.registration}”看起来是规范性文件登记号（统一编号），不是发文字号的一部分："
                    f"{rest}登记号请另行记录（例如写在内容概述或正文中），不要与发文字号连写")
        if self.reasons and self.reasons[0].startswith("含有两个"):
            return f"发文字号{self.reasons[0]}：一份文件只有一个发文字号，请只保留本文件的那一个"
        why = f"发文字号格式不规范（{'；'.join(self.reasons)}）：" if self.reasons else ""
        return (why + "发文字号应写作“机关代字〔年份〕序号号”，例如“青政办发〔2024〕12号”；"
                "令的编号写作“青禾县人民政府令第3号”，按年编号的令和公告写作“交通运输部令2024年第13号”"
                "“国家税务总局公告2022年第3号”")


def sequence_refused(text: str) -> str:
    """Why a bare sequence is refused on a site that has not allowed it."""
    return (f"发文字号“{text}”只有序号，没有机关代字：请写完整的发文字号，例如“青禾县人民政府公告2024年第7号”；"
            f"本站的公告确实只按序号编号时，在 catalog/site.yml 中写“{SEQUENCE_SETTING}: true”")


def is_sequence_only(text: str) -> bool:
    return bool(_SEQUENCE_ONLY.match(text))


def is_canonical(text: str) -> bool:
    return _registration(text) is None and bool(_CANONICAL.match(text) or _ISSUED.match(text) or _SEQUENCE_ONLY.match(text))


def year(text: str) -> int | None:
    """The year a 发文字号 carries, if any (to compare with the 成文日期)."""
    for pattern in (_CANONICAL, _ISSUED, _SEQUENCE_ONLY):
        m = pattern.match(text)
        if m is not None:
            found = m.groupdict().get("year") or m.groupdict().get("byear")
            return int(found) if found else None
    return None


def normalize(text: str) -> str | None:
    """The canonical spelling of a loosely typed number, or None (search's exact token)."""
    text = text.strip().translate(_FULLWIDTH)
    if _registration(text) or len(_YEAR_BRACKETS.findall(text)) > 1:
        return None
    text = re.sub(r"\s+", "", text)
    m = _LOOSE.match(text)
    if m:
        year = m["year"]
        if len(year) == 2:
            year = "20" + year
        return f"{m['prefix']}〔{year}〕{int(m['num'])}号"
    m = _LOOSE_ORDER.match(text)
    if m and int(m["num"]) > 0:
        return f"{m['prefix']}第{int(m['num'])}号"
    return None


def _registration(text: str) -> str | None:
    m = _REGISTRATION.search(text)
    return m[0] if m and sum(c.isdigit() for c in m[0]) >= 4 else None


def _spaced(text: str) -> str:
    """Spaces dropped next to digits, brackets and 年第号, runs between issuers made one."""
    text = re.sub(rf"\s*([\d{_OPEN}{_CLOSE}年第号])\s*", r"\1", text)
    return re.sub(r"\s+", " ", text)


def check(text: str) -> DocNumberCheck:
    # first: a registration number glued to a 发文字号 would otherwise pass as its 机关代字
    registration = _registration(text)
    if registration is None and (_CANONICAL.match(text) or _ISSUED.match(text)):
        return DocNumberCheck(True, None, ())
    if _SEQUENCE_ONLY.match(text):
        return DocNumberCheck(True, None, (), sequence_only=True)
    if registration is not None:
        rest = text.replace(registration, " ").strip()
        hint = None
        if rest:
            found = check(rest)
            hint = rest if found.ok else found.fixed
        return DocNumberCheck(False, None, ("含有登记号",), hint=hint, registration=registration)
    if len(_YEAR_BRACKETS.findall(text)) > 1:
        return DocNumberCheck(False, None, ("含有两个带年份的文号",))
    reasons: list[str] = []
    if text.translate(_FULLWIDTH) != text:
        reasons.append("数字应为半角")
    spaced = _spaced(text.translate(_FULLWIDTH))
    if _ISSUED.match(spaced):
        return DocNumberCheck(False, spaced, (*reasons, *(["多余的空格"] if re.search(r"\s", text) else [])))
    if re.search(r"\s", text):
        reasons.append("不应含空格")
    if re.search(rf"[{_OPEN.replace('〔', '')}][\s\d０-９]+[{_CLOSE.replace('〕', '')}]", text):
        reasons.append("年份应使用六角括号〔〕")
    if re.search(rf"[{_OPEN}][\s]*[\d０-９]{{2}}[\s]*[{_CLOSE}]", text):
        reasons.append("年份应写全四位")
    if re.search(rf"[{_CLOSE}]\s*第", text):
        reasons.append("序号前不加“第”")
    if re.search(r"(?<![\d０-９])[0０][\d０-９]*\s*号$", text):
        reasons.append("序号不编虚位（不加前导零）")
    if not text.endswith("号"):
        reasons.append("末尾应有“号”")
    fixed = normalize(text)
    short = re.search(rf"[{_OPEN}]\s*([\d０-９]{{2}})\s*[{_CLOSE}]", text)
    if fixed is not None and short and int(short[1].translate(_FULLWIDTH)) > 40:
        # 〔98〕 is 1998, not 2098: the century is the editor's to say
        return DocNumberCheck(False, None, ("年份应写全四位",))
    if fixed is None or not is_canonical(fixed):
        # the reasons above read the text one way; with no fix to show, they may have read a
        # sequence as a year (人社发2024(91)), so none is claimed
        return DocNumberCheck(False, None, ())
    return DocNumberCheck(False, fixed, tuple(reasons) or ("写法不规范",))
