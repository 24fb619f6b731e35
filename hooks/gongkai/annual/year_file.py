"""``catalog/annual/<YEAR>.yml``: the year's figures that are not items.

The 行政许可 / 行政处罚 / 行政强制 decision counts and 行政事业性收费 (万元); for
a year before the registers, the typed tables (``填报表格``). Validated by a
pydantic model like every other input, its problems said in Chinese with file,
line and field. The keys are Chinese as the national format names them.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from gongkai.annual import labels
from gongkai.annual.layout import (
    CASE_COLUMNS,
    CASE_GROUPS,
    COLUMNS3,
    DECISION_ROWS,
    FEE_ROW,
    REG_COLUMNS,
    REG_ROWS,
    ROWS3,
)
from gongkai.annual.register_rows import OUTCOME_NAMES, norm
from gongkai.annual.tables import Cell, Tables, YearFigures
from gongkai.problems import Problem, Problems
from gongkai.read.source import SourceError, read_yaml
from gongkai.read.strict_yaml import Document

TYPED_KEY = "填报表格"
TYPED_PARTS = ("第二十条第（一）项", "第三部分", "第四部分")
YEAR_KEYS = ("年度", *DECISION_ROWS, FEE_ROW, TYPED_KEY)
#: no count of a year's applications, cases or decisions has more digits than this
MAX_DIGITS = 9
_BLANK = ("", "/", "-", "—", "无")
#: the error kind of this file's messages; its ctx holds the message (never the template:
#: pydantic fills ``{…}`` in a template, and an author's text may contain braces)
_KIND = "gongkai_year"


def _wrong(message: str, named: bool = True, label: str = "", at: tuple[int, ...] = (),
           up: bool = False) -> PydanticCustomError:
    """A problem of the value at the error's place. Its field is the key there (the row
    name) followed by ``label`` (a column); ``named``: the message starts with that field;
    ``at``: the line is that of this element inside the value; ``up``: the problem is the
    enclosing mapping's, said from one of its entries."""
    return PydanticCustomError(_KIND, "年度数据有误", {"message": message, "named": named, "label": label,
                                                     "at": at, "up": up})


class _NotCount(Exception):
    def __init__(self, message: str):
        self.message = message


def _count_of(value: Any) -> int:
    """A count written as text; raises _NotCount with what follows the field's name."""
    if _is_blank(value):
        raise _NotCount("不能留空或写“/”：没有就填 0")
    if not isinstance(value, str) or not re.fullmatch(r"\d+", value.strip()):
        raise _NotCount(f"应为非负整数，而不是“{value}”")
    if len(value.strip()) > MAX_DIGITS:  # and int() of thousands of digits raises
        raise _NotCount(f"“{value.strip()[:12]}…”有 {len(value.strip())} 位，不是一个实际的件数：请检查是否误粘贴")
    return int(value)


def _count(value: Any) -> int:
    try:
        return _count_of(value)
    except _NotCount as exc:
        raise _wrong(exc.message) from None


def _amount(value: Any) -> Decimal:
    if value is None or (isinstance(value, str) and value.strip() in _BLANK):
        raise _wrong("不能留空或写“/”：没有就填 0")
    if not isinstance(value, str) or not re.fullmatch(r"\d+(\.\d{1,4})?", value.strip()):
        raise _wrong(f"应为以万元为单位的非负数，例如 12.35，而不是“{value}”")
    return Decimal(value.strip())


def _numbers(labels: tuple[str, ...]) -> BeforeValidator:
    """A row of counts, one per column in ``labels``."""
    def check(value: Any) -> tuple[int, ...]:
        if isinstance(value, _Refused):
            raise _wrong(value.message, named=value.up, up=value.up)
        if not isinstance(value, list) or len(value) != len(labels):
            raise _wrong(f"应为 {len(labels)} 个数的列表，依次为：" + "、".join(labels))
        out: list[int] = []
        bad: list[tuple[int, str, str, bool]] = []  # (index, column, message, blank)
        for i, (v, label) in enumerate(zip(value, labels, strict=True)):
            try:
                out.append(_count_of(v))
            except _NotCount as exc:
                bad.append((i, label, exc.message, _is_blank(v)))
        if len(bad) == 1:
            i, label, message, _ = bad[0]
            raise _wrong(message, label=f"“{label}”", at=(i,))
        if bad:  # every cell of the row in one message: one round of fixes
            blank = [label for _, label, _, is_blank in bad if is_blank]
            said = ["".join(f"“{c}”" for c in blank) + "留空或写了“/”（没有就填 0）"] if blank else []
            said += [f"“{label}”{message}" for _, label, message, is_blank in bad if not is_blank]
            raise _wrong(f"这一行有 {len(bad)} 个单元格要改：" + "；".join(said), named=False, at=(bad[0][0],))
        return tuple(out)
    return BeforeValidator(check)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in _BLANK)


def _mapping(message: str) -> BeforeValidator:
    def check(value: Any) -> Any:
        if not isinstance(value, dict):
            raise _wrong(message, named=False)
        return value
    return BeforeValidator(check)


Count = Annotated[int, BeforeValidator(_count)]
Amount = Annotated[Decimal, BeforeValidator(_amount)]
RegRow = Annotated[tuple[int, int, int], _numbers(REG_COLUMNS)]
Row3 = Annotated[tuple[int, ...], _numbers(COLUMNS3)]
CaseRow = Annotated[tuple[int, ...], _numbers(CASE_COLUMNS)]


def _required(alias: str) -> Any:
    """A key that must be written: its absence is said like a blank value."""
    return Field(None, alias=alias, validate_default=True)


def _optional(alias: str) -> Any:
    return Field(None, alias=alias)


def _part(index: int) -> Any:
    return _required(TYPED_PARTS[index])


class _Refused:
    """A row of 第三部分 refused by its name: its numbers are not checked. ``up``: the
    problem is the part's (rows missing), said through an entry of its own so that it is
    said together with the problems of the rows written."""

    def __init__(self, message: str, up: bool = False):
        self.message = message
        self.up = up


#: the entry that says which rows 第三部分 lacks, under a key no editor writes
_MISSING = "\x00missing"


def row3_key(name: str) -> str | None:
    """The row key of 第三部分 an editor's row name means, however a real report numbers
    and punctuates it (``labels``)."""
    written = norm(name)
    for row in ROWS3:
        if written in (norm(row.label), norm(row.key)):
            return row.key
    return OUTCOME_NAMES.get(written) or labels.row_key(name)


def _named_rows(value: Any) -> Any:
    """Rows of 第三部分 whose name is unknown or repeated are refused by name."""
    if not isinstance(value, dict):
        raise _wrong(f"缺少“{TYPED_PARTS[1]}”，或它不是“键: 值”映射", named=False)
    out: dict[str, Any] = {}
    keys: set[str] = set()
    for name, row in value.items():
        key = row3_key(name)
        if key is None:
            row = _Refused(f"“{name}”不是第三部分的行名称；请按国家格式写行名，如“一、本年新收政府信息公开申请数量”")
        elif key in keys:
            row = _Refused(f"“{name}”这一行重复")
        keys.add(key or "")
        out[name] = row
    missing = [r.label for r in ROWS3 if r.key not in keys]
    if missing and value:
        out[_MISSING] = _Refused("缺少这些行（没有就填 0）：" + "、".join(missing), up=True)
    return out


class Regs(BaseModel):
    """第二十条第（一）项: [本年制发, 本年废止, 现行有效] for 规章 and 行政规范性文件."""

    # other keys in this part were never refused; refusing them now would reject files
    # that are accepted today
    model_config = ConfigDict(frozen=True)

    rules: RegRow = _required(REG_ROWS[0])
    normative: RegRow = _required(REG_ROWS[1])


class Cases(BaseModel):
    """第四部分: [结果维持, 结果纠正, 其他结果, 尚未审结, 总计] for each group of cases."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    review: CaseRow = _required(CASE_GROUPS[0])
    direct: CaseRow = _required(CASE_GROUPS[1])
    after_review: CaseRow = _required(CASE_GROUPS[2])


_PART = "缺少“{}”，或它不是“键: 值”映射"


class Typed(BaseModel):
    """The year's tables as the agency typed them, for a year before the registers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    regs: Annotated[Regs, _mapping(_PART.format(TYPED_PARTS[0]))] = _part(0)
    rows3: Annotated[dict[str, Row3], BeforeValidator(_named_rows)] = _part(1)
    cases: Annotated[Cases, _mapping(_PART.format(TYPED_PARTS[2]))] = _part(2)

    @field_validator("rows3", mode="after")
    @classmethod
    def _by_key(cls, rows: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
        return {row3_key(name) or name: value for name, value in rows.items()}


class YearFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    year: Any = Field(None, alias="年度")
    licensing: Count = _required(DECISION_ROWS[0])
    penalties: Count = _required(DECISION_ROWS[1])
    coercion: Count = _required(DECISION_ROWS[2])
    fees: Amount = _required(FEE_ROW)
    typed: Annotated[Typed | None, _mapping(
        "应为映射，含“第二十条第（一）项”“第三部分”“第四部分”三项")] = _optional(TYPED_KEY)

    @field_validator("year", mode="after")
    @classmethod
    def _as_named(cls, value: Any, info: ValidationInfo) -> Any:
        """年度 is the year the file is named after."""
        year, name = (info.context or {})["year"], (info.context or {})["name"]
        if value != str(year):
            raise _wrong(f"“{value}”与文件名 {name} 不一致")
        return value

    @property
    def decisions(self) -> dict[str, int]:
        return dict(zip(DECISION_ROWS, (self.licensing, self.penalties, self.coercion), strict=True))


#: keys allowed where a model forbids others: (the model's place, the keys, whether the
#: message suggests the closest key instead of listing them)
_KEYS: dict[tuple[str, ...], tuple[tuple[str, ...], bool]] = {
    (): (YEAR_KEYS, True),
    (TYPED_KEY,): (TYPED_PARTS, False),
    (TYPED_KEY, TYPED_PARTS[2]): (CASE_GROUPS, False),
}


def _unknown(key: str, parent: tuple) -> str:
    keys, suggest = _KEYS[parent]
    if not suggest:
        return f"未知字段“{key}”；应为：" + "、".join(keys)
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.4)
    return f"未知字段“{key}”" + (f"，是不是“{close[0]}”？" if close else "")


#: field name -> the key written in the file: pydantic names a key that is not written
#: (its default validated) by the field name
_WRITTEN = {name: info.alias for model in (YearFile, Typed, Regs, Cases)
            for name, info in model.model_fields.items() if info.alias}


def _problems(exc: ValidationError, doc: Document, display: str) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        *parents, last = err["loc"]
        loc = (*(_WRITTEN.get(str(p), p) for p in parents), last)
        ctx = err.get("ctx") or {}
        if err["type"] == "extra_forbidden":
            key = str(loc[-1])
            out.append(Problem(display, doc.line_of(loc), key, _unknown(key, loc[:-1])))
            continue
        if err["type"] != _KIND:  # not expected: every value is checked by a validator above
            out.append(Problem(display, doc.line_of(loc), ".".join(map(str, loc)) or None,
                               f"取值不正确：{err['msg']}"))
            continue
        loc = (*loc[:-1], _WRITTEN.get(str(last), last))
        if ctx["up"]:
            loc = loc[:-1]
        what = str(loc[-1]) + ctx["label"]
        message = (what if ctx["named"] else "") + ctx["message"]
        out.append(Problem(display, doc.line_of(loc + ctx["at"]), what, message))
    return out


def _lines(doc: Document, data: dict) -> dict[Cell, int]:
    """The line of every figure, for a problem found in the tables later."""
    lines: dict[Cell, int] = {}
    for name in DECISION_ROWS + (FEE_ROW,):
        lines[("二", name, "数量")] = doc.line_of((name,)) or 0
    if TYPED_KEY not in data:
        return lines
    base = (TYPED_KEY,)
    for name in REG_ROWS:
        for i, label in enumerate(REG_COLUMNS):
            lines[("二", name, label)] = doc.line_of(base + (TYPED_PARTS[0], name, i)) or 0
    for name in data[TYPED_KEY][TYPED_PARTS[1]]:
        for i, label in enumerate(COLUMNS3):
            lines[("三", row3_key(name) or name, label)] = doc.line_of(base + (TYPED_PARTS[1], name, i)) or 0
    for group in CASE_GROUPS:
        for i, label in enumerate(CASE_COLUMNS):
            lines[("四", group, label)] = doc.line_of(base + (TYPED_PARTS[2], group, i)) or 0
    return lines


def _tables(figures: YearFile) -> Tables | None:
    typed = figures.typed
    if typed is None:
        return None
    regs = dict(zip(REG_ROWS, (typed.regs.rules, typed.regs.normative), strict=True))
    cases = dict(zip(CASE_GROUPS, (typed.cases.review, typed.cases.direct, typed.cases.after_review),
                     strict=True))
    return Tables(regs, figures.decisions, figures.fees, typed.rows3, cases)


def _zero_blanks(doc: Document, data: dict, display: str, problems: Problems) -> dict:
    """The data with every blank or "/" figure read as 0, said once for the file (the site
    opted in: real reports print "/" for none)."""
    lines: list[int] = []

    def zero(value: Any, loc: tuple) -> Any:
        if isinstance(value, list):
            return [zero(v, (*loc, i)) for i, v in enumerate(value)]
        if isinstance(value, dict):
            return {k: zero(v, (*loc, k)) for k, v in value.items()}
        if _is_blank(value):
            lines.append(doc.line_of(loc) or 0)
            return "0"
        return value

    out = {k: zero(v, (k,)) if k in (*DECISION_ROWS, FEE_ROW, TYPED_KEY) else v for k, v in data.items()}
    if lines:
        at = "、".join(str(n) for n in sorted(set(lines))[:8]) + ("…" if len(set(lines)) > 8 else "")
        problems.add(display, min(lines) or None, None,
                     f"{len(lines)} 个单元格留空或写了“/”，已按 0 计（第 {at} 行；catalog/site.yml 设置了"
                     "“annual_blank_as_zero: true”）", "warning")
    return out


def load_year(path: Path, display: str, year: int, problems: Problems,
              blank_as_zero: bool = False) -> YearFigures | None:
    try:
        doc = read_yaml(path, display)
    except SourceError as exc:
        problems.extend([exc.problem])
        return None
    if not isinstance(doc.data, dict):
        problems.add(display, 1, None, "应为“键: 值”形式的映射")
        return None
    data = _zero_blanks(doc, doc.data, display, problems) if blank_as_zero else doc.data
    try:
        figures = YearFile.model_validate(data, context={"year": year, "name": path.name})
    except ValidationError as exc:
        problems.extend(_problems(exc, doc, display))
        return None
    return YearFigures(year, figures.decisions, figures.fees, _tables(figures), display,
                       _lines(doc, doc.data))
