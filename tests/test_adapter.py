"""The MkDocs adapter refuses, in one Chinese sentence, what it cannot build right: a MkDocs
or ProperDocs whose internals it was not written for, and a build date that is no date."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, mkdocs_build

from mkdocs_fast import internals

BAD_DATE = ("环境变量 GONGKAI_BUILD_DATE: 应为 YYYY-MM-DD 格式的日期（如 2026-03-01），而不是“2026-13-01”："
            "请改正或删除它（删除则按今天生成）")


@pytest.mark.parametrize("name, version", [("mkdocs", "1.6.0"), ("mkdocs", "1.6.1"), ("properdocs", "1.6.7")])
def test_mkdocs_and_properdocs_1_6_are_accepted(name, version):
    assert internals.unsupported(name, version) is None


@pytest.mark.parametrize("name, version, shown", [
    ("mkdocs", "1.5.3", "MkDocs 1.5.3"), ("mkdocs", "1.7.0", "MkDocs 1.7.0"), ("mkdocs", "2.0.0", "MkDocs 2.0.0"),
    ("properdocs", "1.7.0", "ProperDocs 1.7.0"), ("properdocs", "2.0.0", "ProperDocs 2.0.0"),
    ("mkdocs", "1.60.0", "MkDocs 1.60.0"),
])
def test_another_version_is_refused_with_what_to_install(name, version, shown):
    assert internals.unsupported(name, version) == (
        f"当前安装的是 {shown}，gongkai 只支持 MkDocs 1.6.x 或 ProperDocs 1.6.x："
        "适配代码（hooks/mkdocs_fast/internals.py）用到 MkDocs 1.6 的内部函数，在其他版本上可能生成错误的页面。"
        "请按 pyproject.toml 重新安装（make install），或用 make properdocs 改用 ProperDocs 1.6")


def test_the_installed_generator_is_accepted():
    assert internals.generator()[0] == "mkdocs" and internals.supported()


def test_a_build_on_an_unknown_mkdocs_stops_before_anything_with_the_message(tmp_path):
    """As an editor who upgraded MkDocs would see it: MkDocs' own error line, no traceback."""
    run = ("import sys, mkdocs; mkdocs.__version__ = '1.7.0'; sys.argv[0] = 'mkdocs'; "
           "from mkdocs.__main__ import cli; cli()")
    result = subprocess.run([sys.executable, "-c", run, "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                             "-d", str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True,
                            env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin",
                                 "PYTHONPATH": str(ROOT / "hooks")})
    assert result.returncode == 1
    assert "当前安装的是 MkDocs 1.7.0，gongkai 只支持 MkDocs 1.6.x 或 ProperDocs 1.6.x" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "site" / "index.html").exists()


def test_a_wrong_build_date_stops_the_build_with_one_chinese_line(tmp_path):
    result = mkdocs_build(ROOT, tmp_path / "site", "2026-13-01", False)
    assert result.returncode == 1
    errors = [line.split("-  ", 1)[1] for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert errors == [BAD_DATE]
    assert "Traceback" not in result.stderr and not (tmp_path / "site" / "index.html").exists()
