"""ruff and mypy, as configured in pyproject.toml ([tool.ruff], [tool.mypy]), find nothing.

Both run from this environment (``sys.executable -m``), so the versions pinned in the
``test`` extra decide, not whatever a machine has on its PATH.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True)


def test_ruff_finds_nothing():
    result = _run("ruff", "check", "--no-fix", "--output-format", "concise", "hooks", "tests", "bench")
    assert result.returncode == 0, "ruff findings:\n" + result.stdout + result.stderr


def test_ruff_applies_the_project_rules(tmp_path):
    # the rule set is the project's: a finding of a selected rule is reported from a
    # file in tests/, and the same file is refused under the project's settings
    planted = tmp_path / "tests" / "planted.py"
    planted.parent.mkdir()
    planted.write_text("import os\n\nl = [x for x in range(3)]\n", encoding="utf-8")
    result = _run("ruff", "check", "--no-fix", "--no-cache", "--output-format", "concise",
                  "--config", str(ROOT / "pyproject.toml"), str(planted))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "F401" in result.stdout and "E741" in result.stdout, result.stdout


def test_mypy_finds_nothing():
    result = _run("mypy")
    assert result.returncode == 0, "mypy findings:\n" + result.stdout + result.stderr
    # it checked the package the configuration names, not an empty selection
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("Success: no issues found in "), summary
    assert int(summary.split()[-3]) >= 100, summary
