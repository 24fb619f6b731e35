"""The slips a county editor makes (issue 15's "Why" list), each caught by ``check`` with one
Chinese message naming the source file, the line and the field, and saying the fix."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from itemfactory import GOOD, errors_for, new_repo, problems_for, replace, write

from gongkai.pipeline import load_site

ITEM = "content/xczx/1.md"
TITLE = "青禾县乡村振兴局关于印发补助资金管理办法的通知"


@pytest.fixture
def repo(tmp_path):
    return new_repo(tmp_path)


def errors(root) -> list[tuple]:
    return [(p.file, p.line, p.field, p.message) for p in errors_for(root)]


def warnings(root, file: str = ITEM) -> list[tuple]:
    return [(p.file, p.line, p.field, p.message) for p in problems_for(root)
            if p.severity == "warning" and p.file == file]


# --- 1. typing slips in the front matter -------------------------------------------------------

@pytest.mark.parametrize("old,new,line,field,message", [
    ("标题: ", "标题：", 3, "标题",
     f"“标题”后面的冒号是中文（全角）冒号“：”：字段名后要用英文冒号加一个空格，应写成“标题: {TITLE}”"),
    ("  审查日期", "\t审查日期", 13, "审查",
     "这一行有 Tab 字符：YAML 头信息里不能用 Tab 键缩进或对齐，请删掉 Tab，改用空格"),
    ("标题: 青禾县", '标题: "青禾县"', 3, "标题",
     "值以引号“\"”开头，YAML 会把它当作括住整个值的引号，引号后面的文字就读不下去了："
     f"请把整个值再用单引号括起来，写成“标题: '\"青禾县\"{TITLE[3:]}'”，或改用中文引号“”"),
    ("标题: 青禾县", "标题: [青禾县]", 3, "标题",
     "值以“[”开头，YAML 会把它当作列表的开始：请把整个值用单引号括起来，"
     f"写成“标题: '[青禾县]{TITLE[3:]}'”"),
    ("标题: 青禾县乡村振兴局", "标题: 青禾县乡村振兴局: ", 3, "标题",
     "值里有英文冒号加空格“: ”，YAML 会把它当作又一个字段：请把整个值用单引号括起来，"
     f"写成“标题: '青禾县乡村振兴局: {TITLE[8:]}'”，或把冒号改成中文冒号“：”"),
])
def test_a_typing_slip_is_named_on_its_line_with_the_fix(repo, old, new, line, field, message):
    write(repo, "xczx/1.md", replace(GOOD, old, new))
    assert errors(repo) == [(ITEM, line, field, message)]


def test_a_mis_indented_attachment_list_says_how_to_indent(repo):
    write(repo, "xczx/名单.csv", "a\n")
    write(repo, "xczx/1.md", replace(GOOD, "审查:", "附件:\n  - 文件: 名单.csv\n   名称: 名单\n审查:"))
    assert errors(repo) == [(ITEM, 13, "附件",
                             "附件列表的缩进不一致：每个附件以“  - 文件: 名单.xlsx”开头，同一附件的下一行"
                             "“    名称: 名单”要与“文件”对齐（比“-”多两个空格），各个附件的“-”也要对齐")]


def test_a_yaml_slip_does_not_hide_the_other_mistakes_of_the_file(repo):
    text = replace(GOOD, "标题: ", "标题：")
    text = replace(text, "目录: gfxwj", "目录: 行政处罚")
    text = replace(text, "发布日期: 2025-03-18", "发布日期: 2025-3-18")
    write(repo, "xczx/1.md", text)
    found = errors(repo)
    assert [(f, line, field) for f, line, field, _ in found] == [
        (ITEM, 3, "标题"), (ITEM, 5, "目录"), (ITEM, 7, "发布日期")]
    assert found[1][3] == ("目录代码“行政处罚”未在 catalog/categories.yml 中定义，"
                           "是不是“xzcf”（行政处罚和行政强制）？目录可写代码，也可写栏目名称")
    assert found[2][3] == "日期“2025-3-18”应写成 YYYY-MM-DD，例如“2025-03-18”"
    # the blanked 标题 is not reported missing as well
    assert not any("缺少必填字段" in m for *_, m in found)


# --- 2. content lost without a word ------------------------------------------------------------

def test_a_value_yaml_would_cut_at_a_hash_is_an_error(repo):
    write(repo, "xczx/1.md", replace(GOOD, "通知", "通知 #31号"))
    assert errors(repo) == [(ITEM, 3, "标题",
                             f"值中的“ #”及其后的文字（“#31号”）会被 YAML 当作注释丢掉，只剩“{TITLE}”："
                             f"请把整个值用单引号括起来，写成“标题: '{TITLE} #31号'”，或把“#”改成全角“＃”")]


@pytest.mark.parametrize("name,stem", [("00008.MD", "00008"), ("00008.md.txt", "00008"),
                                       ("通知.markdown", "通知")])
def test_a_misnamed_markdown_file_is_an_error_not_skipped(repo, name, stem):
    write(repo, "xczx/1.md", GOOD)
    write(repo, f"xczx/{name}", GOOD)
    assert errors(repo) == [(f"content/xczx/{name}", None, None,
                             f"文件名“{name}”不以小写的 .md 结尾，不会被当作条目读取，也不会发布："
                             f"请改名为“{stem}.md”（Windows 上请先在资源管理器“查看”中勾选“文件扩展名”，"
                             "记事本“另存为”时“保存类型”选“所有文件”）")]


def test_word_pasted_indents_and_bullets_are_warned_with_the_fix(repo):
    body = "\n\t第一段。\n\n    第二段。\n\n• 甲\n• 乙\n\n- 列表\n\n    列表的续段\n"
    write(repo, "xczx/1.md", GOOD + body)
    assert warnings(repo) == [
        (ITEM, 19, "正文", "这一行以 Tab 或 4 个以上空格开头（从 Word 粘贴时常见的首行缩进），网页上会显示成"
                           "灰底的代码框（共 2 处：第 19、21 行）：请删去行首的空白，段落之间空一行即可"),
        (ITEM, 23, "正文", "行首的“•”不是列表符号，这几行会并成一段（共 2 处：第 23、24 行）："
                           "请改成减号加空格“- ”，或编号“1. ”"),
    ]


# --- 3. what the publish would refuse, found by check ------------------------------------------

def test_body_links_and_images_that_lead_nowhere_fail_check_on_the_source_line(tmp_path):
    from sitekit import gongkai

    root = new_repo(tmp_path)
    write(root, "xczx/1.md", GOOD + "\n详见[名单](名单.xlsx)。\n\n![照片](现场.png)\n\n"
          '<img src="file:///C:/Users/wang/Desktop/a.png">\n\n[另一份](../2025-00099/)\n')
    result = gongkai("check", "--date", "2026-11-26", str(root))
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if ": 警告: " not in line]
    assert lines == [
        f"{ITEM}:19: 正文: 链接“名单.xlsx”指向的附件“名单.xlsx”不在 002501002/2025-00007 的附件列表中"
        "（已列：无）：请把文件放在条目旁并写入“附件”，否则不会发布",
        f"{ITEM}:21: 正文: 链接“现场.png”指向的附件“现场.png”不在 002501002/2025-00007 的附件列表中"
        "（已列：无）：请把文件放在条目旁并写入“附件”，否则不会发布",
        # the published HTML is judged too (issue 14): refused, then what the slip is
        f"{ITEM}:23: 正文: <img> 标签的 src 使用了 file: 地址：链接只能指向网页（http、https）、邮箱（mailto）、"
        "电话（tel）或本站文件",
        f"{ITEM}:23: 正文: 链接或图片“file:///C:/Users/wang/Desktop/a.png”指向编辑者电脑上的文件"
        "（常见于从 Word 粘贴），网站上打不开：请把文件放在条目旁、写入“附件”，正文里只写文件名",
        f"{ITEM}:25: 正文: 链接“../2025-00099/”无法打开：网站上没有“items/002501002/2025-00099/”",
    ]


# --- 4. the annual narrative, every day of the year --------------------------------------------

def test_a_narrative_is_checked_before_the_year_ends(tmp_path):
    from conftest import copy_project

    root = copy_project(tmp_path / "site")
    text = (root / "content/annual/2025.md").read_text(encoding="utf-8")
    text = text.replace("2025年政府", "2026年政府").replace("发布日期: 2026-01-23", "发布日期: 2027-13-23")
    text = text.replace("## 二、主动公开政府信息情况\n", "").replace("{{ 三.一 }}", "｛｛ 三.一 ｝｝", 1)
    (root / "content/annual/2026.md").write_text(text, encoding="utf-8")
    found = [(p.file, p.line, p.field, p.message) for p in errors_for(root)]
    assert found == [
        ("content/annual/2026.md", 3, "发布日期", "日期“2027-13-23”不存在"),
        ("content/annual/2026.md", 12, "占位符", "占位符的花括号是中文（全角）“｛｛ ｝｝”，不会被替换成数字："
                                               "请改成英文花括号，写成“{{ 三.一 }}”"),
        ("content/annual/2026.md", 21, "标题", "二级标题“三、收到和处理政府信息公开申请情况”不符合年报格式："
                                             "此处应为“## 二、主动公开政府信息情况”（六个部分的标题须与国家格式"
                                             "一致、顺序不变；小标题请用 ###）"),
    ]


# --- 5. registers saved from Excel or WPS ------------------------------------------------------

APPS = "catalog/annual/applications.csv"


def _register(root) -> str:
    return (root / APPS).read_text(encoding="utf-8")


def test_a_gbk_crlf_register_with_excel_dates_is_read_and_said_once(repo):
    write(repo, "xczx/1.md", GOOD)
    before = load_site(repo, dt.date(2026, 11, 26)).annual
    text = re.sub(r"(\d{4})-0?(\d{1,2})-0?(\d{1,2})", lambda m: f"{m[1]}/{int(m[2])}/{int(m[3])}",
                  _register(repo))
    (repo / APPS).write_bytes(text.replace("\n", "\r\n").encode("gbk"))
    assert [(p.file, p.line, p.field, p.message, p.severity) for p in problems_for(repo)
            if p.file.startswith("catalog/annual")] == [
        (APPS, None, None, "文件是 GBK/GB18030 编码（Excel、WPS 在中文 Windows 上保存 CSV 的默认），已按此编码读取；"
                           "建议另存为“CSV UTF-8（逗号分隔）”，见 docs/编辑指南.md", "warning")]
    after = load_site(repo, dt.date(2026, 11, 26)).annual
    assert [r.tables for r in after] == [r.tables for r in before]  # the same figures


def test_a_date_form_refused_in_a_whole_column_is_said_once(repo):
    write(repo, "xczx/1.md", GOOD)
    rows = list(csv.reader(io.StringIO(_register(repo))))
    col = rows[0].index("收到日期")
    for row in rows[1:]:
        y, m, d = row[col].split("-")
        row[col] = f"{d}/{m}/{y}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (repo / APPS).write_text(out.getvalue(), encoding="utf-8")
    first = rows[1][col]
    assert errors(repo) == [(APPS, 2, "收到日期",
                             f"日期“{first}”应写成 YYYY-MM-DD，例如 2024-01-15（在 Excel/WPS 中把这一列的"
                             f"单元格格式设为日期“yyyy-mm-dd”后再保存）（这一列共 {len(rows) - 1} 行如此，只在此报告一次）")]


def test_an_unreadable_register_gives_its_one_error_and_no_knock_on(repo):
    write(repo, "xczx/1.md", GOOD)
    (repo / APPS).write_text(_register(repo).replace("登记号", "登记编号", 1), encoding="utf-8")
    assert errors(repo) == [(APPS, 1, "登记编号", "未知的表头“登记编号”，是不是“登记号”？")]


def test_an_xlsx_register_with_real_excel_dates_gives_the_same_figures(repo):
    write(repo, "xczx/1.md", GOOD)
    before = load_site(repo, dt.date(2026, 11, 26)).annual
    book = openpyxl.Workbook()
    sheet = book.active
    for number, row in enumerate(csv.reader(io.StringIO(_register(repo)))):
        cells = []
        for cell in row:
            if number and re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
                cells.append(dt.datetime.fromisoformat(cell))  # a date cell, as Excel keeps it
            else:
                cells.append(cell or None)
        sheet.append(cells)
    (repo / APPS).unlink()
    book.save(repo / "catalog/annual/applications.xlsx")
    assert not errors(repo)
    assert [r.tables for r in load_site(repo, dt.date(2026, 11, 26)).annual] == [r.tables for r in before]


# --- 6. names people type ----------------------------------------------------------------------

def test_a_category_by_its_name_and_topics_with_an_input_method_separator(repo):
    text = replace(GOOD, "目录: gfxwj", "目录: 行政规范性文件")
    write(repo, "xczx/1.md", replace(text, "民政、扶贫、救灾\\扶贫", "民政、扶贫、救灾、扶贫"))
    write(repo, "xczx/2.md", replace(replace(GOOD, "2025-00007", "2025-00008"),
                                  "民政、扶贫、救灾\\扶贫", "民政、扶贫、救灾＼扶贫"))
    site = load_site(repo, dt.date(2026, 11, 26))
    assert [(i.category.code, i.topic) for i in site.items] == [("gfxwj", "民政、扶贫、救灾\\扶贫")] * 2


def test_an_unknown_topic_gets_a_suggestion(repo):
    write(repo, "xczx/1.md", replace(GOOD, "民政、扶贫、救灾\\扶贫", "民政扶贫救灾/扶贫"))
    assert errors(repo) == [(ITEM, 9, "主题分类",
                             "主题分类“民政扶贫救灾/扶贫”的一级主题“民政扶贫救灾/扶贫”不在 22 类主题分类中，"
                             "是不是“民政、扶贫、救灾\\扶贫”？（写作“一级\\二级”，中间是反斜杠“\\”，"
                             "例如“民政、扶贫、救灾\\扶贫”）")]


# --- 7. what the yearly audit would find, said at edit time -------------------------------------

def test_edit_time_checks_are_warnings_and_can_be_made_errors(repo):
    write(repo, "xczx/1.md", replace(GOOD, "发文字号: 青乡振发〔2025〕4号", "发文字号: 青政发〔2025〕4号"))
    write(repo, "xczx/2.md", replace(replace(GOOD, "2025-00007", "2025-00008"),
                                  "发文字号: 青乡振发〔2025〕4号", "发文字号: 青政发〔2025〕4号"))
    late = replace(replace(GOOD, "2025-00007", "2025-00009"), "发布日期: 2025-03-18", "发布日期: 2025-06-18")
    write(repo, "xczx/3.md", replace(late, "发文字号: 青乡振发〔2025〕4号\n", ""))
    prefix = ("发文字号的机关代字“青政发”属于青禾县人民政府办公室，不是发布机构“青禾县乡村振兴局”的"
              "（其机关代字为：青乡振发）：请核对发文字号或发布机构")
    expected = [
        ("content/xczx/1.md", 8, "发文字号", prefix),
        ("content/xczx/2.md", 8, "发文字号",
         "发文字号“青政发〔2025〕4号”与 002501002/2025-00007（content/xczx/1.md）相同：每份文件的发文字号应唯一，"
         "请核对文号"),
        ("content/xczx/2.md", 8, "发文字号", prefix),
        ("content/xczx/3.md", 7, "发布日期",
         "成文日期 2025-03-10，发布日期 2025-06-18，间隔 68 个工作日，超过“行政规范性文件”的公开时限 20 个工作日"),
    ]
    found = sorted((p.file, p.line, p.field, p.message) for p in problems_for(repo)
                   if p.field in ("发文字号", "发布日期"))
    assert found == expected
    site_yml = repo / "catalog/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "strict_checks: [发文字号重复]\n",
                        encoding="utf-8")
    assert errors(repo) == [expected[1][:3] + (expected[1][3] + "（“发文字号重复”按错误处理，见 catalog/site.yml）",)]


# --- 8. a repeal announced in advance ----------------------------------------------------------

def test_a_repeal_announced_for_a_later_day_keeps_the_document_in_force_until_then(repo):
    write(repo, "xczx/1.md", replace(GOOD, "发文字号:", "有效性: 废止\n废止日期: 2027-03-01\n发文字号:"))
    (before,) = load_site(repo, dt.date(2026, 11, 26)).items
    (after,) = load_site(repo, dt.date(2027, 3, 1)).items
    assert (before.in_force, before.status, before.announced) == (True, "有效", "废止")
    assert (after.in_force, after.status) == (False, "废止")
