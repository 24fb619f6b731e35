"""The annual report's sources: registers, typed figures, narratives, working days.

Each test edits a throw-away copy of the sample repository and checks what an
editor would see: the computed figures, or the error with file, line and field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import copy_project, mkdocs_build_here

from gongkai.annual.tables import (
    Application,
    Tables,
    check_identities,
    deadline,
    late_replies,
)
from gongkai.pipeline import load_site
from gongkai.problems import Problems, ValidationFailed
from gongkai.workdays import add_workdays, workdays_between

BUILD = dt.date(2026, 11, 26)
APPS = "catalog/annual/applications.csv"
CASES = "catalog/annual/cases.csv"


@pytest.fixture(scope="module")
def sample_site():
    return load_site(Path(__file__).resolve().parent.parent, BUILD)


@pytest.fixture()
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "p")


def problems_of(root: Path, build: dt.date = BUILD) -> list[str]:
    problems = Problems()
    with pytest.raises(ValidationFailed):
        load_site(root, build, problems)
    return [p.format() for p in problems.errors]


def report(site, year):
    return next(r for r in site.annual if r.year == year)


def append(path: Path, text: str) -> int:
    """Append a line; return its line number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [text]) + "\n", encoding="utf-8")
    return len(lines) + 1


def replace_line(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


# --- identities ------------------------------------------------------------------------------

def typed_2023(site) -> Tables:
    return report(site, 2023).tables


def with_cell(t: Tables, key: str, column: int, value: int) -> Tables:
    rows = dict(t.rows3)
    row = list(rows[key])
    row[column] = value
    rows[key] = tuple(row)
    return replace(t, rows3=rows)


def test_sample_tables_satisfy_every_identity(sample_site):
    for r in sample_site.annual:
        assert check_identities(r.tables) == [], r.year


def test_identity_row_total_is_the_six_applicant_columns(sample_site):
    t = with_cell(typed_2023(sample_site), "三.一", 6, 5)  # 总计 of 予以公开: 4 → 5
    cells = [b.cell for b in check_identities(t)]
    assert ("三", "三.一", "总计") in cells


def test_identity_results_total_is_the_sum_of_the_21_outcomes(sample_site):
    t = typed_2023(sample_site)
    t = with_cell(with_cell(t, "三.三.1", 0, 1), "三.三.1", 6, 1)  # one more 国家秘密, row still adds up
    breaks = check_identities(t)
    assert ("三", "三.七", "自然人") in [b.cell for b in breaks]
    assert ("三", "三.七", "总计") in [b.cell for b in breaks]
    assert ("三", "三.三.1", "总计") not in [b.cell for b in breaks]


def test_identity_new_plus_carried_equals_finished_plus_carried_on(sample_site):
    t = with_cell(with_cell(typed_2023(sample_site), "二", 1, 1), "二", 6, 2)  # 上年结转 商业企业 +1
    breaks = {b.cell: b.message for b in check_identities(t)}
    assert set(breaks) == {("三", "四", "商业企业"), ("三", "四", "总计")}
    assert "一（2）加二（1）为 3" in breaks[("三", "四", "商业企业")]


def test_identity_case_total_is_the_four_results(sample_site):
    t = typed_2023(sample_site)
    cases = dict(t.cases) | {"复议后起诉": (1, 0, 0, 0, 0)}
    breaks = check_identities(replace(t, cases=cases))
    assert [b.cell for b in breaks] == [("四", "复议后起诉", "总计")]


# --- typed figures -----------------------------------------------------------------------------

def test_typed_figures_breaking_an_identity_fail_naming_the_cell(project):
    line = replace_line(project / "catalog/annual/2023.yml",
                        "（七）总计: [9, 1, 0, 0, 1, 0, 11]", "（七）总计: [9, 1, 0, 0, 1, 0, 12]")
    errors = problems_of(project)
    assert any(e.startswith(f"catalog/annual/2023.yml:{line}: 第三部分“（七）总计”行“总计”列: ")
               and "六类申请人之和 11，实际填写 12" in e for e in errors), errors
    assert any("第三部分“四、结转下年度继续办理”行“总计”列" in e for e in errors), errors


def test_typed_figures_reject_a_slash_and_a_missing_row(project):
    path = project / "catalog/annual/2023.yml"
    line = replace_line(path, "（三）7.属于行政执法案卷: [0, 0, 0, 0, 0, 0, 0]",
                        "（三）7.属于行政执法案卷: [0, /, 0, 0, 0, 0, 0]")
    replace_line(path, "    （三）8.属于行政查询事项: [0, 0, 0, 0, 0, 0, 0]\n", "")
    errors = problems_of(project)
    assert any(e.startswith(f"catalog/annual/2023.yml:{line}: ") and "不能留空或写“/”：没有就填 0" in e
               for e in errors), errors
    assert any("第三部分缺少这些行" in e and "8.属于行政查询事项" in e for e in errors), errors


def test_typed_part_that_is_not_a_mapping_is_said_at_its_line(project):
    # (this used to stop the build with a traceback)
    path = project / "catalog/annual/2023.yml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  第三部分:"), text.index("  第四部分:")
    path.write_text(text[:start] + "  第三部分: 见附件\n" + text[end:], encoding="utf-8")
    line = text[:start].count("\n") + 1
    errors = problems_of(project)
    assert f"catalog/annual/2023.yml:{line}: 第三部分: 缺少“第三部分”，或它不是“键: 值”映射" in errors, errors


def test_a_figure_left_out_is_named_as_the_file_names_it(project):
    replace_line(project / "catalog/annual/2024.yml", "行政强制: 27\n", "")
    errors = problems_of(project)
    assert any(e.startswith("catalog/annual/2024.yml:") and e.endswith(": 行政强制: 行政强制不能留空或写“/”：没有就填 0")
               for e in errors), errors


def test_typed_row_with_an_unknown_name_is_said_with_the_rows_then_missing(project):
    path = project / "catalog/annual/2023.yml"
    line = replace_line(path, "（一）予以公开: [4, 0, 0, 0, 0, 0, 4]", "（一）予以发布: [4, 0, 0, 0, 0, 0, 4]")
    part = path.read_text(encoding="utf-8").splitlines().index("  第三部分:") + 1
    errors = problems_of(project)
    assert any(e.startswith(f"catalog/annual/2023.yml:{line}: （一）予以发布: “（一）予以发布”不是第三部分的行名称")
               for e in errors), errors
    assert f"catalog/annual/2023.yml:{part}: 第三部分: 第三部分缺少这些行（没有就填 0）：（一）予以公开" in errors, errors


def test_typed_carry_over_must_match_what_the_register_carries(project):
    line = replace_line(project / "catalog/annual/2023.yml",
                        "四、结转下年度继续办理: [1, 1, 0, 0, 0, 0, 2]",
                        "四、结转下年度继续办理: [2, 1, 0, 0, 0, 0, 3]")
    replace_line(project / "catalog/annual/2023.yml",
                 "二、上年结转政府信息公开申请数量: [1, 0, 0, 0, 0, 0, 1]",
                 "二、上年结转政府信息公开申请数量: [2, 0, 0, 0, 0, 0, 2]")
    errors = problems_of(project)
    assert any(e.startswith(f"catalog/annual/2023.yml:{line}: 第三部分“四、结转下年度继续办理”行“自然人”列")
               and "结转下年度为 2 件，但登记表中 2023 年及以前收到、2024 年仍在办理的申请有 1 件" in e
               for e in errors), errors


# --- registers ---------------------------------------------------------------------------------

def test_carry_over_is_derived_across_years(project):
    path = project / APPS
    append(path, "T-1,2024-12-30,科研机构,属于行政查询事项,2025-01-20,否,")
    site = load_site(project, BUILD)
    y24, y25 = report(site, 2024).tables, report(site, 2025).tables
    before = load_site(Path(__file__).resolve().parent.parent, BUILD)
    b24, b25 = report(before, 2024).tables, report(before, 2025).tables
    assert y24.value3("一", "科研机构") == b24.value3("一", "科研机构") + 1
    assert y24.value3("四", "科研机构") == b24.value3("四", "科研机构") + 1  # 结转下年度 in 2024
    assert y24.value3("三.三.8", "科研机构") == b24.value3("三.三.8", "科研机构")
    assert y25.value3("二", "科研机构") == b25.value3("二", "科研机构") + 1  # 上年结转 in 2025
    assert y25.value3("一", "科研机构") == b25.value3("一", "科研机构")
    assert y25.value3("三.三.8", "科研机构") == b25.value3("三.三.8", "科研机构") + 1
    assert check_identities(y24) == [] and check_identities(y25) == []


def test_an_application_still_open_is_carried_until_answered(project):
    append(project / APPS, "T-2,2025-12-29,其他,,,否,")
    site = load_site(project, BUILD)
    before = load_site(Path(__file__).resolve().parent.parent, BUILD)
    for year, row in ((2025, "四"), (2026, "二"), (2026, "四")):
        assert (report(site, year).tables.value3(row, "其他")
                == report(before, year).tables.value3(row, "其他") + 1), (year, row)


def test_register_row_with_unknown_outcome_is_rejected_with_file_and_line(project):
    line = append(project / APPS, "T-3,2025-03-02,自然人,已答复,2025-03-20,否,")
    errors = problems_of(project)
    assert any(e.startswith(f"{APPS}:{line}: 办理结果: 办理结果“已答复”不是年报第三部分的 21 种办理结果之一")
               for e in errors), errors


def test_register_row_replied_before_receipt_is_rejected_with_file_and_line(project):
    line = append(project / APPS, "T-4,2025-03-20,自然人,予以公开,2025-03-02,否,")
    errors = problems_of(project)
    assert f"{APPS}:{line}: 答复日期: 答复日期 2025-03-02 早于收到日期 2025-03-20" in errors


@pytest.mark.parametrize("row, field, message", [
    ("T-5,2025-03-02,个人,予以公开,2025-03-20,否,", "申请人类型", "申请人类型“个人”不在可选范围内"),
    # Excel's 2025/3/2 is read (tests/test_editor_slips.py); a day-first date is not
    ("T-6,02/03/2025,自然人,予以公开,2025-03-20,否,", "收到日期", "日期“02/03/2025”应写成 YYYY-MM-DD"),
    ("T-7,2025-03-02,自然人,予以公开,,否,", "答复日期", "已写办理结果“予以公开”，但缺少答复日期"),
    ("YSQ2024-001,2025-03-02,自然人,,,否,", "登记号", "登记号“YSQ2024-001”与第 4 行重复"),
    ("T-8,2025-03-02,自然人,予以公开,2025-03-20,可能,", "是否延期", "应写“是”或“否”"),
])
def test_register_field_errors(project, row, field, message):
    line = append(project / APPS, row)
    errors = problems_of(project)
    assert any(e.startswith(f"{APPS}:{line}: {field}: ") and message in e for e in errors), errors


def test_case_register_errors(project):
    line = append(project / CASES, "T-9,行政诉讼,上诉,2025-03-02,维持,2025-05-02")
    errors = problems_of(project)
    assert any(e.startswith(f"{CASES}:{line}: 起诉方式: ") for e in errors), errors


def test_outcome_may_be_written_by_number(project):
    append(project / APPS, "T-10,2025-03-03,自然人,（五）4,2025-03-10,否,")
    site = load_site(project, BUILD)
    assert report(site, 2025).tables.value3("三.五.4", "自然人") == 1


def test_a_later_build_date_never_sees_future_register_rows(project):
    site = load_site(project, dt.date(2025, 6, 1))
    assert [r.year for r in site.annual] == [2023, 2024, 2025]
    r25 = report(site, 2025)
    assert r25.in_progress and r25.as_of == dt.date(2025, 6, 1) and r25.narrative is None
    # received 2025-05-12, answered 2025-06-16: open at the build date
    assert r25.tables.value3("四") >= 1
    assert check_identities(r25.tables) == []


# --- working days ------------------------------------------------------------------------------

def test_deadline_counts_the_spring_festival_and_its_make_up_saturday():
    # 2025 春节: 1月28日—2月4日 off; Sunday 1月26日 and Saturday 2月8日 are working days.
    app = Application("X", dt.date(2025, 1, 20), "自然人", "三.一", dt.date(2025, 2, 20), False, None, 1)
    assert deadline(app) == dt.date(2025, 2, 21)  # Monday-to-Friday counting says 2月17日
    assert late_replies([app], 2025, BUILD) == []
    late = replace(app, replied=dt.date(2025, 2, 24))
    assert [x.deadline for x in late_replies([late], 2025, BUILD)] == [dt.date(2025, 2, 21)]


def test_deadline_counts_national_day_and_its_make_up_days():
    # 2024 国庆: 10月1日—7日 off; Sunday 9月29日 and Saturday 10月12日 are working days.
    assert add_workdays(dt.date(2024, 9, 23), 20) == dt.date(2024, 10, 24)
    # 9/29 (Sun), 9/30, 10/8-10/11, 10/12 (Sat), 10/14; Monday to Friday would give 11
    assert workdays_between(dt.date(2024, 9, 27), dt.date(2024, 10, 14)) == 8
    extended = Application("Y", dt.date(2024, 8, 19), "自然人", "三.三.6", dt.date(2024, 10, 15), True,
                           None, 1)
    assert deadline(extended) == dt.date(2024, 10, 18)  # 40 working days when extended
    assert late_replies([extended], 2024, BUILD) == []
    # without the extension the 20th working day is Saturday 9月14日, made up for 中秋
    assert late_replies([replace(extended, extended=False)], 2024, BUILD)[0].deadline == dt.date(2024, 9, 14)


def test_a_correction_restarts_the_clock():
    app = Application("Z", dt.date(2025, 10, 27), "自然人", "三.四.2", dt.date(2025, 11, 27), False,
                      dt.date(2025, 10, 31), 1)
    assert late_replies([app], 2025, BUILD) == []
    assert len(late_replies([replace(app, corrected=None)], 2025, BUILD)) == 1


# --- narratives --------------------------------------------------------------------------------

NARRATIVE = "content/annual/2024.md"


def test_narrative_literal_that_contradicts_its_table_is_reported(project):
    line = replace_line(project / NARRATIVE, "其中予以公开{{ 三.予以公开 }}件", "其中予以公开9件")
    errors = problems_of(project)
    assert any(e.startswith(f"{NARRATIVE}:{line}: 正文数字: 正文写“予以公开9件”，但表格中对应的数为 8")
               for e in errors), errors


def test_narrative_literal_in_chinese_numerals_is_checked(project):
    line = replace_line(project / NARRATIVE, "上年结转{{ 三.二 }}件", "上年结转三件")
    errors = problems_of(project)
    assert any(e.startswith(f"{NARRATIVE}:{line}: 正文数字: ") and "上年结转三件" in e and "为 2" in e
               for e in errors), errors


def test_narrative_literal_that_agrees_is_accepted(project):
    replace_line(project / NARRATIVE, "其中予以公开{{ 三.予以公开 }}件、部分公开{{ 三.部分公开 }}件",
                 "其中予以公开8件、部分公开一件")
    site = load_site(project, BUILD)
    assert "其中予以公开8件、部分公开一件" in report(site, 2024).narrative.sections[0]


def test_narrative_placeholders_are_filled_from_the_cells(sample_site):
    r = report(sample_site, 2025)
    text = r.narrative.sections[0]
    t = r.tables
    assert f"全年新收政府信息公开申请{t.value3('一')}件，其中自然人申请{t.value3('一', '自然人')}件" in text
    assert f"不予公开{sum(t.value3(f'三.三.{i}') for i in range(1, 9))}件" in text
    assert "{{" not in "".join(r.narrative.sections)


def test_unknown_placeholder_is_reported_with_a_suggestion(project):
    line = replace_line(project / NARRATIVE, "{{ 三.予以公开 }}", "{{ 三.予以公 }}")
    errors = problems_of(project)
    assert any(e.startswith(f"{NARRATIVE}:{line}: 占位符: ") and "是不是“{{ 三.予以公开 }}”" in e
               for e in errors), errors


def test_narrative_headings_must_be_the_national_six_in_order(project):
    line = replace_line(project / NARRATIVE, "## 五、存在的主要问题及改进情况", "## 五、存在问题")
    errors = problems_of(project)
    assert any(e.startswith(f"{NARRATIVE}:{line}: 标题: ") and "## 五、存在的主要问题及改进情况" in e
               for e in errors), errors


def test_a_broken_report_fails_the_real_build(project, tmp_path):
    replace_line(project / NARRATIVE, "其中予以公开{{ 三.予以公开 }}件", "其中予以公开2件")
    built, messages = mkdocs_build_here(project, tmp_path / "out")
    assert not built
    assert re.search(r"content/annual/2024\.md:\d+: 正文数字: 正文写“予以公开2件”", messages)
    assert not (tmp_path / "out" / "annual").exists()


# --- the command line ----------------------------------------------------------------------------

def test_gongkai_annual_lists_late_replies_for_the_office_only(capsys):
    from gongkai.cli.main import main
    root = str(Path(__file__).resolve().parent.parent)
    assert main(["annual", root, "--year", "2025", "--date", "2026-11-26"]) == 0
    out = capsys.readouterr().out
    # 2025-05-12 + 20 working days (端午 5月31日—6月2日 off) = 2025-06-10; answered 06-16
    assert "逾期：catalog/annual/applications.csv:25 登记号 YSQ2025-007，2025-05-12 收到，期限 2025-06-10，2025-06-16 答复" in out
    assert out.count("逾期：") == 1
    assert main(["annual", root, "--year", "2024", "--date", "2026-11-26"]) == 0
    assert "答复均在期限内" in capsys.readouterr().out


def test_gongkai_check_reports_register_errors(project, capsys):
    from gongkai.cli.main import main
    line = append(project / CASES, "T-11,行政复议,,2025-03-02,驳回,2025-04-02")
    assert main(["check", str(project), "--date", "2026-11-26"]) == 1
    assert f"{CASES}:{line}: 结果: 结果“驳回”应为“维持”“纠正”“其他”，尚未审结的留空" in capsys.readouterr().out


def test_numbers_about_other_things_are_not_mistaken_for_cells(project):
    path = project / NARRATIVE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(
        "组织全县业务培训2次。",
        "组织全县业务培训2次。收到申请后3个工作日内登记，行政许可事项精简至86项；"
        "行政处罚案件立案{{= 401 }}件。"), encoding="utf-8")
    site = load_site(project, BUILD)
    assert "行政许可事项精简至86项；行政处罚案件立案401件。" in report(site, 2024).narrative.sections[0]


# --- any register adds up ------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gongkai.annual.layout import APPLICANTS, CASE_GROUPS, OUTCOMES  # noqa: E402
from gongkai.annual.tables import Case, section3, section4  # noqa: E402

_day = st.dates(dt.date(2023, 1, 1), dt.date(2026, 12, 31))


@st.composite
def applications(draw):
    received = draw(_day)
    replied = draw(st.one_of(st.none(), st.dates(received, dt.date(2027, 3, 1))))
    outcome = None if replied is None else draw(st.sampled_from(OUTCOMES)).key
    return Application("A", received, draw(st.sampled_from(APPLICANTS)), outcome, replied,
                       draw(st.booleans()), None, 1)


@st.composite
def cases(draw):
    received = draw(_day)
    decided = draw(st.one_of(st.none(), st.dates(received, dt.date(2027, 3, 1))))
    result = None if decided is None else draw(st.sampled_from(["结果维持", "结果纠正", "其他结果"]))
    return Case("C", draw(st.sampled_from(CASE_GROUPS)), received, result, decided, 1)


@settings(max_examples=150, deadline=None)
@given(st.lists(applications(), max_size=40), st.lists(cases(), max_size=10), _day)
def test_any_register_gives_tables_that_add_up_and_chain(apps, case_rows, as_of):
    years = range(2023, as_of.year + 1)
    tables = {}
    for year in years:
        rows = section3(apps, year, as_of)
        t = Tables({"规章": (0, 0, 0), "行政规范性文件": (0, 0, 0)},
                   {"行政许可": 0, "行政处罚": 0, "行政强制": 0}, 0, rows, section4(case_rows, year, as_of))
        assert check_identities(t) == []
        tables[year] = t
    for year in years[1:]:
        assert tables[year - 1].rows3["四"] == tables[year].rows3["二"]
    # every application received by the build date is counted once as received
    received = sum(a.received <= as_of and a.received.year >= 2023 for a in apps)
    assert sum(t.value3("一") for t in tables.values()) == received


def test_gongkai_annual_hints_when_documents_in_force_do_not_chain(project, capsys):
    from gongkai.cli.main import main
    replace_line(project / "catalog/annual/2023.yml", "行政规范性文件: [2, 5, 0]", "行政规范性文件: [2, 5, 6]")
    assert main(["annual", str(project), "--year", "2024", "--date", "2026-11-26"]) == 0
    assert ("提示：行政规范性文件上年现行有效 6 件 + 本年制发 4 件 − 本年废止 1 件 = 9 件，与本年现行有效 3 件不一致"
            in capsys.readouterr().out)


def test_a_case_counts_as_pending_each_year_it_stays_open_then_with_its_result(project):
    append(project / CASES, "T-12,行政诉讼,复议后起诉,2024-12-02,纠正,2026-03-16")
    site = load_site(project, BUILD)
    before = load_site(Path(__file__).resolve().parent.parent, BUILD)
    for year, column in ((2024, 3), (2025, 3), (2026, 1)):  # 尚未审结, 尚未审结, 结果纠正
        now, then = report(site, year).tables.cases["复议后起诉"], report(before, year).tables.cases["复议后起诉"]
        assert now[column] == then[column] + 1 and now[4] == then[4] + 1, year


def test_register_saved_as_gbk_is_read_and_a_wrong_header_refused(project):
    path = project / APPS
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    found = Problems()
    load_site(project, BUILD, found)
    assert [p.format() for p in found.items if p.file == APPS] == [
        f"{APPS}: 警告: 文件是 GBK/GB18030 编码（Excel、WPS 在中文 Windows 上保存 CSV 的默认），已按此编码读取；"
        "建议另存为“CSV UTF-8（逗号分隔）”，见 docs/编辑指南.md"]
    path.write_bytes(b"\xff\xfe\x00" + text.encode("utf-16-le"))  # neither: refused, said once
    assert [e for e in problems_of(project) if e.startswith(APPS)] == [
        f"{APPS}:1: 文件不是 UTF-8 编码：无法识别的编码，第 1 行第一个无法识别的字节是 0xFF。"
        "请用编辑器“另存为 UTF-8”后再提交"]
    path.write_text(text.replace("答复日期", "回复日期", 1), encoding="utf-8")
    assert any(e.startswith(f"{APPS}:1: 回复日期: 未知的表头“回复日期”，是不是“答复日期”？")
               for e in problems_of(project))


def test_a_pasted_5000_digit_count_and_a_runaway_csv_cell_are_one_message_each(tmp_path):
    """Two slips that used to end in a Python traceback: a count of thousands of digits in
    a year's YAML, and a CSV cell longer than the csv module allows (an unclosed quote).
    ``check`` runs in this process (sitekit.gongkai: an exception the command lets out fails the
    test as its traceback would); test_check_command.py runs the console in a process of its own."""
    from sitekit import gongkai

    project = copy_project(tmp_path / "p")
    year = project / "catalog/annual/2025.yml"
    year.write_text(year.read_text(encoding="utf-8").replace("行政许可: 1354", "行政许可: " + "9" * 5000, 1),
                    encoding="utf-8")
    register = project / "catalog/annual/applications.csv"
    register.write_text(register.read_text(encoding="utf-8").replace("YSQ2024-001", "YSQ2024-" + "1" * 140_000, 1),
                        encoding="utf-8")
    result = gongkai("check", str(project), "--date", "2026-11-26")
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out
    assert "catalog/annual/2025.yml:2: " in out and "有 5000 位，不是一个实际的件数" in out
    assert "catalog/annual/applications.csv:" in out and "超过 131072 个字符" in out
