"""What a web form writes (Decap CMS writes every field of the form, filled or not) is read
as the editor meant it: an optional field left empty is not written, a required one left empty
is one message naming that field."""

from __future__ import annotations

import datetime as dt

import pytest
from itemfactory import errors_for, new_repo, replace, write

from gongkai.pipeline import load_site

#: a 通知 as the web form saves it: every optional field present and empty, the 审查 block
#: holding only the form's own default, blank rows in the lists
FORM = """\
---
索引号: 002501002/2025-00007
标题: 青禾县乡村振兴局关于印发补助资金管理办法的通知
发布机构: 青禾县乡村振兴局
目录: gfxwj
成文日期: 2025-03-10
发布日期: 2025-03-18
发文字号: ""
有效性: ""
废止日期: ""
替代文件: null
主题分类: ""
主题词: []
内容概述: ""
公开方式: ""
公开范围: ~
公开载体: []
解读对象: ""
审查:
  审查人: ""
  审查日期: ""
  审查结果: 待审查
公示期:
  开始日期: ""
  结束日期: ""
附件:
  - 文件: ""
    名称: ""
原索引号: ""
历史导入: ""
个人信息例外: {号码: [], 理由: ""}
草稿: true
---

各乡镇人民政府：现将办法印发给你们，请认真贯彻执行。
"""


@pytest.fixture
def repo(tmp_path):
    return new_repo(tmp_path)


def test_optional_fields_left_empty_are_not_written(repo):
    write(repo, "xczx/1.md", FORM)
    assert [e.format() for e in errors_for(repo, today=dt.date(2026, 1, 1))] == []
    reviewed = replace(FORM, '  审查人: ""\n  审查日期: ""\n  审查结果: 待审查',
                       "  审查人: 王丽\n  审查日期: 2025-03-17\n  审查结果: 同意公开")
    write(repo, "xczx/1.md", replace(reviewed, "草稿: true", "草稿: false"))
    (item,) = load_site(repo, dt.date(2026, 1, 1)).items
    assert item.doc_number is None and item.notice_period is None and item.summary.startswith("各乡镇")
    assert item.status == "有效" and item.channels == ("政府网站",) and item.attachments == ()


def test_each_required_field_left_empty_is_one_message_naming_it(repo):
    text = replace(FORM, "标题: 青禾县乡村振兴局关于印发补助资金管理办法的通知", '标题: ""')
    text = replace(text, "成文日期: 2025-03-10", "成文日期:")
    write(repo, "xczx/1.md", text)
    errors = errors_for(repo, today=dt.date(2026, 1, 1))
    assert [(e.line, e.field, e.message) for e in errors] == [
        (3, "标题", "不能为空"), (6, "成文日期", "不能为空")]


def test_a_block_half_filled_names_its_empty_field(repo):
    text = replace(FORM, '  开始日期: ""', "  开始日期: 2025-06-01")
    text = replace(text, '  - 文件: ""\n    名称: ""', '  - 文件: ""\n    名称: 名单')
    write(repo, "xczx/1.md", text)
    errors = errors_for(repo, today=dt.date(2026, 1, 1))
    assert [(e.field, e.message) for e in errors] == [
        ("公示期.结束日期", "不能为空"), ("附件[1].文件", "不能为空")]


def test_a_review_with_a_result_other_than_the_default_is_checked(repo):
    write(repo, "xczx/1.md", replace(FORM, "  审查结果: 待审查", "  审查结果: 同意公开"))
    fields = sorted(e.field for e in errors_for(repo, today=dt.date(2026, 1, 1)))
    assert fields == ["审查.审查人", "审查.审查日期"]


def test_an_empty_chinese_key_beside_a_filled_english_one_is_no_conflict(repo):
    write(repo, "xczx/1.md", replace(FORM, '发文字号: ""', '发文字号: ""\ndoc_number: 青乡振发〔2025〕4号'))
    assert errors_for(repo, today=dt.date(2026, 1, 1)) == []
    write(repo, "xczx/1.md", replace(FORM, '发文字号: ""', '发文字号: 青乡振发〔2025〕4号\ndoc_number: ""'))
    assert errors_for(repo, today=dt.date(2026, 1, 1)) == []
    write(repo, "xczx/1.md", replace(FORM, '发文字号: ""', '发文字号: 青乡振发〔2025〕4号\ndoc_number: 青乡振发〔2025〕5号'))
    (error,) = errors_for(repo, today=dt.date(2026, 1, 1))
    assert "同时写了“发文字号”和“doc_number”" in error.message
