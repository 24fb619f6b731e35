"""The agency's narrative for a year: ``content/annual/<YEAR>.md``.

The file holds the six national section headings (``## 一、总体情况`` …);
the generator places the tables after the text of sections 二, 三 and 四.
Figures are written as placeholders bound to table cells, e.g.
``{{ 三.一 }}`` (本年新收, 总计 column), ``{{ 三.三.一.自然人 }}``,
``{{ 二.行政许可 }}``, ``{{ 四.行政复议.结果纠正 }}``, ``{{ 统计.主动公开 }}``,
so text and tables cannot disagree. A literal number the text quotes next to
a phrase that clearly names a cell (“予以公开 8 件”) is checked against it; a
number about something else in such a phrase is written ``{{= 300 }}``. A phrase
naming two outcomes (“予以公开及部分公开 275 件”) quotes their sum, written
``{{ 三.三.一 + 三.三.二 }}``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from gongkai.annual.layout import (
    CASE_COLUMNS,
    CASE_GROUPS,
    COLUMNS3,
    DECISION_ROWS,
    FEE_ROW,
    GROUP_KEYS,
    GROUPS3,
    REG_COLUMNS,
    REG_ROWS,
    ROWS3,
    SECTIONS,
)
from gongkai.annual.statistics import YearStatistics
from gongkai.annual.tables import Tables
from gongkai.problems import Problems
from gongkai.read.source import SourceError, read_markdown
from gongkai.schema.front_matter import parse_date

Value = int | Decimal | str


@dataclass(frozen=True)
class Narrative:
    year: int
    title: str | None
    published: dt.date
    sections: tuple[str, ...]  # six Markdown bodies, placeholders filled in
    source: str
    lines: tuple[int, ...] = ()  # the line in ``source`` where each section's text starts


# --- cell addresses --------------------------------------------------------------------------

def _norm(address: str) -> str:
    out = re.sub(r"[\s（）()“”\"]", "", address)
    return re.sub(r"[·．。、]", ".", out).strip(".")


class _Cells(dict[str, Value]):
    """Address (normalised) -> value; each value under every name it may be given."""

    def put(self, names: list[str], value: Value) -> None:
        for name in names:
            self[_norm(name)] = value


def cell_values(t: Tables, stats: YearStatistics | None) -> dict[str, Value]:
    """Every address a placeholder may name -> its value. Column defaults to 总计."""
    cells = _Cells()
    _section2(cells, t)
    _section3(cells, t)
    _section3_groups(cells, t)
    _section4(cells, t)
    if stats is not None:
        _statistics(cells, stats)
    return dict(cells)


def _section2(cells: _Cells, t: Tables) -> None:
    for reg in REG_ROWS:
        for column, value in zip(REG_COLUMNS, t.regs[reg], strict=False):
            short = column.removesuffix("件数")
            cells.put([f"二.{reg}.{column}", f"二.{reg}.{short}", f"二.{reg}.{short.removeprefix('本年')}"],
                      value)
    for decision in DECISION_ROWS:
        cells.put([f"二.{decision}", f"二.{decision}.本年处理决定数量"], t.decisions[decision])
    cells.put([f"二.{FEE_ROW}", f"二.{FEE_ROW}.本年收费金额", "二.收费"], t.fees)


def _section3(cells: _Cells, t: Tables) -> None:
    for row in ROWS3:
        for column, value in zip(COLUMNS3, t.rows3[row.key], strict=False):
            names = [f"三.{row.key}.{column}"]
            if row.outcome:
                names.append(f"三.{row.short}.{column}")
            if column == "总计":
                names += [n.removesuffix(".总计") for n in names]
            cells.put(names, value)
    cells.put(["三.新收", "三.本年新收"], t.value3("一"))
    cells.put(["三.上年结转"], t.value3("二"))
    cells.put(["三.办结", "三.总计"], t.value3("三.七"))
    cells.put(["三.结转下年度"], t.value3("四"))


def _section3_groups(cells: _Cells, t: Tables) -> None:
    """The sums of section 三's outcome groups (（三）不予公开 …), which have no row of their own."""
    for key, group in GROUP_KEYS.items():
        name = group[3:]
        for i, column in enumerate(COLUMNS3):
            value = sum(t.rows3[r.key][i] for r in GROUPS3[group])
            cells.put([f"三.{key}.{column}", f"三.{name}.{column}"], value)
            if column == "总计":
                cells.put([f"三.{key}", f"三.{name}"], value)


def _section4(cells: _Cells, t: Tables) -> None:
    for group in CASE_GROUPS:
        aliases = [group] + (["直接起诉"] if group == "未经复议直接起诉" else [])
        for column, value in zip(CASE_COLUMNS, t.cases[group], strict=False):
            short = column.removeprefix("结果")
            for alias in aliases:
                cells.put([f"四.{alias}.{column}", f"四.{alias}.{short}"], value)
                if column == "总计":
                    cells.put([f"四.{alias}"], value)
    for i, column in enumerate(CASE_COLUMNS):
        value = t.cases["未经复议直接起诉"][i] + t.cases["复议后起诉"][i]
        cells.put([f"四.行政诉讼.{column}", f"四.行政诉讼.{column.removeprefix('结果')}"], value)
    cells.put(["四.行政诉讼"], t.cases["未经复议直接起诉"][4] + t.cases["复议后起诉"][4])


def _statistics(cells: _Cells, stats: YearStatistics) -> None:
    cells.put(["统计.主动公开"], stats.total)
    cells.put(["统计.按时公开"], stats.timely)
    if stats.timely_rate is not None:
        cells.put(["统计.按时公开率"], f"{stats.timely_rate}%")
    cells.put(["统计.现行有效规范性文件"], len(stats.in_force))
    if stats.replies is not None:
        cells.put(["统计.答复"], stats.replies)
    if stats.late is not None:  # known exactly when the replies are
        cells.put(["统计.逾期答复"], stats.late)
    if stats.reply_days is not None:
        cells.put(["统计.平均答复用时"], f"{stats.reply_days}")
    for channel, n in stats.by_channel:
        cells.put([f"统计.渠道.{channel}"], n)
    for _, name, n in stats.by_category:
        cells.put([f"统计.目录.{name}"], n)
    for name, n in stats.by_agency:
        cells.put([f"统计.机构.{name}"], n)


def format_value(value: Value) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value != value.to_integral() else f"{value:.0f}"
    return str(value)


# --- literal numbers that contradict a cell ---------------------------------------------------

#: phrase -> the cell it names, most specific first; only a number right after
#: the phrase in the same clause, with a unit, is taken to quote that cell
LITERAL_RULES: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p), a) for p, a in (
    # a phrase naming two outcomes quotes their sum; before the single outcomes it contains
    (r"(予以公开|全部公开)(及|和|与|或|、)部分公开", "三.三.一 + 三.三.二"),
    (r"不予公开(及|和|与|或|、)无法提供", "三.三.三 + 三.三.四"),
    (r"逾期答复", "统计.逾期答复"),
    (r"上年结转", "三.二"),
    (r"结转(至|到)?下(一)?年度?", "三.四"),
    (r"行政复议", "四.行政复议"),
    (r"行政诉讼", "四.行政诉讼"),
    (r"(新收|收到)[^，。；\d]{0,10}?申请", "三.一"),
    (r"部分公开", "三.三.二"),
    (r"不予公开", "三.三.三"),
    (r"予以公开", "三.三.一"),
    (r"无法提供", "三.三.四"),
    (r"不予处理", "三.三.五"),
    (r"其他处理", "三.三.六"),
    (r"办结", "三.三.七"),
    (r"行政许可", "二.行政许可"),
    (r"行政处罚", "二.行政处罚"),
    (r"行政强制", "二.行政强制"),
    (r"(行政事业性)?收费", "二.行政事业性收费"),
    (r"主动公开(各类)?(政府)?信息", "统计.主动公开"),
))
_CLAUSE = re.compile(r"[，。；;,！？!?：:、（）()\n]")
#: units a count of applications, cases, decisions or items is given in; not 个 (个工作日) or 项 (事项)
_NUMBER = re.compile(r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+)\s*(万元|件|条|宗|起)")
_MARK = "\x00"
_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
       "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """一 .. 九百九十九, as written in running text; None if not a plain numeral."""
    total, digit = 0, None
    for ch in text:
        if ch in _CN:
            digit = _CN[ch]
        elif ch in "十百":
            unit = 10 if ch == "十" else 100
            total += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + (digit or 0)


def literal_conflicts(line: str, cells: dict[str, Value]) -> list[str]:
    """Messages for literal numbers in ``line`` that disagree with the cell they name."""
    text = PLACEHOLDER.sub(_MARK, line)
    out = []
    for clause in _CLAUSE.split(text):
        for pattern, address in LITERAL_RULES:
            m = pattern.search(clause)
            if m is None:
                continue
            rest = clause[m.end():]
            n = _NUMBER.search(rest)
            if n is None or _MARK in rest[: n.start()]:
                break
            written, unit = n.group(1), n.group(2)
            if (unit == "万元") != (address == "二.行政事业性收费"):
                break
            number = Decimal(written) if written[0].isdigit() else chinese_number(written)
            expected = _sum(address, cells)
            if number is not None and expected is not None and Decimal(str(number)) != Decimal(
                    str(expected)):
                # the sentence may be about something else than this report's figure (one
                # office's own count): both ways of writing it are named, each publishes right
                out.append(f"正文写“{m.group(0)}{rest[: n.end()]}”，但表格中对应的数为 "
                           f"{format_value(expected)}：若说的是本报告的这个数，请改用占位符 {{{{ {address} }}}}；"
                           f"若说的是别的数（例如某一机关自己的），请写成 {{{{= {written} }}}}")
            break
    return out


def _sum(address: str, cells: dict[str, Value]) -> Value | None:
    """The value of ``a + b + …`` (each a cell address, 总计 column by default); None when
    a part names no cell or is no count (a rate)."""
    total: int | Decimal = 0
    for part in address.split("+"):
        name = _norm(part)
        value = cells.get(name)
        if value is None:
            value = cells.get(_norm(name + ".总计"))
        if value is None or isinstance(value, str):
            return None
        total = total + value
    return total


# --- reading the file -------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{\{\s*(.*?)\s*\}\}")
_WIDE_BRACES = re.compile(r"｛[｛{]|[{｛]｛|｝[｝}]|[}｝]｝")
_HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$")


def read_narrative(path: Path, display: str, year: int, problems: Problems
                   ) -> tuple[str | None, dt.date | None, list[tuple[int, str]]] | None:
    """(title, 发布日期 or None when the head is wrong, [(line, text)] of the body); the body
    is filled in later."""
    try:
        source = read_markdown(path, display)
    except SourceError as exc:
        problems.extend(exc.problems)
        return None
    front = source.front.data
    ok = True
    for key in front:
        if key not in ("标题", "发布日期", "title", "published"):
            problems.add(display, source.front.line_of((key,)), key,
                         f"未知字段“{key}”：年报正文的头信息只有“标题”和“发布日期”")
            ok = False
    title = front.get("标题") or front.get("title")
    raw = front.get("发布日期") or front.get("published")
    published = None
    key = "发布日期" if "发布日期" in front else "published"
    if raw is None:
        problems.add(display, 1, "发布日期", "缺少必填字段：年报的发布日期")
        ok = False
    else:
        try:
            published = parse_date(raw)
        except Exception as exc:  # pydantic's custom error carries the Chinese message
            problems.add(display, source.front.line_of((key,)), "发布日期", str(exc))
            ok = False
        else:
            if published.year <= year:
                problems.add(display, source.front.line_of((key,)), "发布日期",
                             f"{year} 年度报告的发布日期 {published} 应在次年")
                ok = False
    lines = [(source.body_line + i, text) for i, text in enumerate(source.body.split("\n"))]
    # a bad head still lets the body be checked (published is then None): one round of fixes
    return (title if isinstance(title, str) else None), (published if ok else None), lines


def split_sections(lines: list[tuple[int, str]], display: str, problems: Problems
                   ) -> tuple[list[list[tuple[int, str]]] | None, list[tuple[int, str]]]:
    """(the six sections' lines, or None when the headings are not the national six in
    order; the lines left unsectioned then, whose placeholders are still checked)."""
    sections: list[list[tuple[int, str]]] = []
    ok = True
    for line, text in lines:
        m = _HEADING.match(text)
        if m:
            expected = SECTIONS[len(sections)] if len(sections) < len(SECTIONS) else None
            if m.group(1) != expected:
                hint = f"此处应为“## {expected}”" if expected else "六个部分之后不能再有二级标题"
                problems.add(display, line, "标题", f"二级标题“{m.group(1)}”不符合年报格式：{hint}"
                             "（六个部分的标题须与国家格式一致、顺序不变；小标题请用 ###）")
                return None, [s for section in sections for s in section] + lines[lines.index((line, text)):]
            sections.append([])
        elif not sections:
            if text.strip():
                problems.add(display, line, None, "正文应从“## 一、总体情况”开始")
                ok = False
        else:
            sections[-1].append((line, text))
    if len(sections) < len(SECTIONS):
        problems.add(display, lines[-1][0] if lines else 1, "标题",
                     "缺少这些部分：" + "、".join(SECTIONS[len(sections):]))
        return None, [s for section in sections for s in section]
    return (sections if ok else None), []


def _sum_placeholder(text: str, cells: dict[str, Value], display: str, line: int,
                     problems: Problems) -> str | None:
    """``{{ a + b }}`` filled with the sum; None after saying which part is wrong."""
    for part in text.split("+"):
        name = _norm(part)
        value = cells.get(name)
        if value is None:
            value = cells.get(_norm(name + ".总计"))
        if value is None or isinstance(value, str):
            why = "不对应任何表格单元格" if value is None else "不是件数，不能相加"
            problems.add(display, line, "占位符", f"占位符“{{{{ {text} }}}}”中的“{part.strip()}”{why}")
            return None
    total = _sum(text, cells)
    return None if total is None else format_value(total)


def fill(sections: list[list[tuple[int, str]]], cells: dict[str, Value], display: str,
         problems: Problems, literals: bool = True) -> list[str] | None:
    """The sections with placeholders filled; ``literals``: also hold the numbers written
    out to the figures (only once the year's figures are complete)."""
    before = len(problems.errors)
    out = []
    for section in sections:
        filled = []
        for line, text in section:
            for message in literal_conflicts(text, cells) if literals else ():
                problems.add(display, line, "正文数字", message)
            if _WIDE_BRACES.search(text):
                problems.add(display, line, "占位符",
                             "占位符的花括号是中文（全角）“｛｛ ｝｝”，不会被替换成数字："
                             "请改成英文花括号，写成“{{ 三.一 }}”")

            def sub(m: re.Match, line=line) -> str:
                if m.group(1).startswith("="):  # {{= 300 }}: a number that is no table cell
                    return m.group(1)[1:].strip()
                if "+" in m.group(1):  # {{ 三.三.一 + 三.三.二 }}: a phrase naming two cells
                    return _sum_placeholder(m.group(1), cells, display, line, problems) or m.group(0)
                address = _norm(m.group(1))
                value = cells.get(address)
                if value is None:
                    value = cells.get(_norm(address + ".总计"))
                if value is None:
                    close = difflib.get_close_matches(address, list(cells), n=1, cutoff=0.6)
                    problems.add(display, line, "占位符",
                                 f"占位符“{{{{ {m.group(1)} }}}}”不对应任何表格单元格"
                                 + (f"，是不是“{{{{ {close[0]} }}}}”？" if close else
                                    "；写法如 {{ 三.一 }}、{{ 三.予以公开.自然人 }}、{{ 二.行政许可 }}"))
                    return m.group(0)
                return format_value(value)

            filled.append(PLACEHOLDER.sub(sub, text))
        out.append("\n".join(filled).strip("\n"))
    return out if len(problems.errors) == before else None
