"""Inputs that used to end in a traceback or take the build down (issue 14): YAML references
and tags, an output folder inside content/, formula cells, author text in the diff comment."""

from __future__ import annotations

import csv
import io
import os

import pytest
from conftest import copy_project, file_digests, mkdocs_build_here
from sitekit import gongkai, item, make_site

from gongkai.pipeline import load_site
from gongkai.problems import Problem
from gongkai.render.outputs import render_site
from gongkai.review.diff import ItemChange
from gongkai.review.report import _problem, _table

BOMB = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 9))


@pytest.mark.parametrize("extra, line, message", [
    (BOMB, 8, "不支持 YAML 锚点“&a0”"),
    ("主题词: &r [*r]\n", 8, "不支持 YAML 锚点“&r”"),
    ("主题词: *r\n", 8, "不支持 YAML 引用“*r”"),
    ("主题词: !!python/object:os.system [ls]\n", 8, "不支持 YAML 标签"),
    ("主题词: " + "[" * 40 + "]" * 40 + "\n", 8, "YAML 嵌套超过 20 层"),
])
def test_yaml_references_tags_and_depth_are_one_message(tmp_path, extra, line, message):
    site = make_site(tmp_path, {"zfb/bomb.md": item(extra=extra)})
    result = gongkai("check", str(site), "--date", "2026-11-26")
    out = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in out and "MemoryError" not in out
    found = [ln for ln in result.stdout.splitlines() if ln.startswith("content/")]
    assert len(found) == 1, found  # one message, naming the line and the field
    assert found[0].startswith(f"content/zfb/bomb.md:{line}: ") and message in found[0]


def test_catalog_yaml_with_an_alias_is_refused(tmp_path):
    site = make_site(tmp_path)
    path = site / "catalog" / "site.yml"
    path.write_text(path.read_text(encoding="utf-8") + "extra: &x [*x]\n", encoding="utf-8")
    result = gongkai("check", str(site), "--date", "2026-11-26")
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert "catalog/site.yml:" in result.stdout and "锚点" in result.stdout


@pytest.mark.parametrize("how", ["symlink-content", "symlink-catalog", "site_dir-catalog",
                                 "site_dir-content", "site_dir-dotdot", "site_dir-root"])
def test_the_build_never_writes_into_content_or_catalog(tmp_path, how):
    project = copy_project(tmp_path / "p")
    before = file_digests(project / "content"), file_digests(project / "catalog")
    config = project / "mkdocs.yml"
    kind, target = how.split("-")
    if kind == "symlink":
        os.symlink(target, project / "site")
    else:
        target = {"dotdot": "../p/catalog/annual", "root": "."}.get(target, target)
        config.write_text(config.read_text(encoding="utf-8").replace("site_dir: site", f"site_dir: {target}"),
                          encoding="utf-8")
    built, out = mkdocs_build_here(project)  # the refusal, not the process, is what is tested
    assert not built
    # MkDocs itself refuses a site_dir that contains docs_dir or lies in it; the rest is ours
    assert "输出目录 site_dir" in out or "should not be within" in out
    if how not in ("site_dir-content", "site_dir-root"):
        assert "输出目录 site_dir" in out
    assert (file_digests(project / "content"), file_digests(project / "catalog")) == before


def test_formula_cells_are_neutralised_in_the_csv(tmp_path):
    site_root = make_site(tmp_path, {
        "zfb/a.md": item(title="=HYPERLINK(\"https://evil.example/\",\"点我\")"),
        "zfb/b.md": item(id="002501001/2025-00002", title='"@SUM(1+1)"'),
        "zfb/c.md": item(id="002501001/2025-00003", title="-2+3"),
    })
    site = load_site(site_root, __import__("datetime").date(2026, 11, 26))
    files = {f.src_uri: f for f in render_site(site, "https://www.qinghe.example.gov.cn/xxgk/").files}
    rows = list(csv.reader(io.StringIO(files["catalogue.csv"].content.decode("utf-8-sig"))))
    titles = {r[1] for r in rows[1:]}
    assert titles == {"'=HYPERLINK(\"https://evil.example/\",\"点我\")", "'@SUM(1+1)", "'-2+3"}


def test_author_text_in_the_diff_comment_is_text():
    change = ItemChange("added", "002501001/2025-00001", "关于<!-- 隐藏 -->的[通知](javascript:x)",
                        "content/zfb/a.md", after="public", published="2025-03-02", category="**其他**")
    row = _table([change], "after")[2]
    assert "<!--" not in row and "&lt;!-- 隐藏 --&gt;" in row
    assert "\\[通知\\]" in row and "\\*\\*其他\\*\\*" in row
    line = _problem(Problem("content/zfb/a`b.md", 3, "理由", "例外理由<!-- x -->"))
    assert "<!--" not in line and "`" not in line.split("`", 1)[1].rsplit("`", 1)[0]
