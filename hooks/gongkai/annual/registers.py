"""Loading the annual-report sources kept in ``catalog/annual/``.

- ``applications.csv``: the 依申请公开 register, one row per application, no
  personal data (登记号, 收到日期, 申请人类型, 办理结果, 答复日期, 是否延期, 补正日期).
- ``cases.csv``: the 行政复议 / 行政诉讼 register.
  (Either may be kept as ``.xlsx``; ``register_table`` reads both, ``register_rows``
  checks their rows.)
- ``<YEAR>.yml``: the year's 行政许可 / 行政处罚 / 行政强制 decision counts and
  行政事业性收费 (万元); for a year before the registers, the typed tables
  (``year_file``).

Register rows are never public: only the aggregates computed from them are.
Every problem names file, line and field, in Chinese, like item errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.annual.register_rows import load_applications, load_cases
from gongkai.annual.register_table import Unreadable
from gongkai.annual.tables import Application, Case, YearFigures
from gongkai.annual.year_file import load_year
from gongkai.problems import Problems

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


def register_path(folder: Path, name: str) -> Path | None:
    """``applications.csv`` or ``applications.xlsx``, whichever the site keeps."""
    stem = name.rsplit(".", 1)[0]
    for candidate in (folder / name, folder / f"{stem}.xlsx"):
        if candidate.exists():
            return candidate
    return None


def load_registers(root: Path, problems: Problems, shown: str = ANNUAL_DIR,
                   blank_as_zero: bool = False) -> Registers:
    """The registers and yearly files in ``shown`` (``catalog/annual`` for the site owner,
    ``catalog/annual/<slug>`` for another agency), named so in every message."""
    folder = root / shown
    regs = Registers()
    if not folder.is_dir():
        return regs
    _load_applications(folder, shown, regs, problems)
    _load_cases(folder, shown, regs, problems)
    _load_years(folder, shown, regs, problems, blank_as_zero)
    return regs


def _register(folder: Path, shown: str, name: str, regs: Registers,
              problems: Problems) -> tuple[Path, str] | None:
    """The register's file and its name in messages; None when absent or kept twice."""
    path = register_path(folder, name)
    if path is None:
        return None
    other = folder / (path.stem + ".xlsx")
    if path.suffix == ".csv" and other.exists():
        problems.add(f"{shown}/{other.name}", None, None,
                     f"{path.name} 和 {other.name} 只能保留一个：请删去不用的那个")
        regs.unreadable.add(name)
        return None
    return path, f"{shown}/{path.name}"


def _load_applications(folder: Path, shown: str, regs: Registers, problems: Problems) -> None:
    found = _register(folder, shown, APPLICATIONS, regs, problems)
    if found is None:
        return
    before = len(problems.errors)
    try:
        regs.applications = load_applications(*found, problems)
    except Unreadable:
        regs.unreadable.add(APPLICATIONS)
        return
    regs.has_applications = True
    if len(problems.errors) > before:
        regs.rejected.add(APPLICATIONS)


def _load_cases(folder: Path, shown: str, regs: Registers, problems: Problems) -> None:
    found = _register(folder, shown, CASES, regs, problems)
    if found is None:
        return
    before = len(problems.errors)
    try:
        regs.cases = load_cases(*found, problems)
    except Unreadable:
        regs.unreadable.add(CASES)
        return
    regs.has_cases = True
    if len(problems.errors) > before:
        regs.rejected.add(CASES)


def _load_years(folder: Path, shown: str, regs: Registers, problems: Problems,
                blank_as_zero: bool) -> None:
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yml", ".yaml") or not path.is_file():
            continue
        display = f"{shown}/{path.name}"
        if not re.fullmatch(r"\d{4}", path.stem):
            problems.add(display, None, None, f"年度数据文件应以年份命名，例如 {shown}/2025.yml")
            continue
        regs.year_files.add(int(path.stem))
        figures = load_year(path, display, int(path.stem), problems, blank_as_zero)
        if figures is not None:
            regs.years[figures.year] = figures
