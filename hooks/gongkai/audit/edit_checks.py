"""What the yearly self-inspection would find about an item, said while it is edited.

A 行政处罚 decision published after its time limit, a 公示 shorter than the
minimum, a 政策解读 without 解读对象: ``findings`` computes these for the
audit of a year; here the same functions run over every item, whatever its
year, so ``gongkai check``, the review comment and the build say them at once.
Two checks only make sense here: a 发文字号 used twice, and one with another
agency's 机关代字 (``doc_prefixes`` in ``catalog/agencies.yml``).

They are warnings; ``catalog/site.yml`` ``strict_checks`` lists those a site
treats as errors (which then stop the build).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from gongkai.audit import findings
from gongkai.guards.unicode_policy import lookalike_prefix
from gongkai.model import Item, Site
from gongkai.problems import Problems

#: check -> (its name in catalog/site.yml strict_checks, the field it is about)
CHECKS: dict[str, tuple[str, str]] = {
    "late_publication": ("超期公开", "发布日期"),
    "short_notice": ("公示期不足", "公示期"),
    "unlinked_interpretation": ("解读未关联原文", "解读对象"),
    "duplicate_doc_number": ("发文字号重复", "发文字号"),
    "foreign_doc_prefix": ("机关代字不符", "发文字号"),
}
NAMES = tuple(name for name, _ in CHECKS.values())

_PREFIX = re.compile(r"^(?P<prefix>.+?)(?:〔\d{4}〕|第\d)")


def check_items(site: Site, problems: Problems, strict: Iterable[str] = ()) -> None:
    """Each finding as a warning on the item's line, or an error when its check's name is
    in ``strict``."""
    strict = set(strict)
    for kind, file, line, message in _found(site):
        name, field = CHECKS[kind]
        problems.add(file, line, field, message + (f"（“{name}”按错误处理，见 catalog/site.yml）"
                                                   if name in strict else ""),
                     "error" if name in strict else "warning")


def _found(site: Site) -> Iterable[tuple[str, str, int | None, str]]:
    scope = findings._Scope(site, dt.date.min, dt.date.max, None)
    thresholds = findings.Thresholds(site.settings.interpretation_lag_workdays,
                                     site.settings.min_notice_workdays,
                                     site.settings.regulation_review_months)
    for f in findings._late_publications(scope):
        yield f.kind, f.file, f.line, f.message
    for f in findings._notices(scope, thresholds):
        if f.kind == "short_notice":
            yield f.kind, f.file, f.line, f.message
    for f in findings._interpretations(scope, thresholds):
        if f.kind == "unlinked_interpretation":
            yield f.kind, f.file, f.line, f.message
    yield from _doc_numbers([i for i in site.items if not i.draft], site)


def _doc_numbers(items: list[Item], site: Site) -> Iterable[tuple[str, str, int | None, str]]:
    first: dict[str, Item] = {}
    owners: dict[str, list[str]] = {}
    for agency in site.agencies:
        for prefix in agency.doc_prefixes:
            owners.setdefault(prefix, []).append(agency.code)
    for item in sorted(items, key=lambda i: (i.published, i.id)):
        number = item.doc_number
        if not number:
            continue
        line = item.lines.get("doc_number")
        if number in first:
            other = first[number]
            yield ("duplicate_doc_number", item.source, line,
                   f"发文字号“{number}”与 {other.id}（{other.source}）相同：每份文件的发文字号应唯一，"
                   "请核对文号")
        else:
            first[number] = item
        m = _PREFIX.match(number)
        if m is not None and (imitated := lookalike_prefix(m["prefix"], list(owners))) is not None:
            yield ("foreign_doc_prefix", item.source, line,
                   f"发文字号的机关代字“{m['prefix']}”与目录中的“{imitated}”看起来相同却不是同一串字符"
                   "（繁体字、全角字符或形近字母）：请改为目录中的写法")
        own = item.agency.doc_prefixes
        if m is None or not own:
            continue
        prefix = m["prefix"]
        holders = [code for code in owners.get(prefix, []) if code != item.agency.code]
        if prefix not in own and holders:
            names = "、".join(site.agency_by_code[c].name for c in holders)
            yield ("foreign_doc_prefix", item.source, line,
                   f"发文字号的机关代字“{prefix}”属于{names}，不是发布机构“{item.agency.name}”的"
                   f"（其机关代字为：{'、'.join(own)}）：请核对发文字号或发布机构")
