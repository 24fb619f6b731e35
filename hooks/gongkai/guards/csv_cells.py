"""CSV attachments whose cells a spreadsheet would run as formulas (CSV injection).

A visitor who opens a published CSV in Excel or WPS runs every cell that starts with
``=``, ``+``, ``-`` or ``@`` (and, after a tab or carriage return, the same) as a formula:
``=HYPERLINK(...)`` sends them elsewhere, ``=WEBSERVICE(...)`` leaks the sheet. Such cells
are refused with the fix; plain numbers (``-5``, ``+3.2``, ``-1.5e3``, ``-12%``) and cells of
dashes only (a blank in Chinese tables) are text to every spreadsheet and pass.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from gongkai.read.readers import Unreadable, decode_text

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|\.\d+)(?:[eE][+-]?\d+)?%?")
_DASHES = re.compile(r"[-—–]+")
#: cells named in messages; the rest are counted
NAMED = 20


@dataclass(frozen=True, slots=True)
class FormulaCell:
    line: int  # 1-based physical line where the row starts
    row: int  # 1-based record number
    column: int  # 1-based
    value: str

    def message(self, name: str) -> str:
        shown = self.value[:30].replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
        shown += "…" if len(self.value) > 30 else ""
        return (f"附件“{name}”第 {self.row} 行第 {self.column} 列（{column_letters(self.column)} 列）的单元格"
                f"“{shown}”以“{_lead(self.value)}”开头，用电子表格软件打开时会被当作公式执行：请在该单元格"
                "开头加英文单引号（'）使其成为文字，或删去这些字符")


def column_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def _lead(value: str) -> str:
    return {"\t": "制表符", "\r": "回车符"}.get(value[0], value[0])


def is_formula(cell: str) -> bool:
    return (cell.startswith(_TRIGGERS) and not _NUMBER.fullmatch(cell)
            and not _DASHES.fullmatch(cell))


def formula_cells(data: bytes) -> tuple[list[FormulaCell], int]:
    """The first ``NAMED`` formula cells of a CSV file's bytes, and how many there are in all.
    A file that is not text or not CSV has none here (the text reader reports it)."""
    try:
        text = decode_text(data)
    except Unreadable:
        return [], 0
    found: list[FormulaCell] = []
    total = 0
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for row_number, row in enumerate(reader, 1):
            for column, cell in enumerate(row, 1):
                if cell and is_formula(cell):
                    total += 1
                    if len(found) < NAMED:
                        found.append(FormulaCell(start, row_number, column, cell))
            start = reader.line_num + 1
    except csv.Error:
        pass  # not CSV after all: what was read so far is judged
    return found, total
