"""``gongkai annual``: the year's report figures and the late replies, for the
office that keeps the registers. The late-reply list names register rows, so it
is printed here only and never written into the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gongkai.annual.registers import ANNUAL_DIR, APPLICATIONS, register_path
from gongkai.cli.args import arg_date
from gongkai.pipeline import load_site
from gongkai.problems import Problems, ValidationFailed


def cmd_annual(args: argparse.Namespace) -> int:
    problems = Problems()
    try:
        site = load_site(Path(args.path), args.date, problems)
    except ValidationFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    reports = [r for r in site.annual if args.year is None or r.year == args.year]
    if not reports:
        print(f"没有 {args.year} 年度的数据（catalog/annual/{args.year}.yml）" if args.year else
              "没有年度数据（catalog/annual/）", file=sys.stderr)
        return 1
    by_year = {r.year: r for r in site.annual}
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
        found = register_path(Path(args.path) / ANNUAL_DIR, APPLICATIONS)
        register = f"{ANNUAL_DIR}/{found.name if found else APPLICATIONS}"
        if not r.late:
            print("  答复均在期限内（20 个工作日，延期的 40 个工作日，按国务院节假日安排含调休计算）")
        for late in r.late:
            when = f"{late.replied} 答复" if late.replied else "尚未答复"
            note = "" if late.exact else "（日期超出节假日日历覆盖范围，按周一至周五估算）"
            print(f"  逾期：{register}:{late.line} 登记号 {late.number}，"
                  f"{late.received} 收到，期限 {late.deadline}，{when}{note}")
    return 0


def register_annual(sub) -> None:
    cmd = sub.add_parser("annual", help="年度报告数据与逾期答复清单（仅在本机显示，不写入网站）")
    cmd.add_argument("path", nargs="?", default=".", help="站点根目录")
    cmd.add_argument("--year", type=int, default=None, help="只看某一年度")
    cmd.add_argument("--date", type=arg_date, default=None, help="按此日期统计（默认今天）")
    cmd.set_defaults(func=cmd_annual)
