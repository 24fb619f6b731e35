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


#: a MkDocs hook that switches the source-side guards off, so that only the page scan
#: (``render.leaks``, run on each converted page: by the worker that converted it) can refuse
_NO_GUARDS = '''
from gongkai.guards import findings
findings.item_findings = lambda *args, **kwargs: []
'''


def test_pages_a_worker_refuses_stop_the_build_with_the_same_messages(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    # published items (2026's include drafts and items dated after the build)
    items = sorted(p for p in (project / "content").rglob("*.md")
                   if p.relative_to(project / "content").parts[1] in ("2024", "2025"))
    # numbers only a reader of the converted page sees (not in summaries, so no listing or
    # export is refused first), in items at both ends of the list
    for path, written in ((items[0], '<span title="139 0745 0001">我们</span>'),
                          (items[-1], "[我们](tel:%31%33%39%30%37%34%35%30%30%30%32)"),
                          (items[-2], '<span title="139 0745 0003">我们</span>')):
        path.write_text(path.read_text(encoding="utf-8") + f"\n\n联系{written}。\n", encoding="utf-8")
    (project / "no_guards.py").write_text(_NO_GUARDS, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - hooks/mkdocs_gongkai.py\n", "  - hooks/mkdocs_gongkai.py\n  - no_guards.py\n", 1), encoding="utf-8")
    monkeypatch.setenv("GONGKAI_PARALLEL_MIN_PAGES", "1")
    errors = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("GONGKAI_JOBS", jobs)
        result = mkdocs_build(project, tmp_path / f"site{jobs}", check=False)
        assert result.returncode != 0
        assert ("个进程并行转换" in result.stderr) == (jobs == "2")
        assert "Traceback" not in result.stderr
        errors[jobs] = [line for line in result.stderr.splitlines() if "含有未脱敏的" in line]
        assert not (tmp_path / f"site{jobs}" / "items").exists()  # stopped before any page was written
    assert len(errors["1"]) == 3, errors["1"]
    for path in (items[0], items[-1], items[-2]):
        assert any(str(path.relative_to(project)) in line for line in errors["1"]), path
    assert errors["2"] == errors["1"]
