"""``gongkai codeowners``: write the forges' CODEOWNERS files from the catalog's people."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gongkai.load.codeowners import owners_files
from gongkai.load.loader import Repository, load_catalog
from gongkai.load.owners import people_declared
from gongkai.problems import Problem, Problems


@dataclass(frozen=True)
class Written:
    path: str  # relative to the root
    changed: bool


class CodeownersError(Exception):
    """The catalog cannot be read, or names nobody: what the editor reads."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


def write_codeowners(root: Path) -> list[Written]:
    """Each CODEOWNERS file rewritten when it differs from what the catalog says."""
    problems = Problems()
    catalog = load_catalog(Repository(root), problems)
    if catalog is None or problems.errors:
        raise CodeownersError("catalog/ 有错误，请先改正：", problems.sorted())
    if not people_declared(catalog.settings, catalog.agencies):
        raise CodeownersError("catalog/ 中没有登记任何编辑、审查人或发布人：请先在 catalog/agencies.yml 的 "
                              "editors、reviewers 和 catalog/site.yml 的 publishers 中写明")
    out = []
    for wanted in owners_files(catalog.settings, catalog.agencies):
        path = root / wanted.path
        current = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        data = wanted.text.encode("utf-8")
        if current != data:
            if path.is_symlink():
                path.unlink()  # never write through a link to a file elsewhere
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        out.append(Written(wanted.path, current != data))
    return out
