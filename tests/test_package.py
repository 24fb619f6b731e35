"""The gongkai package stays independent of MkDocs (the CLI's tests: test_check_command.py)."""

from __future__ import annotations

import ast
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
