"""``gongkai annual new``: start an agency's annual report for a year.

Writes what the agency fills in: the year's figures file, the two registers with their
headers only, and the narrative with the six national headings in order, each part to
write marked ``【待填写】`` (the build refuses to publish a report still marked so). An
existing file is never overwritten. The files build as they are, so starting a report
never stops the site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.annual.layout import DECISION_ROWS, FEE_ROW, SECTIONS
from gongkai.annual.register_rows import APPLICATION_COLUMNS, CASE_COLUMN_DEFS
from gongkai.annual.registers import ANNUAL_DIR, APPLICATIONS, CASES, register_path
from gongkai.annual.years import NARRATIVE_DIR, TO_WRITE
from gongkai.audit.due import REPORT_DEADLINES, agency_kind
from gongkai.load.loader import Repository, load_catalog, today_in_china
from gongkai.problems import Problems
from gongkai.schema.catalog import Agency

#: a planned 发布日期 when the deadline has already passed: the skeleton must still build
GRACE_DAYS = 14


class AnnualNewError(Exception):
    pass


@dataclass
class Started:
    agency: Agency
    year: int
    deadline: dt.date
    created: list[tuple[str, str]] = field(default_factory=list)  # (file, what to fill)
    kept: list[str] = field(default_factory=list)  # existing files, left as they were


def _year_file(agency: Agency, year: int) -> str:
    lines = [f"# {agency.name} {year} 年度：不是政府信息公开条目、但年报第二部分要报告的数字。",
             "# 行政许可、行政处罚、行政强制为本年处理决定数量（件），行政事业性收费单位为万元；没有就填 0。",
             "# 第三、四部分由同一文件夹的 applications.csv、cases.csv 计算；没有登记表的年度可改用",
             "# “填报表格”照年报原样填写（见 catalog/annual/2023.yml）。",
             f"年度: {year}"]
    lines += [f"{name}: 0" for name in (*DECISION_ROWS, FEE_ROW)]
    return "\n".join(lines) + "\n"


def _narrative(agency: Agency, year: int, planned: dt.date, deadline: dt.date) -> str:
    hints = {
        0: f"{TO_WRITE}本年度政府信息公开工作的总体情况。数字请写成占位符，由表格填入，例如："
           "全年主动公开政府信息{{ 统计.主动公开 }}条；新收政府信息公开申请{{ 三.一 }}件，"
           "予以公开及部分公开{{ 三.三.一 + 三.三.二 }}件。",
        3: f"{TO_WRITE}例如：全年因政府信息公开工作被申请行政复议" "{{ 四.行政复议 }}件，"
           "被提起行政诉讼{{ 四.行政诉讼 }}件。",
        4: f"{TO_WRITE}本年度工作存在的主要问题和改进措施。",
        5: f"{TO_WRITE}如收取信息处理费的情况；没有则写“无”。",
    }
    head = ["---", f"标题: {agency.name}{year}年政府信息公开工作年度报告",
            f"发布日期: {planned}    # 计划发布日期（公布期限 {deadline}）；发布当天改为实际日期", "---", ""]
    body = []
    for i, heading in enumerate(SECTIONS):
        body += [f"## {heading}", ""]
        if i in hints:
            body += [hints[i], ""]
    return "\n".join(head + body)


def _find(agencies: list[Agency], key: str) -> Agency:
    for agency in agencies:
        if key in (agency.code, agency.slug, agency.name):
            return agency
    raise AnnualNewError(f"机构“{key}”未在 catalog/agencies.yml 中定义；可用："
                         + "、".join(f"{a.name}（{a.slug}）" for a in agencies))


def _write(root: Path, rel: str, text: str, what: str, started: Started) -> None:
    path = root / rel
    if path.exists():
        started.kept.append(rel)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as fh:  # never overwrite
        fh.write(text)
    started.created.append((rel, what))


def start(root: Path, agency_key: str, year: int, today: dt.date | None = None) -> Started:
    """Write the files of the agency's report for ``year`` that do not exist yet."""
    problems = Problems()
    catalog = load_catalog(Repository(root), problems)
    if catalog is None:
        raise AnnualNewError("\n".join(p.format() for p in problems.sorted()))
    agency = _find(catalog.agencies, agency_key)
    today = today or today_in_china()
    if year > today.year:
        raise AnnualNewError(f"{year} 年度还没有开始（今天是 {today}）")
    owner = next((a for a in catalog.agencies if a.name == catalog.settings.owner),
                 catalog.agencies[0] if catalog.agencies else None)
    own = owner is not None and agency.code == owner.code  # the site's own report: the top folders
    figures = ANNUAL_DIR if own else f"{ANNUAL_DIR}/{agency.slug}"
    text = NARRATIVE_DIR if own else f"{NARRATIVE_DIR}/{agency.slug}"
    month, day = REPORT_DEADLINES[agency_kind(agency)]
    deadline = dt.date(year + 1, month, day)
    started = Started(agency, year, deadline)
    planned = deadline if deadline > today else today + dt.timedelta(days=GRACE_DAYS)
    _write(root, f"{figures}/{year}.yml", _year_file(agency, year),
           "填写行政许可、行政处罚、行政强制的决定数量和行政事业性收费（万元）", started)
    for name, columns, what in ((APPLICATIONS, APPLICATION_COLUMNS, "每件政府信息公开申请一行，没有申请就只留表头"),
                                (CASES, CASE_COLUMN_DEFS, "每件行政复议、行政诉讼一行，没有就只留表头")):
        existing = register_path(root / figures, name)
        if existing is not None:
            started.kept.append(f"{figures}/{existing.name}")
            continue
        _write(root, f"{figures}/{name}", ",".join(c.zh for c in columns) + "\n", what, started)
    _write(root, f"{text}/{year}.md", _narrative(agency, year, planned, deadline),
           f"写完各处“{TO_WRITE}”，发布当天把发布日期改为实际日期（公布期限 {deadline}）", started)
    if not started.created:
        raise AnnualNewError(f"{agency.name} {year} 年度报告的文件都已存在，未改动：" + "、".join(started.kept))
    return started
