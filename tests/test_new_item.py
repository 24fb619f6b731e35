"""`gongkai new`: the next free 索引号, a file that validates and builds, never an overwrite."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from conftest import BUILD_DATE, copy_project, mkdocs_build
from sitekit import gongkai  # the console's main in this process (test_check_command runs the real one)

from gongkai.pipeline import load_site


def ids_in(project, agency_code: str, year: int) -> list[int]:
    """Sequence numbers written in any item file, read straight from the text."""
    found = []
    for path in (project / "content").rglob("*.md"):
        found += [int(m) for m in re.findall(rf"{agency_code}/{year}-(\d{{5}})", path.read_text(encoding="utf-8"))]
    return found


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "p")


def test_new_item_gets_the_next_id_validates_and_builds(project, tmp_path):
    before = max(ids_in(project, "002501003", 2026))
    result = gongkai("new", "--agency", "青禾县城市管理局", "--category", "xzcf", "--title", "测试处罚决定公开",
                     "--date", "2026-11-20", str(project))
    assert result.returncode == 0, result.stderr
    new_id = f"002501003/2026-{before + 1:05d}"
    path = project / "content" / "cgj" / "2026" / f"{before + 1:05d}.md"
    assert f"已创建 content/cgj/2026/{before + 1:05d}.md，索引号 {new_id}" in result.stdout
    text = path.read_text(encoding="utf-8")
    for label in ("索引号", "标题", "发布机构", "目录", "成文日期", "发布日期", "发文字号", "有效性", "废止日期",
                  "替代文件", "主题分类", "主题词", "内容概述", "公开方式", "公开范围", "公开载体", "解读对象",
                  "审查", "审查人", "审查日期", "审查结果", "公示期", "附件", "草稿"):
        line = next(ln for ln in text.splitlines() if re.match(rf"#?\s*{label}:", ln))
        assert "  # " in line or line.lstrip().startswith("#"), line  # every field carries a comment
    site = load_site(project, dt.date.fromisoformat(BUILD_DATE))  # raises on any error
    made = next(i for i in site.items if i.id == new_id)
    assert made.draft and made.created == dt.date(2026, 11, 20) and made.category.code == "xzcf"
    mkdocs_build(project, tmp_path / "draft-site")
    assert not (tmp_path / "draft-site" / made.url).exists()  # a draft is not published
    # the editor fills in the review and releases it: it is published at its 索引号 URL
    text = text.replace("# 审查:", "审查:").replace("#   审查人: 某某", "  审查人: 赵志强") \
        .replace("#   审查日期: 2026-11-20", "  审查日期: 2026-11-20") \
        .replace("#   审查结果: 同意公开", "  审查结果: 同意公开").replace("草稿: true", "草稿: false")
    path.write_text(text, encoding="utf-8")
    mkdocs_build(project, tmp_path / "site")
    html = (tmp_path / "site" / "items" / "002501003" / f"2026-{before + 1:05d}" / "index.html").read_text(encoding="utf-8")
    assert f"<td>{new_id}</td>" in html and "测试处罚决定公开" in html


def test_drafts_and_broken_files_reserve_their_ids(project):
    (project / "content" / "cgj" / "2026" / "draft.md").write_text(
        "---\n索引号: 002501003/2026-00040\n标题: 草稿\n草稿: true\n---\n", encoding="utf-8")
    (project / "content" / "cgj" / "2026" / "broken.md").write_text(
        "---\n索引号: 002501003/2026-00041\n标题: [未闭合\n---\n", encoding="utf-8")
    result = gongkai("new", "--agency", "cgj", "--category", "xzcf", "--date", "2026-03-01", str(project))
    assert result.returncode == 0, result.stderr
    assert "索引号 002501003/2026-00042" in result.stdout
    # another year starts again at 1; another agency has its own sequence
    result = gongkai("new", "--agency", "cgj", "--category", "xzcf", "--date", "2031-01-05", str(project))
    assert "索引号 002501003/2031-00001" in result.stdout


def test_an_id_is_never_reused_after_its_file_is_deleted(project):
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    gone = project / "content" / "xczx" / "2026" / "gone.md"
    gone.write_text("---\n索引号: 002501002/2026-00077\n标题: 已删除\n草稿: true\n---\n", encoding="utf-8")
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "add"], check=True)
    gone.unlink()
    subprocess.run(git + ["commit", "-qam", "delete"], check=True)
    result = gongkai("new", "--agency", "002501002", "--category", "fpgz", "--date", "2026-05-06", str(project))
    assert "索引号 002501002/2026-00078" in result.stdout, result.stdout + result.stderr


def test_new_never_overwrites_an_existing_file(project):
    before = max(ids_in(project, "002501004", 2026))
    target = project / "content" / "cgjd" / "2026" / f"{before + 1:05d}.md"
    target.write_text("not an item yet, but mine\n", encoding="utf-8")
    result = gongkai("new", "--agency", "cgjd", "--category", "gzdt", "--date", "2026-06-01", str(project))
    assert result.returncode == 1
    assert f"content/cgjd/2026/{before + 1:05d}.md 已存在，没有覆盖" in result.stderr
    assert target.read_text(encoding="utf-8") == "not an item yet, but mine\n"


def test_unknown_agency_or_category_is_refused_in_chinese(project):
    result = gongkai("new", "--agency", "青禾县教育局", "--category", "xzcf", str(project))
    assert result.returncode == 1 and "发布机构“青禾县教育局”未在 catalog/agencies.yml 中定义" in result.stderr
    result = gongkai("new", "--agency", "cgj", "--category", "nosuch", str(project))
    assert result.returncode == 1 and "目录代码“nosuch”未在 catalog/categories.yml 中定义" in result.stderr
