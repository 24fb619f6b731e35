"""``gongkai import`` and ``gongkai import-docx``: moving an existing column in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gongkai.cli.args import site_root
from gongkai.cli.new import add_folder_option


def cmd_import(args: argparse.Namespace) -> int:
    from gongkai.author.importer.run import ImportFailed, Options, import_table, load_table, summary

    root = site_root(args.path, "import")
    if root is None:
        return 2
    source = Path(args.file)
    options = Options(attachments=Path(args.attachments) if args.attachments else None,
                      agency=args.agency, category=args.category,
                      mapping=Path(args.mapping) if args.mapping else None, dry_run=args.dry_run,
                      folder=args.item_folder)
    if options.attachments is not None and not options.attachments.is_dir():
        print(f"gongkai import: 附件目录 {options.attachments} 不存在", file=sys.stderr)
        return 2
    try:
        if args.show_mapping:
            _, columns = load_table(source, options)
            print(f"{source.name} 的列与字段的对应：")
            print("\n".join(columns.describe()))
            return 0
        result = import_table(root, source, options)
    except ImportFailed as exc:
        print(f"gongkai import: {exc}", file=sys.stderr)
        return 1
    for report in result.errors:
        print(report.format(result.file), file=sys.stderr)
    for report in result.fixes:
        print(f"{report.format(result.file)}（已自动修正）")
    for report in result.warnings:
        print(f"{report.format(result.file)}（已按原样导入，请核对）")
    if result.skipped_rows:
        print(f"{len(result.skipped_rows)} 行此前已经导入（例如第 {result.skipped_rows[0][0]} 行即 "
              f"{result.skipped_rows[0][1]}），跳过，没有重复导入。")
    print("\n".join(summary(result, args.dry_run)))
    if result.written and not args.dry_run:
        return _check_after(root, result.errors)
    return 1 if result.errors else 0


def _check_after(root: Path, errors: list) -> int:
    """The site must still pass ``gongkai check`` after an import: say so, or what fails."""
    from gongkai.pipeline import load_site
    from gongkai.problems import Problems, ValidationFailed

    problems = Problems()
    try:
        load_site(root, None, problems)
    except ValidationFailed:
        print("导入后 gongkai check 未通过：", file=sys.stderr)
        for p in problems.sorted():
            if p.severity == "error":
                print(p.format(), file=sys.stderr)
        return 1
    print("导入后检查：gongkai check 通过。")
    return 1 if errors else 0


def register_import(sub) -> None:
    imp = sub.add_parser("import", help="从旧信息公开目录系统导出的 Excel/CSV 批量导入历史信息")
    imp.add_argument("file", help="导出文件（.xlsx 或 .csv）")
    imp.add_argument("--attachments", default=None, help="旧系统导出的附件目录")
    imp.add_argument("--agency", default=None, help="发布机构（名称、机构代码或简称代码）：用于导出文件中没有发布机构的行")
    imp.add_argument("--category", default=None, help="目录代码或名称：用于导出文件中没有目录（栏目）的行")
    imp.add_argument("--mapping", default=None, help="映射文件（YAML）：列名、目录对照、机构对照")
    imp.add_argument("--show-mapping", action="store_true", help="只显示识别出的列与字段的对应，不导入")
    imp.add_argument("--dry-run", action="store_true", help="试运行：检查并报告，不写入任何文件")
    add_folder_option(imp)
    imp.add_argument("--path", default=".", help="站点根目录（含 content/ 和 catalog/）")
    imp.set_defaults(func=cmd_import)


def cmd_import_docx(args: argparse.Namespace) -> int:
    import os
    import re
    import stat

    from gongkai.author.importer import existing
    from gongkai.author.importer.docx_item import DocxError, create_from_docx
    from gongkai.cli.new import created_message
    from gongkai.load.loader import Repository, load_catalog
    from gongkai.problems import Problems

    root = site_root(args.path, "import-docx")
    if root is None:
        return 2
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"gongkai import-docx: {folder} 不是目录", file=sys.stderr)
        return 2
    files = sorted(p for p in folder.iterdir()
                   if p.suffix.lower() == ".docx" and not p.name.startswith(("~$", "."))
                   and stat.S_ISREG(os.lstat(p).st_mode))
    catalog = load_catalog(Repository(root), Problems())
    if catalog is None:
        print("gongkai import-docx: catalog/ 有错误，请先运行 gongkai check", file=sys.stderr)
        return 1
    # one scan of the site for the whole batch: each new item is remembered as it is made
    index = existing.scan(Repository(root), re.compile(catalog.settings.id_pattern),
                          [a.code for a in catalog.agencies])
    made = failed = 0
    for path in files:
        try:
            item = create_from_docx(root, path, args.agency, args.category, index, folder=args.item_folder)
        except DocxError as exc:
            print(f"{path.name}: {exc}" if not str(exc).startswith(path.name) else str(exc), file=sys.stderr)
            failed += 1
            continue
        made += 1
        print(f"{path.name}: {created_message(root, item)}")
    print(f"共 {len(files)} 个 Word 文件：新建 {made} 个草稿，未能导入 {failed} 个。")
    return 1 if failed else 0


def register_import_docx(sub) -> None:
    imp = sub.add_parser("import-docx", help="把一个目录中的 Word 公文（.docx）逐个新建为草稿条目")
    imp.add_argument("folder", help="存放 .docx 文件的目录")
    imp.add_argument("--agency", default=None, help="发布机构（默认从发文字号、发文机关标志识别）")
    imp.add_argument("--category", default=None, help="目录代码或名称（不写则留给编辑填写）")
    add_folder_option(imp)
    imp.add_argument("--path", default=".", help="站点根目录（含 content/ 和 catalog/）")
    imp.set_defaults(func=cmd_import_docx)
