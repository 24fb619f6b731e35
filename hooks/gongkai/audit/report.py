"""The audit as Markdown, in the shape of a self-inspection report (自查报告).

The same text serves the command line (findings name the file and line an
editor opens) and the optional site page (findings link to the item page,
and nothing about non-public items is shown).
"""

from __future__ import annotations

import html
from collections.abc import Callable

from gongkai.audit.findings import KINDS, Audit, Finding
from gongkai.model import Site

#: site page mode: item id -> relative link to its page, or None when not on the site
Linker = Callable[[str], str | None]


def _cell(text: str) -> str:
    return text.replace("|", "｜")


def _share(on_time: int, count: int) -> str:
    return "—" if count == 0 else f"{on_time / count:.1%}"


#: on the site page every character that HTML or Markdown reads as markup is written as a
#: character reference, so a title is shown as text: ``[点我](javascript:…)``, ``**``, ``<b>``
#: or ``&amp;`` in an item's title can become no link, emphasis, tag or other character
_AS_TEXT = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'[]()*_`\\!#|~{}:"})


def as_text(value: str) -> str:
    """``value`` for the Markdown of a site page, shown exactly as written."""
    return value.translate(_AS_TEXT)


def render_markdown(audit: Audit, site: Site, linker: Linker | None = None) -> str:
    """``linker`` switches to the site page: links instead of file paths, public data only."""
    esc = as_text if linker is not None else (lambda s: s)
    f = audit.figures
    who = audit.agency.name if audit.agency else site.settings.owner
    scope = audit.agency.name if audit.agency else "全部发布机构"
    out: list[str] = []
    if linker is None:
        out.append(f"# {esc(who)} {audit.year} 年度政府信息公开工作自查报告（数据部分）\n")
    out.append(f"统计范围：{esc(scope)}；统计期间：{audit.start} 至 {audit.end}；数据截至 {audit.as_of}。"
               "由 gongkai 根据信息公开目录自动生成。\n")
    if not audit.calendar_exact:
        out.append("> 注意：节假日安排尚未收录本年度，工作日按周一至周五估算。\n")

    out.append("## 一、基本情况\n")
    channels = "，".join(f"{c.name} {c.count} 条" for c in f.by_channel)
    sentence = f"{audit.year} 年共主动公开政府信息 {f.total} 条"
    if channels:
        sentence += f"，按公开载体计：{channels}（一条信息可经多个载体发布）"
    on_time = sum(a.on_time for a in f.by_agency)
    sentence += f"。在公开时限内发布 {on_time} 条，按时公开率 {_share(on_time, f.total)}。"
    if f.policies:
        sentence += f"发布需解读的政策文件 {f.policies} 件，已配发解读 {f.interpreted} 件。"
    out.append(sentence + "\n")
    if linker is None and f.not_proactive:
        out.append(f"另登记依申请公开、不予公开的信息 {f.not_proactive} 条（不在网站发布，不计入上述数字）。\n")

    out.append("### （一）按公开载体\n")
    out.append("| 公开载体 | 条数 |\n|---|---:|")
    out += [f"| {esc(c.name)} | {c.count} |" for c in f.by_channel] or ["| （无） | 0 |"]
    out.append("")
    out.append("### （二）按目录\n")
    out.append("| 目录 | 条数 |\n|---|---:|")
    out += [f"| {_cell(esc(c.name))} | {c.count} |" for c in f.by_category] or ["| （无） | 0 |"]
    out.append("")
    out.append("### （三）按发布机构\n")
    out.append("| 发布机构 | 主动公开 | 按时公开 | 超期公开 | 按时公开率 |\n|---|---:|---:|---:|---:|")
    out += [f"| {esc(a.name)} | {a.count} | {a.on_time} | {a.late} | {_share(a.on_time, a.count)} |"
            for a in f.by_agency]
    out.append("")

    out.append("## 二、存在问题\n")
    t = audit.thresholds
    out.append(f"判定标准：公开时限按各目录规定（工作日，按国务院节假日安排含调休计算）；栏目更新周期按各目录规定；"
               f"政策解读应在原文发布后 {t.interpretation_lag_workdays} 个工作日内发布；"
               f"公示期不少于 {t.min_notice_workdays} 个工作日；"
               f"行政规范性文件每 {t.regulation_review_months} 个月评估清理。\n")
    groups = audit.by_kind()
    number = 0
    for kind, heading in KINDS.items():
        found = [x for x in groups[kind] if linker is None or _shown(x, linker)]
        if not found:
            continue
        number += 1
        out.append(f"### （{_cn(number)}）{heading}（{len(found)} 处）\n")
        out += [f"- {_finding(x, esc, linker)}" for x in found]
        out.append("")
    if number == 0:
        out.append("未发现问题。\n")
    return "\n".join(out).rstrip() + "\n"


def _shown(finding: Finding, linker: Linker) -> bool:
    """On the site, a finding about an item appears only if that item is public."""
    return finding.item_id is None or linker(finding.item_id) is not None


def _finding(x: Finding, esc: Callable[[str], str], linker: Linker | None) -> str:
    if linker is None:
        where = x.file if x.line is None else f"{x.file}:{x.line}"
        name = f"《{x.title}》" if x.item_id and x.title else ""
        return f"`{where}` {name}{x.message}"
    if x.item_id is not None:
        # HTML, as in the templates: MkDocs leaves it alone, and the href is already page-relative
        href = html.escape(linker(x.item_id) or "")
        return f'<a href="{href}">{esc(x.title or x.item_id)}</a>（{x.item_id}）：{esc(x.message)}'
    return esc(x.message)


_DIGITS = "零一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return _DIGITS[n]
    return ("" if n < 20 else _DIGITS[n // 10]) + "十" + ("" if n % 10 == 0 else _DIGITS[n % 10])
