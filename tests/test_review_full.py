"""The reviewer sees a new item in full, a text attachment's changes, one total of blocking
problems, author text as text; the diff JSON follows its published schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from sitekit import ROOT, commit, git, gongkai, init_repo, item, make_site, write

SCHEMA = json.loads((ROOT / "hooks/gongkai/schemas/diff.schema.json").read_text(encoding="utf-8"))
NEW = "zfb/2026/notice.md"
NEW_ID = "002501001/2026-00001"


def diff(site: Path, *args: str, fmt: str = "markdown", received: str | None = None) -> tuple[int, str]:
    """``received``: the day the forge received the change (default: --date, today)."""
    at = ["--received-at", f"{received}T10:00:00+08:00"] if received else []
    result = gongkai("diff", *args, "--path", str(site), "--format", fmt, "--date", "2026-11-26", *at)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, result.stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    site = make_site(tmp_path / "repo", {"zfb/2025/a.md": item()})
    init_repo(site)
    commit(site, "一条通知", date="2025-03-05")
    git(site, "tag", "base")
    return site


def _new_item(repo: Path, roster: str = "姓名,村\n张三,东村\n") -> None:
    extra = ("公示期:\n  开始: 2026-11-20\n  结束: 2026-11-27\n"
             "附件:\n  - 文件: 名单.csv\n    名称: 公示名单\n  - 文件: 说明.txt\n")
    write(repo, NEW, item(NEW_ID, "关于<b>低保</b>对象的公示", created="2026-11-19", published="2026-11-20",
                          extra=extra, body="现将名单公示如下。\n\n<script>alert(1)</script>\n"))
    write(repo, "zfb/2026/名单.csv", roster)
    write(repo, "zfb/2026/说明.txt", "公示期内可提出异议。\n")


def test_a_new_item_is_shown_in_full_with_its_text_escaped(repo):
    _new_item(repo)
    head = commit(repo, "新增公示", date="2026-11-20")
    code, out = diff(repo, "base", "HEAD")
    assert f"## 信息公开变更报告：base → {head[:12]}" in out
    assert f"#### {NEW_ID} 关于&lt;b&gt;低保&lt;/b&gt;对象的公示" in out
    assert "<b>" not in out  # author HTML is shown as text, never passed on
    assert "- 审查：审查人: 王丽，审查日期: 2026-11-20，审查结果: 同意公开" in out
    assert "- 公示期：开始: 2026-11-20，结束: 2026-11-27" in out
    assert "- 新增附件 名单.csv" in out and "- 新增附件 说明.txt" in out
    assert "<details><summary>正文</summary>\n\n```markdown\n现将名单公示如下。\n\n<script>alert(1)</script>\n```" \
        in out  # the body inside a code block: shown, not run
    report = json.loads(diff(repo, "base", "HEAD", fmt="json")[1])
    jsonschema.validate(report, SCHEMA)
    (added,) = [c for c in report["changes"] if c["kind"] == "added"]
    assert added["attachments"] == ["新增附件 名单.csv", "新增附件 说明.txt"]
    assert added["body"] == ["现将名单公示如下。", "", "<script>alert(1)</script>"]
    assert report["head"] == head


def test_a_replaced_text_attachment_shows_its_changes_and_the_work_tree_is_named(repo):
    _new_item(repo)
    commit(repo, "新增公示", date="2026-11-20")
    git(repo, "tag", "v1")
    write(repo, "zfb/2026/名单.csv", "姓名,村\n张三,东村\n李四,西村\n")
    code, out = diff(repo, "v1")
    assert "## 信息公开变更报告：v1 → 工作区" in out
    assert "- 附件 名单.csv 的内容已更换" in out
    assert "<details><summary>附件 名单.csv 的改动</summary>\n\n```diff\n+李四,西村\n```" in out
    report = json.loads(diff(repo, "v1", fmt="json")[1])
    jsonschema.validate(report, SCHEMA)
    assert report["head"] == "工作区"
    (changed,) = report["changes"]
    assert changed["attachment_diffs"] == {"名单.csv": ["+李四,西村"]}


def test_blocking_problems_are_counted_once(repo):
    _new_item(repo)
    write(repo, "zfb/2026/b.md", item("002501001/2026-00002", "二", created="2026-11-19", published="2026-11-20",
                                      category="nope"))
    commit(repo, "两条", date="2026-11-20")
    code, out = diff(repo, "base", "HEAD")
    report = json.loads(diff(repo, "base", "HEAD", fmt="json")[1])
    jsonschema.validate(report, SCHEMA)
    total = report["summary"]["blocking_total"]
    listed = len(report["confirm"]) + len(report["blocking"]) \
        + sum(p["severity"] == "error" for p in report["introduced"]) + sum(g["exempt"] is None for g in report["guards"])
    assert code == 1 and total == listed >= 1
    assert out.count(f"**❌ 有 {total} 个问题必须在合并前解决。**") == 1


def test_a_link_the_build_would_refuse_blocks_the_review(repo):
    write(repo, NEW, item(NEW_ID, "关于名单的公示", created="2026-11-19", published="2026-11-20",
                          body="详见[名单](名单.xlsx)。\n"))
    commit(repo, "新增", date="2026-11-20")
    code, out = diff(repo, "base", "HEAD", received="2026-11-20")
    assert code == 1
    assert ("- `content/zfb/2026/notice.md:13` 正文：链接“名单.xlsx”指向的附件“名单.xlsx”不在 002501001/2026-00001 "
            "的附件列表中（已列：无）：请把文件放在条目旁并写入“附件”，否则不会发布") in out
    assert "**❌ 有 1 个问题必须在合并前解决。**" in out
