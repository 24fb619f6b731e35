"""Real reports typed as printed (issue 28): "/" and blank cells, row labels as real
reports number and punctuate them, narrative phrases naming two outcomes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import copy_project

from gongkai.annual.labels import row_key
from gongkai.annual.narrative import literal_conflicts
from gongkai.pipeline import load_site
from gongkai.problems import Problems, ValidationFailed

BUILD = dt.date(2026, 11, 26)
TOWNSHIP = "catalog/annual/cgjd/2025.yml"


@pytest.fixture()
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "p")


def edit(path: Path, old: str, new: str) -> int:
    """Replace once; the line number of the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def errors_of(root: Path) -> list[str]:
    problems = Problems()
    with pytest.raises(ValidationFailed):
        load_site(root, BUILD, problems)
    return [p.format() for p in problems.errors]


def township(site):
    return next(r for r in site.agency_annual["cgjd"] if r.year == 2025)


@pytest.mark.parametrize("label, key", [
    ("四、结转下一年度继续办理", "四"),
    ("四、结转下年度继续办理", "四"),
    ("（二）部分公开", "三.二"),
    ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "三.二"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "三.二"),
    ("(二)", "三.二"),
    ("一、 本年新收政府信息公开申请数量", "一"),
    ("（三）1. 属于国家秘密", "三.三.1"),
    ("3.危及\"三安全一稳定\"", "三.三.3"),
    ("(四)1、本机关不掌握相关政府信息", "三.四.1"),
    ("（七）总计", "三.七"),
    ("（三）不予公开", None),  # a group label carries no numbers
    ("本年新收", None),
])
def test_row_labels_as_real_reports_print_them(label, key):
    assert row_key(label) == key


def test_a_typed_table_with_real_labels_gives_the_same_figures(project):
    path = project / TOWNSHIP
    edit(path, "（二）部分公开:", "\"(二)部分公开(区分处理的,只计这一情形,不计其他情形)\":")
    edit(path, "一、本年新收政府信息公开申请数量:", "\"一、 本年新收政府信息公开申请数量\":")
    edit(path, "（四）1.本机关不掌握相关政府信息:", "(四)1、本机关不掌握相关政府信息:")
    site = load_site(project, BUILD)
    rows = township(site).tables.rows3
    assert rows["一"] == (3, 0, 0, 0, 0, 0, 3) and rows["三.四.1"] == (1, 0, 0, 0, 0, 0, 1)
    assert rows["三.二"] == (0,) * 7


def test_blank_and_slash_cells_of_a_row_in_one_message(project):
    line = edit(project / TOWNSHIP, "（一）予以公开: [2, 0, 0, 0, 0, 0, 2]", "（一）予以公开: [2, /, \"\", 0, /, x, 2]")
    errors = errors_of(project)
    assert errors == [f"{TOWNSHIP}:{line}: （一）予以公开: 这一行有 4 个单元格要改："
                      "“商业企业”“科研机构”“法律服务机构”留空或写了“/”（没有就填 0）；“其他”应为非负整数，而不是“x”"]


def test_blank_cells_as_zero_where_the_site_opts_in(project):
    row = edit(project / TOWNSHIP, "（一）予以公开: [2, 0, 0, 0, 0, 0, 2]", "（一）予以公开: [2, /, \"\", 0, /, 0, 2]")
    line = edit(project / TOWNSHIP, "行政处罚: 0", "行政处罚: /")
    site_yml = project / "catalog/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "annual_blank_as_zero: true\n", encoding="utf-8")
    problems = Problems()
    site = load_site(project, BUILD, problems)
    assert township(site).tables.rows3["三.一"] == (2, 0, 0, 0, 0, 0, 2)
    assert township(site).tables.decisions["行政处罚"] == 0
    said = [p.format() for p in problems.warnings if p.file == TOWNSHIP]
    assert said == [f"{TOWNSHIP}:{line}: 警告: 4 个单元格留空或写了“/”，已按 0 计（第 {line}、{row} 行；"
                    "catalog/site.yml 设置了“annual_blank_as_zero: true”）"]


def test_register_outcome_written_as_a_real_row_label(project):
    edit(project / "catalog/annual/cgj/applications.csv", "自然人,部分公开,", "自然人,（二）部分公开,")
    site = load_site(project, BUILD)
    report = next(r for r in site.agency_annual["cgj"] if r.year == 2025)
    assert report.tables.value3("三.二") == 1


CELLS = {"三.三.一": 258, "三.三.二": 17, "三.三.三": 3, "三.三.四": 2}


@pytest.mark.parametrize("text, message", [
    ("予以公开及部分公开258件", "正文写“予以公开及部分公开258件”，但表格中对应的数为 275："
     "若说的是本报告的这个数，请改用占位符 {{ 三.三.一 + 三.三.二 }}；若说的是别的数（例如某一机关自己的），请写成 {{= 258 }}"),
    ("予以公开和部分公开275件", None),
    ("不予公开和无法提供3件", "正文写“不予公开和无法提供3件”，但表格中对应的数为 5："
     "若说的是本报告的这个数，请改用占位符 {{ 三.三.三 + 三.三.四 }}；若说的是别的数（例如某一机关自己的），请写成 {{= 3 }}"),
    ("不予公开及无法提供5件", None),
    ("部分公开17件", None),
])
def test_phrases_naming_two_outcomes_are_held_to_the_sum(text, message):
    assert literal_conflicts(text, CELLS) == ([message] if message else [])


def test_a_sum_placeholder_prints_the_sum_and_names_a_wrong_part(project):
    narrative = project / "content/annual/cgjd/2025.md"
    line = edit(narrative, "予以公开{{ 三.予以公开 }}件", "予以公开和无法提供{{ 三.予以公开 + 三.无法提供 }}件")
    site = load_site(project, BUILD)
    assert "予以公开和无法提供3件" in township(site).narrative.sections[0]
    edit(narrative, "{{ 三.予以公开 + 三.无法提供 }}", "{{ 三.予以公开 + 三.无法 }}")
    assert errors_of(project) == [f"content/annual/cgjd/2025.md:{line}: 占位符: "
                                  "占位符“{{ 三.予以公开 + 三.无法 }}”中的“三.无法”不对应任何表格单元格"]
