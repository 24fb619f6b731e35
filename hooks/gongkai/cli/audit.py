"""``gongkai audit``: the self-inspection report on the command line."""

from __future__ import annotations

import argparse
import json
import sys

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


def cmd_audit(args: argparse.Namespace) -> int:
    root = site_root(args.path, "audit")
    if root is None:
        return 2
    try:
        site = load_site(root, args.date)
    except ValidationFailed as exc:
        print(f"gongkai audit: {exc}\n请先修正以上错误（gongkai check）。", file=sys.stderr)
        return 1
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


def register_audit(sub) -> None:
    audit = sub.add_parser("audit", help="按年度自查：公开数量和存在的问题（自查报告的数据部分）")
    audit.add_argument("path", nargs="?", default=".", help="站点根目录（含 content/ 和 catalog/）")
    audit.add_argument("--year", type=_year, required=True, help="自查年度，例如 2025")
    audit.add_argument("--agency", default=None, help="只统计此机构（catalog/agencies.yml 中的代码）")
    audit.add_argument("--format", choices=("markdown", "json"), default="markdown")
    audit.add_argument("--date", type=arg_date, default=None,
                       help="数据截至日期（默认今天）；当年自查统计到此日")
    audit.set_defaults(func=cmd_audit)
