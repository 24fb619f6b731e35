"""``gongkai assign-index``: the 索引号 left empty (by the web form) filled in; the review
pipeline runs it on a pull request's branch and commits the result to it."""

from __future__ import annotations

import argparse
import sys

from gongkai.author.assign_index import AssignError, assign_ids
from gongkai.cli.args import site_root


def cmd_assign_index(args: argparse.Namespace) -> int:
    root = site_root(args.path, "assign-index")
    if root is None:
        return 2
    try:
        outcome = assign_ids(root, args.base)
    except AssignError as exc:
        print(f"gongkai assign-index: {exc}", file=sys.stderr)
        return 1
    for assigned in outcome.assigned:
        print(assigned.message())
    problems = outcome.problems.sorted()
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    if not outcome.assigned:
        print("没有分配索引号" if outcome.problems.errors else "没有需要分配索引号的条目")
    else:
        print(f"共分配 {len(outcome.assigned)} 个索引号")
    return 1 if outcome.problems.errors else 0


def register_assign_index(sub) -> None:
    cmd = sub.add_parser("assign-index",
                         help="给没有索引号的条目分配本机构当年下一个未用的索引号，只改写“索引号”这一行")
    cmd.add_argument("--base", default=None, metavar="分支",
                     help="合并请求的目标分支（如 origin/main）：本分支新加的条目若与它在此期间分配的索引号"
                          "或本分支其他条目重复，重新分配；原有条目从不改号")
    cmd.add_argument("path", nargs="?", default=".", help="站点根目录（含 content/ 和 catalog/）")
    cmd.set_defaults(func=cmd_assign_index)
