"""Loading the annual-report sources kept in ``catalog/annual/``.

- ``applications.csv``: the 依申请公开 register, one row per application, no
  personal data (登记号, 收到日期, 申请人类型, 办理结果, 答复日期, 是否延期, 补正日期).
- ``cases.csv``: the 行政复议 / 行政诉讼 register.
- ``<YEAR>.yml``: the year's 行政许可 / 行政处罚 / 行政强制 decision counts and
  行政事业性收费 (万元); for a year before the registers, the typed tables.

Register rows are never public: only the aggregates computed from them are.
Every problem names file, line and field, in Chinese, like item errors.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from gongkai.annual.layout import (
    APPLICANTS,
    CASE_GROUPS,
    CASE_RESULTS,
    COLUMNS3,
    DECISION_ROWS,
    FEE_ROW,
    OUTCOMES,
    REG_ROWS,
    ROWS3,
)
from gongkai.annual.tables import Application, Case, Cell, Tables, YearFigures
from gongkai.problems import Problems
from gongkai.read.source import SourceError, read_bytes, read_text, read_yaml
from gongkai.read.strict_yaml import Document

ANNUAL_DIR = "catalog/annual"
APPLICATIONS = "applications.csv"
CASES = "cases.csv"


@dataclass
class Registers:
    applications: list[Application] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    years: dict[int, YearFigures] = field(default_factory=dict)
    has_applications: bool = False
    has_cases: bool = False
    year_files: set[int] = field(default_factory=set)  # including ones with errors
    #: registers present but no table (encoding, header): what is computed from them is
    #: not checked, or every figure would be reported wrong as well
    unreadable: set[str] = field(default_factory=set)
    #: registers with rows refused: figures computed without those rows are not compared
    #: with what was typed or written elsewhere (the rows' own problems are the ones to fix)
    rejected: set[str] = field(default_factory=set)


def load_registers(root: Path, problems: Problems) -> Registers:
    folder = root / ANNUAL_DIR
    regs = Registers()
    if not folder.is_dir():
        return regs
    for name, loader in ((APPLICATIONS, load_applications), (CASES, load_cases)):
        path = register_path(folder, name)
        if path is None:
            continue
        display = f"{ANNUAL_DIR}/{path.name}"
        other = folder / (path.stem + ".xlsx")
        if path.suffix == ".csv" and other.exists():
            problems.add(f"{ANNUAL_DIR}/{other.name}", None, None,
                         f"{path.name} 和 {other.name} 只能保留一个：请删去不用的那个")
            regs.unreadable.add(name)
            continue
        before = len(problems.errors)
        try:
            rows = loader(path, display, problems)
        except _Unreadable:
            regs.unreadable.add(name)
            continue
        if len(problems.errors) > before:
            regs.rejected.add(name)
        if name == APPLICATIONS:
            regs.has_applications, regs.applications = True, rows
        else:
            regs.has_cases, regs.cases = True, rows
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yml", ".yaml"):
            continue
        display = f"{ANNUAL_DIR}/{path.name}"
        if not re.fullmatch(r"\d{4}", path.stem):
            problems.add(display, None, None, "年度数据文件应以年份命名，例如 catalog/annual/2025.yml")
            continue
        regs.year_files.add(int(path.stem))
        figures = load_year(path, display, int(path.stem), problems)
        if figures is not None:
            regs.years[figures.year] = figures
    return regs


# --- CSV registers -------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    name: str  # English key
    zh: str  # the header editors write
    required: bool = True


APPLICATION_COLUMNS = (
    Column("number", "登记号"),
    Column("received", "收到日期"),
    Column("applicant", "申请人类型"),
    Column("outcome", "办理结果"),
    Column("replied", "答复日期"),
    Column("extended", "是否延期"),
    Column("corrected", "补正日期", required=False),
)
CASE_COLUMN_DEFS = (
    Column("number", "案号"),
    Column("kind", "类型"),
    Column("route", "起诉方式"),
    Column("received", "收到日期"),
    Column("result", "结果"),
    Column("decided", "审结日期"),
)


class _RowError(Exception):
    """``column``: the same slip is likely in every row of the column (a date format):
    said once for the column, with how many rows it is in, not once per cell."""

    def __init__(self, field: str, message: str, column: bool = False):
        self.field = field
        self.message = message
        self.column = column


class _ColumnSlips:
    """Problems of a kind that repeat down a column, reported once per column."""

    def __init__(self, display: str, problems: Problems):
        self.display, self.problems = display, problems
        self.first: dict[str, tuple[int, str]] = {}
        self.count: dict[str, int] = {}

    def add(self, line: int, exc: _RowError) -> None:
        if not exc.column:
            self.problems.add(self.display, line, exc.field, exc.message)
            return
        self.first.setdefault(exc.field, (line, exc.message))
        self.count[exc.field] = self.count.get(exc.field, 0) + 1

    def report(self) -> None:
        for field, (line, message) in self.first.items():
            n = self.count[field]
            more = f"（这一列共 {n} 行如此，只在此报告一次）" if n > 1 else ""
            self.problems.add(self.display, line, field, message + more)


def _register_text(path: Path, display: str, problems: Problems) -> str | None:
    """The CSV's text. Excel and WPS on Chinese Windows save "CSV" as GBK/GB18030 with CRLF
    line ends: read as such, said once, rather than refused line by line."""
    data = read_bytes(path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
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
    if "\x00" in text:
        problems.add(display, None, None, "文件含有 NUL 字符，不是文本文件：请另存为 CSV UTF-8 或 .xlsx")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _csv_rows(path: Path, display: str, problems: Problems):
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


def _xlsx_rows(path: Path, display: str, problems: Problems):
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


def register_path(folder: Path, name: str) -> Path | None:
    """``applications.csv`` or ``applications.xlsx``, whichever the site keeps."""
    stem = name.rsplit(".", 1)[0]
    for candidate in (folder / name, folder / f"{stem}.xlsx"):
        if candidate.exists():
            return candidate
    return None


def _rows(path: Path, display: str, columns: tuple[Column, ...], problems: Problems):
    """(line, {English key: text}) for each data row; header problems reported once.
    Raises _Unreadable when the file gave no rows to check."""
    table = _xlsx_rows(path, display, problems) if path.suffix.lower() == ".xlsx" \
        else _csv_rows(path, display, problems)
    if table is None:
        raise _Unreadable
    if not table:
        problems.add(display, 1, None, "登记表是空的：第一行应为表头")
        raise _Unreadable
    header_line, header = table[0]
    header = [h.strip() for h in header]
    by_header = {}
    known = {c.zh: c for c in columns} | {c.name: c for c in columns}
    for index, name in enumerate(header):
        col = known.get(name)
        if col is None:
            close = difflib.get_close_matches(name, [c.zh for c in columns], n=1, cutoff=0.4)
            problems.add(display, header_line, name or f"第 {index + 1} 列",
                         f"未知的表头“{name}”" + (f"，是不是“{close[0]}”？" if close else
                                                 "；表头应为：" + "、".join(c.zh for c in columns)))
            raise _Unreadable
        if col.name in by_header.values():
            problems.add(display, header_line, col.zh, f"表头“{col.zh}”重复")
            raise _Unreadable
        by_header[index] = col.name
    missing = [c.zh for c in columns if c.required and c.name not in by_header.values()]
    if missing:
        problems.add(display, header_line, None, "表头缺少列：" + "、".join(missing))
        raise _Unreadable
    rows = []
    for first, cells in table[1:]:
        if not any(str(c).strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.add(display, first, None,
                         f"这一行有 {len(cells)} 列，表头有 {len(header)} 列：逗号数目不对，"
                         "值里含逗号时请用英文双引号括起来")
            continue
        rows.append((first, {by_header[i]: str(c).strip() for i, c in enumerate(cells)}))
    return rows


class _Unreadable(Exception):
    """The register could not be read as a table: its rows are unknown, so every figure
    computed from it would be wrong; the one problem said is all the editor needs."""


#: 2024-01-15, and what Excel and WPS write for it: 2024/1/15, 2024-1-15, 2024.1.15,
#: 2024年1月15日
_DATE = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?"
                   r"(?:\s+0{1,2}:00(?::00)?)?")
#: an Excel serial day number (a date column saved without its date format)
_SERIAL = re.compile(r"\d{5}")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _date(text: str, field: str, required: bool = True) -> dt.date | None:
    if not text:
        if required:
            raise _RowError(field, "不能为空")
        return None
    m = _DATE.fullmatch(text)
    if m is None and _SERIAL.fullmatch(text) and 20000 < int(text) < 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(text))
    if m is None:
        raise _RowError(field, f"日期“{text}”应写成 YYYY-MM-DD，例如 2024-01-15（在 Excel/WPS 中把这一列的"
                        "单元格格式设为日期“yyyy-mm-dd”后再保存）", column=True)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise _RowError(field, f"日期“{text}”不存在") from None


def _outcome_names() -> dict[str, str]:
    """What an editor may write for each of the 21 outcomes -> its row key."""
    names = {}
    for row in OUTCOMES:
        parts = row.key.split(".")  # 三.一 / 三.三.1
        group = "（" + parts[1] + "）"
        codes = [row.key, row.label, row.short, group + (parts[2] if len(parts) > 2 else "")]
        if len(parts) > 2:
            codes.append(f"{group}{parts[2]}.{row.short}")
        for code in codes:
            names[_norm(code)] = row.key
    return names


def _norm(text: str) -> str:
    return (text.replace("(", "（").replace(")", "）").replace("．", ".").replace(" ", "")
            .replace('"', "").replace("“", "").replace("”", ""))


OUTCOME_NAMES = _outcome_names()
OPEN_WORDS = ("", "办理中", "未办结")
YES = ("是", "true", "延期")
NO = ("否", "false", "")


def outcome_key(text: str) -> str:
    key = OUTCOME_NAMES.get(_norm(text))
    if key is None:
        shorts = [r.short for r in OUTCOMES]
        close = difflib.get_close_matches(text, shorts, n=1, cutoff=0.4)
        raise _RowError("办理结果", f"办理结果“{text}”不是年报第三部分的 21 种办理结果之一"
                        + (f"，是不是“{close[0]}”？" if close else
                           "；请写如“予以公开”“属于国家秘密”“本机关不掌握相关政府信息”，或编号如“（三）1”")
                        + "；尚未办结的留空")
    return key


def load_applications(path: Path, display: str, problems: Problems) -> list[Application]:
    """The rows; raises _Unreadable when the file is no table."""
    out: list[Application] = []
    seen: dict[str, int] = {}
    slips = _ColumnSlips(display, problems)
    for line, row in _rows(path, display, APPLICATION_COLUMNS, problems):
        try:
            number = row["number"]
            if not number:
                raise _RowError("登记号", "不能为空")
            if number in seen:
                raise _RowError("登记号", f"登记号“{number}”与第 {seen[number]} 行重复")
            received = _date(row["received"], "收到日期")
            applicant = row["applicant"]
            if applicant not in APPLICANTS:
                raise _RowError("申请人类型", f"申请人类型“{applicant}”不在可选范围内，应为："
                                + "、".join(APPLICANTS))
            replied = _date(row["replied"], "答复日期", required=False)
            text = row["outcome"]
            outcome = None if text in OPEN_WORDS else outcome_key(text)
            if outcome is not None and replied is None:
                raise _RowError("答复日期", f"已写办理结果“{text}”，但缺少答复日期")
            if outcome is None and replied is not None:
                raise _RowError("办理结果", "已写答复日期，但办理结果为空：请填写办理结果")
            if replied is not None and replied < received:
                raise _RowError("答复日期", f"答复日期 {replied} 早于收到日期 {received}")
            corrected = _date(row.get("corrected", ""), "补正日期", required=False)
            if corrected is not None and (corrected < received
                                          or (replied is not None and corrected > replied)):
                raise _RowError("补正日期", f"补正日期 {corrected} 应在收到日期与答复日期之间")
            flag = row["extended"]
            if flag not in YES + NO:
                raise _RowError("是否延期", f"应写“是”或“否”，而不是“{flag}”")
        except _RowError as exc:
            slips.add(line, exc)
            continue
        seen[number] = line
        out.append(Application(number, received, applicant, outcome, replied, flag in YES,
                               corrected, line))
    slips.report()
    return out


CASE_RESULT_NAMES = {"维持": "结果维持", "纠正": "结果纠正", "其他": "其他结果"} | {
    r: r for r in CASE_RESULTS[:3]}


def load_cases(path: Path, display: str, problems: Problems) -> list[Case]:
    """The rows; raises _Unreadable when the file is no table."""
    out: list[Case] = []
    seen: dict[str, int] = {}
    slips = _ColumnSlips(display, problems)
    for line, row in _rows(path, display, CASE_COLUMN_DEFS, problems):
        try:
            number = row["number"]
            if not number:
                raise _RowError("案号", "不能为空")
            if number in seen:
                raise _RowError("案号", f"案号“{number}”与第 {seen[number]} 行重复")
            kind, route = row["kind"], row["route"]
            if kind == "行政复议":
                if route:
                    raise _RowError("起诉方式", "行政复议案件不填起诉方式")
                group = "行政复议"
            elif kind == "行政诉讼":
                routes = {"直接起诉": "未经复议直接起诉", "未经复议直接起诉": "未经复议直接起诉",
                          "复议后起诉": "复议后起诉"}
                if route not in routes:
                    raise _RowError("起诉方式", f"行政诉讼的起诉方式应为“直接起诉”或“复议后起诉”，"
                                    f"而不是“{route}”")
                group = routes[route]
            else:
                raise _RowError("类型", f"类型“{kind}”应为“行政复议”或“行政诉讼”")
            received = _date(row["received"], "收到日期")
            decided = _date(row["decided"], "审结日期", required=False)
            text = row["result"]
            if text in ("", "尚未审结", "未审结"):
                result = None
            elif text in CASE_RESULT_NAMES:
                result = CASE_RESULT_NAMES[text]
            else:
                raise _RowError("结果", f"结果“{text}”应为“维持”“纠正”“其他”，尚未审结的留空")
            if result is not None and decided is None:
                raise _RowError("审结日期", "已写结果，但缺少审结日期")
            if result is None and decided is not None:
                raise _RowError("结果", "已写审结日期，但结果为空")
            if decided is not None and decided < received:
                raise _RowError("审结日期", f"审结日期 {decided} 早于收到日期 {received}")
        except _RowError as exc:
            slips.add(line, exc)
            continue
        seen[number] = line
        out.append(Case(number, group, received, result, decided, line))
    slips.report()
    return out


# --- per-year figures ----------------------------------------------------------------------

TYPED_KEY = "填报表格"
TYPED_PARTS = ("第二十条第（一）项", "第三部分", "第四部分")
YEAR_KEYS = ("年度", *DECISION_ROWS, FEE_ROW, TYPED_KEY)


class _Bad(Exception):
    def __init__(self, path: tuple, message: str, field: str | None = None):
        self.path = path
        self.message = message
        self.field = field


#: no count of a year's applications, cases or decisions has more digits than this
MAX_DIGITS = 9


def _count(value: Any, path: tuple, what: str) -> int:
    if value is None or (isinstance(value, str) and value.strip() in ("", "/", "-", "—", "无")):
        raise _Bad(path, f"{what}不能留空或写“/”：没有就填 0", what)
    if not isinstance(value, str) or not re.fullmatch(r"\d+", value.strip()):
        raise _Bad(path, f"{what}应为非负整数，而不是“{value}”", what)
    if len(value.strip()) > MAX_DIGITS:  # and int() of thousands of digits raises
        raise _Bad(path, f"{what}“{value.strip()[:12]}…”有 {len(value.strip())} 位，不是一个实际的件数："
                   "请检查是否误粘贴", what)
    return int(value)


def _amount(value: Any, path: tuple, what: str) -> Decimal:
    if value is None or (isinstance(value, str) and value.strip() in ("", "/", "-", "—", "无")):
        raise _Bad(path, f"{what}不能留空或写“/”：没有就填 0", what)
    if not isinstance(value, str) or not re.fullmatch(r"\d+(\.\d{1,4})?", value.strip()):
        raise _Bad(path, f"{what}应为以万元为单位的非负数，例如 12.35，而不是“{value}”", what)
    return Decimal(value.strip())


def _numbers(doc: Document, value: Any, path: tuple, labels: tuple[str, ...], what: str,
             lines: dict[Cell, int], cell: tuple[str, str]) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) != len(labels):
        raise _Bad(path, f"{what}应为 {len(labels)} 个数的列表，依次为：" + "、".join(labels), what)
    out = []
    for i, (v, label) in enumerate(zip(value, labels, strict=False)):
        lines[(cell[0], cell[1], label)] = doc.line_of(path + (i,)) or 0
        out.append(_count(v, path + (i,), f"{what}“{label}”"))
    return tuple(out)


def _row3_key(name: str) -> str | None:
    norm = _norm(name)
    for row in ROWS3:
        if norm in (_norm(row.label), _norm(row.key)):
            return row.key
    return OUTCOME_NAMES.get(norm)


def load_year(path: Path, display: str, year: int, problems: Problems) -> YearFigures | None:
    try:
        doc = read_yaml(path, display)
    except SourceError as exc:
        problems.extend([exc.problem])
        return None
    data = doc.data
    if not isinstance(data, dict):
        problems.add(display, 1, None, "应为“键: 值”形式的映射")
        return None
    before = len(problems.errors)

    def bad(exc: _Bad) -> None:
        problems.add(display, doc.line_of(exc.path), exc.field, exc.message)

    for key in data:
        if key not in YEAR_KEYS:
            close = difflib.get_close_matches(key, YEAR_KEYS, n=1, cutoff=0.4)
            problems.add(display, doc.line_of((key,)), key,
                         f"未知字段“{key}”" + (f"，是不是“{close[0]}”？" if close else ""))
    if "年度" in data and data["年度"] != str(year):
        problems.add(display, doc.line_of(("年度",)), "年度",
                     f"年度“{data['年度']}”与文件名 {path.name} 不一致")
    decisions = {}
    for name in DECISION_ROWS:
        try:
            decisions[name] = _count(data.get(name), (name,), name)
        except _Bad as exc:
            bad(exc)
    fees = Decimal(0)
    try:
        fees = _amount(data.get(FEE_ROW), (FEE_ROW,), FEE_ROW)
    except _Bad as exc:
        bad(exc)
    lines: dict[Cell, int] = {}
    for name in DECISION_ROWS + (FEE_ROW,):
        lines[("二", name, "数量")] = doc.line_of((name,)) or 0
    typed = None
    if TYPED_KEY in data:
        typed = _typed(doc, data[TYPED_KEY], decisions, fees, lines, bad)
    if len(problems.errors) > before:
        return None
    return YearFigures(year, decisions, fees, typed, display, lines)


def _typed(doc: Document, data: Any, decisions, fees, lines: dict[Cell, int], bad) -> Tables | None:
    base = (TYPED_KEY,)
    if not isinstance(data, dict):
        bad(_Bad(base, "应为映射，含“第二十条第（一）项”“第三部分”“第四部分”三项", TYPED_KEY))
        return None
    ok = True
    for key in data:
        if key not in TYPED_PARTS:
            bad(_Bad(base + (key,), f"未知字段“{key}”；应为：" + "、".join(TYPED_PARTS), key))
            ok = False
    parts = {}
    for part in TYPED_PARTS:
        if not isinstance(data.get(part), dict):
            bad(_Bad(base + (part,), f"缺少“{part}”，或它不是“键: 值”映射", part))
            ok = False
        parts[part] = data.get(part) or {}
    regs: dict[str, tuple[int, int, int]] = {}
    for name in REG_ROWS:
        path = base + (TYPED_PARTS[0], name)
        try:
            regs[name] = _numbers(doc, parts[TYPED_PARTS[0]].get(name), path,
                                  ("本年制发件数", "本年废止件数", "现行有效件数"), name, lines, ("二", name))
        except _Bad as exc:
            bad(exc)
            ok = False
    rows3: dict[str, tuple[int, ...]] = {}
    for name, value in parts[TYPED_PARTS[1]].items():
        path = base + (TYPED_PARTS[1], name)
        key = _row3_key(name)
        if key is None:
            bad(_Bad(path, f"“{name}”不是第三部分的行名称；请按国家格式写行名，如“一、本年新收政府信息公开申请数量”",
                     name))
            ok = False
            continue
        if key in rows3:
            bad(_Bad(path, f"“{name}”这一行重复", name))
            ok = False
            continue
        try:
            rows3[key] = _numbers(doc, value, path, COLUMNS3, name, lines, ("三", key))
        except _Bad as exc:
            bad(exc)
            ok = False
            rows3[key] = (0,) * 7
    missing = [r.label for r in ROWS3 if r.key not in rows3]
    if missing and parts[TYPED_PARTS[1]]:
        bad(_Bad(base + (TYPED_PARTS[1],), "第三部分缺少这些行（没有就填 0）：" + "、".join(missing),
                 TYPED_PARTS[1]))
        ok = False
    cases: dict[str, tuple[int, ...]] = {}
    for group in CASE_GROUPS:
        path = base + (TYPED_PARTS[2], group)
        try:
            cases[group] = _numbers(doc, parts[TYPED_PARTS[2]].get(group), path,
                                    CASE_RESULTS + ("总计",), group, lines, ("四", group))
        except _Bad as exc:
            bad(exc)
            ok = False
    for key in parts[TYPED_PARTS[2]]:
        if key not in CASE_GROUPS:
            bad(_Bad(base + (TYPED_PARTS[2], key), f"未知字段“{key}”；应为：" + "、".join(CASE_GROUPS), key))
            ok = False
    if not ok or len(decisions) < 3:
        return None
    return Tables(regs, decisions, fees, rows3, cases)
