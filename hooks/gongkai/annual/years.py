"""Assemble each year's report: registers, items, typed figures, narrative.

Called from ``pipeline.load_site`` so a report whose tables do not add up, or whose
text disagrees with them, fails the build like an item error does.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gongkai.annual.layout import COLUMNS3
from gongkai.annual.narrative import (
    Narrative,
    cell_values,
    fill,
    read_narrative,
    split_sections,
)
from gongkai.annual.registers import (
    ANNUAL_DIR,
    APPLICATIONS,
    CASES,
    Registers,
    load_registers,
)
from gongkai.annual.statistics import YearStatistics, compute_statistics
from gongkai.annual.tables import (
    LateReply,
    Tables,
    YearFigures,
    cell_name,
    check_identities,
    compute,
    late_replies,
    section3,
)
from gongkai.guards.findings import markup_findings
from gongkai.guards.markup import BodyJudge
from gongkai.model import Site
from gongkai.problems import Problems
from gongkai.schema.catalog import Agency

NARRATIVE_DIR = "content/annual"
#: the marker ``gongkai annual new`` leaves where the agency has text to write
TO_WRITE = "【待填写】"


@dataclass(frozen=True)
class Sources:
    """Where one agency's report is kept, and whose items it counts."""

    catalog: str  # catalog/annual, or catalog/annual/<slug> for another agency
    content: str  # content/annual, or content/annual/<slug>
    agency: Agency | None = None  # None: the site owner's report, over every item of the site

    @property
    def code(self) -> str | None:
        return None if self.agency is None else self.agency.code


OWNER = Sources(ANNUAL_DIR, NARRATIVE_DIR)


def agency_sources(agency: Agency) -> Sources:
    return Sources(f"{ANNUAL_DIR}/{agency.slug}", f"{NARRATIVE_DIR}/{agency.slug}", agency)


@dataclass(frozen=True)
class YearReport:
    year: int
    as_of: dt.date  # the last day the figures cover
    source: Literal["registers", "typed"]
    tables: Tables
    stats: YearStatistics
    narrative: Narrative | None  # None until the agency publishes its text
    late: tuple[LateReply, ...]  # internal: register rows never reach an output
    agency: Agency | None = None  # None: the site owner's report

    @property
    def in_progress(self) -> bool:
        return self.as_of < dt.date(self.year, 12, 31)


@dataclass(frozen=True)
class _Run:
    """One agency's reports being loaded: every message names only its own files."""

    site: Site
    problems: Problems
    judge: BodyJudge | None
    sources: Sources


def load_annual(root: Path, site: Site, problems: Problems,
                judge: BodyJudge | None = None) -> list[YearReport]:
    """The site owner's reports (``catalog/annual/``, ``content/annual/``). ``judge``: judge
    each narrative's HTML once its placeholders are filled (the build judges the converted
    page instead)."""
    return _load(root, _Run(site, problems, judge, OWNER))


def load_agency_annual(root: Path, site: Site, problems: Problems,
                       judge: BodyJudge | None = None) -> dict[str, list[YearReport]]:
    """Every other agency's own reports, by slug: ``catalog/annual/<slug>/`` and
    ``content/annual/<slug>/``. Each agency's files are read on their own, so a slip in
    one agency's register is said on that agency's files and touches no other report."""
    return {agency.slug: _load(root, _Run(site, problems, judge, agency_sources(agency)))
            for agency in agency_folders(root, site, problems)}


def owner_agency(site: Site) -> Agency | None:
    """The agency that runs the site (its report is the one in catalog/annual/ itself):
    the owner named in site.yml, else the first agency (as ``audit.due`` reads it)."""
    for agency in site.agencies:
        if agency.name == site.settings.owner:
            return agency
    return site.agencies[0] if site.agencies else None


def agency_folders(root: Path, site: Site, problems: Problems) -> list[Agency]:
    """The agencies with a folder of their own under catalog/annual/ or content/annual/,
    in the order of catalog/agencies.yml; a folder naming no agency is an error."""
    found: dict[str, str] = {}  # slug -> the folder, for messages
    for shown in (ANNUAL_DIR, NARRATIVE_DIR):
        folder = root / shown
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_dir() and not path.name.startswith("."):
                    found.setdefault(path.name, f"{shown}/{path.name}/")
    by_slug = {a.slug: a for a in site.agencies}
    owner = owner_agency(site)
    for slug, shown in found.items():
        if slug not in by_slug:
            problems.add(shown, None, None,
                         f"“{slug}”不是 catalog/agencies.yml 中任何机构的简称代码（slug）：机构年报的文件夹"
                         "以简称代码命名，可用：" + "、".join(a.slug for a in site.agencies if a is not owner))
        elif owner is not None and slug == owner.slug:
            problems.add(shown, None, None,
                         f"{owner.name}是本站主办单位，它的年报直接放在 {ANNUAL_DIR}/ 和 {NARRATIVE_DIR}/ 下，"
                         "不另建文件夹")
        elif slug.isdigit():
            problems.add(shown, None, None,
                         f"简称代码“{slug}”全是数字，年报网址会与年份混淆：请在 catalog/agencies.yml 中改用字母")
    return [a for a in site.agencies
            if a.slug in found and a is not owner and not a.slug.isdigit()]


def _load(root: Path, run: _Run) -> list[YearReport]:
    site, problems = run.site, run.problems
    regs = load_registers(root, problems, run.sources.catalog, site.settings.annual_blank_as_zero)
    as_of = site.build_date
    reports: list[YearReport] = []
    narratives = _narrative_files(root, run.sources.content, problems)
    for year in sorted(narratives):
        if year <= as_of.year and year not in regs.year_files:
            problems.add(narratives[year][1], 1, None,
                         f"有 {year} 年度报告正文，但没有年度数据文件 {run.sources.catalog}/{year}.yml")
    for year, figures in sorted(regs.years.items()):
        if year > as_of.year:
            continue  # a year that has not begun yet
        report = _year(run, regs, figures, narratives.get(year))
        if report is not None:
            reports.append(report)
    _check_carry_over(regs, reports, problems)
    return reports


def _narrative_files(root: Path, shown: str, problems: Problems) -> dict[int, tuple[Path, str]]:
    folder = root / shown
    out = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.md")):
            display = f"{shown}/{path.name}"
            if re.fullmatch(r"\d{4}", path.stem):
                out[int(path.stem)] = (path, display)
            else:
                problems.add(display, None, None, f"年报正文应以年份命名，例如 {shown}/2025.md")
    return out


def _year(run: _Run, regs: Registers, figures: YearFigures,
          narrative_file: tuple[Path, str] | None) -> YearReport | None:
    site, problems, code = run.site, run.problems, run.sources.code
    year, as_of = figures.year, min(site.build_date, dt.date(figures.year, 12, 31))
    source: Literal["registers", "typed"]
    if figures.typed is not None:
        tables, source = figures.typed, "typed"
        breaks = check_identities(tables)
        for b in breaks:
            problems.add(figures.source, figures.lines.get(b.cell), cell_name(b.cell),
                         f"{year} 年填报表格不符合勾稽关系：{b.message}")
        if breaks:
            return None
    elif regs.unreadable:
        return None  # the register's own problem is said; figures from no rows would all be wrong
    else:
        missing = [name for name, present in ((APPLICATIONS, regs.has_applications),
                                              (CASES, regs.has_cases)) if not present]
        if missing:
            problems.add(figures.source, None, None,
                         f"{year} 年没有“填报表格”，需要登记表 "
                         + "、".join(f"{run.sources.catalog}/{m}" for m in missing) + " 才能计算年报")
            return None
        tables = compute(site, figures, regs.applications, regs.cases, as_of, code)
        source = "registers"
        breaks = check_identities(tables)
        if breaks:  # computed tables add up by construction: this is a bug, not bad input
            raise AssertionError(f"{year}: " + "; ".join(b.message for b in breaks))
    apps = regs.applications if source == "registers" else None
    stats = compute_statistics(site, year, as_of, apps, code)
    late = tuple(late_replies(regs.applications, year, as_of)) if source == "registers" else ()
    narrative = None
    if narrative_file is not None and not (source == "registers" and regs.rejected):
        # (figures from a register with refused rows are not the year's: its rows come first)
        # checked every day, so a slip is found when it is made, not on 1 January; published
        # and held to the figures it quotes only once the year is complete
        narrative = _narrative(run, narrative_file, tables, stats)
        if not _complete(stats):
            narrative = None
    return YearReport(year, as_of, source, tables, stats, narrative, late, run.sources.agency)


def _complete(stats: YearStatistics) -> bool:
    """Whether the figures cover the whole year."""
    return stats.as_of == dt.date(stats.year, 12, 31)


def _narrative(run: _Run, file: tuple[Path, str], tables: Tables,
               stats: YearStatistics) -> Narrative | None:
    """Checked against the tables; literal numbers are held to them once the year is complete."""
    problems, judge, build_date = run.problems, run.judge, run.site.build_date
    path, display = file
    year, complete = stats.year, _complete(stats)
    head = read_narrative(path, display, year, problems)
    if head is None:
        return None
    title, published, lines = head
    sections, rest = split_sections(lines, display, problems)
    cells = cell_values(tables, stats)
    if sections is None:
        fill([rest], cells, display, problems, literals=False)  # its placeholders, all in one round
        return None
    filled = fill(sections, cells, display, problems, literals=complete)
    # fill() strips each section's leading empty lines: its text starts at the first other
    firsts = tuple(next((line for line, raw in section if raw != ""), section[0][0] if section else 1)
                   for section in sections)
    if filled is not None and judge is not None:
        before = len(problems.errors)
        for first, text in zip(firsts, filled, strict=False):
            problems.extend(f.problem() for f in markup_findings(text, display, first, "正文", judge))
        if len(problems.errors) > before:
            return None
    if filled is None or published is None or published > build_date:
        return None  # checked like any other file, published only from its date on
    unwritten = [line for section in sections for line, raw in section if TO_WRITE in raw]
    if unwritten:
        problems.add(display, unwritten[0], "正文",
                     f"发布日期 {published} 已到，但正文还有 {len(unwritten)} 处“{TO_WRITE}”：请写完，"
                     "或把发布日期改到写完之后")
        return None
    return Narrative(year, title, published, tuple(filled), display, firsts)


def _check_carry_over(regs: Registers, reports: list[YearReport], problems: Problems) -> None:
    """A typed year's 结转下年度 must be what the next year starts with: the register's
    applications still open, or the next typed year's 上年结转."""
    if regs.unreadable or regs.rejected:
        return
    by_year = {r.year: r for r in reports}
    for report in reports:
        following = by_year.get(report.year + 1)
        if report.source != "typed" or following is None:
            continue
        if following.source == "typed":
            _check_typed_pair(regs, report, following, problems)
            continue
        derived = section3(regs.applications, following.year, following.as_of)["二"]
        typed = report.tables.rows3["四"]
        figures = regs.years[report.year]
        for column, a, b in zip(COLUMNS3, typed, derived, strict=False):
            if a != b:
                cell = ("三", "四", column)
                problems.add(figures.source, figures.lines.get(cell), cell_name(cell),
                             f"{report.year} 年填报的结转下年度为 {a} 件，但登记表中 {report.year} 年及以前"
                             f"收到、{following.year} 年仍在办理的申请有 {b} 件")


def _check_typed_pair(regs: Registers, report: YearReport, following: YearReport,
                      problems: Problems) -> None:
    """Two typed years in a row: 结转下年度 of the first is 上年结转 of the second. The error
    points at the second year's cell, the one typed later and usually the one mistyped."""
    carried, opened = report.tables.rows3["四"], following.tables.rows3["二"]
    figures = regs.years[following.year]
    for column, a, b in zip(COLUMNS3, carried, opened, strict=False):
        if a != b:
            cell = ("三", "二", column)
            problems.add(figures.source, figures.lines.get(cell), cell_name(cell),
                         f"{following.year} 年填报的上年结转为 {b} 件，但 {report.year} 年填报的结转下年度为 "
                         f"{a} 件（{regs.years[report.year].source}"
                         f"{_at(regs.years[report.year].lines.get(('三', '四', column)))}），两者应相等")


def _at(line: int | None) -> str:
    return f":{line}" if line else ""
