"""Self-inspection (自查): the year's figures and findings, computed from the model.

Two kinds of check. *Event* checks look at what happened in the year (items
published late, policies without an interpretation, 公示 periods).
*State* checks look at the column as it stands at the end of the period
(stale or empty columns, 规范性文件 due for review, broken links), so they
cover every item published by then, whatever its year.

Audited items: every item that is not a draft and was published by the end of
the period. Publication checks apply to 主动公开 items only; 依申请公开 and
不予公开 items are counted apart and never shown on the site's audit page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from gongkai import vocab
from gongkai.load.links import find_links, is_internal, lands_on, resolve
from gongkai.model import Category, Item, Site
from gongkai.schema.catalog import Agency
from gongkai.workdays import covered, workdays_between

CATEGORIES_FILE = "catalog/categories.yml"
#: the annual-report row whose documents need periodic review (清理)
REGULATION_ROW = "行政规范性文件"

#: kind -> heading in the report, in report order
KINDS: dict[str, str] = {
    "late_publication": "超期公开",
    "empty_column": "栏目空白",
    "stale_column": "栏目更新不及时",
    "missing_interpretation": "政策文件未配发解读",
    "late_interpretation": "政策解读发布滞后",
    "unlinked_interpretation": "政策解读未关联原文",
    "regulation_review_due": "规范性文件超期未评估清理",
    "superseded_in_force": "已被替代仍标注有效",
    "short_notice": "公示期不足",
    "open_notice": "公示至年底尚未结束",
    "broken_link": "链接失效",
    "missing_attachment": "附件缺失",
}


@dataclass(frozen=True, kw_only=True)
class Finding:
    kind: str
    file: str  # path relative to the repository root
    line: int | None
    message: str  # Chinese, one sentence, says what is wrong and by how much
    item_id: str | None = None
    title: str | None = None  # the item's title, or the column's name
    agency: str | None = None  # agency code

    def as_dict(self) -> dict:
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, dt.date):
                data[key] = value.isoformat()
        return data


@dataclass(frozen=True, kw_only=True)
class LatePublication(Finding):
    kind: str = "late_publication"
    category: str
    created: dt.date
    published: dt.date
    workdays: int
    limit: int


@dataclass(frozen=True, kw_only=True)
class EmptyColumn(Finding):
    kind: str = "empty_column"
    category: str


@dataclass(frozen=True, kw_only=True)
class StaleColumn(Finding):
    kind: str = "stale_column"
    category: str
    last_item: str | None  # id of the last update before the gap (its file is ``file``)
    since: dt.date | None  # … and its date; None: the column had never been updated
    until: dt.date  # next update, or the end of the period
    days: int
    cycle: int


@dataclass(frozen=True, kw_only=True)
class MissingInterpretation(Finding):
    kind: str = "missing_interpretation"
    category: str


@dataclass(frozen=True, kw_only=True)
class LateInterpretation(Finding):
    kind: str = "late_interpretation"
    policy_id: str
    policy_published: dt.date
    published: dt.date
    workdays: int
    limit: int


@dataclass(frozen=True, kw_only=True)
class UnlinkedInterpretation(Finding):
    kind: str = "unlinked_interpretation"


@dataclass(frozen=True, kw_only=True)
class RegulationReviewDue(Finding):
    kind: str = "regulation_review_due"
    created: dt.date
    months: int
    limit: int


@dataclass(frozen=True, kw_only=True)
class SupersededInForce(Finding):
    kind: str = "superseded_in_force"
    superseded_by: str


@dataclass(frozen=True, kw_only=True)
class ShortNotice(Finding):
    kind: str = "short_notice"
    start: dt.date
    end: dt.date
    workdays: int
    minimum: int


@dataclass(frozen=True, kw_only=True)
class OpenNotice(Finding):
    kind: str = "open_notice"
    start: dt.date
    end: dt.date


@dataclass(frozen=True, kw_only=True)
class BrokenLink(Finding):
    kind: str = "broken_link"
    target: str
    resolved: str | None


@dataclass(frozen=True, kw_only=True)
class MissingAttachment(Finding):
    kind: str = "missing_attachment"
    target: str
    resolved: str


@dataclass(frozen=True)
class Count:
    key: str
    name: str
    count: int


@dataclass(frozen=True)
class AgencyFigures:
    code: str
    name: str
    count: int
    on_time: int
    late: int

    @property
    def on_time_share(self) -> float | None:
        return None if self.count == 0 else round(self.on_time / self.count, 4)


@dataclass(frozen=True)
class Figures:
    total: int  # 主动公开 items published in the period
    not_proactive: int  # 依申请公开 / 不予公开 items recorded in the period
    by_channel: list[Count]
    by_category: list[Count]
    by_agency: list[AgencyFigures]
    policies: int  # published policies that need an interpretation
    interpreted: int  # … of which have one by the end of the period


@dataclass(frozen=True)
class Thresholds:
    interpretation_lag_workdays: int
    min_notice_workdays: int
    regulation_review_months: int


@dataclass(frozen=True)
class Audit:
    year: int
    agency: Agency | None
    start: dt.date
    end: dt.date  # 12-31, or the build date for the running year
    as_of: dt.date
    calendar_exact: bool  # False when the holiday calendar does not cover the year
    thresholds: Thresholds
    figures: Figures
    findings: list[Finding] = field(default_factory=list)

    def by_kind(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {kind: [] for kind in KINDS}
        for finding in self.findings:
            out[finding.kind].append(finding)
        return out

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "agency": None if self.agency is None else {"code": self.agency.code, "name": self.agency.name},
            "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
            "as_of": self.as_of.isoformat(),
            "calendar_exact": self.calendar_exact,
            "thresholds": asdict(self.thresholds),
            "figures": {
                "total": self.figures.total,
                "not_proactive": self.figures.not_proactive,
                "by_channel": [{"channel": c.key, "count": c.count} for c in self.figures.by_channel],
                "by_category": [{"code": c.key, "name": c.name, "count": c.count}
                                for c in self.figures.by_category],
                "by_agency": [{"code": a.code, "name": a.name, "count": a.count, "on_time": a.on_time,
                               "late": a.late, "on_time_share": a.on_time_share}
                              for a in self.figures.by_agency],
                "interpretation": {"policies": self.figures.policies,
                                   "interpreted": self.figures.interpreted},
            },
            "summary": {kind: len(found) for kind, found in self.by_kind().items()},
            "findings": [f.as_dict() for f in self.findings],
        }


class AuditError(ValueError):
    """A request the audit cannot answer (a future year, an unknown agency)."""


@dataclass(frozen=True)
class SiteTargets:
    """The pages and files of the built site, for link checks."""

    pages: set[str]
    files: set[str]


def run_audit(site: Site, year: int, targets: SiteTargets, agency_code: str | None = None) -> Audit:
    as_of = site.build_date
    start = dt.date(year, 1, 1)
    if start > as_of:
        raise AuditError(f"{year} 年尚未开始（数据截至 {as_of}），无法自查")
    end = min(dt.date(year, 12, 31), as_of)
    agency = None
    if agency_code is not None:
        agency = site.agency_by_code.get(agency_code)
        if agency is None:
            raise AuditError(f"机构代码“{agency_code}”未在 catalog/agencies.yml 中定义；可用："
                             + "、".join(f"{a.code}（{a.name}）" for a in site.agencies))
    settings = site.settings
    thresholds = Thresholds(settings.interpretation_lag_workdays, settings.min_notice_workdays,
                            settings.regulation_review_months)
    scope = _Scope(site, start, end, agency)
    findings: list[Finding] = []
    findings += _late_publications(scope)
    findings += _columns(scope)
    findings += _interpretations(scope, thresholds)
    findings += _regulations(scope, thresholds)
    findings += _notices(scope, thresholds)
    findings += _links(scope, targets)
    order = list(KINDS)
    findings.sort(key=lambda f: order.index(f.kind))  # stable: each check yields in date order
    return Audit(year, agency, start, end, as_of,
                 covered(start) and covered(end), thresholds, _figures(scope), findings)


class _Scope:
    """The items an audit looks at, computed once."""

    def __init__(self, site: Site, start: dt.date, end: dt.date, agency: Agency | None):
        self.site, self.start, self.end, self.agency = site, start, end, agency
        self.audited = [i for i in site.items
                        if not i.draft and i.published <= end
                        and (agency is None or i.agency.code == agency.code)]
        self.audited.sort(key=lambda i: (i.published, i.id))
        #: 主动公开 items on the site by the end of the period (any agency: relations cross agencies)
        self.proactive_all = [i for i in site.items
                              if not i.draft and i.disclosure == "主动公开" and i.published <= end]
        self.proactive_ids = {i.id: i for i in self.proactive_all}
        self.proactive = [i for i in self.audited if i.disclosure == "主动公开"]
        self.in_year = [i for i in self.proactive if i.published >= start]


def _where(item: Item, name: str) -> dict:
    line = item.lines.get(name) or item.lines.get("id") or 1  # defaults have no line of their own
    return {"file": item.source, "line": line, "item_id": item.id,
            "title": item.title, "agency": item.agency.code}


def _is_late(item: Item) -> tuple[int, bool]:
    days = workdays_between(item.created, item.published)
    return days, days > item.category.time_limit


def _late_publications(scope: _Scope) -> Iterable[Finding]:
    for item in scope.in_year:
        days, late = _is_late(item)
        if late:
            yield LatePublication(
                **_where(item, "published"), category=item.category.code, created=item.created,
                published=item.published, workdays=days, limit=item.category.time_limit,
                message=f"成文日期 {item.created}，发布日期 {item.published}，间隔 {days} 个工作日，"
                        f"超过“{item.category.name}”的公开时限 {item.category.time_limit} 个工作日")


def _columns(scope: _Scope) -> Iterable[Finding]:
    """Empty columns (whole site only) and gaps longer than a column's update cycle."""
    dates: dict[str, list[Item]] = {code: [] for code in scope.site.category_by_code}
    for item in scope.proactive:
        for cat in [item.category, *item.category.ancestors]:
            dates[cat.code].append(item)
    for root in scope.site.categories:
        yield from _column(scope, root, dates)


def _column(scope: _Scope, cat: Category, items: dict[str, list[Item]]) -> Iterable[Finding]:
    found = items[cat.code]
    if not found:
        # An agency does not keep every column, so emptiness is judged for the whole site; a
        # column that says why it is empty (empty_note) is accepted by inspections.
        if scope.agency is None and cat.empty_note is None:
            yield EmptyColumn(file=CATEGORIES_FILE, line=None, title=_path(cat), category=cat.code,
                              message=f"栏目“{_path(cat)}”截至 {scope.end} 没有任何公开信息")
        return  # its children are empty too: one finding says it
    if cat.update_cycle is not None:
        yield from _gaps(scope, cat, found)
    for child in cat.children:
        yield from _column(scope, child, items)


def _gaps(scope: _Scope, cat: Category, found: list[Item]) -> Iterable[Finding]:
    cycle = cat.update_cycle
    assert cycle is not None
    before = [i for i in found if i.published < scope.start]
    previous: Item | None = before[-1] if before else None
    stops = [i for i in found if i.published >= scope.start]
    for nxt in [*stops, None]:
        since = previous.published if previous else scope.start
        until = nxt.published if nxt else scope.end
        days = (until - since).days
        if days > cycle:
            if previous is None:
                what = f"自 {since} 起到 {until} 才首次更新" if nxt else f"自 {since} 起至 {until} 未更新"
            else:
                what = (f"自 {since} 更新后到 {until} 才再次更新" if nxt
                        else f"自 {since} 更新后至 {until} 未再更新")
            # The file named is the last update an editor would look at; the finding is the column's.
            file, line = ((previous.source, previous.lines.get("published", 1)) if previous
                          else (CATEGORIES_FILE, None))
            last = f"（最近一次更新：{previous.id}）" if previous else ""
            yield StaleColumn(file=file, line=line, title=_path(cat), category=cat.code,
                              last_item=previous.id if previous else None,
                              since=previous.published if previous else None, until=until, days=days,
                              cycle=cycle,
                              message=f"栏目“{_path(cat)}”{what}，间隔 {days} 天，超过更新周期 {cycle} 天{last}")
        previous = nxt


def _path(cat: Category) -> str:
    return " › ".join(c.name for c in [*cat.ancestors, cat])


def _needs_interpretation(item: Item) -> bool:
    return any(c.needs_interpretation for c in [item.category, *item.category.ancestors])


def _is_interpretation(item: Item) -> bool:
    return any(c.interpretation for c in [item.category, *item.category.ancestors])


def _interpretations_of(scope: _Scope) -> dict[str, list[Item]]:
    out: dict[str, list[Item]] = {}
    for item in scope.proactive_all:
        if item.interprets:
            out.setdefault(item.interprets, []).append(item)
    return out


def _interpretations(scope: _Scope, t: Thresholds) -> Iterable[Finding]:
    explained = _interpretations_of(scope)
    for policy in scope.in_year:
        if not _needs_interpretation(policy):
            continue
        found = sorted(explained.get(policy.id, []), key=lambda i: i.published)
        if not found:
            yield MissingInterpretation(
                **_where(policy, "id"), category=policy.category.code,
                message=f"“{policy.category.name}”发布于 {policy.published}，截至 {scope.end} 未发布政策解读")
            continue
        first = found[0]
        days = workdays_between(policy.published, first.published)
        if days > t.interpretation_lag_workdays:
            yield LateInterpretation(
                **_where(first, "published"), policy_id=policy.id, policy_published=policy.published,
                published=first.published, workdays=days, limit=t.interpretation_lag_workdays,
                message=f"解读于 {first.published} 发布，晚于原文（{policy.id}，{policy.published} 发布）"
                        f" {days} 个工作日，超过 {t.interpretation_lag_workdays} 个工作日")
    for item in scope.in_year:
        if _is_interpretation(item) and not item.interprets:
            yield UnlinkedInterpretation(
                **_where(item, "category"),
                message="政策解读未写“解读对象”，页面上不能与原文互相链接")


def _months(since: dt.date, until: dt.date) -> int:
    """Whole months from ``since`` to ``until``."""
    months = (until.year - since.year) * 12 + until.month - since.month
    return months - (until.day < since.day)


def _regulations(scope: _Scope, t: Thresholds) -> Iterable[Finding]:
    for item in scope.audited:
        if item.status != "有效":
            continue
        if item.category.report_row == REGULATION_ROW:
            months = _months(item.created, scope.end)
            if months > t.regulation_review_months:
                yield RegulationReviewDue(
                    **_where(item, "status"), created=item.created, months=months,
                    limit=t.regulation_review_months,
                    message=f"成文于 {item.created}，至 {scope.end} 已 {months} 个月，超过评估清理周期 "
                            f"{t.regulation_review_months} 个月，仍标注“有效”：请评估后确认继续有效或修订、废止")
        replacement = scope.proactive_ids.get(item.superseded_by or "")
        if replacement is not None:
            yield SupersededInForce(
                **_where(item, "superseded_by"), superseded_by=replacement.id,
                message=f"已被 {replacement.id}（{replacement.published} 发布）替代，有效性仍为“有效”")


def _notices(scope: _Scope, t: Thresholds) -> Iterable[Finding]:
    for item in scope.in_year:
        period = item.notice_period
        if period is None:
            continue
        days = workdays_between(period.start - dt.timedelta(days=1), period.end)
        if days < t.min_notice_workdays:
            yield ShortNotice(
                **_where(item, "notice_period"), start=period.start, end=period.end, workdays=days,
                minimum=t.min_notice_workdays,
                message=f"公示期 {period.start} 至 {period.end} 仅 {days} 个工作日，"
                        f"少于 {t.min_notice_workdays} 个工作日")
        if period.end > scope.end:
            yield OpenNotice(
                **_where(item, "notice_period"), start=period.start, end=period.end,
                message=f"公示期至 {period.end}，截至 {scope.end} 尚未结束：公示结果须在下一期跟进")


def _links(scope: _Scope, targets: SiteTargets) -> Iterable[Finding]:
    """Links in the bodies of the items on the site; external links are not followed."""
    on_site = {i.url: i for i in scope.site.public_items}
    known = {i.url: i for i in scope.site.items}
    for item in scope.proactive:
        if item.visibility(scope.site.build_date) != "public":
            continue
        for link in find_links(item.body, item.body_line):
            where = _where(item, "id") | {"line": link.line}
            if _LOCAL_FILE.match(link.target):
                yield BrokenLink(**where, target=link.target, resolved=None,
                                 message=_local_file_message(link.target))
                continue
            if not is_internal(link.target):
                continue
            resolved = resolve(link.target, item.url)
            if resolved is None:
                yield BrokenLink(**where, target=link.target, resolved=None,
                                 message=_outside_root_message(link.target))
                continue
            if lands_on(resolved, targets.pages, targets.files):
                continue
            owner_url, _, file = resolved.rpartition("/")
            owner = on_site.get(owner_url + "/")
            if owner is not None and file and file != "index.md":
                yield MissingAttachment(**where, target=link.target, resolved=resolved,
                                        message=_attachment_message(link.target, file, owner, item))
                continue
            page = known.get(_as_page(resolved))
            why = (f"指向的条目 {page.id} 尚未公开" if page is not None
                   else f"网站上没有“{resolved}”")
            yield BrokenLink(**where, target=link.target, resolved=resolved,
                             message=f"链接“{link.target}”无法打开：{why}")


def _local_file_message(target: str) -> str:
    return (f"链接或图片“{target}”指向编辑者电脑上的文件（常见于从 Word 粘贴），"
            "网站上打不开：请把文件放在条目旁、写入“附件”，正文里只写文件名")


def _outside_root_message(target: str) -> str:
    return (f"链接“{target}”以 / 开头或超出网站根目录，网站放在子路径下时打不开："
            "请写相对于本页的路径")


#: file:///C:/Users/…, C:\Users\…, \\server\share: a file on the editor's computer
_LOCAL_FILE = re.compile(r"(?i)file:|[a-z]:[\\/]|\\\\")


def link_findings(site: Site, targets: SiteTargets) -> list[Finding]:
    """Broken links and missing attachments in every public item, whatever its year: the
    links MkDocs would refuse at build time, found while the item is edited; and those in the
    bodies of item files that have other mistakes (``Site.unbuilt``), in the same round."""
    return list(_links(_Scope(site, dt.date.min, site.build_date, None), targets)) \
        + list(_unbuilt_links(site, targets))


def _unbuilt_links(site: Site, targets: SiteTargets) -> Iterable[Finding]:
    """What ``_links`` says of a body whose file is no item yet: its own attachments are those
    it lists (their files are checked with its front matter)."""
    known = {i.url: i for i in site.items}
    for body in site.unbuilt:
        for link in find_links(body.body, body.body_line):
            file_name, line = body.source, link.line
            if _LOCAL_FILE.match(link.target):
                yield BrokenLink(file=file_name, line=line, target=link.target, resolved=None,
                                 message=_local_file_message(link.target))
                continue
            if not is_internal(link.target):
                continue
            resolved = resolve(link.target, body.url)
            if resolved is None:
                yield BrokenLink(file=file_name, line=line, target=link.target, resolved=None,
                                 message=_outside_root_message(link.target))
                continue
            owner_url, _, file = resolved.rpartition("/")
            if lands_on(resolved, targets.pages, targets.files) or resolved == body.url \
                    or (owner_url + "/" == body.url and file in body.attachments):
                continue
            if owner_url + "/" == body.url and file and file != "index.md":
                listed = "、".join(body.attachments) or "无"
                yield MissingAttachment(file=file_name, line=line, target=link.target, resolved=resolved,
                                        message=f"链接“{link.target}”指向的附件“{file}”不在本条目的附件列表中"
                                                f"（已列：{listed}）：请把文件放在条目旁并写入“附件”，否则不会发布")
                continue
            page = known.get(_as_page(resolved))
            why = f"指向的条目 {page.id} 尚未公开" if page is not None else f"网站上没有“{resolved}”"
            yield BrokenLink(file=file_name, line=line, target=link.target, resolved=resolved,
                             message=f"链接“{link.target}”无法打开：{why}")


def _as_page(resolved: str) -> str:
    if resolved.endswith("/") or resolved == "":
        return resolved
    if resolved == "index.md" or resolved.endswith("/index.md"):
        return resolved[: -len("index.md")]
    return resolved + "/"


def _attachment_message(target: str, file: str, owner: Item, linking: Item) -> str:
    listed = "、".join(a.file for a in owner.attachments) or "无"
    base = f"链接“{target}”指向的附件“{file}”不在 {owner.id} 的附件列表中（已列：{listed}）"
    if owner is linking:
        return base + "：请把文件放在条目旁并写入“附件”，否则不会发布"
    return base


def _figures(scope: _Scope) -> Figures:
    site = scope.site
    channels = {c: 0 for c in vocab.CHANNELS}
    categories = {code: 0 for code in site.category_by_code}
    agencies = [scope.agency] if scope.agency else site.agencies
    per_agency = {a.code: [0, 0] for a in agencies}  # count, on time
    for item in scope.in_year:
        for channel in item.channels:
            channels[channel] += 1
        categories[item.category.code] += 1
        per_agency[item.agency.code][0] += 1
        per_agency[item.agency.code][1] += not _is_late(item)[1]
    explained = _interpretations_of(scope)
    policies = [i for i in scope.in_year if _needs_interpretation(i)]
    interpreted = sum(1 for p in policies if explained.get(p.id))
    not_proactive = sum(1 for i in scope.audited if i.disclosure != "主动公开" and i.published >= scope.start)
    return Figures(
        total=len(scope.in_year), not_proactive=not_proactive,
        by_channel=[Count(c, c, n) for c, n in channels.items() if n],
        by_category=[Count(code, _path(site.category_by_code[code]), n)
                     for code, n in categories.items() if n],
        by_agency=[AgencyFigures(a.code, a.name, per_agency[a.code][0], per_agency[a.code][1],
                                 per_agency[a.code][0] - per_agency[a.code][1]) for a in agencies],
        policies=len(policies), interpreted=interpreted)
