"""``gongkai codeowners``: the forges' CODEOWNERS files from catalog/."""

from __future__ import annotations

import argparse
import sys

from gongkai.author.codeowners import CodeownersError, write_codeowners
from gongkai.cli.args import site_root


def cmd_codeowners(args: argparse.Namespace) -> int:
    root = site_root(args.path, "codeowners")
    if root is None:
        return 2
    try:
        written = write_codeowners(root)
    except CodeownersError as exc:
        print(f"gongkai codeowners: {exc}", file=sys.stderr)
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        return 1
    for w in written:
        print(f"已更新 {w.path}。" if w.changed else f"{w.path} 已是最新，未改动。")
    if any(w.changed for w in written):
        print("请提交这些文件：代码托管平台按它们要求相应的审查人批准合并请求。")
    return 0


def register_codeowners(sub) -> None:
    owners = sub.add_parser("codeowners", help="根据 catalog/ 中的编辑、审查人、发布人生成 CODEOWNERS"
                                                "（.github/、.gitlab/、.gitea/）")
    owners.add_argument("path", nargs="?", default=".", help="站点根目录")
    owners.set_defaults(func=cmd_codeowners)
