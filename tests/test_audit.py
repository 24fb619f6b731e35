"""gongkai audit: each kind of finding planted in a copy of the sample is reported with its file."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from conftest import BUILD_DATE, ROOT, copy_project, mkdocs_build

from gongkai.audit.findings import KINDS
from gongkai.cli import audit as audit_cli
from gongkai.cli.main import main
from gongkai.pipeline import load_site

SCHEMA = json.loads((ROOT / "hooks/gongkai/schemas/audit.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["audit", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def audit_json(capsys, project: Path, year: int, *extra: str) -> dict:
    code, out, err = run(capsys, str(project), "--year", str(year), "--format", "json",
                         "--date", BUILD_DATE, *extra)
    assert code == 0, err
    data = json.loads(out)
    VALIDATOR.validate(data)
    return data


def item(id_: str, category: str, created: str, published: str, *, extra: str = "",
         body: str = "正文。", title: str | None = None) -> str:
    agency = {"002501001": "青禾县人民政府办公室", "002501002": "青禾县乡村振兴局"}[id_.split("/")[0]]
    return (f"---\n索引号: {id_}\n标题: {title or '自查测试条目' + id_}\n发布机构: {agency}\n目录: {category}\n"
            f"成文日期: {created}\n发布日期: {published}\n{extra}"
            f"审查:\n  审查人: 王丽\n  审查日期: {published}\n  审查结果: 同意公开\n---\n\n{body}\n")


def plant(project: Path, rel: str, text: str) -> str:
    path = project / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return f"content/{rel}"


def new_findings(before: dict, after: dict) -> list[dict]:
    seen = {json.dumps(f, sort_keys=True) for f in before["findings"]}
    return [f for f in after["findings"] if json.dumps(f, sort_keys=True) not in seen]


@pytest.fixture(autouse=True, scope="module")
def _sample_loaded_once() -> Iterator[None]:
    """`gongkai audit` of the unmodified sample loads it once per date in this module: the
    command only reads the site it loads (each audit of one loaded site prints what an audit
    of a fresh load prints), and some thirty audits of the sample here each paid a full load.
    Any other root (the ``project`` copies that plant findings) is loaded afresh every time."""
    real, loaded = audit_cli.load_site, {}

    def load(root: Path, build_date: dt.date | None = None, *rest, **options):
        if rest or options or Path(root).resolve() != ROOT or build_date is None:
            return real(root, build_date, *rest, **options)
        if build_date not in loaded:
            loaded[build_date] = real(root, build_date)
        return loaded[build_date]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(audit_cli, "load_site", load)
        yield


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "site")


@pytest.fixture(scope="module")
def sample_2025() -> dict:
    """The unmodified sample's 2025 audit, the baseline every plant is compared with."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["audit", str(ROOT), "--year", "2025", "--format", "json", "--date", BUILD_DATE]) == 0
    return json.loads(buf.getvalue())


# --- each kind of finding, planted ---------------------------------------------------------

def test_late_publication_counts_official_working_days(project, capsys, sample_2025):
    # 2025 国庆: Oct 1-8 off, Sun Sep 28 and Sat Oct 11 are make-up working days.
    late = plant(project, "zfb/late.md", item("002501001/2025-00901", "xzxk", "2025-09-26", "2025-10-15"))
    # Monday to Friday this would be 8 working days (late); officially it is 3: on time.
    plant(project, "zfb/ontime.md", item("002501001/2025-00902", "xzxk", "2025-09-30", "2025-10-11"))
    found = new_findings(sample_2025, audit_json(capsys, project, 2025))
    assert len(found) == 1
    f = found[0]
    assert (f["kind"], f["file"], f["line"], f["item_id"]) == ("late_publication", late, 7, "002501001/2025-00901")
    assert (f["workdays"], f["limit"]) == (9, 7)
    assert "间隔 9 个工作日" in f["message"] and "公开时限 7 个工作日" in f["message"]


def test_figures_count_channels_categories_and_on_time_share(project, capsys, sample_2025):
    plant(project, "zfb/a.md", item("002501001/2025-00901", "xzxk", "2025-09-26", "2025-10-15",
                                   extra="公开载体: [政府网站, 两微一端, 精准推送]\n"))
    plant(project, "zfb/b.md", item("002501001/2025-00902", "xzxk", "2025-09-30", "2025-10-11",
                                   extra="公开载体: [两微一端]\n"))
    after = audit_json(capsys, project, 2025)
    b, a = sample_2025["figures"], after["figures"]
    assert a["total"] == b["total"] + 2
    channels = lambda fig: {c["channel"]: c["count"] for c in fig["by_channel"]}  # noqa: E731
    assert channels(a)["两微一端"] == channels(b)["两微一端"] + 2
    assert channels(a)["政府网站"] == channels(b)["政府网站"] + 1
    assert channels(a)["精准推送"] == channels(b).get("精准推送", 0) + 1
    cats = lambda fig: {c["code"]: c["count"] for c in fig["by_category"]}  # noqa: E731
    assert cats(a)["xzxk"] == cats(b).get("xzxk", 0) + 2
    office = lambda fig: next(x for x in fig["by_agency"] if x["code"] == "002501001")  # noqa: E731
    assert office(a)["count"] == office(b)["count"] + 2
    assert office(a)["late"] == office(b)["late"] + 1
    assert office(a)["on_time"] == office(b)["on_time"] + 1
    assert office(a)["on_time_share"] == round(office(a)["on_time"] / office(a)["count"], 4)


def test_empty_column_is_reported_for_the_site_not_for_an_agency(project, capsys):
    cats = project / "catalog/categories.yml"
    cats.write_text(cats.read_text(encoding="utf-8").replace(
        "      - code: gzdt\n",
        "      - code: xwfbh\n        name: 新闻发布会\n        update_cycle: 30\n      - code: gzdt\n"),
        encoding="utf-8")
    data = audit_json(capsys, project, 2025)
    empty = [f for f in data["findings"] if f["kind"] == "empty_column" and f["category"] == "xwfbh"]
    assert len(empty) == 1
    assert empty[0]["file"] == "catalog/categories.yml"
    assert empty[0]["title"] == "其他主动公开信息 › 新闻发布会"
    # an empty column is not also reported as stale
    assert not [f for f in data["findings"] if f["kind"] == "stale_column" and f["category"] == "xwfbh"]
    by_agency = audit_json(capsys, project, 2025, "--agency", "002501002")
    assert not [f for f in by_agency["findings"] if f["kind"] == "empty_column"]


def test_stale_column_names_the_last_update_before_each_gap(project, capsys):
    cats = project / "catalog/categories.yml"
    cats.write_text(cats.read_text(encoding="utf-8").replace(
        "      - code: gzdt\n",
        "      - code: xwfbh\n        name: 新闻发布会\n        update_cycle: 30\n      - code: gzdt\n"),
        encoding="utf-8")
    plant(project, "zfb/1.md", item("002501001/2025-00901", "xwfbh", "2025-03-03", "2025-03-03"))
    second = plant(project, "zfb/2.md", item("002501001/2025-00902", "xwfbh", "2025-03-20", "2025-03-20"))
    third = plant(project, "zfb/3.md", item("002501001/2025-00903", "xwfbh", "2025-06-30", "2025-06-30"))
    stale = [f for f in audit_json(capsys, project, 2025)["findings"]
             if f["kind"] == "stale_column" and f["category"] == "xwfbh"]
    # Jan 1 -> Mar 3 (61 days, never updated before), Mar 20 -> Jun 30 (102), Jun 30 -> Dec 31 (184)
    assert [(f["file"], f["since"], f["until"], f["days"]) for f in stale] == [
        ("catalog/categories.yml", None, "2025-03-03", 61),
        (second, "2025-03-20", "2025-06-30", 102),
        (third, "2025-06-30", "2025-12-31", 184),
    ]
    assert all(f["cycle"] == 30 for f in stale)
    assert "到 2025-06-30 才再次更新，间隔 102 天，超过更新周期 30 天" in stale[1]["message"]


def test_policy_without_interpretation(project, capsys, sample_2025):
    policy = plant(project, "xczx/policy.md", item("002501002/2025-00901", "gfxwj", "2025-03-10", "2025-03-12"))
    found = new_findings(sample_2025, audit_json(capsys, project, 2025))
    assert [(f["kind"], f["file"], f["item_id"]) for f in found] == [
        ("missing_interpretation", policy, "002501002/2025-00901")]


def test_interpretation_later_than_three_working_days(project, capsys, sample_2025):
    # 2025 端午: May 31 - Jun 2 off. Policy on Tue Jun 3.
    plant(project, "xczx/p1.md", item("002501002/2025-00901", "gfxwj", "2025-05-30", "2025-06-03"))
    late = plant(project, "xczx/j1.md", item("002501002/2025-00902", "zcjd", "2025-06-10", "2025-06-10",
                                           extra="解读对象: 002501002/2025-00901\n"))
    plant(project, "xczx/p2.md", item("002501002/2025-00903", "gfxwj", "2025-05-30", "2025-06-03"))
    plant(project, "xczx/j2.md", item("002501002/2025-00904", "zcjd", "2025-06-06", "2025-06-06",
                                    extra="解读对象: 002501002/2025-00903\n"))
    found = new_findings(sample_2025, audit_json(capsys, project, 2025))
    assert [(f["kind"], f["file"], f["policy_id"], f["workdays"]) for f in found] == [
        ("late_interpretation", late, "002501002/2025-00901", 5)]


def test_interpretation_lag_is_configurable(project, capsys, sample_2025):
    site_yml = project / "catalog/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "interpretation_lag_workdays: 3", "interpretation_lag_workdays: 5"), encoding="utf-8")
    plant(project, "xczx/p1.md", item("002501002/2025-00901", "gfxwj", "2025-05-30", "2025-06-03"))
    plant(project, "xczx/j1.md", item("002501002/2025-00902", "zcjd", "2025-06-10", "2025-06-10",
                                    extra="解读对象: 002501002/2025-00901\n"))
    data = audit_json(capsys, project, 2025)
    assert data["thresholds"]["interpretation_lag_workdays"] == 5
    assert not [f for f in data["findings"] if f["kind"] == "late_interpretation"]


def test_interpretation_without_its_policy(project, capsys, sample_2025):
    orphan = plant(project, "xczx/j.md", item("002501002/2025-00901", "zcjd", "2025-06-10", "2025-06-10"))
    found = new_findings(sample_2025, audit_json(capsys, project, 2025))
    assert [(f["kind"], f["file"]) for f in found] == [("unlinked_interpretation", orphan)]


def test_regulation_in_force_past_its_review_period(project, capsys, sample_2025):
    old = plant(project, "xczx/old.md", item("002501002/2023-00901", "gfxwj", "2023-01-05", "2023-01-10"))
    found = new_findings(sample_2025, audit_json(capsys, project, 2025))
    review = [f for f in found if f["kind"] == "regulation_review_due"]
    assert [(f["file"], f["months"], f["limit"]) for f in review] == [(old, 35, 24)]
    site_yml = project / "catalog/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "regulation_review_months: 24", "regulation_review_months: 36"), encoding="utf-8")
    assert not [f for f in audit_json(capsys, project, 2025)["findings"]
                if f["kind"] == "regulation_review_due"]


def test_superseded_document_still_marked_in_force(project, capsys, sample_2025):
    plant(project, "xczx/new.md", item("002501002/2025-00902", "qtwj", "2025-04-01", "2025-04-02"))
    stale = plant(project, "xczx/old.md", item("002501002/2025-00901", "qtwj", "2025-02-01", "2025-02-03",
                                             extra="替代文件: 002501002/2025-00902\n"))
    found = new_findings(sample_2025, audit_json(capsys, project, 2025))
    assert [(f["kind"], f["file"], f["line"], f["superseded_by"]) for f in found] == [
        ("superseded_in_force", stale, 8, "002501002/2025-00902")]


def test_short_and_open_notice_periods(project, capsys, sample_2025):
    notice = "公示期:\n  开始日期: {0}\n  结束日期: {1}\n"
    # 11 calendar days, but 国庆 leaves 3 working days: Sep 29, Sep 30, Oct 9
    short = plant(project, "zfb/short.md", item("002501001/2025-00901", "tzgg", "2025-09-28", "2025-09-29",
                                               extra=notice.format("2025-09-29", "2025-10-09")))
    plant(project, "zfb/ok.md", item("002501001/2025-00902", "tzgg", "2025-06-03", "2025-06-03",
                                    extra=notice.format("2025-06-03", "2025-06-09")))
    crossing = plant(project, "zfb/open.md", item("002501001/2025-00903", "tzgg", "2025-12-26", "2025-12-26",
                                                 extra=notice.format("2025-12-26", "2026-01-09")))
    found = new_findings(sample_2025, audit_json(capsys, project, 2025))
    kinds = [(f["kind"], f["file"]) for f in found if f["kind"] in ("short_notice", "open_notice")]
    assert kinds == [("short_notice", short), ("open_notice", crossing)]
    assert next(f for f in found if f["kind"] == "short_notice")["workdays"] == 3
    # the same notice is no finding for 2026
    later = audit_json(capsys, project, 2026)
    assert not [f for f in later["findings"] if f["kind"] == "open_notice" and f["file"] == crossing]


LINKS = """\
内部链接：[本条附件](说明.txt)、[另一条目](../2025-00902/index.md)、[另一条目目录式](../2025-00902/)、
[其他机构](../../002501002/2025-00903/)、[栏目](../../../catalogue/gfxwj/index.md#top)、
[外部](https://www.gov.cn/)、[邮件](mailto:a@example.gov.cn)、[本页锚点](#附件)。

坏链接：[不存在的条目](../2025-09999/)
[根路径](/items/002501001/2025-00902/)
[未列入附件](草稿.txt)
<a href="../2025-00904/">草稿条目</a>

```
[代码中的链接](../nowhere/)
```
"""


def test_broken_links_and_missing_attachments(project, capsys, sample_2025):
    linking = plant(project, "zfb/links.md", item(
        "002501001/2025-00901", "tzgg", "2025-06-03", "2025-06-03", body=LINKS,
        extra="附件:\n  - 文件: 说明.txt\n"))
    (project / "content/zfb/说明.txt").write_text("附件正文\n", encoding="utf-8")
    (project / "content/zfb/草稿.txt").write_text("未列入附件\n", encoding="utf-8")
    plant(project, "zfb/other.md", item("002501001/2025-00902", "tzgg", "2025-06-03", "2025-06-03"))
    plant(project, "xczx/third.md", item("002501002/2025-00903", "tzgg", "2025-06-03", "2025-06-03"))
    plant(project, "zfb/draft.md", item("002501001/2025-00904", "tzgg", "2025-06-03", "2025-06-03",
                                       extra="草稿: true\n"))
    found = [f for f in new_findings(sample_2025, audit_json(capsys, project, 2025))
             if f["kind"] in ("broken_link", "missing_attachment")]
    lines = (project / linking).read_text(encoding="utf-8").splitlines()
    line_of = lambda text: next(n for n, line in enumerate(lines, 1) if text in line)  # noqa: E731
    got = [(f["kind"], f["file"], f["line"], f["target"], f["resolved"]) for f in found]
    assert got == [
        ("broken_link", linking, line_of("不存在的条目"), "../2025-09999/", "items/002501001/2025-09999/"),
        ("broken_link", linking, line_of("[根路径]"), "/items/002501001/2025-00902/", None),
        ("broken_link", linking, line_of("草稿条目"), "../2025-00904/", "items/002501001/2025-00904/"),
        ("missing_attachment", linking, line_of("[未列入附件]"), "草稿.txt",
         "items/002501001/2025-00901/草稿.txt"),
    ]
    messages = {f["target"]: f["message"] for f in found}
    assert "尚未公开" in messages["../2025-00904/"]
    assert "不在 002501001/2025-00901 的附件列表中（已列：说明.txt）" in messages["草稿.txt"]
    assert "子路径" in messages["/items/002501001/2025-00902/"]


# --- the whole sample ------------------------------------------------------------------------

@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_sample_audit_validates_and_adds_up(capsys, year):
    data = audit_json(capsys, ROOT, year)
    site = load_site(ROOT, dt.date.fromisoformat(BUILD_DATE))
    published = [i for i in site.public_items if i.published.year == year]
    figures = data["figures"]
    assert figures["total"] == len(published)
    assert sum(a["count"] for a in figures["by_agency"]) == len(published)
    assert sum(c["count"] for c in figures["by_category"]) == len(published)
    assert sum(c["count"] for c in figures["by_channel"]) == sum(len(i.channels) for i in published)
    assert data["summary"] == {k: sum(f["kind"] == k for f in data["findings"]) for k in KINDS}
    for agency in site.agencies:
        one = audit_json(capsys, ROOT, year, "--agency", agency.code)
        assert one["figures"]["total"] == sum(i.agency.code == agency.code for i in published)
        assert {f["agency"] for f in one["findings"]} <= {agency.code, None}


def test_sample_has_the_deliberate_problems(capsys):
    """The sample carries a few late items and a policy without interpretation."""
    data = audit_json(capsys, ROOT, 2025)
    assert data["summary"]["late_publication"] >= 1
    for f in data["findings"]:
        assert (ROOT / f["file"]).is_file(), f
    late = [f for f in data["findings"] if f["kind"] == "late_publication"]
    assert all(f["workdays"] > f["limit"] for f in late)
    assert any(f["kind"] == "missing_interpretation" for y in (2024, 2026)
               for f in audit_json(capsys, ROOT, y)["findings"])


def test_markdown_report_names_files_in_the_report_shape(capsys):
    code, out, _ = run(capsys, str(ROOT), "--year", "2025", "--date", BUILD_DATE)
    assert code == 0
    assert out.startswith("# 青禾县人民政府办公室 2025 年度政府信息公开工作自查报告")
    assert "## 一、基本情况" in out and "## 二、存在问题" in out
    assert re.search(r"2025 年共主动公开政府信息 \d+ 条，按公开载体计：政府网站 \d+ 条", out)
    data = audit_json(capsys, ROOT, 2025)
    for f in data["findings"]:
        where = f["file"] if f["line"] is None else f"{f['file']}:{f['line']}"
        assert f"`{where}`" in out and f["message"] in out


def test_readme_shows_the_sample_audit(capsys):
    code, out, _ = run(capsys, str(ROOT), "--year", "2025", "--date", BUILD_DATE)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- audit-sample -->\n```markdown\n(.*?)```\n", readme, re.S)
    assert block, "README lacks the sample audit block"
    assert block[1] == out, ("README 中的自查示例已过期：运行 gongkai audit --year 2025 "
                             f"--date {BUILD_DATE} 并替换该代码块")


# --- command line ------------------------------------------------------------------------

def test_cli_rejects_future_year_and_unknown_agency(capsys):
    code, _, err = run(capsys, str(ROOT), "--year", "2027", "--date", BUILD_DATE)
    assert code == 2 and "2027 年尚未开始" in err
    code, _, err = run(capsys, str(ROOT), "--year", "2025", "--agency", "999999999", "--date", BUILD_DATE)
    assert code == 2 and "机构代码“999999999”未在 catalog/agencies.yml 中定义" in err
    assert "002501002（青禾县乡村振兴局）" in err
    with pytest.raises(SystemExit):
        main(["audit", str(ROOT), "--year", "25"])
    assert "年份应为四位数字" in capsys.readouterr().err


def test_cli_refuses_an_invalid_repository(project, capsys):
    bad = plant(project, "zfb/bad.md", item("002501001/2025-00901", "nosuch", "2025-06-03", "2025-06-03"))
    code, out, err = run(capsys, str(project), "--year", "2025", "--date", BUILD_DATE)
    assert code == 1 and out == ""
    assert f"{bad}:5: 目录: 目录代码“nosuch”未在 catalog/categories.yml 中定义" in err


def test_current_year_counts_up_to_the_data_date(capsys):
    data = audit_json(capsys, ROOT, 2026)
    assert data["period"] == {"start": "2026-01-01", "end": BUILD_DATE}
    assert data["calendar_exact"] is True


# --- internal links: the definition ------------------------------------------------------

def test_what_counts_as_an_internal_link():
    from gongkai.load.links import is_internal
    internal = ["说明.txt", "../2025-00902/", "../2025-00902/index.md", "/items/x/", "a.pdf?v=2#p3", "./"]
    external = ["https://www.gov.cn/", "http://x", "//cdn.example.com/a.js", "mailto:a@b.cn",
                "tel:0571", "#附件", "?page=2", "javascript:void(0)"]
    assert [t for t in internal if not is_internal(t)] == []
    assert [t for t in external if is_internal(t)] == []


def test_internal_links_resolve_from_the_item_page():
    from gongkai.load.links import lands_on, resolve
    page = "items/002501001/2025-00901/"
    assert resolve("说明.txt", page) == "items/002501001/2025-00901/说明.txt"
    assert resolve("%E8%AF%B4%E6%98%8E.txt#p2", page) == "items/002501001/2025-00901/说明.txt"
    assert resolve("../2025-00902/", page) == "items/002501001/2025-00902/"
    assert resolve("../../../catalogue/gfxwj/index.md", page) == "catalogue/gfxwj/index.md"
    assert resolve("../../../../up/", page) is None
    assert resolve("/xxgk/items/002501001/2025-00902/", page) is None
    pages, files = {"items/002501001/2025-00902/", "catalogue/gfxwj/"}, {"items/002501001/2025-00901/说明.txt"}
    assert lands_on("catalogue/gfxwj/index.md", pages, files)
    assert lands_on("items/002501001/2025-00902", pages, files)
    assert lands_on("items/002501001/2025-00901/说明.txt", pages, files)
    assert not lands_on("items/002501001/2025-00903/", pages, files)
    assert not lands_on("items/002501001/2025-00901/其他.txt", pages, files)


def test_links_are_found_with_their_lines_outside_code():
    from gongkai.load.links import find_links
    body = ("第一行 [a](a.txt) 与 ![图](b.png \"标题\")\n"
            "`[不是链接](x/)` <a href='c/'>c</a> <img src=\"d.png\">\n"
            "```\n[代码](e/)\n```\n"
            "[ref]: <f 文件.pdf>\n[g](<g 文件.pdf>)\n")
    assert [(link.target, link.line) for link in find_links(body, 10)] == [
        ("a.txt", 10), ("b.png", 10), ("c/", 11), ("d.png", 11), ("f 文件.pdf", 15), ("g 文件.pdf", 16)]


# --- the built site ----------------------------------------------------------------------

def test_site_page_is_off_by_default(built_site):
    assert not (built_site / "audit").exists()
    assert "政府信息公开工作自查" not in (built_site / "index.html").read_text(encoding="utf-8")


def test_site_page_when_enabled_and_body_links_build(project, tmp_path, capsys):
    from urllib.parse import unquote, urljoin
    site_yml = project / "catalog/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("audit_page: false", "audit_page: true"),
                        encoding="utf-8")
    plant(project, "zfb/a.md", item(
        "002501001/2025-00901", "xzxk", "2025-09-26", "2025-10-15", title="链接测试条目甲",
        body="见[附件](说明.txt)和[另一条](../2025-00902/index.md)。", extra="附件:\n  - 文件: 说明.txt\n"))
    (project / "content/zfb/说明.txt").write_text("附件正文\n", encoding="utf-8")
    plant(project, "zfb/b.md", item("002501001/2025-00902", "qtwj", "2025-06-03", "2025-06-03"))
    # not 主动公开: reported on the command line, never on the site
    secret = plant(project, "xczx/secret.md", item(
        "002501002/2023-00901", "gfxwj", "2023-01-05", "2023-01-10", title="依申请公开的旧规范性文件",
        extra="公开方式: 依申请公开\n"))
    cli = audit_json(capsys, project, 2025)
    assert any(f["file"] == secret for f in cli["findings"])
    out = tmp_path / "out"
    mkdocs_build(project, out)  # strict: the body links above must resolve

    item_page = out / "items/002501001/2025-00901/index.html"
    html = item_page.read_text(encoding="utf-8")
    base = "http://h/items/002501001/2025-00901/"
    hrefs = dict(re.findall(r'<a href="([^"]+)">(附件|另一条)</a>', html))
    targets = {text: unquote(urljoin(base, href)).removeprefix("http://h/") for href, text in hrefs.items()}
    assert targets == {"附件": "items/002501001/2025-00901/说明.txt", "另一条": "items/002501001/2025-00902/"}
    assert (out / targets["附件"]).is_file() and (out / targets["另一条"] / "index.html").is_file()

    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="audit/"' in home
    index = (out / "audit/index.html").read_text(encoding="utf-8")
    assert 'href="2025/"' in index
    page = (out / "audit/2025/index.html").read_text(encoding="utf-8")
    assert "一、基本情况" in page and "二、存在问题" in page
    assert f"2025 年共主动公开政府信息 {cli['figures']['total']} 条" in page
    late = re.search(r'<a href="([^"]+)">链接测试条目甲</a>（002501001/2025-00901）：成文日期', page)
    assert late and unquote(urljoin("http://h/audit/2025/", late[1])) == "http://h/items/002501001/2025-00901/"
    for path in out.rglob("*"):
        if path.suffix in (".html", ".json", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "002501002/2023-00901" not in text and "依申请公开的旧规范性文件" not in text, path
    assert "content/" not in page  # the site names pages, not repository files
