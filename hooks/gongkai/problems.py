"""Validation problems: where (file, line, field) and why, in Chinese."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: " if self.field else ""
        label = "" if self.severity == "error" else "警告: "
        return f"{where}: {label}{what}{self.message}"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass
class Problems:
    """Collects problems from every file so an editor sees them all at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int | None, field_: str | None, message: str,
            severity: Severity = "error") -> None:
        self.items.append(Problem(file, line, field_, message, severity))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.file, p.line or 0, p.field or ""))


class ValidationFailed(Exception):
    """Raised when the repository holds errors: the site must not be built."""

    def __init__(self, problems: list[Problem], model=None):
        self.problems = problems
        #: the model as far as it could be built (items with errors left out), so a check can
        #: still report the problems only the rendered site shows, in the same round
        self.model = model
        errors = [p for p in problems if p.severity == "error"]
        lines = "\n".join(p.format() for p in errors)
        super().__init__(f"发现 {len(errors)} 个错误，已停止构建：\n{lines}")
