"""The annual report as a reader sees it in the built sample site.

The expected labels below are transcribed from the 2021 national format
(shared/domain.md §4), not imported from the code, so a drifted label fails.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOT

SECTIONS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
ROWS3 = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
    "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]
GROUPS3 = {"（三）不予公开": ROWS3[4:12], "（四）无法提供": ROWS3[12:15], "（五）不予处理": ROWS3[15:20],
           "（六）其他处理": ROWS3[20:23]}
APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
CASE_RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
YEARS = [2023, 2024, 2025, 2026]  # the sample years up to the build date 2026-11-26


def page(site: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / path).read_text(encoding="utf-8"))


def text(el) -> str:
    return re.sub(r"\s+", "", el.text_content())


def data(site: Path, year: int) -> dict:
    return json.loads((site / f"annual/{year}.json").read_text(encoding="utf-8"))


# --- layout ------------------------------------------------------------------------------------

@pytest.mark.parametrize("year", YEARS)
def test_report_has_the_six_sections_and_the_national_tables_in_order(built_site, year):
    doc = page(built_site, f"annual/{year}/index.html")
    article = doc.xpath("//article")[0]
    assert [text(h) for h in article.xpath(".//h2")] == SECTIONS
    captions = [text(th) for th in article.xpath(".//table[contains(@class,'gk-annual-2')]/thead/tr[1]/th")]
    assert captions == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    heads = [[text(th) for th in t.xpath("./thead/tr[2]/th")]
             for t in article.xpath(".//table[contains(@class,'gk-annual-2')]")]
    assert heads == [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["信息内容", "本年处理决定数量"],
                     ["信息内容", "本年处理决定数量"], ["信息内容", "本年收费金额（单位：万元）"]]
    rows = [text(th) for th in article.xpath(".//table[contains(@class,'gk-annual-2')]/tbody/tr/th")]
    assert rows == ["规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费"]
    # each table sits under its own heading, in order: 二, 三, 四
    order = [el.tag if el.tag == "h2" else el.get("class").split()[-1]
             for el in article.xpath(".//h2 | .//table[contains(@class,'gk-annual')]")]
    assert order == ["h2", "h2"] + ["gk-annual-2"] * 4 + ["h2", "gk-annual-3", "h2", "gk-annual-4", "h2", "h2"]


@pytest.mark.parametrize("year", YEARS)
def test_section3_row_labels_match_the_national_list_one_by_one(built_site, year):
    table = page(built_site, f"annual/{year}/index.html").xpath("//table[contains(@class,'gk-annual-3')]")[0]
    body = table.xpath("./tbody/tr")
    assert len(body) == len(ROWS3)
    for tr, expected in zip(body, ROWS3, strict=False):
        label = tr.xpath("./th")[-1]  # the row's own label; merged group labels precede it
        assert text(label) == expected
        assert len(tr.xpath("./td")) == 7
    # group labels carry no numbers: they are merged header cells spanning their rows
    groups = {text(th): int(th.get("rowspan")) for th in table.xpath(".//th[@scope='rowgroup']")}
    assert groups == {"三、本年度办理结果": 22} | {g: len(rows) for g, rows in GROUPS3.items()}
    for tr in body:
        first = tr.xpath("./th")[-1]
        if text(first) in GROUPS3["（三）不予公开"][:1] + GROUPS3["（四）无法提供"][:1]:
            assert tr.xpath("./th[@scope='rowgroup']")


@pytest.mark.parametrize("year", YEARS)
def test_section3_and_4_column_headers_and_merged_cells(built_site, year):
    doc = page(built_site, f"annual/{year}/index.html")
    t3 = doc.xpath("//table[contains(@class,'gk-annual-3')]")[0]
    head = t3.xpath("./thead/tr")
    assert [(text(th), th.get("colspan"), th.get("rowspan")) for th in head[0].xpath("./th")] == [
        ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "3", "3"), ("申请人情况", "7", None)]
    assert [(text(th), th.get("colspan")) for th in head[1].xpath("./th")] == [
        ("自然人", None), ("法人或其他组织", "5"), ("总计", None)]
    assert [text(th) for th in head[2].xpath("./th")] == APPLICANTS[1:6]
    t4 = doc.xpath("//table[contains(@class,'gk-annual-4')]")[0]
    head = t4.xpath("./thead/tr")
    assert [(text(th), th.get("colspan")) for th in head[0].xpath("./th")] == [("行政复议", "5"), ("行政诉讼", "10")]
    assert [(text(th), th.get("colspan")) for th in head[1].xpath("./th")] == [
        ("未经复议直接起诉", "5"), ("复议后起诉", "5")]
    assert [text(th) for th in head[2].xpath("./th")] == CASE_RESULTS * 3
    assert len(t4.xpath("./tbody/tr/td")) == 15


@pytest.mark.parametrize("year", YEARS)
def test_every_cell_holds_an_explicit_number(built_site, year):
    doc = page(built_site, f"annual/{year}/index.html")
    cells = [text(td) for td in doc.xpath("//table[contains(@class,'gk-annual')]//td")]
    assert len(cells) == 3 + 3 + 1 + 1 + 1 + 1 + 25 * 7 + 15
    assert all(re.fullmatch(r"\d+(\.\d+)?", c) for c in cells), cells


@pytest.mark.parametrize("year", YEARS)
def test_page_tables_are_the_json_numbers(built_site, year):
    doc, d = page(built_site, f"annual/{year}/index.html"), data(built_site, year)
    t3 = doc.xpath("//table[contains(@class,'gk-annual-3')]/tbody/tr")
    assert [[int(text(td)) for td in tr.xpath("./td")] for tr in t3] == [r["values"] for r in d["tables"]["三"]["rows"]]
    t4 = doc.xpath("//table[contains(@class,'gk-annual-4')]/tbody/tr/td")
    assert [int(text(td)) for td in t4] == d["tables"]["四"]["values"]


# --- open data ---------------------------------------------------------------------------------

@pytest.mark.parametrize("year", YEARS)
def test_json_follows_the_published_schema(built_site, year):
    import jsonschema
    schema = json.loads((built_site / "annual/schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data(built_site, year), schema)
    broken = data(built_site, year)
    broken["tables"]["三"]["rows"].pop()
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


@pytest.mark.parametrize("year", YEARS)
def test_json_satisfies_every_identity(built_site, year):
    """Recomputed from the JSON alone, as a journalist checking the report would."""
    d = data(built_site, year)
    three = d["tables"]["三"]
    assert three["columns"] == APPLICANTS
    assert [r["label"] for r in three["rows"]] == ROWS3
    rows = {r["label"]: r["values"] for r in three["rows"]}
    for values in rows.values():
        assert len(values) == 7
        assert all(isinstance(v, int) and v >= 0 for v in values)
        assert sum(values[:6]) == values[6]  # 总计 = the six applicant columns
    outcomes = ROWS3[2:23]  # （一）（二） and the 8 + 3 + 5 + 3 numbered rows
    assert len(outcomes) == 21
    for c in range(7):
        results = sum(rows[label][c] for label in outcomes)
        assert results == rows["（七）总计"][c]
        assert (rows["一、本年新收政府信息公开申请数量"][c] + rows["二、上年结转政府信息公开申请数量"][c]
                == rows["（七）总计"][c] + rows["四、结转下年度继续办理"][c])
    four = d["tables"]["四"]["values"]
    assert len(four) == 15 and all(isinstance(v, int) and v >= 0 for v in four)
    for g in range(3):
        assert sum(four[g * 5: g * 5 + 4]) == four[g * 5 + 4]
    blocks = d["tables"]["二"]["blocks"]
    assert [b["caption"] for b in blocks] == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项",
                                             "第二十条第（八）项"]
    for b in blocks[:3]:
        for r in b["rows"]:
            assert all(isinstance(v, int) and v >= 0 for v in r["values"])
    fee = blocks[3]["rows"][0]["values"][0]
    assert isinstance(fee, (int, float)) and fee >= 0


def test_json_counts_every_application_exactly_once_and_carries_over(built_site):
    """The carry-over chain across sample years: 结转下年度 of one is 上年结转 of the next."""
    rows = {y: {r["label"]: r["values"] for r in data(built_site, y)["tables"]["三"]["rows"]} for y in YEARS}
    for year in YEARS[:-1]:
        assert rows[year]["四、结转下年度继续办理"] == rows[year + 1]["二、上年结转政府信息公开申请数量"], year


def test_the_register_numbers_never_reach_the_site(built_site):
    registers = [(ROOT / "catalog/annual" / name).read_text(encoding="utf-8")
                 for name in ("applications.csv", "cases.csv")]
    numbers = [line.split(",")[0] for reg in registers for line in reg.splitlines()[1:] if line]
    assert len(numbers) > 40
    for path in built_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml", ".js", ".txt"):
            content = path.read_text(encoding="utf-8", errors="ignore")
            leaked = [n for n in numbers if n in content]
            assert not leaked, (path, leaked[:3])


@pytest.mark.parametrize("year", YEARS)
def test_csv_files_hold_the_same_numbers(built_site, year):
    d = data(built_site, year)
    raw = (built_site / f"annual/{year}/table-3.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel and WPS open UTF-8 with a BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][2:] == APPLICANTS
    assert [r[1] for r in rows[1:]] == ROWS3
    assert [[int(v) for v in r[2:]] for r in rows[1:]] == [r["values"] for r in d["tables"]["三"]["rows"]]
    four = list(csv.reader(io.StringIO((built_site / f"annual/{year}/table-4.csv").read_text("utf-8-sig"))))
    assert [int(v) for v in four[1]] == d["tables"]["四"]["values"]
    two = list(csv.reader(io.StringIO((built_site / f"annual/{year}/table-2.csv").read_text("utf-8-sig"))))
    assert ["第二十条第（一）项", "规章", "本年制发件数"] == two[1][:3]


# --- narrative and status ----------------------------------------------------------------------

def test_narrative_quotes_the_table(built_site):
    d = data(built_site, 2024)
    rows = {r["label"]: r["values"] for r in d["tables"]["三"]["rows"]}
    article = text(page(built_site, "annual/2024/index.html").xpath("//article")[0])
    assert f"全年新收政府信息公开申请{rows['一、本年新收政府信息公开申请数量'][6]}件" in article
    assert f"其中予以公开{rows['（一）予以公开'][6]}件" in article
    assert f"主动公开政府信息{d['statistics']['published_items']}条" in article
    assert "{{" not in article


def test_year_status_on_the_column_page(built_site):
    doc = page(built_site, "annual/index.html")
    rows = {text(tr.xpath("./th")[0]): tr for tr in doc.xpath("//table[contains(@class,'gk-annual-years')]/tbody/tr")}
    assert list(rows) == ["2026", "2025", "2024", "2023"]
    assert "年度进行中（截至2026-11-26）" in text(rows["2026"])
    assert "2026-01-23发布" in text(rows["2025"])
    for year, tr in rows.items():
        hrefs = tr.xpath(".//a/@href")
        assert hrefs == [f"{year}/", f"{year}/statistics/", f"{year}.json", f"{year}/table-2.csv",
                         f"{year}/table-3.csv", f"{year}/table-4.csv"]
        for href in hrefs:
            target = built_site / "annual" / href
            assert (target / "index.html").exists() if href.endswith("/") else target.exists()
    assert data(built_site, 2026)["status"] == "in-progress"
    assert data(built_site, 2023)["source"] == "typed"
    # the register does not cover a typed year: no reply figures that would contradict its table
    assert data(built_site, 2023)["statistics"]["replies"] is None
    assert "依申请公开答复" not in text(page(built_site, "annual/2023/statistics/index.html").xpath("//article")[0])
    assert data(built_site, 2025)["statistics"]["late_replies"] == 1
    assert data(built_site, 2024)["source"] == "registers"


def test_home_page_links_the_annual_report_column(built_site):
    doc = page(built_site, "index.html")
    links = {text(a.xpath(".//strong")[0]): a.get("href") for a in doc.xpath("//ul[@class='gk-columns']/li/a")}
    assert links["政府信息公开年报"] == "annual/"
    nav = [text(a) for a in doc.xpath("//nav[contains(@class,'md-tabs')]//a")]
    assert "政府信息公开年报" in nav


def test_year_in_progress_is_marked_on_its_report(built_site):
    article = text(page(built_site, "annual/2026/index.html").xpath("//article")[0])
    assert "2026年度尚未结束" in article and "截至2026-11-26" in article
    assert data(built_site, 2026)["title"] == "青禾县人民政府2026年政府信息公开工作年度报告"
    assert data(built_site, 2026)["published"] is None


def test_the_report_links_the_print_stylesheet(built_site):
    doc = page(built_site, "annual/2024/index.html")
    # linked by its content-hashed copy (gongkai.deploy.fingerprint)
    css = [h for h in doc.xpath("//link[@rel='stylesheet']/@href") if re.search(r"annual(\.[0-9a-f]{8})?\.css$", h)]
    assert css and not css[0].startswith(("http:", "https:", "//"))
    sheet = (built_site / "assets/annual.css").read_text(encoding="utf-8")
    assert "@page { size: A4 portrait" in sheet and "break-inside: avoid" in sheet


# --- statistics --------------------------------------------------------------------------------

@pytest.mark.parametrize("year", [2024, 2025])
def test_statistics_charts_are_inline_svg_with_data_tables(built_site, year):
    doc = page(built_site, f"annual/{year}/statistics/index.html")
    d = data(built_site, year)["statistics"]
    sections = doc.xpath("//section[contains(@class,'gk-stat')]")
    assert [text(s.xpath("./h2")[0]) for s in sections] == [
        f"{year}年各月主动公开条数", "按目录统计", "按发布机构统计", "按公开渠道和载体统计"]
    expected = [d["by_month"], d["by_category"], d["by_agency"], d["by_channel"]]
    for section, series in zip(sections, expected, strict=False):
        svg = section.xpath(".//svg")[0]
        assert svg.get("role") == "img" and svg.xpath("./title") and svg.xpath("./desc")
        table = [(text(tr.xpath("./th")[0]), int(text(tr.xpath("./td")[0])))
                 for tr in section.xpath(".//table/tbody/tr")]
        assert table == [(s["label"], s["count"]) for s in series]
        assert len(svg.xpath(".//*[local-name()='rect']")) == len(series)
    assert sum(s["count"] for s in d["by_month"]) == d["published_items"]
    assert d["by_channel"][0]["label"] == "政府网站"
    assert "<script" not in (built_site / f"annual/{year}/statistics/index.html").read_text(
        encoding="utf-8").split("<article")[1].split("</article>")[0]
