"""``gongkai annual``: the year's report figures and the late replies, for the
office that keeps the registers. The late-reply list names register rows, so it
is printed here only and never written into the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gongkai.annual.registers import ANNUAL_DIR, APPLICATIONS, register_path
from gongkai.audit.due import AgencyUnknown, find_agency, reports_of
from gongkai.author.annual_new import AnnualNewError, start
from gongkai.cli.args import arg_date, site_root
from gongkai.pipeline import load_site
from gongkai.problems import Problems, ValidationFailed


def cmd_annual(args: argparse.Namespace) -> int:
    words = list(args.words)
    if words[:1] == ["new"]:
        return _new(args, words[1:])
    if len(words) > 1:
        print("gongkai annual: 只能给一个站点目录；开始一个机构的年报用 gongkai annual new --agency 机构 --year 年度",
              file=sys.stderr)
        return 2
    args.path = words[0] if words else "."
    problems = Problems()
    try:
        site = load_site(Path(args.path), args.date, problems)
    except ValidationFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    folder, all_reports = ANNUAL_DIR, site.annual
    if args.agency is not None:
        try:
            agency = find_agency(site, args.agency)
        except AgencyUnknown as exc:
            print(f"gongkai annual: {exc}", file=sys.stderr)
            return 2
        all_reports = reports_of(site, agency)
        if all_reports is not site.annual:
            folder = f"{ANNUAL_DIR}/{agency.slug}"
    reports = [r for r in all_reports if args.year is None or r.year == args.year]
    if not reports:
        print(f"没有 {args.year} 年度的数据（{folder}/{args.year}.yml）" if args.year else
              f"没有年度数据（{folder}/）", file=sys.stderr)
        return 1
    return _print(args, reports, all_reports, folder)


def _new(args: argparse.Namespace, rest: list[str]) -> int:
    root = site_root(rest[0] if rest else ".", "annual new")
    if root is None:
        return 2
    if args.agency is None or args.year is None:
        print("gongkai annual new: 需要 --agency（机构代码、简称代码或名称）和 --year（年度）", file=sys.stderr)
        return 2
    try:
        started = start(root, args.agency, args.year, args.date)
    except AnnualNewError as exc:
        print(f"gongkai annual new: {exc}", file=sys.stderr)
        return 1
    print(f"已开始{started.agency.name} {started.year} 年度报告（公布期限 {started.deadline}）。请填写：")
    for rel, what in started.created:
        print(f"  {rel}：{what}")
    for rel in started.kept:
        print(f"  {rel}：已存在，未改动")
    print("填写后运行 gongkai check 检查；数字写成占位符（如 {{ 三.一 }}），表格和正文就不会不一致。")
    return 0


def _print(args: argparse.Namespace, reports: list, all_reports: list, folder: str) -> int:
    by_year = {r.year: r for r in all_reports}
    for r in reports:
        t = r.tables
        state = "年度进行中" if r.in_progress else ("已发布" if r.narrative else "正文待发布")
        print(f"{r.year} 年度（{state}，截至 {r.as_of}，{'填报表格' if r.source == 'typed' else '登记表计算'}）")
        print(f"  新收申请 {t.value3('一')} 件，上年结转 {t.value3('二')} 件，办结 {t.value3('三.七')} 件，"
              f"结转下年度 {t.value3('四')} 件；行政复议 {t.cases['行政复议'][4]} 件，"
              f"行政诉讼 {t.cases['未经复议直接起诉'][4] + t.cases['复议后起诉'][4]} 件")
        previous = by_year.get(r.year - 1)
        for row, (made, repealed, in_force) in t.regs.items():
            if previous is None:
                continue
            expected = previous.tables.regs[row][2] + made - repealed
            if expected != in_force:  # soft: revisions and late publication muddy it
                print(f"  提示：{row}上年现行有效 {previous.tables.regs[row][2]} 件 + 本年制发 {made} 件 − "
                      f"本年废止 {repealed} 件 = {expected} 件，与本年现行有效 {in_force} 件不一致")
        if r.source == "typed":
            continue
        found = register_path(Path(args.path) / folder, APPLICATIONS)
        register = f"{folder}/{found.name if found else APPLICATIONS}"
        if not r.late:
            print("  答复均在期限内（20 个工作日，延期的 40 个工作日，按国务院节假日安排含调休计算）")
        for late in r.late:
            when = f"{late.replied} 答复" if late.replied else "尚未答复"
            note = "" if late.exact else "（日期超出节假日日历覆盖范围，按周一至周五估算）"
            print(f"  逾期：{register}:{late.line} 登记号 {late.number}，"
                  f"{late.received} 收到，期限 {late.deadline}，{when}{note}")
    return 0


def register_annual(sub) -> None:
    cmd = sub.add_parser("annual", help="年度报告数据与逾期答复清单（仅在本机显示，不写入网站）；"
                                        "gongkai annual new --agency 机构 --year 年度：开始一个机构的年报")
    cmd.add_argument("words", nargs="*", metavar="[new] [path]",
                     help="站点根目录（默认当前目录）；以 new 开头时开始一个机构的年度报告")
    cmd.add_argument("--agency", default=None,
                     help="机构代码、简称代码（如 cgj）：看该机构自己的年报；与 new 一起使用时为要开始年报的机构")
    cmd.add_argument("--year", type=int, default=None, help="只看某一年度；与 new 一起使用时为报告年度")
    cmd.add_argument("--date", type=arg_date, default=None, help="按此日期统计（默认今天）")
    cmd.set_defaults(func=cmd_annual)
