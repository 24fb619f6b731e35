"""发文字号 (document numbers) per GB/T 9704-2012 §7.2.5.

``X〔2024〕12号``: issuing-organ code, the full year in six-corner brackets,
the number without leading zeros or 第. Orders keep their own numbering:
``国务院令第711号``. ``normalize`` also serves search, which must find a
number however a citizen types it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_CANONICAL = re.compile(r"^(?P<prefix>[^\s〔〕\[\]()（）【】]+?)〔(?P<year>\d{4})〕(?P<num>[1-9]\d*)号$")
_ORDER = re.compile(r"^(?P<prefix>\S+?令)第(?P<num>[1-9]\d*)号$")
_LOOSE = re.compile(
    r"^(?P<prefix>.*?)\s*[〔\[［(（【{｛]\s*(?P<year>\d{2}|\d{4})\s*[〕\]］)）】}｝]\s*"
    r"(?P<di>第)?\s*(?P<num>\d+)\s*(?P<hao>号)?$"
)
_LOOSE_ORDER = re.compile(r"^(?P<prefix>.*?令)\s*(?P<di>第)?\s*(?P<num>\d+)\s*号?$")


@dataclass(frozen=True, slots=True)
class DocNumberCheck:
    ok: bool
    fixed: str | None
    reasons: tuple[str, ...]

    def message(self) -> str:
        if self.fixed:
            return f"发文字号格式不规范（{'；'.join(self.reasons)}），应写作“{self.fixed}”"
        return ("发文字号应写作“机关代字〔年份〕序号号”，例如“青政办发〔2024〕12号”；"
                "令的编号写作“青禾县人民政府令第3号”")


def is_canonical(text: str) -> bool:
    return bool(_CANONICAL.match(text) or _ORDER.match(text))


def normalize(text: str) -> str | None:
    """The canonical spelling of a loosely typed number, or None."""
    text = text.strip().translate(_FULLWIDTH)
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


def check(text: str) -> DocNumberCheck:
    if is_canonical(text):
        return DocNumberCheck(True, None, ())
    reasons: list[str] = []
    if text.translate(_FULLWIDTH) != text:
        reasons.append("数字应为半角")
    if re.search(r"\s", text):
        reasons.append("不应含空格")
    if re.search(r"[\[［(（【{｛][\s\d０-９]+[\]］)）】}｝]", text):
        reasons.append("年份应使用六角括号〔〕")
    if re.search(r"[〔\[［(（【][\s]*[\d０-９]{2}[\s]*[〕\]］)）】]", text):
        reasons.append("年份应写全四位")
    if re.search(r"[〕\]］)）】]\s*第", text):
        reasons.append("序号前不加“第”")
    if re.search(r"(?<![\d０-９])[0０][\d０-９]*\s*号$", text):
        reasons.append("序号不编虚位（不加前导零）")
    if not text.endswith("号"):
        reasons.append("末尾应有“号”")
    fixed = normalize(text)
    if fixed is None or not is_canonical(fixed):
        return DocNumberCheck(False, None, tuple(reasons))
    return DocNumberCheck(False, fixed, tuple(reasons) or ("写法不规范",))
