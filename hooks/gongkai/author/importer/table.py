"""Reading an export: the heading row and every data row, from XLSX or CSV.

Row numbers are the ones the editor sees when opening the file in Excel or WPS (the heading
is row 1), also for CSV, where an HTML body may span many physical lines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Row:
    number: int
    cells: tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Table:
    headings: list[str]
    rows: list[Row]


class TableError(Exception):
    pass


def read_table(path: Path) -> Table:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _csv(path)
    raise TableError(f"{path.name}: 只能导入 .xlsx 或 .csv 文件（旧版 .xls 请先在 Excel/WPS 中另存为 .xlsx）")


def _table(rows: Sequence[tuple[object, ...]], name: str) -> Table:
    # the heading row is the first that is not empty (some exports put a caption above it)
    start = next((i for i, cells in enumerate(rows) if any(_blank(c) is False for c in cells)), None)
    if start is None:
        raise TableError(f"{name}: 文件中没有任何数据")
    headings = ["" if c is None else str(c).strip() for c in rows[start]]
    out = [Row(start + i + 2, tuple(cells)) for i, cells in enumerate(rows[start + 1:])
           if any(_blank(c) is False for c in cells)]
    return Table(headings, out)


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _xlsx(path: Path) -> Table:
    import openpyxl  # only an import of a spreadsheet pays for it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a corrupt file is the editor's to fix, not a traceback
        raise TableError(f"{path.name}: 无法读取 Excel 文件：{exc}") from None
    try:
        sheet = book.worksheets[0]
        rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _table(rows, path.name)


def _csv(path: Path) -> Table:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GB18030
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError(f"{path.name}: 无法识别文件编码：请另存为 UTF-8 或 GB18030 编码的 CSV")
    # the delimiter is the one the heading line uses most (bodies hold every kind of punctuation)
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [tuple(r) for r in reader]
    except csv.Error as exc:
        raise TableError(f"{path.name}:{reader.line_num}: CSV 格式错误：{exc}") from None
    return _table(rows, path.name)
