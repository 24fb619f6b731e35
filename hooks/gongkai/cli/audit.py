"""``gongkai audit``: the self-inspection report on the command line."""

from __future__ import annotations

import argparse
import json
import sys

from gongkai.audit import due
from gongkai.audit.findings import AuditError, run_audit
from gongkai.audit.report import render_markdown
from gongkai.cli.args import arg_date, site_root
from gongkai.pipeline import load_site
from gongkai.problems import ValidationFailed
from gongkai.render.outputs import site_targets


def _year(value: str) -> int:
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        raise argparse.ArgumentTypeError(f"年份应为四位数字，例如 2025：{value}")
    return int(value)


USAGE = f"""gongkai audit 需要指定做什么：
  gongkai audit --year 2025            按年度自查（Markdown 报告；--format json 输出 JSON）
  gongkai audit --due                  提醒未来 {due.DEFAULT_DAYS} 天内将要超期的栏目更新、首页更新和年度报告
  gongkai audit --due --days 60        向前看 60 天
  --agency 代码或简称                  只看一个机构（catalog/agencies.yml 中的 code 或 slug）
  --date YYYY-MM-DD                    按此日期计算（默认今天）
"""


def cmd_audit(args: argparse.Namespace) -> int:
    if args.year is None and not args.due:  # argparse would say so in English
        print(USAGE, end="", file=sys.stderr)
        return 2
    root = site_root(args.path, "audit")
    if root is None:
        return 2
    try:
        site = load_site(root, args.date)
    except ValidationFailed as exc:
        print(f"gongkai audit: {exc}\n请先修正以上错误（gongkai check）。", file=sys.stderr)
        return 1
    if args.due:
        return _due(site, args)
    try:
        audit = run_audit(site, args.year, site_targets(site), args.agency)
    except AuditError as exc:
        print(f"gongkai audit: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(audit.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_markdown(audit, site), end="")
    return 0


def _due(site, args: argparse.Namespace) -> int:
    agency = None
    if args.agency is not None:
        try:
            agency = due.find_agency(site, args.agency)
        except due.AgencyUnknown as exc:
            print(f"gongkai audit: {exc}", file=sys.stderr)
            return 2
    found = due.due(site, args.days, agency)
    if args.format == "json":
        data: dict = {"date": site.build_date.isoformat(), "days": args.days,
                      "due": [d.as_dict() for d in found]}
        if due.portal(site):  # every agency's report of the year due this year
            data["reports"] = [s.as_dict() for s in due.report_statuses(site, due.status_year(site), agency)]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(due.render_markdown(found, site, args.days, agency), end="")
    return 0


def _days(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= 3660:
        raise argparse.ArgumentTypeError(f"天数应为 1 到 3660 之间的整数：{value}")
    return int(value)


def register_audit(sub) -> None:
    audit = sub.add_parser("audit", help="按年度自查（--year）或提醒将要超期的更新义务（--due）")
    audit.add_argument("path", nargs="?", default=".", help="站点根目录（含 content/ 和 catalog/）")
    what = audit.add_mutually_exclusive_group()
    what.add_argument("--year", type=_year, help="自查年度，例如 2025")
    what.add_argument("--due", action="store_true",
                      help="提醒：未来若干天内将超过栏目更新周期、首页两周更新要求或年报公布期限的事项")
    audit.add_argument("--days", type=_days, default=due.DEFAULT_DAYS,
                       help=f"与 --due 一起使用：向前看多少天（默认 {due.DEFAULT_DAYS}）")
    audit.add_argument("--agency", default=None,
                       help="只统计此机构（catalog/agencies.yml 中的代码）；与 --due 一起使用时只列该机构的年报期限")
    audit.add_argument("--format", choices=("markdown", "json"), default="markdown")
    audit.add_argument("--date", type=arg_date, default=None,
                       help="数据截至日期（默认今天）；当年自查统计到此日")
    audit.set_defaults(func=cmd_audit)
