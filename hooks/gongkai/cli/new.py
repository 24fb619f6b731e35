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
    if args.source is not None:
        return from_docx(root, args)
    if args.agency is None or args.category is None:
        print("gongkai new: 需要 --agency 和 --category（从 Word 文件新建时用 --from 文件.docx）", file=sys.stderr)
        return 2
    try:
        made = create(root, args.agency, args.category, args.title, args.date, folder=args.item_folder)
    except NewItemError as exc:
        print(f"gongkai new: {exc}", file=sys.stderr)
        return 1
    print(f"已创建 {made.path.relative_to(root).as_posix()}，索引号 {made.id}（草稿，审查同意后把“草稿”改为 false）")
    return 0


def from_docx(root, args: argparse.Namespace) -> int:
    from pathlib import Path

    from gongkai.author.importer.docx_item import DocxError, create_from_docx

    try:
        made = create_from_docx(root, Path(args.source), args.agency, args.category, folder=args.item_folder)
    except DocxError as exc:
        print(f"gongkai new: {exc}", file=sys.stderr)
        return 1
    print(created_message(root, made))
    return 0


def created_message(root, made) -> str:
    rel = made.path.relative_to(root).as_posix()
    text = f"已创建 {rel}，索引号 {made.id}（草稿，审查同意后把“草稿”改为 false）"
    if made.missing:
        text += f"；未能识别 {'、'.join(made.missing)}：请在文件中填写（标有“请填写”）"
    return text


def add_folder_option(parser: argparse.ArgumentParser) -> None:
    """``--folder``, the same for every command that writes items (``new``, ``import``,
    ``import-docx``); ``import-docx`` already has a positional ``folder``, hence the dest."""
    parser.add_argument("--folder", dest="item_folder", action="store_true",
                        help="每个条目单独一个目录：<序号>/index.md，附件放在同一目录（网页编辑器也这样保存）；"
                             "网址与单文件方式相同")


def register_new(sub) -> None:
    new = sub.add_parser("new", help="新建条目文件，自动分配下一个索引号（不会覆盖已有文件）")
    new.add_argument("--agency", default=None, help="发布机构：名称、机构代码或简称代码（如 cgj）")
    new.add_argument("--category", default=None, help="目录：代码或栏目名称，如 gfxwj 或 行政规范性文件")
    new.add_argument("--from", dest="source", default=None, metavar="文件.docx",
                     help="从 Word 公文新建：识别标题、发文字号、成文日期，正文转为 Markdown，图片作为附件")
    new.add_argument("--title", default=None, help="标题（可稍后在文件中填写）")
    new.add_argument("--date", type=arg_date, default=None, help="成文日期和发布日期（默认今天）")
    add_folder_option(new)
    new.add_argument("path", nargs="?", default=".", help="站点根目录（含 content/ 和 catalog/）")
    new.set_defaults(func=cmd_new)
