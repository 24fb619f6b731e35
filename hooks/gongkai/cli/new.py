"""``gongkai new``: the next item file, with the next free 索引号."""

from __future__ import annotations

import argparse
import sys

from gongkai.author.new import NewItemError, create
from gongkai.cli.args import arg_date, site_root


def cmd_new(args: argparse.Namespace) -> int:
    root = site_root(args.path, "new")
    if root is None:
        return 2
    try:
        made = create(root, args.agency, args.category, args.title, args.date)
    except NewItemError as exc:
        print(f"gongkai new: {exc}", file=sys.stderr)
        return 1
    print(f"已创建 {made.path.relative_to(root).as_posix()}，索引号 {made.id}（草稿，审查同意后把“草稿”改为 false）")
    return 0


def register_new(sub) -> None:
    new = sub.add_parser("new", help="新建条目文件，自动分配下一个索引号（不会覆盖已有文件）")
    new.add_argument("--agency", required=True, help="发布机构：名称、机构代码或简称代码（如 cgj）")
    new.add_argument("--category", required=True, help="目录代码，如 gfxwj")
    new.add_argument("--title", default=None, help="标题（可稍后在文件中填写）")
    new.add_argument("--date", type=arg_date, default=None, help="成文日期和发布日期（默认今天）")
    new.add_argument("path", nargs="?", default=".", help="站点根目录（含 content/ 和 catalog/）")
    new.set_defaults(func=cmd_new)
