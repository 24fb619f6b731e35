"""Every front-matter field is validated, with file, line, field and a Chinese reason."""

from __future__ import annotations

import datetime as dt

import pytest
from itemfactory import GOOD, errors_for, new_repo, replace, write

from gongkai.pipeline import load_site
from gongkai.problems import ValidationFailed


@pytest.fixture
def repo(tmp_path):
    return new_repo(tmp_path)


def only_error(root):
    errors = errors_for(root)
    assert len(errors) == 1, [e.format() for e in errors]
    return errors[0]


def test_good_item_loads_with_every_value_typed(repo):
    write(repo, "xczx/1.md", GOOD)
    site = load_site(repo, dt.date(2026, 1, 1))
    (item,) = site.items
    assert item.id == "002501002/2025-00007"
    assert item.agency.code == "002501002"
    assert item.category.name == "行政规范性文件"
    assert item.created == dt.date(2025, 3, 10) and item.published == dt.date(2025, 3, 18)
    assert item.keywords == ("乡村振兴", "补助资金")
    assert item.channels == ("政府网站",)  # the default
    assert item.status == "有效" and item.disclosure == "主动公开" and item.audience == "面向全社会"
    assert item.summary.startswith("各乡镇人民政府")  # derived from the body
    assert item.url == "items/002501002/2025-00007/"


def test_english_keys_work_like_chinese_labels(repo):
    text = GOOD
    for zh, en in [("索引号", "id"), ("标题", "title"), ("发布机构", "agency"), ("目录", "category"),
                   ("成文日期", "created"), ("发布日期", "published"), ("审查人", "reviewer"),
                   ("审查日期", "date"), ("审查结果", "result"), ("审查:", "review:")]:
        text = text.replace(zh if zh.endswith(":") else zh + ":", en if en.endswith(":") else en + ":")
    write(repo, "xczx/1.md", text)
    (item,) = load_site(repo, dt.date(2026, 1, 1)).items
    assert item.title.startswith("青禾县乡村振兴局") and item.review.reviewer == "王丽"


def test_both_alias_and_key_is_an_error(repo):
    path = write(repo, "xczx/1.md", replace(GOOD, "目录: gfxwj\n", "目录: gfxwj\ncategory: gfxwj\n"))
    err = only_error(repo)
    assert err.file == "content/xczx/1.md" and err.line == 6
    assert "同时写了“目录”和“category”" in err.message
    assert path.read_text(encoding="utf-8").count("gfxwj") == 2  # the file is never rewritten


@pytest.mark.parametrize("field,old,new,line,expected", [
    ("发布日期", "发布日期: 2025-03-18", "发布日期: 2025-02-30", 7, "日期“2025-02-30”不存在"),
    ("成文日期", "成文日期: 2025-03-10", "成文日期: 2025/3/10", 6, "应写成 YYYY-MM-DD，例如“2025-03-10”"),
    ("发布日期", "发布日期: 2025-03-18", "发布日期: 2025-03-01", 7, "发布日期 2025-03-01 早于成文日期 2025-03-10"),
    ("发文字号", "青乡振发〔2025〕4号", "青乡振发[2025]4号", 8, "应写作“青乡振发〔2025〕4号”"),
    ("发文字号", "青乡振发〔2025〕4号", "青乡振发(2025)4号", 8, "年份应使用六角括号〔〕"),
    ("发文字号", "青乡振发〔2025〕4号", "青乡振发【2025】4号", 8, "年份应使用六角括号〔〕"),
    ("发文字号", "青乡振发〔2025〕4号", "青乡振发〔25〕4号", 8, "年份应写全四位"),
    ("发文字号", "青乡振发〔2025〕4号", "青乡振发〔2025〕第4号", 8, "序号前不加“第”"),
    ("发文字号", "青乡振发〔2025〕4号", "青乡振发〔2025〕004号", 8, "不加前导零"),
    ("发文字号", "青乡振发〔2025〕4号", "青乡振发〔２０２５〕４号", 8, "数字应为半角"),
    ("目录", "目录: gfxwj", "目录: nosuch", 5, "目录代码“nosuch”未在 catalog/categories.yml 中定义"),
    ("发布机构", "发布机构: 青禾县乡村振兴局", "发布机构: 青禾县扶贫办", 4, "发布机构“青禾县扶贫办”未在 catalog/agencies.yml 中定义"),
    ("主题分类", "民政、扶贫、救灾\\扶贫", "民政\\扶贫", 9, "一级主题“民政”不在 22 类主题分类中"),
    ("主题分类", "民政、扶贫、救灾\\扶贫", "民政、扶贫、救灾\\教育", 9, "“教育”不是“民政、扶贫、救灾”下的二级主题"),
    ("索引号", "索引号: 002501002/2025-00007", "索引号: 2025-7", 2, "不符合格式"),
    ("索引号", "索引号: 002501002/2025-00007", "索引号: 002501001/2025-00007", 2, "与发布机构“青禾县乡村振兴局”的代码“002501002”不一致"),
    ("索引号", "索引号: 002501002/2025-00007", "索引号: 002501002/2019-00007", 2, "年份 2019 与成文日期、发布日期的年份都不一致"),
    ("标题", "标题: 青禾县乡村振兴局关于印发补助资金管理办法的通知", "标题:", 3, "不能为空"),
    ("主题词", "主题词: [乡村振兴, 补助资金]", "主题词: {a: b}", 10, "应为列表"),
    ("审查.审查结果", "审查结果: 同意公开", "审查结果: 好的", 14, "审查结果“好的”不在可选范围内"),
    ("审查", "审查日期: 2025-03-17", "审查日期: 2025-03-19", 11, "晚于发布日期 2025-03-18：应先审后发"),
])
def test_field_errors_name_file_line_field_and_reason(repo, field, old, new, line, expected):
    write(repo, "xczx/x/item.md", replace(GOOD, old, new))
    err = only_error(repo)
    assert (err.file, err.line, err.field) == ("content/xczx/x/item.md", line, field)
    assert expected in err.message
    assert err.format().startswith(f"content/xczx/x/item.md:{line}: {field}: ")


@pytest.mark.parametrize("extra,field,expected", [
    ("有效性: 有郊\n", "有效性", "有效性“有郊”不在可选范围内，应为：有效、失效、废止、已修订"),
    ("公开方式: 网上公开\n", "公开方式", "公开方式“网上公开”不在可选范围内"),
    ("公开范围: 内部\n", "公开范围", "公开范围“内部”不在可选范围内"),
    ("公开载体: [政府网站, 微信]\n", "公开载体", "公开载体“微信”不在可选范围内"),
    ("废止日期: 2026-01-01\n", "有效性", "写了废止日期，但有效性仍为“有效”"),
    ("有效性: 废止\n", "有效性", "请写明废止日期或替代文件"),
    ("标提: 错字\n", "标提", "未知字段“标提”，是不是“标题”？"),
    ("解读对象: 002501002/2025-00007\n", "解读对象", "解读对象不能是本条目自己"),
    ("公示期:\n  开始日期: 2025-03-18\n  结束日期: 2025-03-10\n", "公示期.结束日期", "早于开始日期"),
    ("附件:\n  - 文件: 没有这个.pdf\n", "附件", "附件文件“没有这个.pdf”不存在"),
    ("草稿: 否定\n", "草稿", "应写 true 或 false"),
])
def test_optional_field_errors(repo, extra, field, expected):
    write(repo, "xczx/x/item.md", replace(GOOD, "---\n\n", extra + "---\n\n"))
    err = only_error(repo)
    assert err.field == field and expected in err.message, err.format()
    assert err.line is not None and err.line >= 2


def test_yaml_traps_do_not_change_values(repo):
    # PyYAML's defaults would read 010 as 8, 12:30 as 750 and no as False.
    text = replace(GOOD, "主题词: [乡村振兴, 补助资金]", "主题词: [010, 12:30, no]")
    write(repo, "xczx/1.md", text)
    (item,) = load_site(repo, dt.date(2026, 1, 1)).items
    assert item.keywords == ("010", "12:30", "no")


def test_yaml_trap_no_is_not_false(repo):
    write(repo, "xczx/1.md", replace(GOOD, "---\n\n", "draft: no\n---\n\n"))
    err = only_error(repo)
    assert err.field == "草稿" and "应写 true 或 false，而不是“no”" in err.message


def test_duplicate_yaml_key_is_an_error_not_silently_overwritten(repo):
    write(repo, "xczx/1.md", replace(GOOD, "目录: gfxwj\n", "目录: gfxwj\n目录: gz\n"))
    err = only_error(repo)
    assert err.line == 6 and "重复的键“目录”（第 5 行已经写过）" in err.message


def test_broken_yaml_names_the_line(repo):
    write(repo, "xczx/1.md", replace(GOOD, "标题: 青禾县", "标题: [青禾县"))
    err = only_error(repo)
    assert (err.file, err.line, err.field) == ("content/xczx/1.md", 3, "标题")
    assert err.message == ("值以“[”开头，YAML 会把它当作列表的开始：请把整个值用单引号括起来，"
                           "写成“标题: '[青禾县乡村振兴局关于印发补助资金管理办法的通知'”")


def test_yaml_tags_are_refused(repo):
    write(repo, "xczx/1.md", replace(GOOD, "目录: gfxwj", "目录: !!python/object:os.system gfxwj"))
    err = only_error(repo)
    assert "不支持 YAML 标签" in err.message and err.line == 5


def test_missing_front_matter_and_missing_fields(repo):
    write(repo, "xczx/none.md", "只有正文，没有头信息\n")
    write(repo, "xczx/short.md", "---\n标题: 只有标题\n---\n正文\n")
    found = errors_for(repo)
    by_file = {}
    for p in found:
        by_file.setdefault(p.file, []).append(p)
    assert "缺少 YAML 头信息" in by_file["content/xczx/none.md"][0].message
    # the 索引号's message goes on to say the review pipeline assigns it (test_assign_index.py)
    missing = {p.field for p in by_file["content/xczx/short.md"] if p.message.startswith("缺少必填字段")}
    assert missing == {"索引号", "发布机构", "目录", "成文日期", "发布日期"}


def test_gbk_file_gets_an_encoding_error(repo):
    write(repo, "xczx/gbk.md", GOOD.encode("gbk"))
    err = only_error(repo)
    assert err.file == "content/xczx/gbk.md"
    assert "文件不是 UTF-8 编码" in err.message and "GBK" in err.message and "另存为 UTF-8" in err.message


def test_utf8_bom_and_crlf_are_accepted(repo):
    write(repo, "xczx/1.md", b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
    (item,) = load_site(repo, dt.date(2026, 1, 1)).items
    assert item.title.endswith("通知")


def test_duplicate_id_names_both_files(repo):
    write(repo, "xczx/1.md", GOOD)
    write(repo, "xczx/b/2.md", replace(GOOD, "4号", "5号"))
    err = only_error(repo)
    assert err.file == "content/xczx/b/2.md" and err.field == "索引号" and err.line == 2
    assert "与 content/xczx/1.md 重复" in err.message


def test_every_problem_in_every_file_is_reported_at_once(repo):
    write(repo, "xczx/1.md", replace(replace(GOOD, "目录: gfxwj", "目录: nosuch"), "2025-03-18", "2025-13-01"))
    write(repo, "xczx/b/2.md", GOOD.encode("gbk"))
    write(repo, "c/3.md", replace(replace(GOOD, "00007", "00009"), "青乡振发〔2025〕4号", "青乡振发[2025]4号"))
    files = {(p.file, p.field) for p in errors_for(repo)}
    assert {("content/xczx/1.md", "发布日期"), ("content/xczx/b/2.md", None),
            ("content/c/3.md", "发文字号")} <= files


def test_dangling_relation_fails_naming_the_file(repo):
    write(repo, "xczx/1.md", replace(GOOD, "---\n\n", "解读对象: 002501002/2025-00099\n---\n\n"))
    err = only_error(repo)
    assert err.file == "content/xczx/1.md" and err.field == "解读对象" and "不存在" in err.message


def test_unreviewed_item_is_refused_unless_draft(repo):
    no_review = GOOD.split("审查:")[0] + "---\n\n正文\n"
    write(repo, "xczx/1.md", no_review)
    err = only_error(repo)
    assert err.field == "审查" and "未经保密审查同意的条目不能发布" in err.message
    write(repo, "xczx/1.md", replace(no_review, "---\n\n", "draft: true\n---\n\n"))
    site = load_site(repo, dt.date(2026, 1, 1))
    assert len(site.items) == 1 and site.public_items == []


def test_embargoed_item_is_not_public_until_its_date(repo):
    write(repo, "xczx/1.md", GOOD)
    assert load_site(repo, dt.date(2025, 3, 17)).public_items == []
    assert len(load_site(repo, dt.date(2025, 3, 18)).public_items) == 1


def test_problems_carry_no_traceback_and_raise_validation_failed(repo):
    write(repo, "xczx/1.md", "---\n: : :\n---\n")
    with pytest.raises(ValidationFailed) as exc:
        load_site(repo, dt.date(2026, 1, 1))
    assert "content/xczx/1.md:" in str(exc.value)


def test_catalog_errors_are_reported_with_line(repo):
    agencies = repo / "catalog" / "agencies.yml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace('code: "002501003"', 'code: "002501001"'),
                        encoding="utf-8")
    errs = errors_for(repo)
    assert any(p.file == "catalog/agencies.yml" and "机构代码“002501001”重复" in p.message and p.line
               for p in errs), [p.format() for p in errs]
