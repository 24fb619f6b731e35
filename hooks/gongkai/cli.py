"""The ``gongkai`` command line for editors and reviewers."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from .problems import Problems, ValidationFailed
from .site_loader import load_site


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{value}") from None


def cmd_check(args: argparse.Namespace) -> int:
    root = Path(args.path)
    if not (root / "catalog").is_dir():
        print(f"gongkai check: {root} 下没有 catalog/ 目录，不是 gongkai 站点", file=sys.stderr)
        return 2
    problems = Problems()
    try:
        site = load_site(root, args.date, problems,
                         progress=lambda text: print(f"gongkai check: {text}", file=sys.stderr, flush=True))
    except ValidationFailed:
        site = None
    found = problems.sorted()
    if args.format == "json":
        print(json.dumps({"ok": site is not None, "problems": [p.as_dict() for p in found]},
                         ensure_ascii=False, indent=2))
    else:
        for p in found:
            print(p.format())
        errors = sum(p.severity == "error" for p in found)
        if site is not None:
            print(f"检查通过：{len(site.items)} 个条目，其中 {len(site.public_items)} 个公开；"
                  f"{len(found)} 个警告。")
        else:
            print(f"发现 {errors} 个错误、{len(found) - errors} 个警告。", file=sys.stderr)
    return 0 if site is not None else 1


def register_check(sub) -> None:
    check = sub.add_parser("check", help="校验条目、目录定义和登记表，不生成网站")
    check.add_argument("path", nargs="?", default=".", help="站点根目录（含 content/ 和 catalog/）")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--date", type=_date, default=None, help="按此日期判断是否到发布时间（默认今天）")
    check.set_defaults(func=cmd_check)


#: each subcommand registers itself; a new command adds one line here
REGISTRARS = [register_check]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="政府信息公开专栏生成工具")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in REGISTRARS:
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
