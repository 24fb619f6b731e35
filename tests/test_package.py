"""The gongkai package stays independent of MkDocs; the CLI checks a site."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

from conftest import ROOT


def test_core_package_never_imports_mkdocs():
    offenders = []
    for path in (ROOT / "hooks" / "gongkai").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("mkdocs", "material")]
    assert offenders == []
    # and importing every module with mkdocs made unimportable still works
    code = ("import sys, pkgutil, importlib; sys.modules['mkdocs'] = None; sys.modules['material'] = None;"
            f"sys.path.insert(0, {str(ROOT / 'hooks')!r}); import gongkai;"
            "[importlib.import_module(m.name) for m in pkgutil.walk_packages(gongkai.__path__, 'gongkai.')"
            " if not m.name.endswith('__main__')]")
    subprocess.run([sys.executable, "-c", code], check=True)


def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], cwd=cwd, capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"})


def test_check_passes_on_the_sample_site():
    result = run_cli("check", str(ROOT), "--date", "2026-11-26")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "检查通过" in result.stdout


def test_check_reports_problems_as_file_line_field_message(tmp_path):
    from itemfactory import GOOD, new_repo, write
    root = new_repo(tmp_path)
    write(root, "xczx/1.md", GOOD.replace("目录: gfxwj", "目录: nosuch"))
    result = run_cli("check", str(root))
    assert result.returncode == 1
    assert "content/xczx/1.md:5: 目录: 目录代码“nosuch”未在 catalog/categories.yml 中定义" in result.stdout
    as_json = json.loads(run_cli("check", str(root), "--format", "json").stdout)
    assert as_json["ok"] is False
    assert as_json["problems"][0]["file"] == "content/xczx/1.md" and as_json["problems"][0]["line"] == 5


def test_check_usage_error_exits_2(tmp_path):
    assert run_cli("check", str(tmp_path)).returncode == 2
    assert run_cli("check", "--format", "xml").returncode == 2
