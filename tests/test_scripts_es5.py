"""Every script gongkai ships parses as ES5 (issue 30): a browser that cannot parse one shows
the search page's message instead of nothing, but none should have to. Checked with es-check,
pinned in tests/js/package-lock.json and installed by `make test` (npm ci)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ES_CHECK = ROOT / "tests/js/node_modules/.bin/es-check"


def shipped_scripts() -> list[Path]:
    """Our scripts and the vendored ones under overrides/ (Material's own bundle is Material's),
    and the ones gongkai writes from its templates (the web editor's preview)."""
    return sorted([*(ROOT / "overrides").rglob("*.js"), *(ROOT / "hooks/gongkai/render/templates").glob("*.js")])


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_every_shipped_script_parses_as_es5():
    assert ES_CHECK.exists(), "es-check is missing: run `cd tests/js && npm ci` (make test does)"
    scripts = shipped_scripts()
    assert {"search.js", "tokens.js", "engine.js", "boot.js", "query.js", "gongkai-a11y.js",
            "admin_preview.js"} <= {p.name for p in scripts}
    result = subprocess.run([str(ES_CHECK), "es5", *map(str, scripts)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_es_check_rejects_what_old_engines_cannot_parse(tmp_path):
    """The check is not a rubber stamp: the two constructs the issue found fail it."""
    assert ES_CHECK.exists(), "es-check is missing: run `cd tests/js && npm ci` (make test does)"
    for name, source in [("forof.js", "for (var ch of 'ab') {}\n"), ("key.js", "var o = {[k]: 1};\n")]:
        path = tmp_path / name
        path.write_text(source, encoding="utf-8")
        result = subprocess.run([str(ES_CHECK), "es5", str(path)], capture_output=True, text=True)
        assert result.returncode != 0, name
