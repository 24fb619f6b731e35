"""A register file as a table: CSV (UTF-8, or GBK as Excel saves it) or XLSX.

Gives each data row as (line, {English key: text}) once its header is known;
what the cells mean is ``register_rows``' job.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.problems import Problems
from gongkai.read.source import SourceError, read_bytes, read_text

#: (line, cells) of a table as the file gives it
Table = list[tuple[int, list[str]]]
#: (line, {English key: text}) of each data row
Rows = list[tuple[int, dict[str, str]]]


@dataclass(frozen=True)
class Column:
    name: str  # English key
    zh: str  # the header editors write
    required: bool = True


class Unreadable(Exception):
    """The register could not be read as a table: its rows are unknown, so every figure
    computed from it would be wrong; the one problem said is all the editor needs."""


def _decoded(data: bytes, path: Path, display: str, problems: Problems) -> str | None:
    """UTF-8, else GB18030 (said once as a warning); None when it is neither."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        try:  # the ordinary message for an encoding that is neither
            read_text(path, display)
        except SourceError as exc:
            problems.extend(exc.problems)
        return None
    problems.add(display, None, None,
                 "文件是 GBK/GB18030 编码（Excel、WPS 在中文 Windows 上保存 CSV 的默认），已按此编码读取；"
                 "建议另存为“CSV UTF-8（逗号分隔）”，见 docs/编辑指南.md", "warning")
    return text


def _register_text(path: Path, display: str, problems: Problems) -> str | None:
    """The CSV's text. Excel and WPS on Chinese Windows save "CSV" as GBK/GB18030 with CRLF
    line ends: read as such, said once, rather than refused line by line."""
    data = read_bytes(path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = _decoded(data, path, display, problems)
    if text is None:
        return None
    if "\x00" in text:
        problems.add(display, None, None, "文件含有 NUL 字符，不是文本文件：请另存为 CSV UTF-8 或 .xlsx")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _csv_rows(path: Path, display: str, problems: Problems) -> Table | None:
    """(line, cells) of a CSV register; None when it cannot be read at all."""
    text = _register_text(path, display, problems)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text))
    out = []
    line = 0
    try:
        for cells in reader:
            out.append((line + 1, cells))
            line = reader.line_num
    except csv.Error:  # a field longer than the csv module's limit (131,072 characters)
        problems.add(display, line + 1, None,
                     f"第 {line + 1} 行有一个单元格超过 {csv.field_size_limit()} 个字符（多半是引号没有配对，"
                     "把后面的行都并进了一个单元格）：请在 Excel 或 WPS 中打开检查这一行，再另存为 CSV")
        return None
    return out


def _xlsx_rows(path: Path, display: str, problems: Problems) -> Table | None:
    """(row number, cells as text) of an XLSX register's first sheet. Excel keeps dates as
    numbers formatted as dates; openpyxl gives them as datetimes, written here as ISO dates."""
    import openpyxl  # only sites with an XLSX register pay for importing it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or mislabelled file
        problems.add(display, None, None,
                     "无法作为 Excel 工作簿（.xlsx）打开：请在 Excel 或 WPS 中“另存为”“Excel 工作簿（*.xlsx）”")
        return None
    try:
        sheet = book.worksheets[0]
        out = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            out.append((number, [_cell_text(v) for v in row]))
    finally:
        book.close()
    while out and not any(out[-1][1]):
        out.pop()
    width = max((i + 1 for _, cells in out for i, c in enumerate(cells) if c), default=0)
    return [(n, cells[:width] + [""] * (width - len(cells))) for n, cells in out]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header(line: int, header: list[str], columns: tuple[Column, ...], display: str,
            problems: Problems) -> dict[int, str]:
    """Column index -> English key; raises Unreadable after saying what is wrong."""
    by_header: dict[int, str] = {}
    known = {c.zh: c for c in columns} | {c.name: c for c in columns}
    for index, name in enumerate(header):
        col = known.get(name)
        if col is None:
            close = difflib.get_close_matches(name, [c.zh for c in columns], n=1, cutoff=0.4)
            problems.add(display, line, name or f"第 {index + 1} 列",
                         f"未知的表头“{name}”" + (f"，是不是“{close[0]}”？" if close else
                                                 "；表头应为：" + "、".join(c.zh for c in columns)))
            raise Unreadable
        if col.name in by_header.values():
            problems.add(display, line, col.zh, f"表头“{col.zh}”重复")
            raise Unreadable
        by_header[index] = col.name
    missing = [c.zh for c in columns if c.required and c.name not in by_header.values()]
    if missing:
        problems.add(display, line, None, "表头缺少列：" + "、".join(missing))
        raise Unreadable
    return by_header


def _data_rows(table: Iterable[tuple[int, list[str]]], by_header: dict[int, str], width: int,
               display: str, problems: Problems) -> Rows:
    rows = []
    for first, cells in table:
        if not any(str(c).strip() for c in cells):
            continue
        if len(cells) != width:
            problems.add(display, first, None,
                         f"这一行有 {len(cells)} 列，表头有 {width} 列：逗号数目不对，"
                         "值里含逗号时请用英文双引号括起来")
            continue
        rows.append((first, {by_header[i]: str(c).strip() for i, c in enumerate(cells)}))
    return rows


def read_rows(path: Path, display: str, columns: tuple[Column, ...], problems: Problems) -> Rows:
    """(line, {English key: text}) for each data row; header problems reported once.
    Raises Unreadable when the file gave no rows to check."""
    table = _xlsx_rows(path, display, problems) if path.suffix.lower() == ".xlsx" \
        else _csv_rows(path, display, problems)
    if table is None:
        raise Unreadable
    if not table:
        problems.add(display, 1, None, "登记表是空的：第一行应为表头")
        raise Unreadable
    header_line, header = table[0]
    header = [h.strip() for h in header]
    by_header = _header(header_line, header, columns, display, problems)
    return _data_rows(table[1:], by_header, len(header), display, problems)
