"""Outputs of the annual report: the 年报 column, each year's report and
statistics pages, and the same numbers as open data (JSON and CSV).

Only aggregates leave here: no register row (登记号, dates of an
application or case) is ever written to an output.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from gongkai.annual import layout as L
from gongkai.annual.narrative import format_value
from gongkai.annual.tables import Tables
from gongkai.annual.years import YearReport
from gongkai.audit.due import ReportStatus, portal, report_statuses
from gongkai.model import Site
from gongkai.render import page_tags
from gongkai.render.charts import hbar, vbar
from gongkai.render.pages import FileAt, Origin, Page, PageAt, Renderer, StaticFile, Target, _env
from gongkai.text import csv_safe


def report_title(report: YearReport, site: Site) -> str:
    if report.narrative is not None and report.narrative.title:
        return report.narrative.title
    if report.agency is not None:
        return f"{report.agency.name}{report.year}年政府信息公开工作年度报告"
    title = site.settings.title  # "青禾县人民政府信息公开" -> "青禾县人民政府"
    who = title.removesuffix("信息公开") if title.endswith("政府信息公开") else site.settings.owner
    return f"{who}{report.year}年政府信息公开工作年度报告"


def section2_values(t: Tables, row: str) -> list[str]:
    if row in L.REG_ROWS:
        return [str(v) for v in t.regs[row]]
    if row == L.FEE_ROW:
        return [format_value(t.fees)]
    return [str(t.decisions[row])]


_env.globals.update(section2_values=section2_values)


def status(report: YearReport) -> str:
    if report.in_progress:
        return "in-progress"
    return "published" if report.narrative is not None else "tables-only"


INDEX, SCHEMA = "annual/index.md", "annual/schema.json"
#: each year's tables 二, 三 and 四 as CSV, beside its report
TABLE_FILES = ("table-2.csv", "table-3.csv", "table-4.csv")


def base(report: YearReport) -> str:
    """The folder of a report's outputs: annual/ for the site owner's, annual/<slug>/ for
    another agency's."""
    return "annual/" if report.agency is None else f"annual/{report.agency.slug}/"


def _report_src(report: YearReport) -> str:
    return f"{base(report)}{report.year}/index.md"


def _statistics_src(report: YearReport) -> str:
    return f"{base(report)}{report.year}/statistics/index.md"


def _json_file(report: YearReport) -> str:
    return f"{base(report)}{report.year}.json"


def portal_src(year: int) -> str:
    return f"annual/{year}/agencies/index.md"


def portal_years(site: Site) -> list[int]:
    """Completed years for which other agencies keep reports here, newest first: each has a
    page listing every agency's report against its deadline."""
    if not portal(site):
        return []
    years = {r.year for reports in site.agency_annual.values() for r in reports
             if r.year < site.build_date.year}
    return sorted(years, reverse=True)


def _all_reports(site: Site) -> list[YearReport]:
    """The owner's reports, then each agency's, newest first."""
    out = list(reversed(site.annual))
    for reports in site.agency_annual.values():
        out += reversed(reports)
    return out


def _trail(report: YearReport) -> list[tuple[str, str]]:
    trail = [("annual/", "政府信息公开年报")]
    if report.agency is not None and not report.in_progress:  # the year's portal page exists
        trail.append((portal_src(report.year).removesuffix("index.md"), f"{report.year} 年度各机构年报"))
    return trail


def _here(report: YearReport) -> str:
    return f"{report.year} 年度" if report.agency is None else f"{report.agency.name} {report.year} 年度"


def annual_outputs(site: Site, renderer: Renderer) -> Iterable[Page | StaticFile]:
    reports = list(reversed(site.annual))  # newest first, as the column lists them
    years = portal_years(site)
    yield renderer.render("annual_index.md.j2", INDEX, "政府信息公开年报",
                          reports=reports, title_of=lambda r: report_title(r, site), portal_years=years,
                          portal_link=lambda y: portal_src(y).removesuffix("index.md"))
    yield StaticFile(SCHEMA, content=json.dumps(
        _schema(site), ensure_ascii=False, indent=1).encode("utf-8"))
    for report in _all_reports(site):
        yield from _report_outputs(report, site, renderer)
    for year in years:
        yield renderer.render("annual_portal.md.j2", portal_src(year), f"{year}年度各机构政府信息公开工作年度报告",
                              year=year, rows=report_statuses(site, year), row_link=_row_link,
                              today=site.build_date, title_of=lambda r: report_title(r, site))


def _schema(site: Site) -> dict:
    """The schema; a site with one report publishes it as it always has."""
    if not portal(site):
        return JSON_SCHEMA
    given: dict[str, object] = dict(_SCHEMA_PROPERTIES)
    properties = {"year": given.pop("year"), "agency": AGENCY_PROPERTY, **given}
    return {**JSON_SCHEMA, "properties": properties}


def _row_link(status: ReportStatus) -> str | None:
    """The report page a portal row links to: once its text is published."""
    report = status.report
    return None if report is None or report.narrative is None else _report_src(report).removesuffix("index.md")


def _report_outputs(report: YearReport, site: Site, renderer: Renderer) -> Iterator[Page | StaticFile]:
    narrative = report.narrative
    origin = None if narrative is None else Origin(
        narrative.source, tuple(zip(narrative.lines, narrative.sections, strict=False)))
    where: dict[str, object] = {"base": base(report), "trail": _trail(report), "here": _here(report)}
    title = report_title(report, site)
    tags = page_tags.document_tags("政府信息公开年报", title, None if narrative is None else narrative.published,
                                   site.settings.owner if report.agency is None else report.agency.name)
    yield renderer.render("annual_report.md.j2", _report_src(report), title, tags, origin,
                          report=report, L=L, **where)
    who = "" if report.agency is None else report.agency.name
    yield renderer.render("annual_statistics.md.j2", _statistics_src(report),
                          f"{who}{report.year}年政府信息公开统计", None, None, s=report.stats,
                          in_progress=report.in_progress, charts=charts(report), **where)
    yield StaticFile(_json_file(report), content=json.dumps(
        as_json(report, site), ensure_ascii=False, indent=1).encode("utf-8"))
    for name, rows in tables_csv(report.tables).items():
        yield StaticFile(f"{base(report)}{report.year}/{name}", content=_csv(rows))


def annual_targets(site: Site) -> Iterator[Target]:
    """What ``annual_outputs`` produces, without tables, charts or JSON."""
    yield PageAt(INDEX)
    yield FileAt(SCHEMA)
    for report in _all_reports(site):
        yield PageAt(_report_src(report))
        yield PageAt(_statistics_src(report))
        yield FileAt(_json_file(report))
        for name in TABLE_FILES:
            yield FileAt(f"{base(report)}{report.year}/{name}")
    for year in portal_years(site):
        yield PageAt(portal_src(year))


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    label: str
    data: tuple[tuple[str, int], ...]
    svg: str


def charts(report: YearReport) -> list[Chart]:
    s = report.stats
    specs = [
        ("by-month", f"{s.year}年各月主动公开条数", "月份", s.by_month, vbar),
        ("by-category", "按目录统计", "目录", tuple((n, c) for _, n, c in s.by_category), hbar),
        ("by-agency", "按发布机构统计", "发布机构", s.by_agency, hbar),
        ("by-channel", "按公开渠道和载体统计", "公开载体", s.by_channel, hbar),
    ]
    return [Chart(cid, title, label, data, draw(f"gk-{cid}", title, data, "条"))
            for cid, title, label, data, draw in specs]


def _number(value: int | Decimal) -> int | float:
    return float(value) if isinstance(value, Decimal) else value


def as_json(report: YearReport, site: Site) -> dict:
    t, s = report.tables, report.stats
    blocks = []
    for block in L.SECTION2_BLOCKS:
        rows = []
        for row in block.rows:
            values: list[int | float]
            if row in L.REG_ROWS:
                values = list(t.regs[row])
            elif row == L.FEE_ROW:
                values = [_number(t.fees)]
            else:
                values = [t.decisions[row]]
            rows.append({"label": row, "values": values})
        blocks.append({"caption": block.caption, "columns": list(block.columns), "rows": rows})
    agency = {} if report.agency is None else {
        "agency": {"code": report.agency.code, "name": report.agency.name}}
    return {
        "year": report.year,
        **agency,
        "title": report_title(report, site),
        "status": status(report),
        "published": report.narrative.published.isoformat() if report.narrative else None,
        "as_of": report.as_of.isoformat(),
        "source": report.source,
        "tables": {
            "二": {"blocks": blocks},
            "三": {"columns": list(L.COLUMNS3),
                  "rows": [{"key": r.key, "label": r.label, "values": list(t.rows3[r.key])}
                           for r in L.ROWS3]},
            "四": {"columns": L.columns4_labels(), "values": t.cases_flat},
        },
        "statistics": {
            "published_items": s.total,
            "by_month": [{"label": k, "count": v} for k, v in s.by_month],
            "by_category": [{"code": c, "label": n, "count": v} for c, n, v in s.by_category],
            "by_agency": [{"label": k, "count": v} for k, v in s.by_agency],
            "by_channel": [{"label": k, "count": v} for k, v in s.by_channel],
            "timely": s.timely,
            "timely_rate": float(s.timely_rate) if s.timely_rate is not None else None,
            "in_force_documents": len(s.in_force),
            "replies": s.replies,
            "late_replies": s.late,
            "average_reply_workdays": float(s.reply_days) if s.reply_days is not None else None,
        },
    }


def tables_csv(t: Tables) -> dict[str, list[list[str]]]:
    two = [["项目", "信息内容", "指标", "数值"]]
    for block in L.SECTION2_BLOCKS:
        for row in block.rows:
            for column, value in zip(block.columns, section2_values(t, row), strict=False):
                two.append([block.caption, row, column, value])
    three = [["编号", "项目", *L.COLUMNS3]]
    three += [[r.key, r.label, *map(str, t.rows3[r.key])] for r in L.ROWS3]
    four = [L.columns4_labels(), [str(v) for v in t.cases_flat]]
    return dict(zip(TABLE_FILES, (two, three, four), strict=True))


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([csv_safe(str(c)) for c in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_COUNT = {"type": "integer", "minimum": 0}
_ROWS = {"type": "array", "items": {
    "type": "object", "required": ["label", "values"],
    "properties": {"label": {"type": "string"}, "values": {"type": "array", "items": {"type": "number", "minimum": 0}}}}}
_SERIES = {"type": "array", "items": {"type": "object", "required": ["label", "count"],
                                      "properties": {"label": {"type": "string"}, "count": _COUNT}}}

#: on a portal, other agencies' reports name their agency
AGENCY_PROPERTY = {"type": "object", "required": ["code", "name"],
                   "description": "本站其他机构自己的年报：机构代码和名称（本站主办单位的年报没有此项）",
                   "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}

#: JSON Schema of annual/<YEAR>.json, published beside it as annual/schema.json
JSON_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "政府信息公开工作年度报告数据",
    "description": "表格按国办公开办函〔2021〕30号印发的年度报告格式；数字均为非负数，收费金额单位为万元。",
    "type": "object",
    "required": ["year", "title", "status", "published", "as_of", "source", "tables", "statistics"],
    "properties": {
        "year": {"type": "integer"},
        "title": {"type": "string"},
        "status": {"enum": ["published", "tables-only", "in-progress"],
                   "description": "published 已发布；tables-only 正文待发布；in-progress 年度进行中"},
        "published": {"type": ["string", "null"], "format": "date", "description": "年报发布日期"},
        "as_of": {"type": "string", "format": "date", "description": "统计截止日期"},
        "source": {"enum": ["registers", "typed"],
                   "description": "registers 由登记数据计算；typed 登记表启用前的年度，按当年数字填报"},
        "tables": {
            "type": "object", "required": ["二", "三", "四"],
            "properties": {
                "二": {"type": "object", "required": ["blocks"], "properties": {"blocks": {
                    "type": "array", "minItems": 4, "maxItems": 4, "items": {
                        "type": "object", "required": ["caption", "columns", "rows"],
                        "properties": {"caption": {"type": "string"},
                                       "columns": {"type": "array", "items": {"type": "string"}},
                                       "rows": _ROWS}}}}},
                "三": {"type": "object", "required": ["columns", "rows"], "properties": {
                    "columns": {"const": list(L.COLUMNS3)},
                    "rows": {"type": "array", "minItems": 25, "maxItems": 25, "items": {
                        "type": "object", "required": ["key", "label", "values"],
                        "properties": {"key": {"type": "string"}, "label": {"type": "string"},
                                       "values": {"type": "array", "minItems": 7, "maxItems": 7,
                                                  "items": _COUNT}}}}}},
                "四": {"type": "object", "required": ["columns", "values"], "properties": {
                    "columns": {"const": L.columns4_labels()},
                    "values": {"type": "array", "minItems": 15, "maxItems": 15, "items": _COUNT}}},
            },
        },
        "statistics": {
            "type": "object",
            "required": ["published_items", "by_month", "by_category", "by_agency", "by_channel",
                         "timely", "timely_rate", "in_force_documents", "replies", "late_replies",
                         "average_reply_workdays"],
            "properties": {
                "published_items": _COUNT, "by_month": _SERIES, "by_category": _SERIES,
                "by_agency": _SERIES, "by_channel": _SERIES, "timely": _COUNT,
                "timely_rate": {"type": ["number", "null"]}, "in_force_documents": _COUNT,
                "replies": {"type": ["integer", "null"], "minimum": 0},
                "late_replies": {"type": ["integer", "null"], "minimum": 0},
                "average_reply_workdays": {"type": ["number", "null"]},
            },
        },
    },
}
_SCHEMA_PROPERTIES = cast(dict[str, object], JSON_SCHEMA["properties"])
