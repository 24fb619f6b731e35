"""The rows of the 依申请公开 register (``applications``) and the 行政复议 / 行政诉讼
register (``cases``): each cell checked, each row turned into a record.

A row with a problem is refused on its own (file, line, column); a slip that
repeats down a column (a date format) is said once for the column.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from gongkai.annual import labels
from gongkai.annual.layout import APPLICANTS, CASE_RESULTS, OUTCOMES
from gongkai.annual.register_table import Column, read_rows
from gongkai.annual.tables import Application, Case
from gongkai.problems import Problems

R = TypeVar("R")
Row = dict[str, str]

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


class RowError(Exception):
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

    def add(self, line: int, exc: RowError) -> None:
        if not exc.column:
            self.problems.add(self.display, line, exc.field, exc.message)
            return
        self.first.setdefault(exc.field, (line, exc.message))
        self.count[exc.field] = self.count.get(exc.field, 0) + 1

    def report(self) -> None:
        for name, (line, message) in self.first.items():
            n = self.count[name]
            more = f"（这一列共 {n} 行如此，只在此报告一次）" if n > 1 else ""
            self.problems.add(self.display, line, name, message + more)


def _records(path: Path, display: str, columns: tuple[Column, ...],
             parse: Callable[[Row, dict[str, int], int], R], problems: Problems) -> list[R]:
    """Each row ``parse``d (given the lines of the numbers seen so far); raises Unreadable
    when the file is no table."""
    out: list[R] = []
    seen: dict[str, int] = {}
    slips = _ColumnSlips(display, problems)
    for line, row in read_rows(path, display, columns, problems):
        try:
            record = parse(row, seen, line)
        except RowError as exc:
            slips.add(line, exc)
            continue
        seen[row["number"]] = line
        out.append(record)
    slips.report()
    return out


def _number(row: Row, seen: dict[str, int], what: str) -> str:
    number = row["number"]
    if not number:
        raise RowError(what, "不能为空")
    if number in seen:
        raise RowError(what, f"{what}“{number}”与第 {seen[number]} 行重复")
    return number


# --- dates ---------------------------------------------------------------------------------------

#: 2024-01-15, and what Excel and WPS write for it: 2024/1/15, 2024-1-15, 2024.1.15,
#: 2024年1月15日
_DATE = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?"
                   r"(?:\s+0{1,2}:00(?::00)?)?")
#: an Excel serial day number (a date column saved without its date format)
_SERIAL = re.compile(r"\d{5}")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _date(text: str, field: str) -> dt.date:
    if not text:
        raise RowError(field, "不能为空")
    m = _DATE.fullmatch(text)
    if m is None and _SERIAL.fullmatch(text) and 20000 < int(text) < 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(text))
    if m is None:
        raise RowError(field, f"日期“{text}”应写成 YYYY-MM-DD，例如 2024-01-15（在 Excel/WPS 中把这一列的"
                       "单元格格式设为日期“yyyy-mm-dd”后再保存）", column=True)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise RowError(field, f"日期“{text}”不存在") from None


def _optional_date(text: str, field: str) -> dt.date | None:
    return _date(text, field) if text else None


# --- applications --------------------------------------------------------------------------------

def norm(text: str) -> str:
    """An outcome or row name as editors vary it: half-width brackets, quotes, spaces."""
    return (text.replace("(", "（").replace(")", "）").replace("．", ".").replace(" ", "")
            .replace('"', "").replace("“", "").replace("”", ""))


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
            names[norm(code)] = row.key
    return names


OUTCOME_NAMES = _outcome_names()
OPEN_WORDS = ("", "办理中", "未办结")
YES = ("是", "true", "延期")
NO = ("否", "false", "")


def outcome_key(text: str) -> str:
    key = OUTCOME_NAMES.get(norm(text)) or labels.outcome_key(text)
    if key is None:
        shorts = [r.short for r in OUTCOMES]
        # a suggestion that changes the outcome changes the report's figures: only the
        # plain words for "disclosed" and near-identical typing are suggested
        close = [_meant(text)] if _meant(text) else difflib.get_close_matches(text, shorts, n=1, cutoff=0.75)
        raise RowError("办理结果", f"办理结果“{text}”不是年报第三部分的 21 种办理结果之一"
                       + (f"，是不是“{close[0]}”？" if close else
                          "；请写如“予以公开”“属于国家秘密”“本机关不掌握相关政府信息”，或编号如“（三）1”")
                       + "；尚未办结的留空")
    return key


def _meant(text: str) -> str | None:
    """The outcome plain words name: ``已公开``, ``同意公开``, ``全部公开`` are 予以公开,
    ``部分已公开`` is 部分公开; any negation names no outcome (there are several)."""
    words = norm(text)
    if "公开" not in words or any(w in words for w in ("不", "未", "非", "无", "拒")):
        return None
    return "部分公开" if "部分" in words else "予以公开"


def _answer(row: Row, received: dt.date) -> tuple[str | None, dt.date | None]:
    """(outcome, 答复日期): both written or neither, the reply not before receipt."""
    replied = _optional_date(row["replied"], "答复日期")
    text = row["outcome"]
    outcome = None if text in OPEN_WORDS else outcome_key(text)
    if outcome is not None and replied is None:
        raise RowError("答复日期", f"已写办理结果“{text}”，但缺少答复日期")
    if outcome is None and replied is not None:
        raise RowError("办理结果", "已写答复日期，但办理结果为空：请填写办理结果")
    if replied is not None and replied < received:
        raise RowError("答复日期", f"答复日期 {replied} 早于收到日期 {received}")
    return outcome, replied


def _application(row: Row, seen: dict[str, int], line: int) -> Application:
    number = _number(row, seen, "登记号")
    received = _date(row["received"], "收到日期")
    applicant = row["applicant"]
    if applicant not in APPLICANTS:
        raise RowError("申请人类型", f"申请人类型“{applicant}”不在可选范围内，应为："
                       + "、".join(APPLICANTS))
    outcome, replied = _answer(row, received)
    corrected = _optional_date(row.get("corrected", ""), "补正日期")
    if corrected is not None and (corrected < received or (replied is not None and corrected > replied)):
        raise RowError("补正日期", f"补正日期 {corrected} 应在收到日期与答复日期之间")
    flag = row["extended"]
    if flag not in YES + NO:
        raise RowError("是否延期", f"应写“是”或“否”，而不是“{flag}”")
    return Application(number, received, applicant, outcome, replied, flag in YES, corrected, line)


def load_applications(path: Path, display: str, problems: Problems) -> list[Application]:
    """The rows; raises Unreadable when the file is no table."""
    return _records(path, display, APPLICATION_COLUMNS, _application, problems)


# --- cases ---------------------------------------------------------------------------------------

CASE_RESULT_NAMES = {"维持": "结果维持", "纠正": "结果纠正", "其他": "其他结果"} | {
    r: r for r in CASE_RESULTS[:3]}
LAWSUIT_ROUTES = {"直接起诉": "未经复议直接起诉", "未经复议直接起诉": "未经复议直接起诉",
                  "复议后起诉": "复议后起诉"}
PENDING_WORDS = ("", "尚未审结", "未审结")


def _case_group(kind: str, route: str) -> str:
    """The row of section 四 a case counts in."""
    if kind == "行政复议":
        if route:
            raise RowError("起诉方式", "行政复议案件不填起诉方式")
        return "行政复议"
    if kind == "行政诉讼":
        if route not in LAWSUIT_ROUTES:
            raise RowError("起诉方式", f"行政诉讼的起诉方式应为“直接起诉”或“复议后起诉”，"
                           f"而不是“{route}”")
        return LAWSUIT_ROUTES[route]
    raise RowError("类型", f"类型“{kind}”应为“行政复议”或“行政诉讼”")


def _verdict(row: Row, received: dt.date) -> tuple[str | None, dt.date | None]:
    """(result, 审结日期): both written or neither, the decision not before receipt."""
    decided = _optional_date(row["decided"], "审结日期")
    text = row["result"]
    if text in PENDING_WORDS:
        result = None
    elif text in CASE_RESULT_NAMES:
        result = CASE_RESULT_NAMES[text]
    else:
        raise RowError("结果", f"结果“{text}”应为“维持”“纠正”“其他”，尚未审结的留空")
    if result is not None and decided is None:
        raise RowError("审结日期", "已写结果，但缺少审结日期")
    if result is None and decided is not None:
        raise RowError("结果", "已写审结日期，但结果为空")
    if decided is not None and decided < received:
        raise RowError("审结日期", f"审结日期 {decided} 早于收到日期 {received}")
    return result, decided


def _case(row: Row, seen: dict[str, int], line: int) -> Case:
    number = _number(row, seen, "案号")
    group = _case_group(row["kind"], row["route"])
    received = _date(row["received"], "收到日期")
    result, decided = _verdict(row, received)
    return Case(number, group, received, result, decided, line)


def load_cases(path: Path, display: str, problems: Problems) -> list[Case]:
    """The rows; raises Unreadable when the file is no table."""
    return _records(path, display, CASE_COLUMN_DEFS, _case, problems)
