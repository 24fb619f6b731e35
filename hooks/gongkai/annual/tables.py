"""The annual report's tables: computed from the repository, then checked.

Section 二 (一) comes from the items, 二 (五)(六)(八) from the per-year figures
file, 三 from the application register and 四 from the case register. A year
that predates the registers may give typed tables instead; either way every
identity of the national format is checked cell by cell (domain.md §4).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from gongkai import vocab
from gongkai.annual.layout import (
    APPLICANTS,
    CASE_GROUPS,
    CASE_RESULTS,
    COLUMNS3,
    OUTCOMES,
    REG_ROWS,
    ROW3_BY_KEY,
    ROWS3,
)
from gongkai.model import Item, Site
from gongkai.workdays import add_workdays, covered

#: (section, row key, column): "三", "三.七", "总计"
Cell = tuple[str, str, str]


@dataclass(frozen=True)
class Tables:
    regs: dict[str, tuple[int, int, int]]  # 规章 / 行政规范性文件 -> 制发, 废止, 现行有效
    decisions: dict[str, int]  # 行政许可, 行政处罚, 行政强制
    fees: Decimal  # 万元
    rows3: dict[str, tuple[int, ...]]  # row key -> 7 values, 总计 last
    cases: dict[str, tuple[int, ...]]  # 行政复议 / 未经复议直接起诉 / 复议后起诉 -> 5 values

    def value3(self, key: str, column: str = "总计") -> int:
        return self.rows3[key][COLUMNS3.index(column)]

    @property
    def cases_flat(self) -> list[int]:
        return [v for g in CASE_GROUPS for v in self.cases[g]]


@dataclass(frozen=True)
class Break:
    """An identity that does not hold, reported on the cell that breaks it."""

    cell: Cell
    message: str


def cell_name(cell: Cell) -> str:
    section, key, column = cell
    if section == "三":
        return f"第三部分“{ROW3_BY_KEY[key].label}”行“{column}”列"
    if section == "四":
        return f"第四部分“{key}”的“{column}”"
    return f"第二部分“{key}”的“{column}”"


def check_identities(t: Tables) -> list[Break]:
    """Every identity of domain.md §4, in the order an editor would fix them."""
    breaks: list[Break] = []
    for row in ROWS3:  # 3. every row: 总计 = the six applicant columns
        values = t.rows3[row.key]
        if sum(values[:6]) != values[6]:
            breaks.append(Break(("三", row.key, "总计"),
                                f"总计应等于六类申请人之和 {sum(values[:6])}，实际填写 {values[6]}"))
    for i, column in enumerate(COLUMNS3):
        outcomes = sum(t.rows3[r.key][i] for r in OUTCOMES)  # 2. （七） = the 21 outcomes
        total = t.rows3["三.七"][i]
        if outcomes != total:
            breaks.append(Break(("三", "三.七", column),
                                f"（七）总计应等于（一）至（六）各项之和 {outcomes}，实际填写 {total}"))
        left = t.rows3["一"][i] + t.rows3["二"][i]  # 1. 一 + 二 = （七） + 四
        right = total + t.rows3["四"][i]
        if left != right:
            breaks.append(Break(("三", "四", column),
                                f"一（{t.rows3['一'][i]}）加二（{t.rows3['二'][i]}）为 {left}，"
                                f"应等于（七）总计（{total}）加四（{t.rows3['四'][i]}）之和 {right}"))
    for group in CASE_GROUPS:  # 4. section 四: 总计 = the four results
        values = t.cases[group]
        if sum(values[:4]) != values[4]:
            breaks.append(Break(("四", group, "总计"),
                                f"总计应等于结果维持、结果纠正、其他结果、尚未审结之和 {sum(values[:4])}，"
                                f"实际填写 {values[4]}"))
    for name, values in t.regs.items():
        if any(v < 0 for v in values):
            breaks.append(Break(("二", name, "件数"), "件数不能为负数"))
    if t.fees < 0:
        breaks.append(Break(("二", "行政事业性收费", "金额"), "收费金额不能为负数"))
    return breaks


# --- registers -> tables -----------------------------------------------------------------------

@dataclass(frozen=True)
class Application:
    number: str
    received: dt.date
    applicant: str  # one of APPLICANTS
    outcome: str | None  # a row key of OUTCOMES; None while open
    replied: dt.date | None
    extended: bool
    corrected: dt.date | None  # 补正 received: the clock restarts
    line: int


@dataclass(frozen=True)
class Case:
    number: str
    group: str  # one of CASE_GROUPS
    received: dt.date
    result: str | None  # 结果维持 / 结果纠正 / 其他结果; None while pending
    decided: dt.date | None
    line: int


@dataclass(frozen=True)
class YearFigures:
    """What the per-year file in catalog/annual/ gives: counts that are not items."""

    year: int
    decisions: dict[str, int]
    fees: Decimal
    typed: Tables | None  # the whole report typed, for a year before the registers
    source: str  # the file, for messages
    lines: dict[Cell, int] = field(default_factory=dict)


def period(year: int, as_of: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), as_of)


def _known(day: dt.date | None, as_of: dt.date) -> dt.date | None:
    """A date after the build date has not happened yet."""
    return day if day is not None and day <= as_of else None


def section3(apps: list[Application], year: int, as_of: dt.date) -> dict[str, tuple[int, ...]]:
    """Carry-over is derived: received one year, answered the next, counts in both."""
    start, end = period(year, as_of)
    counts = {row.key: [0] * 6 for row in ROWS3}
    for app in apps:
        if app.received > end:
            continue
        replied = _known(app.replied, end)
        col = APPLICANTS.index(app.applicant)
        if app.received >= start:
            counts["一"][col] += 1
        elif replied is None or replied >= start:
            counts["二"][col] += 1
        else:
            continue  # finished in an earlier year
        if replied is None or app.outcome is None:  # (a register row has both or neither)
            counts["四"][col] += 1
        else:
            counts[app.outcome][col] += 1
            counts["三.七"][col] += 1
    return {key: tuple(v) + (sum(v),) for key, v in counts.items()}


def section4(cases: list[Case], year: int, as_of: dt.date) -> dict[str, tuple[int, ...]]:
    """A case counts with its result in the year it is decided, and as 尚未审结 in
    every year at whose end it is still open (the year received and any after)."""
    start, end = period(year, as_of)
    counts = {g: [0] * 4 for g in CASE_GROUPS}
    for case in cases:
        if case.received > end:
            continue
        decided = _known(case.decided, end)
        if decided is not None and decided >= start:
            counts[case.group][CASE_RESULTS.index(case.result)] += 1
        elif decided is None:
            counts[case.group][3] += 1
    return {g: tuple(v) + (sum(v),) for g, v in counts.items()}


def report_row(item: Item) -> str | None:
    return _row_of(item.category)


@functools.lru_cache(maxsize=4096)  # categories are few and fixed; items many
def _row_of(category) -> str | None:
    for cat in [category, *category.ancestors]:
        if cat.report_row:
            return cat.report_row
    return None


def ended_on(item: Item, site: Site) -> dt.date | None:
    """When a document stopped being in force, if it has."""
    if item.status not in vocab.NOT_IN_FORCE:
        return None
    if item.repealed is not None:
        return item.repealed
    successor = site.by_id.get(item.superseded_by or "")
    return successor.created if successor is not None else item.published


def public_items(site: Site, agency: str | None = None) -> list[Item]:
    """The site's public items, or those of one agency (code) for that agency's report."""
    if agency is None:
        return site.public_items
    return [i for i in site.public_items if i.agency.code == agency]


def regulations(site: Site, year: int, as_of: dt.date,
                agency: str | None = None) -> dict[str, tuple[int, int, int]]:
    start, end = period(year, as_of)
    out = {}
    counted = [i for i in public_items(site, agency) if report_row(i) is not None]
    for row in REG_ROWS:
        made = repealed = in_force = 0
        for item in counted:
            if report_row(item) != row or item.created > end:
                continue
            ended = ended_on(item, site)
            made += item.created >= start
            repealed += ended is not None and start <= ended <= end
            in_force += ended is None or ended > end
        out[row] = (made, repealed, in_force)
    return out


def in_force_documents(site: Site, year: int, as_of: dt.date, agency: str | None = None) -> list[Item]:
    _, end = period(year, as_of)
    return [i for i in public_items(site, agency)
            if report_row(i) and i.created <= end
            and ((e := ended_on(i, site)) is None or e > end)]


def compute(site: Site, figures: YearFigures, apps: list[Application], cases: list[Case],
            as_of: dt.date, agency: str | None = None) -> Tables:
    """``agency``: the code of the agency whose report it is (its items only); None for the
    site owner's report, which counts every item of the site."""
    return Tables(regulations(site, figures.year, as_of, agency), dict(figures.decisions), figures.fees,
                  section3(apps, figures.year, as_of), section4(cases, figures.year, as_of))


# --- timeliness of replies -----------------------------------------------------------------

@dataclass(frozen=True)
class LateReply:
    """Internal only: register rows never reach a public output."""

    number: str
    received: dt.date
    deadline: dt.date
    replied: dt.date | None  # None: still open past the deadline
    line: int
    exact: bool  # False when the holiday calendar does not cover the dates


@lru_cache(maxsize=4096)  # registers repeat the same receipt dates
def _due(start: dt.date, days: int) -> dt.date:
    return add_workdays(start, days)


def deadline(app: Application) -> dt.date:
    """20 working days from receipt (or from the 补正 that restarted the clock), 40 if extended."""
    return _due(app.corrected or app.received, 40 if app.extended else 20)


def late_replies(apps: list[Application], year: int, as_of: dt.date) -> list[LateReply]:
    """Replies in ``year`` later than 20 working days (40 when extended), and
    applications still open past their deadline at the year's end."""
    start, end = period(year, as_of)
    late = []
    for app in apps:
        replied = _known(app.replied, end)
        if app.received > end or (replied is not None and replied < start):
            continue
        due = deadline(app)
        if replied is not None and replied > due:
            late.append(LateReply(app.number, app.received, due, replied, app.line,
                                  covered(app.received) and covered(replied)))
        elif replied is None and due < end and due >= start:
            late.append(LateReply(app.number, app.received, due, None, app.line,
                                  covered(app.received) and covered(due)))
    return late

