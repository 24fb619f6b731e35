"""``gongkai cms-config``: the web editor's configuration from the schema and catalog/."""

from __future__ import annotations

import argparse
import sys

from gongkai.author.cms import CmsConfigError, write_cms_config
from gongkai.cli.args import site_root


def cmd_cms_config(args: argparse.Namespace) -> int:
    root = site_root(args.path, "cms-config")
    if root is None:
        return 2
    try:
        written = write_cms_config(root)
    except CmsConfigError as exc:
        print(f"gongkai cms-config: {exc}", file=sys.stderr)
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        return 1
    if written.changed:
        print(f"已更新 {written.path}，请提交：网页编辑器（/admin/）的表单据此生成。")
    else:
        print(f"{written.path} 已是最新，未改动。")
    return 0


def register_cms_config(sub) -> None:
    cms = sub.add_parser("cms-config", help="根据字段定义和 catalog/ 生成网页编辑器（/admin/）的配置")
    cms.add_argument("path", nargs="?", default=".", help="站点根目录")
    cms.set_defaults(func=cmd_cms_config)
