"""Issue 27: every problem of a file in the first run of ``check`` (no rounds), and every
suggested fix, followed literally, gives a file that passes and publishes what was meant."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import BUILD_DATE, ROOT
from itemfactory import GOOD, new_repo, problems_for, replace, write

from gongkai.annual.narrative import literal_conflicts
from gongkai.annual.register_rows import RowError, outcome_key
from gongkai.author.new import create
from gongkai.load.body_style import check_body
from gongkai.pipeline import load_site
from gongkai.problems import Problem, Problems
from mkdocs_preview import server as preview_server

TODAY = dt.date(2026, 11, 26)
ITEM = "content/xczx/1.md"


@pytest.fixture
def repo(tmp_path):
    return new_repo(tmp_path)


def errors_of(root: Path, file: str | None = None) -> list[Problem]:
    return [p for p in problems_for(root, TODAY) if p.severity == "error" and (file is None or p.file == file)]


def fixed_line(message: str) -> str:
    """The line a message says to write (``写成“…”``), as the editor copies it."""
    return re.search(r"写成“(.+?)”(?:，|$)", message)[1]


def apply_line(path: Path, line: int, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = new
    path.write_text("\n".join(lines), encoding="utf-8")


def assert_once_each(found: list[Problem]) -> None:
    counts = Counter((p.file, p.line, p.field, p.message) for p in found)
    assert [k for k, n in counts.items() if n > 1] == []


# --- 1. one round per file kind --------------------------------------------------------------

def test_a_plain_item_with_seven_mistakes_gets_seven_messages_in_one_run(repo):
    write(repo, "xczx/0.md", GOOD)
    text = replace(GOOD, "标题: ", "标题：")                                    # 1 YAML slip
    text = replace(text, "目录: gfxwj", "目录: nosuch")                         # 2 unknown 目录
    text = replace(text, "发布日期: 2025-03-18", "发布日期: 2025-3-18")          # 3 date form
    text = replace(text, "审查:\n  审查人: 王丽\n  审查日期: 2025-03-17\n  审查结果: 同意公开\n",
                   "替代文件: 002501002/2025-00099\n"                           # 4 no such item
                   "附件:\n  - 文件: 没有这个.pdf\n")                            # 5 missing file, 6 no review
    write(repo, "xczx/1.md", text)                                             # 7 索引号 of 0.md repeated
    found = errors_of(repo)
    assert_once_each(found)
    assert [(p.line, p.field) for p in found] == [
        (2, "审查"), (2, "索引号"), (3, "标题"), (5, "目录"), (7, "发布日期"), (11, "替代文件"), (13, "附件")]
    assert {p.file for p in found} == {ITEM}
    assert "与 content/xczx/0.md 重复" in found[1].message
    assert "“002501002/2025-00099”不存在" in found[5].message


def test_check_reports_a_broken_body_link_with_the_front_matter_mistakes(repo):
    from sitekit import gongkai

    write(repo, "xczx/名单.csv", "姓名\n")
    text = replace(GOOD, "发布日期: 2025-03-18", "发布日期: 2025-3-18")
    text = replace(text, "审查:", "附件:\n  - 文件: 名单.csv\n审查:")
    text += "\n见[名单](名单.csv)和[原文](../2025-00099/index.md)，[表](表.xlsx)。\n"
    write(repo, "xczx/1.md", text)
    result = gongkai("check", str(repo), "--date", "2026-11-26")
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith(ITEM)]
    assert lines == [
        f"{ITEM}:7: 发布日期: 日期“2025-3-18”应写成 YYYY-MM-DD，例如“2025-03-18”",
        f"{ITEM}:21: 正文: 链接“../2025-00099/index.md”无法打开：网站上没有“items/002501002/2025-00099/index.md”",
        f"{ITEM}:21: 正文: 链接“表.xlsx”指向的附件“表.xlsx”不在本条目的附件列表中（已列：名单.csv）："
        "请把文件放在条目旁并写入“附件”，否则不会发布",
    ]


def test_an_interpretation_with_four_mistakes_gets_four_messages_and_each_fix_works(repo):
    write(repo, "xczx/0.md", GOOD)  # the policy, 发文字号 青乡振发〔2025〕4号
    other = replace(GOOD, "002501002/2025-00007", "002501002/2025-00009")
    write(repo, "xczx/05.md", replace(other, "〔2025〕4号", "〔2025〕5号"))
    text = replace(GOOD, "002501002/2025-00007", "002501002/2025-00009")    # 1 索引号 of 05.md
    text = replace(text, "标题: 青禾县", '标题: "青禾县"')                      # 2 quote slip
    text = replace(text, "目录: gfxwj", "目录: zcjd")
    text = replace(text, "发文字号: 青乡振发〔2025〕4号\n", "解读对象: 青乡振发〔2025〕4号\n")  # 3 a 发文字号
    text = replace(text, "审查:\n  审查人: 王丽\n  审查日期: 2025-03-17\n  审查结果: 同意公开\n", "")  # 4 no review
    path = write(repo, "xczx/1.md", text)
    found = errors_of(repo)
    assert_once_each(found)
    assert [p.field for p in found] == ["审查", "索引号", "标题", "解读对象"]
    review, repeated, title, interprets = found
    # each hint followed literally
    free = re.search(r"下一个未用的索引号是“(.+?)”", repeated.message)[1]
    assert free == "002501002/2025-00010"
    apply_line(path, repeated.line, f"索引号: {free}")
    apply_line(path, title.line, fixed_line(title.message))
    assert "其索引号是“002501002/2025-00007”" in interprets.message and "content/xczx/0.md" in interprets.message
    apply_line(path, interprets.line, fixed_line(interprets.message))
    assert "“草稿: true”" in review.message
    path.write_text(path.read_text(encoding="utf-8").replace("---\n\n", "草稿: true\n---\n\n", 1), encoding="utf-8")
    assert errors_of(repo) == []
    site = load_site(repo, TODAY, Problems(), judge_markup=False)
    item = next(i for i in site.items if i.source == ITEM)
    assert (item.id, item.title, item.interprets, item.draft) == (
        free, '"青禾县"乡村振兴局关于印发补助资金管理办法的通知', "002501002/2025-00007", True)


def test_a_catalog_file_with_four_mistakes_gets_four_messages(repo):
    agencies = repo / "catalog/agencies.yml"
    text = agencies.read_text(encoding="utf-8")
    text = text.replace("    slug: zfb\n", "    slug: zfb\n    slog: x\n", 1)                 # unknown key
    text = text.replace("    kind: 部门\n", "    kind: 部委\n", 1)                             # bad value
    text = text.replace("    email: zfb@", "    email：zfb@", 1)                               # YAML slip
    text = text.replace("    name: 青禾县乡村振兴局", "    name：青禾县乡村振兴局", 1)           # YAML slip on a required key
    agencies.write_text(text, encoding="utf-8")
    found = errors_of(repo)
    assert_once_each(found)
    assert {p.file for p in found} == {"catalog/agencies.yml"}
    messages = [p.message for p in found]
    assert len(found) == 4, messages
    assert "未知字段“slog”，是不是“slug”？" in messages[0]
    assert "“email”后面的冒号是中文（全角）冒号" in messages[1]
    assert "“name”后面的冒号是中文（全角）冒号" in messages[2]  # and not also "缺少必填字段"
    assert "机构类型“部委”不在可选范围内" in messages[3]


# --- 2. hints followed literally -------------------------------------------------------------

def test_the_quoting_fix_in_a_new_file_leaves_the_template_comment_out_of_the_title(repo):
    made = create(repo, "xczx", "gzdt", None, dt.date(2025, 12, 1))
    text = made.path.read_text(encoding="utf-8")
    text = re.sub(r"^标题: （请填写标题）", '标题: "冬季送温暖"活动在全县启动', text, count=1, flags=re.M)
    made.path.write_text(text, encoding="utf-8")
    rel = made.path.relative_to(repo).as_posix()
    [slip] = errors_of(repo, rel)
    assert fixed_line(slip.message) == "标题: '\"冬季送温暖\"活动在全县启动'"
    apply_line(made.path, slip.line, fixed_line(slip.message))
    assert errors_of(repo) == []
    site = load_site(repo, TODAY, Problems(), judge_markup=False)
    assert next(i for i in site.items if i.source == rel).title == '"冬季送温暖"活动在全县启动'


@pytest.mark.parametrize("written", ["002501001/2019-00007", "2025-7"])
def test_a_wrong_index_number_names_the_next_free_one_and_it_passes(repo, written):
    write(repo, "xczx/0.md", GOOD)
    path = write(repo, "xczx/1.md", replace(GOOD, "002501002/2025-00007", written))
    [error] = errors_of(repo)
    assert (error.file, error.line, error.field) == (ITEM, 2, "索引号")
    free = re.search(r"本机构 2025 年下一个未用的索引号是“(.+?)”，请改用它$", error.message)[1]
    apply_line(path, error.line, f"索引号: {free}")
    assert errors_of(repo) == []
    assert {i.id for i in load_site(repo, TODAY, Problems(), judge_markup=False).items} == {
        "002501002/2025-00007", "002501002/2025-00008"}


def test_an_empty_attachment_list_followed_by_entries_gets_one_right_message(repo):
    write(repo, "xczx/名单.csv", "姓名,金额\n")
    path = write(repo, "xczx/1.md", replace(GOOD, "审查:", "附件: []\n  - 文件: 名单.csv\n    名称: 名单\n审查:"))
    [slip] = errors_of(repo)
    assert (slip.line, slip.field) == (11, "附件")
    assert "只写“附件:”" in slip.message
    apply_line(path, slip.line, "附件:")
    assert errors_of(repo) == []
    site = load_site(repo, TODAY, Problems(), judge_markup=False)
    assert [a.file for a in site.items[0].attachments] == ["名单.csv"]


def test_an_unknown_column_lists_the_columns_and_a_listed_name_passes(repo):
    path = write(repo, "xczx/1.md", replace(GOOD, "目录: gfxwj", "目录: xyz"))
    [error] = errors_of(repo)
    listed = re.findall(r"(\w+)（([^）]+)）", error.message.split("可用", 1)[1])
    site_columns = load_site(ROOT, dt.date.fromisoformat(BUILD_DATE), Problems(), judge_markup=False).category_by_code
    assert {code for code, _ in listed} == set(site_columns)
    assert ("gfxwj", "行政规范性文件") in listed
    path.write_text(replace(path.read_text(encoding="utf-8"), "目录: xyz", "目录: 行政规范性文件"),
                    encoding="utf-8")
    assert errors_of(repo) == []


def test_the_outcome_hint_names_the_outcome_meant():
    with pytest.raises(RowError) as caught:
        outcome_key("已公开")
    suggested = re.search(r"是不是“(.+?)”", str(caught.value.args))[1]
    assert suggested == "予以公开"
    assert outcome_key(suggested) == outcome_key("予以公开")
    with pytest.raises(RowError) as caught:
        outcome_key("部分已公开")
    assert "是不是“部分公开”" in str(caught.value.args)
    with pytest.raises(RowError) as caught:  # a negation names none of the outcomes for sure
        outcome_key("不公开")
    assert "是不是" not in str(caught.value.args)


def test_a_narrative_number_about_something_else_can_be_kept_as_written():
    cells = {"三.一": 40}
    text = "其中县民政局收到申请3件。"  # one office's own count, not the county's 40
    [message] = literal_conflicts(text, cells)
    assert "{{ 三.一 }}" in message and "{{= 3 }}" in message
    # either way of writing it passes: the table's figure, or the narrative's own number
    assert literal_conflicts(text.replace("3件", "{{ 三.一 }}件"), cells) == []
    assert literal_conflicts(text.replace("3件", "{{= 3 }}件"), cells) == []


# --- 3. Word paste structure -------------------------------------------------------------------

PASTED = "前言。\n\n一、总体要求\n（一）工作目标\n第一段结束。\n第二段开始。\n\n姓名\t电话\n张三\t0571-65000001\n\n| 项目 | 金额 |\n| 补助 | 2 |\n"
FIXED = ("前言。\n\n## 一、总体要求\n\n### （一）工作目标\n\n第一段结束。\n\n第二段开始。\n\n"
         "| 姓名 | 电话 |\n|---|---|\n| 张三 | 0571-65000001 |\n\n| 项目 | 金额 |\n|---|---|\n| 补助 | 2 |\n")


def test_a_word_paste_gets_a_warning_per_lost_structure_with_the_fix():
    found = Problems()
    check_body(PASTED, 10, ITEM, found)
    assert [(p.line, p.severity) for p in found.items] == [
        (15, "warning"), (12, "warning"), (13, "warning"), (17, "warning"), (20, "warning")]
    messages = [p.message for p in found.items]
    assert "段落之间请空一行" in messages[0]
    assert "请在行首加“## ”" in messages[1] and "请在行首加“### ”" in messages[2]
    assert "|---|---|" in messages[3] and "|---|---|" in messages[4]
    fixed = Problems()
    check_body(FIXED, 10, ITEM, fixed)
    assert fixed.items == []


def test_the_fixed_paste_publishes_headings_paragraphs_and_tables():
    import markdown

    html = markdown.markdown(FIXED, extensions=["tables"])
    assert "<h2>一、总体要求</h2>" in html and "<h3>（一）工作目标</h3>" in html
    assert "<p>第一段结束。</p>" in html and html.count("<table>") == 2


# --- 4. scheduled items ----------------------------------------------------------------------

def test_check_names_the_scheduled_items_in_its_summary(repo):
    write(repo, "xczx/1.md", GOOD)
    later = replace(replace(GOOD, "002501002/2025-00007", "002501002/2026-00001"), "发布日期: 2025-03-18",
                    "发布日期: 2026-11-27")
    write(repo, "xczx/2.md", replace(later, "审查日期: 2025-03-17", "审查日期: 2026-11-25"))
    from sitekit import gongkai

    result = gongkai("check", str(repo), "--date", "2026-11-26")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "定时发布：1 个条目到发布日期才出现在网站上：" in result.stdout
    assert "  content/xczx/2.md：将于 2026-11-27 发布（青禾县乡村振兴局关于印发补助资金管理办法的通知）" in result.stdout


def test_a_scheduled_item_is_in_the_preview_model_with_its_banner_only(repo):
    from gongkai.render.pages import preview_notice

    later = replace(GOOD, "发布日期: 2025-03-18", "发布日期: 2026-11-27")
    write(repo, "xczx/1.md", replace(later, "索引号: 002501002/2025-00007", "索引号: 002501002/2026-00007"))
    published = load_site(repo, TODAY, Problems(), judge_markup=False)
    assert published.public_items == []
    preview = load_site(repo, TODAY, Problems(), judge_markup=False, preview=True)
    [item] = preview.public_items
    assert preview_notice(item, TODAY) == "定时发布：将于 2026-11-27 发布，此前仅预览可见"
    assert preview_notice(item, dt.date(2026, 11, 27)) is None


# --- 6. the preview's problem page -----------------------------------------------------------

def test_the_problem_page_puts_the_saved_file_first_counts_what_it_lists_and_folds_the_rest():
    problems = [
        Problem("content/zfb/a.md", 3, "标题", "别的文件的错误"),
        Problem("content/cgj/b.md", 7, "发布日期", "别的机构的警告", "warning"),
        Problem("content/xczx/1.md", 5, "目录", "刚保存的文件的错误"),
        Problem("content/xczx/1.md", 9, "正文", "刚保存的文件的警告", "warning"),
    ]
    page = preview_server.problem_page(problems, 1, {"content/xczx/1.md"}).decode()
    assert "<h1>预览未能更新：发现 2 个错误、1 个警告</h1>" in page
    listed, folded = page.split("<details>")
    items = re.findall(r"<li><code>(.+?)</code></li>", listed)
    assert [i.split(":")[0] for i in items] == ["content/xczx/1.md", "content/xczx/1.md", "content/zfb/a.md"]
    assert len(items) == 3  # the heading counts exactly the list
    assert "其他文件的 1 个警告" in folded and "别的机构的警告" in folded


# --- 5. audit and new ------------------------------------------------------------------------

def test_audit_without_what_to_do_prints_chinese_help():
    from sitekit import gongkai

    result = gongkai("audit", str(ROOT))
    assert result.returncode == 2
    assert result.stderr.startswith("gongkai audit 需要指定做什么：")
    assert "gongkai audit --year 2025" in result.stderr and "gongkai audit --due" in result.stderr
    assert "error:" not in result.stderr and "usage:" not in result.stderr


def test_audit_year_with_an_unknown_agency_lists_the_codes():
    from sitekit import gongkai

    result = gongkai("audit", str(ROOT), "--year", "2025", "--agency", "999", "--date", BUILD_DATE)
    assert result.returncode == 2
    assert "机构代码“999”未在 catalog/agencies.yml 中定义；可用：002501001（青禾县人民政府办公室）" in result.stderr


def test_new_takes_the_column_by_name_as_files_do(repo):
    made = create(repo, "xczx", "工作动态", "关于开展冬季送温暖活动的通知", dt.date(2025, 12, 1))
    text = made.path.read_text(encoding="utf-8")
    assert re.search(r"^目录: gzdt\b", text, re.M)
    with pytest.raises(Exception, match="可用（代码或栏目名称均可）：.*gzdt（工作动态）"):
        create(repo, "xczx", "没有这个栏目", None, dt.date(2025, 12, 1))
