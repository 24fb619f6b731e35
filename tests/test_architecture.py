"""The package's layering (pyproject.toml, [tool.importlinter]) holds, and breaking it fails."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def lint(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--config", str(project / "pyproject.toml"), "--no-cache"],
                          cwd=project, capture_output=True, text=True,
                          env={"PYTHONPATH": str(project / "hooks"), "PATH": "/usr/bin:/bin"})


def test_every_contract_is_kept():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def _copy(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "hooks" / "gongkai", tmp_path / "hooks" / "gongkai",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_an_upward_import_breaks_the_layers_contract_with_a_readable_message(tmp_path):
    project = _copy(tmp_path)
    loader = project / "hooks" / "gongkai" / "load" / "loader.py"
    loader.write_text(loader.read_text() + "\nfrom gongkai.render import pages  # noqa\n")
    result = lint(project)
    assert result.returncode == 1
    assert "Layers point down" in result.stdout and "BROKEN" in result.stdout
    assert "gongkai.load.loader -> gongkai.render.pages" in result.stdout


def test_a_cycle_inside_a_package_and_an_mkdocs_import_are_caught(tmp_path):
    project = _copy(tmp_path)
    pages = project / "hooks" / "gongkai" / "render" / "pages.py"
    pages.write_text(pages.read_text() + "\nimport gongkai.render.outputs  # noqa\nimport mkdocs  # noqa\n")
    result = lint(project)
    assert result.returncode == 1
    assert "No import cycle between the modules of any package BROKEN" in result.stdout
    assert "never imports MkDocs or its theme (there is always a way out) BROKEN" in result.stdout


def test_only_shared_vocabulary_the_model_and_the_pipeline_sit_at_the_top():
    top = sorted(p.stem for p in (ROOT / "hooks" / "gongkai").glob("*.py"))
    assert top == ["__init__", "model", "pipeline", "problems", "text", "urls", "vocab", "workdays"]
    for package in (ROOT / "hooks" / "gongkai").iterdir():
        if package.is_dir() and (package / "__init__.py").exists():
            doc = (package / "__init__.py").read_text(encoding="utf-8")
            assert doc.startswith('"""') and len(doc) > 80, f"{package.name}/__init__.py says what it holds"
