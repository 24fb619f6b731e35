"""Every agency its own annual report (issue 28): a county portal where the government
office, two departments and a township each publish their own 年报 from one repository.

The sample: the site owner (青禾县人民政府办公室, 政府) keeps catalog/annual/ and
content/annual/; 城市管理局 (部门, registers) and 城关街道 (部门, typed tables) keep
catalog/annual/<slug>/ and content/annual/<slug>/; 乡村振兴局 (部门) published 10 days late.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import lxml.html
import pytest
from conftest import copy_project, mkdocs_build
from sitekit import gongkai

from gongkai.pipeline import load_site
from gongkai.problems import Problems, ValidationFailed

BUILD = dt.date(2026, 11, 26)
CGJ = "002501003"


@pytest.fixture()
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "p")


def errors_of(root: Path, build: dt.date = BUILD) -> list[str]:
    problems = Problems()
    with pytest.raises(ValidationFailed):
        load_site(root, build, problems)
    return [p.format() for p in problems.errors]


def page_text(site: Path, path: str) -> str:
    root = lxml.html.parse(str(site / path)).getroot()
    return " ".join(root.xpath("//article")[0].text_content().split())


def portal_rows(site: Path, year: int) -> dict[str, str]:
    """Agency -> the row's cells (type, report, deadline, published, state) on the year's page."""
    root = lxml.html.parse(str(site / f"annual/{year}/agencies/index.html")).getroot()
    rows = {}
    for tr in root.xpath("//table[contains(@class, 'gk-annual-portal')]/tbody/tr"):
        cells = [" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")]
        rows[cells[0]] = " | ".join(cells[1:])
    return rows


def due_reports(root: Path, date: str, *extra: str) -> dict[str, dict]:
    result = gongkai("audit", str(root), "--due", "--date", date, "--format", "json", *extra)
    assert result.returncode == 0, result.stderr
    return {r["name"]: r for r in json.loads(result.stdout)["reports"]}


# --- each agency's report, with its own figures ------------------------------------------------

def test_each_agency_publishes_its_own_report_with_its_own_figures(built_site):
    cgj = page_text(built_site, "annual/cgj/2025/index.html")
    assert "青禾县城市管理局2025年政府信息公开工作年度报告" in cgj
    assert "发布日期：2026-01-20" in cgj
    # its own register: 7 new applications, 3 + 1 answered 予以公开 / 部分公开, 1 carried over
    assert "全年新收政府信息公开申请7件，办结6件，其中予以公开及部分公开4件" in cgj
    data = json.loads((built_site / "annual/cgj/2025.json").read_text(encoding="utf-8"))
    assert data["agency"] == {"code": CGJ, "name": "青禾县城市管理局"}
    rows = {r["key"]: r["values"] for r in data["tables"]["三"]["rows"]}
    assert rows["一"] == [5, 1, 0, 0, 1, 0, 7] and rows["四"][-1] == 1
    # its own items only: the department's one normative document of 2025, two in force
    regs = data["tables"]["二"]["blocks"][0]["rows"]
    assert regs[1] == {"label": "行政规范性文件", "values": [1, 0, 2]}
    assert data["statistics"]["by_agency"] == [{"label": "青禾县城市管理局", "count": 7}]
    township = json.loads((built_site / "annual/cgjd/2025.json").read_text(encoding="utf-8"))
    assert township["source"] == "typed" and township["statistics"]["published_items"] == 6
    assert "全年新收政府信息公开申请3件，均已办结：予以公开2件，无法提供1件" in page_text(
        built_site, "annual/cgjd/2025/index.html")
    csv = (built_site / "annual/cgjd/2025/table-3.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv[1] == "一,一、本年新收政府信息公开申请数量,3,0,0,0,0,0,3"
    # the site owner's report is the county's, as before
    owner = json.loads((built_site / "annual/2025.json").read_text(encoding="utf-8"))
    assert "agency" not in owner and owner["title"] == "青禾县人民政府2025年政府信息公开工作年度报告"


def test_agency_statistics_count_only_its_items(built_site):
    text = page_text(built_site, "annual/cgjd/2025/statistics/index.html")
    assert "青禾县城关街道办事处2025年政府信息公开统计" in text
    assert "主动公开政府信息6 条" in text
    assert "青禾县乡村振兴局" not in text


# --- the year's portal page -------------------------------------------------------------------

def test_portal_page_lists_every_agency_against_its_deadline(built_site):
    rows = portal_rows(built_site, 2025)
    assert rows == {
        "青禾县人民政府办公室": "政府 | 青禾县人民政府2025年政府信息公开工作年度报告 | 2026-03-31 | 2026-01-23 | 已发布",
        "青禾县乡村振兴局": "部门 | 青禾县乡村振兴局2025年政府信息公开工作年度报告 | 2026-01-31 | 2026-02-10 | 逾期（超过期限 10 天发布）",
        "青禾县城市管理局": "部门 | 青禾县城市管理局2025年政府信息公开工作年度报告 | 2026-01-31 | 2026-01-20 | 已发布",
        "青禾县城关街道办事处": "部门 | 青禾县城关街道办事处2025年政府信息公开工作年度报告 | 2026-01-31 | 2026-01-27 | 已发布",
    }
    root = lxml.html.parse(str(built_site / "annual/2025/agencies/index.html")).getroot()
    assert "cgj/2025/" in root.xpath("//a[contains(text(), '青禾县城市管理局2025年')]/@href")[0]
    column = lxml.html.parse(str(built_site / "annual/index.html")).getroot()
    assert column.xpath("//a[text()='2025 年度各机构年报及公布情况']/@href") == ["2025/agencies/"]


def test_portal_page_before_the_department_deadline(project, tmp_path):
    """On 25 January 城关街道's report (dated 27 January) is not out yet: 未发布, not 逾期."""
    out = tmp_path / "site"
    mkdocs_build(project, out, "2026-01-25")
    rows = portal_rows(out, 2025)
    assert rows["青禾县城关街道办事处"] == "部门 | — | 2026-01-31 | — | 未发布"
    assert rows["青禾县乡村振兴局"] == "部门 | — | 2026-01-31 | — | 未发布"
    assert rows["青禾县城市管理局"].endswith("2026-01-20 | 已发布")


def test_due_list_before_and_after_each_deadline(project):
    # departments: 31 January
    before = due_reports(project, "2026-01-31")
    assert before["青禾县乡村振兴局"]["state"] == "未发布"
    assert before["青禾县城关街道办事处"]["state"] == "已发布"
    after = due_reports(project, "2026-02-01")
    assert after["青禾县乡村振兴局"]["state"] == "逾期"
    # the government: 31 March (its report withdrawn to see the deadline pass)
    (project / "content/annual/2025.md").unlink()
    assert due_reports(project, "2026-03-31")["青禾县人民政府办公室"]["state"] == "未发布"
    assert due_reports(project, "2026-04-01")["青禾县人民政府办公室"]["state"] == "逾期"


def test_a_report_published_after_its_deadline_is_late_with_its_date(project):
    narrative = project / "content/annual/cgjd/2025.md"
    narrative.write_text(narrative.read_text(encoding="utf-8").replace("2026-01-27", "2026-02-05"),
                         encoding="utf-8")
    row = due_reports(project, "2026-02-10")["青禾县城关街道办事处"]
    assert (row["state"], row["published"], row["deadline"]) == ("逾期", "2026-02-05", "2026-01-31")


def test_audit_due_names_each_agency_and_honours_agency(project):
    result = gongkai("audit", str(project), "--due", "--date", "2026-01-20", "--days", "30")
    assert result.returncode == 0, result.stderr
    assert ("| 年度报告公布期限 | 青禾县乡村振兴局 2025 年度报告 | 青禾县乡村振兴局 | 2026-01-31 | 11 |"
            in result.stdout)
    assert "content/annual/xczx/2025.md" in result.stdout
    assert "| 青禾县城市管理局 | 部门 | 2026-01-31 | 2026-01-20 | 已发布 | content/annual/cgj/2025.md |" \
        in result.stdout
    only = gongkai("audit", str(project), "--due", "--date", "2026-01-20", "--days", "30",
                   "--agency", "002501002", "--format", "json")
    data = json.loads(only.stdout)
    # its own report, and the columns it publishes in, each with who keeps it up; not the home page
    assert [d["subject"] for d in data["due"]] == ["机构职能", "工作动态", "青禾县乡村振兴局 2025 年度报告"]
    xczx = {i.category.name for i in load_site(project, dt.date(2026, 1, 20), Problems()).public_items
            if i.agency.code == "002501002"}
    assert {"机构职能", "工作动态"} <= xczx
    assert all(d["owners"] for d in data["due"])
    assert [r["name"] for r in data["reports"]] == ["青禾县乡村振兴局"]
    unknown = gongkai("audit", str(project), "--due", "--agency", "999")
    assert unknown.returncode == 2
    assert "机构代码“999”未在 catalog/agencies.yml 中定义；可用：002501001（青禾县人民政府办公室）" in unknown.stderr
    assert "002501004（青禾县城关街道办事处）" in unknown.stderr


# --- one agency's slip stays on that agency's files -------------------------------------------

def _only_under(errors: list[str], *prefixes: str) -> None:
    assert errors
    assert all(e.startswith(prefixes) for e in errors), "\n".join(errors)


def test_a_broken_department_register_names_only_its_own_files(project):
    register = project / "catalog/annual/cgj/applications.csv"
    register.write_text(register.read_text(encoding="utf-8")
                        + "CGSQ2025-008,2025-13-01,自然人,予以公开,2025-12-30,否,\n", encoding="utf-8")
    errors = errors_of(project)
    _only_under(errors, "catalog/annual/cgj/applications.csv:9")
    assert "日期“2025-13-01”不存在" in errors[0]


def test_a_department_register_kept_twice_breaks_nothing_else(project):
    (project / "catalog/annual/cgj/applications.xlsx").write_bytes(b"PK")
    errors = errors_of(project)
    assert errors == ["catalog/annual/cgj/applications.xlsx: applications.csv 和 applications.xlsx "
                      "只能保留一个：请删去不用的那个"]


def test_a_department_narrative_slip_names_its_file_and_the_sum(project):
    narrative = project / "content/annual/cgj/2025.md"
    text = narrative.read_text(encoding="utf-8")
    narrative.write_text(text.replace("予以公开及部分公开{{ 三.三.一 + 三.三.二 }}件", "予以公开及部分公开3件"),
                         encoding="utf-8")
    errors = errors_of(project)
    _only_under(errors, "content/annual/cgj/2025.md:")
    assert errors[0].endswith("正文写“予以公开及部分公开3件”，但表格中对应的数为 4："
                              "若说的是本报告的这个数，请改用占位符 {{ 三.三.一 + 三.三.二 }}；"
                              "若说的是别的数（例如某一机关自己的），请写成 {{= 3 }}")


def test_a_folder_naming_no_agency_is_refused_with_the_slugs(project):
    (project / "catalog/annual/mzj").mkdir()
    errors = errors_of(project)
    assert errors == ["catalog/annual/mzj/: “mzj”不是 catalog/agencies.yml 中任何机构的简称代码（slug）："
                      "机构年报的文件夹以简称代码命名，可用：xczx、cgj、cgjd"]


# --- gongkai annual new -----------------------------------------------------------------------

def test_annual_new_starts_a_report_that_builds_and_says_what_to_fill(project):
    # the sample's 乡村振兴局 report, taken away: this starts one from nothing
    for rel in ("catalog/annual/xczx", "content/annual/xczx"):
        shutil.rmtree(project / rel)
    result = gongkai("annual", "new", str(project), "--agency", "xczx", "--year", "2025", "--date", "2026-01-10")
    assert result.returncode == 0, result.stderr
    assert "已开始青禾县乡村振兴局 2025 年度报告（公布期限 2026-01-31）" in result.stdout
    for rel in ("catalog/annual/xczx/2025.yml", "catalog/annual/xczx/applications.csv",
                "catalog/annual/xczx/cases.csv", "content/annual/xczx/2025.md"):
        assert f"  {rel}：" in result.stdout
    assert (project / "catalog/annual/xczx/applications.csv").read_text(encoding="utf-8") == \
        "登记号,收到日期,申请人类型,办理结果,答复日期,是否延期,补正日期\n"
    text = (project / "content/annual/xczx/2025.md").read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## 一、总体情况", "## 二、主动公开政府信息情况", "## 三、收到和处理政府信息公开申请情况",
                        "## 四、政府信息公开行政复议、行政诉讼情况", "## 五、存在的主要问题及改进情况",
                        "## 六、其他需要报告的事项"]
    check = gongkai("check", str(project), "--date", "2026-01-10")
    assert check.returncode == 0, check.stdout + check.stderr
    # its planned date comes with the text still unwritten: not published, said on its file
    late = gongkai("check", str(project), "--date", "2026-01-31")
    assert late.returncode == 1
    assert "content/annual/xczx/2025.md:8: 正文: 发布日期 2026-01-31 已到，但正文还有 4 处“【待填写】”" \
        in late.stdout + late.stderr
    again = gongkai("annual", "new", str(project), "--agency", "xczx", "--year", "2025", "--date", "2026-01-10")
    assert again.returncode == 1 and "文件都已存在，未改动" in again.stderr
