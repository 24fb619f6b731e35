"""What a change does to the yearly reports: register rows and published figures.

Register rows are compared by their number (登记号 / 案号), whichever file keeps the
register (CSV or XLSX), so replacing the CSV with an XLSX shows which rows differ.
Figures are compared through the annual model both sides compute (``load_annual``),
so any change to a register, a yearly YAML or the items shows as the report figures
it changes: ``2025 年报 三.一 新收申请 18 → 23``.
"""

from __future__ import annotations

from pathlib import Path

from gongkai.annual.layout import CASE_COLUMNS, CASE_GROUPS, COLUMNS3, REG_COLUMNS, ROWS3, Row
from gongkai.annual.register_rows import APPLICATION_COLUMNS, CASE_COLUMN_DEFS
from gongkai.annual.register_table import Column, Unreadable, read_rows
from gongkai.annual.registers import ANNUAL_DIR, APPLICATIONS, CASES, register_path
from gongkai.annual.tables import Tables
from gongkai.problems import Problems

#: register -> (what a reviewer calls it, its columns)
REGISTERS: dict[str, tuple[str, tuple[Column, ...]]] = {
    APPLICATIONS: ("依申请公开登记表", APPLICATION_COLUMNS),
    CASES: ("行政复议、行政诉讼登记表", CASE_COLUMN_DEFS),
}
#: how many row numbers a register change names before counting the rest
ROWS_SHOWN = 30
#: short names of section 三's rows, as a reviewer reads them
_ROW3_SHORT = {"一": "新收申请", "二": "上年结转", "三.七": "办结总计", "四": "结转下年度"}

#: the rows of a register as {登记号: {column label: text}}; None when absent or unreadable
RegisterRows = dict[str, dict[str, str]]


def register_rows(path: Path, display: str, name: str) -> RegisterRows:
    """The rows of one register file; empty when it cannot be read as a table (its
    problem is among the check's)."""
    columns = REGISTERS[name][1]
    zh = {c.name: c.zh for c in columns}
    try:
        rows = read_rows(path, display, columns, Problems())
    except Unreadable:
        return {}
    out: RegisterRows = {}
    for line, row in rows:
        number = row.get("number") or f"第 {line} 行"
        out[number] = {zh.get(k, k): v for k, v in row.items()}
    return out


def register_of(file: str) -> str | None:
    """Which register a file under catalog/annual/ keeps (by its name, CSV or XLSX)."""
    stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return next((name for name in REGISTERS if name.rsplit(".", 1)[0] == stem), None)


def _kept(root: Path, name: str) -> tuple[str, RegisterRows] | None:
    path = register_path(root / ANNUAL_DIR, name)
    if path is None:
        return None
    display = f"{ANNUAL_DIR}/{path.name}"
    return display, register_rows(path, display, name)


def register_changes(base_root: Path, head_root: Path) -> list[str]:
    """One line per register whose rows differ, naming the rows."""
    out = []
    for name, (label, _) in REGISTERS.items():
        old, new = _kept(base_root, name), _kept(head_root, name)
        if old is None and new is None:
            continue
        before, after = (old[1] if old else {}), (new[1] if new else {})
        where = " → ".join(dict.fromkeys(x[0] for x in (old, new) if x))
        added = [n for n in after if n not in before]
        removed = [n for n in before if n not in after]
        changed = [n for n in after if n in before and after[n] != before[n]]
        if not (added or removed or changed):
            continue
        parts = [f"新增 {len(added)} 行{_names(added)}", f"删除 {len(removed)} 行{_names(removed)}",
                 f"修改 {len(changed)} 行{_names(changed)}"]
        out.append(f"{label}（{where}，{len(before)} 行 → {len(after)} 行）：" + "，".join(parts))
        out += [f"{n}：{_row_change(before[n], after[n])}" for n in changed[:ROWS_SHOWN]]
    return out


def _names(numbers: list[str]) -> str:
    if not numbers:
        return ""
    more = f" 等，共 {len(numbers)} 行" if len(numbers) > ROWS_SHOWN else ""
    return "（" + "、".join(numbers[:ROWS_SHOWN]) + more + "）"


def _row_change(old: dict[str, str], new: dict[str, str]) -> str:
    return "；".join(f"{k} {old.get(k) or '（空）'} → {new.get(k) or '（空）'}"
                    for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k))


# --- figures ---------------------------------------------------------------------------------

def _row3_name(row: Row) -> str:
    return f"三.{row.key} {_ROW3_SHORT.get(row.key) or row.short}"


def figures(tables: Tables) -> dict[str, str]:
    """Every cell of a year's tables: label -> value as published."""
    out: dict[str, str] = {}
    for name, values in tables.regs.items():
        for column, value in zip(REG_COLUMNS, values, strict=True):
            out[f"二 {name} {column}"] = str(value)
    for name, value in tables.decisions.items():
        out[f"二 {name} 本年处理决定数量"] = str(value)
    out["二 行政事业性收费（万元）"] = str(tables.fees)
    for row in ROWS3:
        for column, value in zip(COLUMNS3, tables.rows3[row.key], strict=True):
            suffix = "" if column == "总计" else f"（{column}）"
            out[f"{_row3_name(row)}{suffix}"] = str(value)
    for group in CASE_GROUPS:
        for column, value in zip(CASE_COLUMNS, tables.cases[group], strict=True):
            out[f"四 {group} {column}"] = str(value)
    return out


def figure_changes(old: dict[int, dict[str, str]], new: dict[int, dict[str, str]],
                   old_years: set[int], new_years: set[int]) -> list[str]:
    """``old``/``new``: year -> figures of each report computed; ``*_years``: the years that
    have a report to compute (a yearly file), so a report that can no longer be computed
    is said, not silently dropped."""
    out = []
    for year in sorted(set(old) | set(new) | old_years | new_years):
        a, b = old.get(year), new.get(year)
        if a is None and b is None:
            continue
        if b is None:
            out.append(f"{year} 年报：合并后无法计算（原有 {len(a or {})} 项数字，见上方的错误），不会发布")
            continue
        if a is None:
            out.append(f"{year} 年报：合并后新算出 {len(b)} 项数字"
                       + ("" if year not in old_years else "（原来无法计算）"))
            continue
        out += [f"{year} 年报 {label} {a.get(label, '（无）')} → {value}"
                for label, value in b.items() if a.get(label) != value]
    return out


def closed_years_changed(old: dict[int, dict[str, str]], new: dict[int, dict[str, str]],
                         today_year: int) -> dict[int, int]:
    """Year -> how many figures change, for years already over (their report may be out)."""
    out = {}
    for year in sorted(set(old) & set(new)):
        n = sum(old[year].get(label) != value for label, value in new[year].items())
        if n and year < today_year:
            out[year] = n
    return out
