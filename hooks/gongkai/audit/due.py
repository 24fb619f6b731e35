"""What will breach an update duty in the next days (``gongkai audit --due``).

The yearly audit looks back; this looks ahead, so the daily publish run can warn an editor
before an inspection finds the breach (国办秘函〔2019〕19号 judges a site on them):

- a column with an update cycle (``update_cycle`` in catalog/categories.yml) whose last item
  is about to be older than the cycle;
- the home page going 2 weeks without a new item (the news rule applied to the column's home,
  which lists the newest items);
- the annual report not published by its deadline: 31 January for departments, 31 March for
  governments (《条例》第四十九条), from the type of the agency that runs the site; on a portal
  where other agencies keep their own reports (catalog/annual/<slug>/), every agency's.

``report_statuses`` is the list a county's 年报 column shows for a year: every agency's
report against its deadline, 已发布 / 逾期 / 未发布.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Literal

from gongkai.model import Site
from gongkai.schema.catalog import Agency

CATEGORIES_FILE = "catalog/categories.yml"
AGENCIES_FILE = "catalog/agencies.yml"
HOME_DAYS = 14
DEFAULT_DAYS = 14
#: the annual report's deadline in the year after the report's year, by agency type
REPORT_DEADLINES = {"部门": (1, 31), "政府": (3, 31)}

Kind = Literal["column", "home", "annual_report"]
State = Literal["已发布", "逾期", "未发布"]
KIND_LABELS = {"column": "栏目更新周期", "home": "首页两周更新", "annual_report": "年度报告公布期限"}


@dataclass(frozen=True, kw_only=True)
class Due:
    kind: Kind
    deadline: dt.date  # the last day the duty is still met
    days_left: int  # negative: already breached
    subject: str  # the column, 首页, or 某年度报告
    message: str
    file: str
    line: int | None = None
    agency: str | None = None  # the agency code of an annual report's duty on a portal
    #: who acts on it: a column's 公开主体, else the agencies that publish in it; an annual
    #: report's agency; the site's owner for the home page
    owners: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        data = asdict(self)
        data["deadline"] = self.deadline.isoformat()
        data["owners"] = list(self.owners)
        if self.agency is None:
            del data["agency"]
        return data


@dataclass(frozen=True)
class ReportStatus:
    """One agency's report of a year against its deadline, as of the build date."""

    agency: Agency
    kind: str  # 政府 / 部门
    year: int
    deadline: dt.date
    published: dt.date | None
    state: State
    file: str  # the narrative the agency writes
    report: Any = None  # the YearReport when its tables exist (annual.years.YearReport)

    def as_dict(self) -> dict:
        return {"agency": self.agency.code, "name": self.agency.name, "kind": self.kind, "year": self.year,
                "deadline": self.deadline.isoformat(),
                "published": None if self.published is None else self.published.isoformat(),
                "state": self.state, "file": self.file}


def agency_kind(agency: Agency) -> str:
    """政府 or 部门: as written, else from the name (a 人民政府 is a government)."""
    if agency.kind is not None:
        return agency.kind
    return "政府" if agency.name.endswith("人民政府") else "部门"


def site_agency(site: Site) -> Agency | None:
    """The agency that runs the site: the owner named in site.yml, else the first agency."""
    for agency in site.agencies:
        if agency.name == site.settings.owner:
            return agency
    return site.agencies[0] if site.agencies else None


def portal(site: Site) -> bool:
    """Whether other agencies keep their own reports here (a county portal)."""
    return bool(site.agency_annual)


def find_agency(site: Site, code: str) -> Agency:
    """The agency by code (or slug); raises AgencyUnknown listing the codes."""
    for agency in site.agencies:
        if code in (agency.code, agency.slug):
            return agency
    raise AgencyUnknown(f"机构代码“{code}”未在 catalog/agencies.yml 中定义；可用："
                        + "、".join(f"{a.code}（{a.name}）" for a in site.agencies))


class AgencyUnknown(Exception):
    pass


def deadline_of(agency: Agency, year: int) -> dt.date:
    month, day = REPORT_DEADLINES[agency_kind(agency)]
    return dt.date(year + 1, month, day)


def narrative_file(site: Site, agency: Agency, year: int) -> str:
    owner = site_agency(site)
    if owner is not None and agency.code == owner.code:
        return f"content/annual/{year}.md"
    return f"content/annual/{agency.slug}/{year}.md"


def reports_of(site: Site, agency: Agency) -> list:
    """The agency's reports (annual.years.YearReport), oldest first."""
    owner = site_agency(site)
    if owner is not None and agency.code == owner.code:
        return site.annual
    return site.agency_annual.get(agency.slug, [])


def report_statuses(site: Site, year: int, agency: Agency | None = None) -> list[ReportStatus]:
    """Every agency's report of ``year`` (or one agency's), in catalog/agencies.yml order."""
    today = site.build_date
    out = []
    for a in site.agencies if agency is None else [agency]:
        report = next((r for r in reports_of(site, a) if r.year == year), None)
        published = report.narrative.published if report is not None and report.narrative else None
        deadline = deadline_of(a, year)
        state: State
        if published is not None:
            state = "已发布" if published <= deadline else "逾期"
        else:
            state = "逾期" if today > deadline else "未发布"
        out.append(ReportStatus(a, agency_kind(a), year, deadline, published, state,
                                narrative_file(site, a, year), report))
    return out


def due(site: Site, days: int = DEFAULT_DAYS, agency: Agency | None = None) -> list[Due]:
    """Duties breached already or breached within ``days`` of the build date, soonest first.
    ``agency``: only that agency's duties (its annual report); columns and the home page
    are the site's, not one agency's."""
    today = site.build_date
    horizon = today + dt.timedelta(days=days)
    found = _annual(site, today, agency)
    if agency is None:
        found = _columns(site, today) + _home(site, today) + found
    else:  # the columns that agency keeps up (named its 公开主体, or it publishes there);
        # the home page is the site's
        publishes = {i.category.name for i in site.public_items if i.agency.code == agency.code}
        found = [d for d in _columns(site, today)
                 if d.subject in publishes or any(agency.name in o for o in d.owners)] + found
    return sorted((d for d in found if d.deadline <= horizon), key=lambda d: (d.deadline, d.subject))


def _left(deadline: dt.date, today: dt.date) -> int:
    return (deadline - today).days


def _when(deadline: dt.date, today: dt.date) -> str:
    left = _left(deadline, today)
    if left < 0:
        return f"已于 {deadline + dt.timedelta(days=1)} 超期（{-left} 天前）"
    if left == 0:
        return f"今天（{deadline}）是最后期限"
    return f"{left} 天后（{deadline} 之后）超期"


def _columns(site: Site, today: dt.date) -> list[Due]:
    out = []
    for cat in site.category_by_code.values():
        if cat.update_cycle is None:
            continue
        items = site.items_in(cat)  # published, newest first
        if not items:
            continue  # an empty column is the build's warning already
        last = items[0].published
        deadline = last + dt.timedelta(days=cat.update_cycle)
        owners = (cat.subject,) if cat.subject else tuple(dict.fromkeys(i.agency.name for i in items))
        out.append(Due(kind="column", deadline=deadline, days_left=_left(deadline, today),
                       subject=cat.name, file=CATEGORIES_FILE, line=cat.line, owners=owners,
                       message=f"栏目“{cat.name}”最近一次更新是 {last}，更新周期 {cat.update_cycle} 天："
                               f"{_when(deadline, today)}"))
    return out


def _home(site: Site, today: dt.date) -> list[Due]:
    if not site.public_items:
        return []
    newest = site.public_items[0]
    deadline = newest.published + dt.timedelta(days=HOME_DAYS)
    return [Due(kind="home", deadline=deadline, days_left=_left(deadline, today), subject="首页",
                owners=(site.settings.owner,),
                file=newest.source, line=newest.lines.get("published"),
                message=f"首页最新信息发布于 {newest.published}（{newest.title}），两周内应有新信息："
                        f"{_when(deadline, today)}")]


def _annual(site: Site, today: dt.date, only: Agency | None = None) -> list[Due]:
    if not portal(site):
        owner = site_agency(site)
        return [] if owner is None or (only is not None and only.code != owner.code) else _owner(site, today)
    out = []
    for year in (today.year - 1, today.year):
        for s in report_statuses(site, year, only):
            if s.published is not None:
                continue
            out.append(Due(kind="annual_report", deadline=s.deadline, days_left=_left(s.deadline, today),
                           subject=f"{s.agency.name} {year} 年度报告", file=s.file, agency=s.agency.code,
                           owners=(s.agency.name,),
                           message=f"{s.agency.name}（{s.kind}）的 {year} 年政府信息公开工作年度报告应在 "
                                   f"{s.deadline} 前公布（《条例》第四十九条），尚未发布："
                                   f"{_when(s.deadline, today)}"))
    return out


def _owner(site: Site, today: dt.date) -> list[Due]:
    """A site with one report, its owner's."""
    agency = site_agency(site)
    if agency is None:
        return []
    kind = agency_kind(agency)
    month, day = REPORT_DEADLINES[kind]
    published = {r.year for r in site.annual if r.narrative is not None}
    out = []
    for year in (today.year - 1, today.year):  # the report due this year, and next year's
        deadline = dt.date(year + 1, month, day)
        if year in published:
            continue
        out.append(Due(kind="annual_report", deadline=deadline, days_left=_left(deadline, today),
                       subject=f"{year} 年度报告", file=f"content/annual/{year}.md", owners=(agency.name,),
                       message=f"{agency.name}（{kind}）的 {year} 年政府信息公开工作年度报告应在 "
                               f"{deadline} 前公布（《条例》第四十九条），尚未发布：{_when(deadline, today)}"))
    return out


def render_markdown(found: list[Due], site: Site, days: int, agency: Agency | None = None) -> str:
    """For the job summary of the daily publish run and for editors."""
    who = "" if agency is None else f"，{agency.name}"
    lines = [f"# 更新期限提醒（截至 {site.build_date}，未来 {days} 天{who}）", ""]
    if not found:
        lines.append(f"未来 {days} 天内没有将要超期的栏目、首页更新或年度报告。")
        return "\n".join(lines + _statuses_markdown(site, agency)) + "\n"
    lines += ["| 事项 | 对象 | 负责机构 | 最后期限 | 剩余天数 | 说明 | 文件 |", "|---|---|---|---|---:|---|---|"]
    for d in found:
        where = f"{d.file}:{d.line}" if d.line else d.file
        lines.append(f"| {KIND_LABELS[d.kind]} | {_cell(d.subject)} | {_cell('、'.join(d.owners) or '—')} | "
                     f"{d.deadline} | {d.days_left} | {_cell(d.message)} | {_cell(where)} |")
    return "\n".join(lines + _statuses_markdown(site, agency)) + "\n"


def status_year(site: Site) -> int:
    """The report year whose deadline falls in the build year."""
    return site.build_date.year - 1


def _statuses_markdown(site: Site, agency: Agency | None) -> list[str]:
    """On a portal, every agency's report of the year due this year."""
    if not portal(site):
        return []
    year = status_year(site)
    lines = ["", f"## {year} 年度报告公布情况", "",
             "| 机构 | 类型 | 公布期限 | 发布日期 | 状态 | 文件 |", "|---|---|---|---|---|---|"]
    for s in report_statuses(site, year, agency):
        lines.append(f"| {_cell(s.agency.name)} | {s.kind} | {s.deadline} | {s.published or '—'} | "
                     f"{s.state} | {_cell(s.file)} |")
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")
