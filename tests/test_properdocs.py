"""The way out: the sample builds under ProperDocs (the MkDocs 1.6 fork) with the same hooks and
theme, and the site is the same file for file but for the generator tag."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from conftest import BUILD_DATE, ROOT, file_digests

PROPERDOCS = ROOT / ".venv-properdocs" / "bin" / "properdocs"
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _without_generator(root):
    for path in root.rglob("*.html"):
        path.write_bytes(GENERATOR.sub(b"", path.read_bytes()))
    return file_digests(root)


def test_sample_builds_under_properdocs_identically(built_site, tmp_path):
    if not PROPERDOCS.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must build with ProperDocs: `make test` installs .venv-properdocs")
        pytest.skip("run `make properdocs` (or `make test`) to install ProperDocs")
    out = tmp_path / "site"
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, DISABLE_MKDOCS_2_WARNING="true")
    result = subprocess.run([str(PROPERDOCS), "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                             "-d", str(out)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert b"ProperDocs" in (out / "index.html").read_bytes()
    reference = tmp_path / "mkdocs"
    subprocess.run(["cp", "-r", str(built_site), str(reference)], check=True)
    assert _without_generator(out) == _without_generator(reference)
