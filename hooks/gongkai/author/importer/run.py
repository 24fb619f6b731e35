"""``gongkai import``: a whole export into items, every row either imported or named.

Rows are read and normalised first, then each good row gets its 索引号 (the old one when it
is valid and free, else the next free one, the old one kept as 原索引号), its body and files,
and is checked exactly as ``gongkai check`` would check it before anything is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from gongkai import vocab
from gongkai.author.importer import existing, item_text
from gongkai.author.importer.columns import ColumnMap, MappingError, guess, read_mapping_file
from gongkai.author.importer.files import AttachmentFolder, FileProblem, copy_regular
from gongkai.author.importer.rows import (
    INFERRED_NOTE,
    Body,
    Issue,
    Lookups,
    RowFields,
    carry,
    convert_body,
    read_fields,
)
from gongkai.author.importer.table import Table, TableError, read_table
from gongkai.author.new import item_name
from gongkai.guards import findings as guards
from gongkai.load.loader import Catalog, Repository, load_catalog, today_in_china
from gongkai.load.validation import validate
from gongkai.problems import Problems
from gongkai.read.source import SourceError, parse_markdown
from gongkai.schema.catalog import Agency
from gongkai.schema.front_matter import FrontMatter

REVIEWER = vocab.IMPORT_REVIEWER


class ImportFailed(Exception):
    """The export as a whole cannot be imported (no such file, no title column …)."""


@dataclass(frozen=True, slots=True)
class RowReport:
    row: int
    field: str | None
    message: str

    def format(self, file: str) -> str:
        return f"{file}:第 {self.row} 行: " + (f"{self.field}: " if self.field else "") + self.message


@dataclass
class ImportResult:
    file: str
    columns: ColumnMap
    written: list[str] = field(default_factory=list)  # content paths of the items written
    errors: list[RowReport] = field(default_factory=list)
    fixes: list[RowReport] = field(default_factory=list)
    warnings: list[RowReport] = field(default_factory=list)  # imported as written: to verify
    imported: Counter = field(default_factory=Counter)  # per category name
    skipped: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    fixed: Counter = field(default_factory=Counter)
    drafts: Counter = field(default_factory=Counter)  # imported as drafts: pictures to review
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, file already there)


@dataclass(frozen=True, slots=True)
class Options:
    attachments: Path | None = None
    agency: str | None = None
    category: str | None = None
    mapping: Path | None = None
    dry_run: bool = False
    today: dt.date | None = None
    folder: bool = False  # each item as <serial>/index.md with its files beside it (author.new.item_name)


def lookups(catalog: Catalog, mapping_values: dict[str, dict[str, str]], options: Options) -> Lookups:
    agencies: dict[str, Agency] = {}
    for a in catalog.agencies:
        agencies |= {a.name: a, a.code: a, a.slug: a}
    for old, new in mapping_values.get("agencies", {}).items():
        if new not in agencies:
            raise ImportFailed(f"映射文件的 机构对照 中“{old}: {new}”：“{new}”不是 catalog/agencies.yml 中的机构")
        agencies[old] = agencies[new]
    categories: dict[str, str] = {}
    names: dict[str, str] = {}
    for root in catalog.categories:
        for c in root.walk():
            categories |= {c.code: c.code, c.name: c.code}
            names[c.code] = c.name
    for old, new in mapping_values.get("categories", {}).items():
        if new not in categories:
            raise ImportFailed(f"映射文件的 目录对照 中“{old}: {new}”：“{new}”不是 catalog/categories.yml 中的目录")
        categories[old] = categories[new]
    look = Lookups(agencies, categories, names, catalog.topics, catalog.topic_aliases,
                   status_categories=status_categories(catalog),
                   sequence_only=catalog.settings.doc_number_sequence_only)
    if options.agency is not None:
        look.default_agency = agencies.get(options.agency)
        if look.default_agency is None:
            raise ImportFailed(f"--agency：发布机构“{options.agency}”未在 catalog/agencies.yml 中定义；可用："
                               + "、".join(f"{a.name}（{a.slug}）" for a in catalog.agencies))
    if options.category is not None:
        look.default_category = categories.get(options.category)
        if look.default_category is None:
            raise ImportFailed(f"--category：目录“{options.category}”未在 catalog/categories.yml 中定义；可用："
                               + "、".join(names))
    return look


def status_categories(catalog: Catalog) -> frozenset[str]:
    """The categories whose items are documents with a 有效性: every category of a branch that
    counts 规章 or 规范性文件 for the annual report (政策文件: 规章, 规范性文件, 其他文件), but
    not its interpretations. News, annual reports and statistics have no 有效性."""
    codes: set[str] = set()
    for root in catalog.categories:
        if any(c.report_row for c in root.walk()):
            codes |= {c.code for c in root.walk() if not c.interpretation}
    return frozenset(codes)


def read_mapping(options: Options) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    if options.mapping is None:
        return {}, {}
    try:
        return read_mapping_file(options.mapping)
    except MappingError as exc:
        raise ImportFailed(str(exc)) from None


def load_table(path: Path, options: Options) -> tuple[Table, ColumnMap]:
    try:
        table = read_table(path)
    except (OSError, TableError) as exc:
        raise ImportFailed(str(exc) if isinstance(exc, TableError) else f"{path}: 无法读取：{exc}") from None
    columns = guess(table.headings, read_mapping(options)[0])
    if columns.column_of("title") is None:
        raise ImportFailed(f"{path.name}: 第 1 行的列名中没有标题列（标题、名称、信息名称 等）："
                           "请用 --show-mapping 查看识别结果，或用 --mapping 指定映射文件")
    return table, columns


def import_table(root: Path, path: Path, options: Options) -> ImportResult:
    repo = Repository(root)
    problems = Problems()
    catalog = load_catalog(repo, problems)
    if catalog is None:
        raise ImportFailed("\n".join(p.format() for p in problems.sorted()))
    table, columns = load_table(path, options)
    look = lookups(catalog, read_mapping(options)[1], options)
    pattern = re.compile(catalog.settings.id_pattern)
    index = existing.scan(repo, pattern, [a.code for a in catalog.agencies])
    folder = AttachmentFolder(options.attachments)
    today = options.today or today_in_china()
    result = ImportResult(path.name, columns)
    read = [(row.number, read_fields(row.cells, columns, look)) for row in table.rows]
    # bodies of the rows that will be imported, converted up front (in parallel when many)
    todo = [fields.html if isinstance(fields, RowFields) and index.seen(
        fields.old_id, fields.title, fields.published.isoformat()) is None else "" for _, fields in read]
    bodies = convert_all(todo, options.attachments)
    for (number, fields), body in zip(read, bodies, strict=False):
        _import_row(number, fields, body, result, look, catalog, pattern, index, folder, repo,
                    options, today, path.name)
    return result


#: below this many bodies a second process costs more than it saves
PARALLEL_MIN = 200


def convert_all(htmls: list[str], root: Path | None) -> list[Body]:
    """``rows.convert_body`` of each, in as many processes as there are cores for a large
    export: converting Word markup is most of an import's time, and bodies do not depend on
    each other (their files are named afterwards, in order, by ``rows.carry``)."""
    workers = min(os.cpu_count() or 1, 8)
    busy = [h for h in htmls if h]
    if workers < 2 or len(busy) < PARALLEL_MIN:
        return [convert_body(h, root) for h in htmls]
    import concurrent.futures
    import multiprocessing

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork convert in one process
        return [convert_body(h, root) for h in htmls]
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        converted = iter(pool.map(convert_body, busy, itertools.repeat(root), chunksize=50))
        return [next(converted) if h else Body("", (), (), ()) for h in htmls]


def _import_row(number, fields, body: Body, result: ImportResult, look: Lookups, catalog: Catalog, pattern,
                index: existing.SiteIndex, folder: AttachmentFolder, repo: Repository,
                options: Options, today: dt.date, file: str) -> None:
    def fail(issues: list[Issue], category: str | None) -> None:
        result.errors += [RowReport(number, f, m) for f, m in issues]
        result.failed[look.category_names.get(category, "（未确定目录）") if category else "（未确定目录）"] += 1

    if not isinstance(fields, RowFields):
        fail(fields, None)
        return
    category = look.category_names[fields.category]
    seen = index.seen(fields.old_id, fields.title, fields.published.isoformat())
    if seen is not None:
        result.skipped[category] += 1
        result.skipped_rows.append((number, seen))
        return
    fixes = list(fields.fixes)
    item_id, old_id = _allocate(fields, pattern, catalog, index, fixes)
    seq = pattern.fullmatch(item_id)["seq"]
    markdown, carried = carry(fields, body, folder, seq)
    fixes += carried.fixes
    if carried.problems:
        fail(carried.problems, fields.category)
        return
    folder_rel = f"content/{fields.agency.slug}/{pattern.fullmatch(item_id)['year']}"
    name = _free_name(index, folder_rel, seq, options.folder)
    display = f"{folder_rel}/{name}"
    item = item_text.ItemFields(
        id=item_id, title=fields.title, agency=fields.agency.name, category=fields.category,
        created=fields.created, published=fields.published, doc_number=fields.doc_number,
        status=fields.status, repealed=fields.repealed, superseded_by=fields.superseded_by,
        topic=fields.topic, keywords=fields.keywords, summary=fields.summary,
        disclosure=fields.disclosure, audience=fields.audience, channels=fields.channels,
        old_id=old_id, attachments=[(n, t) for _, n, t in carried.files],
        inferred={name: INFERRED_NOTE % source for name, source in fields.inferred.items()})
    provenance = f"由 gongkai import 于 {today} 从 {file} 第 {number} 行导入"
    text = item_text.render(item, markdown, provenance, REVIEWER)
    issues, unscanned = _check(text, display, carried, today)
    as_draft = not issues and bool(unscanned)
    if as_draft:
        # A picture or scan cannot be checked for personal numbers by machine: the row comes
        # in as a draft (published nowhere) that a reviewer releases, rather than not at all.
        names = "、".join(f"“{n}”" for n in unscanned)
        text = item_text.render(item, markdown, provenance, REVIEWER,
                                draft_note=f"待审查：{'、'.join(unscanned)} 无法自动检查个人信息")
        issues = _check(text, display, carried, today)[0]
        fixes.append(("附件", f"{names}是图片或扫描件，无法自动检查个人信息：已作为草稿导入（不会发布）。"
                             "审查人逐页查看后，在这些附件下写明“人工审查: {审查人: 姓名, 理由: 已逐页核对……}”，"
                             "再删去“草稿: true”一行即可发布"))
    if issues:
        fail(issues, fields.category)
        return
    if not options.dry_run:
        try:
            _write(repo, display, text, carried)
        except (OSError, FileProblem) as exc:
            fail([("附件" if isinstance(exc, FileProblem) else "文件", f"无法写入 {display}：{exc}")],
                 fields.category)
            return
    index.remember(item_id, old_id or fields.old_id, fields.title, fields.published.isoformat(), display)
    # the names now taken: the item file, its folder if it has one, the files beside it
    beside = display[len("content/"):].rpartition("/")[0]
    index.files |= {f"{beside}/{n}".lower() for n in [name.rpartition("/")[2], *carried.names()]}
    index.files.add(beside.lower())
    result.written.append(display)
    result.imported[category] += 1
    if as_draft:
        result.drafts[category] += 1
    if fixes:
        result.fixed[category] += 1
        result.fixes += [RowReport(number, f, m) for f, m in fixes]
    result.warnings += [RowReport(number, f, m) for f, m in fields.warnings]


def _allocate(fields: RowFields, pattern, catalog: Catalog, index: existing.SiteIndex,
              fixes: list[Issue]) -> tuple[str, str | None]:
    """(索引号, 原索引号 to record or None)."""
    old = fields.old_id
    year = fields.created.year
    if old:
        m = pattern.fullmatch(old)
        if m is None:
            why = "不符合本站索引号格式"
        elif m["agency"] != fields.agency.code:
            why = f"机构代码与发布机构“{fields.agency.name}”的代码 {fields.agency.code} 不一致"
        elif int(m["year"]) not in (fields.created.year, fields.published.year):
            why = "年份与成文日期、发布日期都不一致"
        elif old in index.used:
            why = "已被本站其他条目使用（索引号不得复用）"
        else:
            return old, None
    new = index.next_id(catalog.settings.id_format, fields.agency.code, year)
    if old:
        fixes.append(("索引号", f"原索引号“{old}”{why}：已分配新索引号 {new}，原索引号记入“原索引号”字段"))
    return new, old


def _free_name(index: existing.SiteIndex, folder_rel: str, seq: str, folder: bool) -> str:
    """The item's file under its year folder, in the layout asked for: a stem either layout
    holds (``<stem>.md`` or the folder ``<stem>/``) is taken."""
    base = folder_rel[len("content/"):]
    for n in range(1, 1000):
        stem = seq if n == 1 else f"{seq}-{n}"
        one_file, in_folder = (f"{base}/{item_name(stem, f)}".lower() for f in (False, True))
        if not {one_file, in_folder.rpartition("/")[0]} & index.files:
            return item_name(stem, folder)
    raise FileProblem(f"{folder_rel} 下已有太多名为 {seq} 的文件")


def _check(text: str, display: str, carried, today: dt.date) -> tuple[list[Issue], list[str]]:
    """What ``gongkai check`` would say about this item, before it is written, and the names
    of the attachments whose text cannot be read (a draft may hold those)."""
    try:
        source = parse_markdown(text, display)
    except SourceError as exc:
        return [(exc.problem.field or "文件", exc.problem.message)], []
    fm, found = validate(FrontMatter, source.front, display)
    issues = [(p.field or "文件", p.message) for p in found]
    if fm is not None:
        for f in guards.item_findings(source, fm, Path(display), display, today):
            if f.exempt is None:
                where = f.field or "正文"
                issues.append((where, f.message + "：导入前请在旧系统中处理（例如打码）后重新导出"))
    unscanned = []
    for source_file, name, _ in carried.files:
        for f in guards.attachment_findings(source_file, name, today):
            if f.kind == "unscanned":
                unscanned.append(name)
            else:
                issues.append(("附件", f"{name}：{f.field + '：' if f.field else ''}{f.message}"))
    return issues, unscanned


def _write(repo: Repository, display: str, text: str, carried) -> None:
    path = repo.root / display
    path.parent.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        for source, name, _ in carried.files:
            dest = path.parent / name
            copy_regular(source, dest)
            written.append(dest)
        with path.open("x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite
            fh.write(text)
    except BaseException:
        for dest in written:  # an item that was not written leaves no stray attachments
            dest.unlink(missing_ok=True)
        if path.name == "index.md":  # nor an empty folder of its own
            with contextlib.suppress(OSError):
                path.parent.rmdir()
        raise


def summary(result: ImportResult, dry_run: bool) -> list[str]:
    verb = "可导入" if dry_run else "已导入"
    cats = sorted(set(result.imported) | set(result.skipped) | set(result.failed))
    lines = [f"{'试运行（未写入任何文件）' if dry_run else '导入完成'}：{result.file} 共 "
             f"{sum(result.imported.values()) + sum(result.skipped.values()) + sum(result.failed.values())} 行，"
             f"{verb} {sum(result.imported.values())} 条（其中 {sum(result.fixed.values())} 条有自动修正），"
             f"此前已导入而跳过 {sum(result.skipped.values())} 条，未能导入 {sum(result.failed.values())} 条。"]
    if result.drafts:
        lines.append(f"其中 {sum(result.drafts.values())} 条带有无法自动检查的图片或扫描件，已作为草稿导入，"
                     "人工审查后才能发布（见上方各行的说明）。")
    if cats:
        lines.append("按目录：")
        for c in cats:
            lines.append(f"  {c}：{verb} {result.imported[c]}，修正 {result.fixed[c]}，"
                         f"跳过 {result.skipped[c]}，未能导入 {result.failed[c]}")
    return lines
