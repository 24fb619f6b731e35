"""GONGKAI_JOBS spreads `mkdocs build` over several processes without changing a byte."""

from __future__ import annotations

import pytest
from conftest import ROOT, copy_project, file_digests, mkdocs_build


@pytest.fixture
def parallel(monkeypatch):
    monkeypatch.setenv("GONGKAI_JOBS", "2")
    monkeypatch.setenv("GONGKAI_PARALLEL_MIN_PAGES", "1")  # the sample site is small


def test_parallel_build_writes_the_same_site(parallel, built_site, tmp_path):
    result = mkdocs_build(ROOT, tmp_path / "site")
    assert "个进程并行转换" in result.stderr  # the workers really did the pages
    assert not any(word in result.stderr for word in ("已读取", "已转换", "已生成"))  # small site: quiet
    assert file_digests(tmp_path / "site") == file_digests(built_site)


def test_a_warning_in_a_worker_still_fails_the_strict_build(parallel, tmp_path):
    project = copy_project(tmp_path / "project")
    item = sorted((project / "content").rglob("*.md"))[0]
    item.write_text(item.read_text(encoding="utf-8") + "\n\n详见[另一文件](missing-file.md)。\n",
                    encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site", check=False)
    assert result.returncode != 0
    assert "个进程并行转换" in result.stderr
    assert "contains a link 'missing-file.md'" in result.stderr
    assert "Aborted with 1 warnings in strict mode" in result.stdout + result.stderr
