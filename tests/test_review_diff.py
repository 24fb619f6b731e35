"""``gongkai diff`` on temporary git repositories: what a reviewer's comment says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sitekit import commit, git, gongkai, init_repo, item, make_site, write

A = "zfb/2025/planting.md"
B = "zfb/2025/fire.md"
ID_A = "002501001/2025-00001"
ID_B = "002501001/2025-00002"


def diff(site: Path, *args: str, fmt: str = "markdown", received: str | None = None) -> tuple[int, str]:
    """``received``: the day the forge received the change (default: --date, today)."""
    at = ["--received-at", f"{received}T10:00:00+08:00"] if received else []
    result = gongkai("diff", *args, "--path", str(site), "--format", fmt, "--date", "2026-11-26", *at)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, result.stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """Two published items committed on 2025-03-05: the base of every scenario."""
    site = make_site(tmp_path / "repo", {
        A: item(ID_A, "关于开展春季植树活动的通知"),
        B: item(ID_B, "关于做好秋季防火工作的通告", body="各村（社区）：\n\n严禁野外用火。\n"),
    })
    init_repo(site)
    commit(site, "两条通知", date="2025-03-05")
    git(site, "tag", "base")
    return site


def test_add_change_repeal_and_delete_across_commits(repo):
    write(repo, A, item(ID_A, "关于开展春季植树活动的通知（修订）", category="gzdt",
                        extra="有效性: 废止\n废止日期: 2026-01-01\n",
                        body="正文第一段。\n\n正文第二段，补充了报名方式。\n"))
    commit(repo, "废止植树通知", date="2026-11-10")
    (repo / "content" / B).unlink()
    write(repo, "zfb/2026/new.md", item("002501001/2026-00001", "关于开展冬季安全检查的通知",
                                        created="2026-11-18", published="2026-11-20"))
    head = commit(repo, "新增冬季通知，删除防火通告", date="2026-11-20")

    code, out = diff(repo, "base", "HEAD", received="2026-11-20")
    assert code == 0, out
    # a commit is named by its id (shown short), the work tree as 工作区
    assert out.startswith(f"<!-- gongkai-diff -->\n## 信息公开变更报告：base → {head[:12]}\n")
    assert "本次变更：新增 1 条、修改 1 条、删除 1 条；合并后新公开 1 条，撤下 1 条。" in out
    assert "**✅ 没有发现必须解决的问题。**" in out
    assert ("| 002501001/2026-00001 | 关于开展冬季安全检查的通知 | 其他文件（qtwj） | 2026-11-20 | 公开 |"
            in out)
    assert "#### 002501001/2025-00001 关于开展春季植树活动的通知（修订）" in out
    assert "- 标题：关于开展春季植树活动的通知 → 关于开展春季植树活动的通知（修订）" in out
    assert "- 目录：qtwj（其他文件） → gzdt（工作动态）" in out
    assert "- 有效性：有效 → **废止**" in out
    assert "- 废止日期：（无） → **2026-01-01**" in out
    assert "-正文第二段。\n+正文第二段，补充了报名方式。" in out
    assert "| 002501001/2025-00002 | 关于做好秋季防火工作的通告 | 其他文件（qtwj） | 2025-03-02 | 公开 |" in out
    assert ("删除了已公开的条目“关于做好秋季防火工作的通告”（002501001/2025-00002）：网页将消失。"
            "文件不再有效时，通常应把有效性改为废止或失效并保留网页") in out

    code, text = diff(repo, "base", "HEAD", fmt="json", received="2026-11-20")
    report = json.loads(text)
    assert report["ok"] is True
    assert report["head"] == head
    assert report["summary"] == {"blocking_total": 0, "added": 1, "changed": 1, "removed": 1,
                                 "newly_public": 1, "withdrawn": 1, "confirm": 0, "files": 0}
    changed = next(c for c in report["changes"] if c["kind"] == "changed")
    assert {f["label"]: (f["old"], f["new"]) for f in changed["fields"]} == {
        "标题": ("关于开展春季植树活动的通知", "关于开展春季植树活动的通知（修订）"),
        "目录": ("qtwj（其他文件）", "gzdt（工作动态）"),
        "有效性": ("有效", "废止"),
        "废止日期": (None, "2026-01-01"),
    }


def test_work_tree_is_the_default_head_and_drafting_withdraws(repo):
    write(repo, A, item(ID_A, "关于开展春季植树活动的通知", extra="草稿: true\n"))
    code, out = diff(repo, "base")
    assert code == 0
    assert "## 信息公开变更报告：base → 工作区" in out
    assert "合并后新公开 0 条，撤下 1 条。" in out
    assert "- 状态：公开 → **草稿**" in out
    assert "- 草稿：false → true" in out


def test_back_dated_item_is_flagged_unless_imported(repo):
    write(repo, "zfb/2025/old.md", item("002501001/2025-00003", "关于春耕生产的通知",
                                        created="2025-02-20", published="2025-02-25"))
    commit(repo, "补录一条", date="2026-11-20")
    code, out = diff(repo, "base", "HEAD", received="2026-11-20")
    assert code == 1
    assert ("- `content/zfb/2025/old.md:7` 发布日期：新增条目的发布日期 2025-02-25 早于它加入仓库的日期 "
            "2026-11-20，属于倒签（检查中按造假处理）") in out
    assert "**❌ 有 1 个问题必须在合并前解决。**" in out

    write(repo, "zfb/2025/old.md", item("002501001/2025-00003", "关于春耕生产的通知", created="2025-02-20",
                                        published="2025-02-25", extra="历史导入: true\n"))
    commit(repo, "标为历史导入", date="2026-11-21")
    code, out = diff(repo, "base", "HEAD", received="2026-11-21")
    # not back-dating, but only an agency reviewer may say an item is imported
    assert code == 1, out
    assert "倒签" not in out
    assert ("### 需审查人确认（1）" in out and "- ❌ `content/zfb/2025/old.md:8` 历史导入：002501001/2025-00003 "
            "关于春耕生产的通知：标为从旧网站迁移的历史信息（发布日期 2025-02-25）") in out
    assert "**❌ 有 1 个问题必须在合并前解决。**" in out


def test_back_dating_in_the_work_tree_is_measured_against_today(repo):
    write(repo, "zfb/2026/late.md", item("002501001/2026-00005", "关于冬季供暖的通知",
                                         created="2026-11-20", published="2026-11-25"))
    code, out = diff(repo, "base")  # --date 2026-11-26 stands for today
    assert code == 1
    assert "新增条目的发布日期 2026-11-25 早于它加入仓库的日期 2026-11-26" in out
    write(repo, "zfb/2026/late.md", item("002501001/2026-00005", "关于冬季供暖的通知",
                                         created="2026-11-20", published="2026-11-26"))
    assert diff(repo, "base")[0] == 0


def test_changed_id_is_an_error(repo):
    write(repo, A, item("002501001/2025-00009", "关于开展春季植树活动的通知"))
    commit(repo, "改了索引号", date="2026-11-20")
    code, out = diff(repo, "base", "HEAD")
    assert code == 1
    assert ("- `content/zfb/2025/planting.md:2` 索引号：索引号由“002501001/2025-00001”改为“002501001/2025-00009”："
            "索引号一经使用不得修改，请改回原索引号") in out


def test_changed_id_with_a_move_is_still_an_error(repo):
    (repo / "content" / A).unlink()
    write(repo, "zfb/2025/moved.md", item("002501001/2025-00009", "关于开展春季植树活动的通知"))
    commit(repo, "挪动并改号", date="2026-11-20")
    code, out = diff(repo, "base", "HEAD")
    assert code == 1
    assert "索引号由“002501001/2025-00001”改为“002501001/2025-00009”" in out
    assert "删除的条目" not in out


def test_reused_id_is_an_error(repo):
    (repo / "content" / B).unlink()
    commit(repo, "删除防火通告", date="2026-11-01")
    git(repo, "tag", "after-delete")
    write(repo, "zfb/2026/other.md", item(ID_B, "关于征集民生实事项目的公告", created="2026-11-19",
                                          published="2026-11-20"))
    commit(repo, "新公告沿用旧号", date="2026-11-20")
    code, out = diff(repo, "after-delete", "HEAD")
    assert code == 1
    assert ("- `content/zfb/2026/other.md:2` 索引号：索引号“002501001/2025-00002”以前用过"
            "（原为“关于做好秋季防火工作的通告”），后来被删除：索引号不得复用，请另编新号") in out


def test_restoring_a_deleted_item_under_its_own_id_is_not_reuse(repo):
    (repo / "content" / B).unlink()
    commit(repo, "误删防火通告", date="2026-11-01")
    git(repo, "tag", "after-delete")
    git(repo, "checkout", "-q", "base", "--", "content/" + B)
    code, out = diff(repo, "after-delete")
    assert code == 0, out
    assert "- `content/zfb/2025/fire.md` 索引号：恢复了以前删除的条目“关于做好秋季防火工作的通告”（002501001/2025-00002）" in out


def test_id_taken_over_by_another_document_is_an_error(repo):
    (repo / "content" / B).unlink()
    write(repo, "zfb/2026/other.md", item(ID_B, "关于征集民生实事项目的公告", created="2025-12-20",
                                          published="2026-11-20"))
    commit(repo, "换了一份文件", date="2026-11-20")
    code, out = diff(repo, "base", "HEAD")
    assert code == 1
    assert "索引号“002501001/2025-00002”原属 content/zfb/2025/fire.md（关于做好秋季防火工作的通告），现被另一份文件使用" in out


def test_personal_data_and_html_findings_and_exceptions_show(repo):
    exception = "个人信息例外:\n  号码: [13907450001]\n  理由: 村委会对外公布的办公电话\n"
    write(repo, "zfb/2026/contact.md", item("002501001/2026-00002", "关于公布村委会联系方式的公告",
                                            created="2026-11-26", published="2026-11-26", extra=exception,
                                            body="村委会电话 13907450001。\n"))
    code, out = diff(repo, "base")
    assert code == 1, out  # a mobile is never an exception, whoever writes it (issue 25)
    assert ("- `content/zfb/2026/contact.md:9` 个人信息例外：手机号（139\\*\\*\\*\\*0001）不能作为个人信息例外公开"
            ) in out
    (repo / "content/zfb/2026/contact.md").unlink()
    write(repo, B, item(ID_B, "关于做好秋季防火工作的通告",
                        body="各村（社区）：\n\n严禁野外用火。举报电话 13812345678。\n<p onclick=\"x()\">说明</p>\n"))
    code, out = diff(repo, "base")
    assert code == 1
    # author text and messages are shown as text: Markdown and HTML characters escaped
    assert ("- ❌ `content/zfb/2025/fire.md:15` 正文：含有未脱敏的手机号（138\\*\\*\\*\\*5678）：公开前应脱敏") in out
    assert "- ❌ `content/zfb/2025/fire.md:16` 正文：&lt;p&gt; 标签带有事件处理属性 onclick" in out
    # the comment must not repeat the number it warns about, not even in the body diff
    assert "13812345678" not in out
    assert "+严禁野外用火。举报电话 138****5678。" in out
    # each finding once: not again under "本次引入的错误"
    assert "本次引入的错误" not in out


def test_problems_introduced_and_fixed(repo):
    write(repo, A, item(ID_A, "关于开展春季植树活动的通知", extra="发文字号: 青政办发[2025]3号\n"))
    commit(repo, "写错发文字号", date="2026-11-10")
    git(repo, "tag", "broken")
    code, out = diff(repo, "base", "broken")
    assert code == 1
    assert "### 本次引入的错误（1）" in out
    assert "`content/zfb/2025/planting.md:8` 发文字号：" in out
    write(repo, A, item(ID_A, "关于开展春季植树活动的通知", extra="发文字号: 青政办发〔2025〕3号\n"))
    commit(repo, "改正", date="2026-11-11")
    code, out = diff(repo, "broken", "HEAD")
    assert code == 0
    assert "本次变更还解决了 1 个原有问题。" in out
    assert "- 发文字号：青政办发\\[2025\\]3号 → 青政办发〔2025〕3号" in out


def test_site_in_a_subfolder_of_the_repository(tmp_path):
    top = tmp_path / "top"
    site = make_site(top / "xxgk", {A: item(ID_A, "关于开展春季植树活动的通知")})
    init_repo(top)
    commit(top, "一条", date="2025-03-05")
    write(site, A, item(ID_A, "关于开展春季植树活动的通知", extra="有效性: 失效\n废止日期: 2026-06-30\n"))
    commit(top, "失效", date="2026-07-01")
    code, out = diff(site, "HEAD~1", "HEAD")
    assert code == 0, out
    assert "- 有效性：有效 → **失效**" in out


def test_usage_errors_exit_2(repo, tmp_path):
    result = gongkai("diff", "no-such-branch", "--path", str(repo))
    assert result.returncode == 2
    assert "找不到 git 版本“no-such-branch”" in result.stderr
    plain = make_site(tmp_path / "plain")
    result = gongkai("diff", "HEAD", "--path", str(plain))
    assert result.returncode == 2
    assert "不在 git 仓库中" in result.stderr


def test_attachments_the_guards_cannot_read_are_pointed_out(repo):
    from attachment_files import PNG

    write(repo, A, item(ID_A, "关于开展春季植树活动的通知",
                        extra="附件:\n  - 文件: 报名表.png\n    人工审查:\n      审查人: 王丽\n"
                              "      理由: 已逐张核对，无个人信息\n  - 文件: 名单.csv\n"))
    write(repo, "zfb/2025/报名表.png", PNG)
    write(repo, "zfb/2025/名单.csv", "序号,姓名\n1,王*英\n")
    code, out = diff(repo, "base")
    assert code == 1, out
    assert ("- ❌ `content/zfb/2025/planting.md:8` 人工审查：002501001/2025-00001 关于开展春季植树活动的通知："
            "附件 报名表.png：审查人 王丽，理由：已逐张核对，无个人信息") in out
    assert "- 新增附件 报名表.png" in out and "- 新增附件 名单.csv" in out
    assert ("- `content/zfb/2025/报名表.png` 这个附件的内容无法自动检查个人信息（能读取文字的只有 PDF、OFD、Word、WPS、"
            "Excel、CSV、TXT、ZIP），请审查人打开核对是否含有未脱敏的身份证号、手机号、银行卡号") in out
    assert "理由：附件“报名表.png”经人工审查（王丽）：已逐张核对，无个人信息" in out
    assert "名单.csv` 这个附件" not in out
    commit(repo, "附件", date="2026-11-20")
    write(repo, "zfb/2025/名单.csv", "序号,姓名\n1,王*英\n2,李*根\n")
    code, out = diff(repo, "HEAD")
    assert "- 附件 名单.csv 的内容已更换" in out
    assert "报名表.png` 这个附件" not in out  # unchanged since HEAD: nothing new to look at
