"""`gongkai import` and `gongkai new --from`: what an old catalogue's export and Word 公文 become."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUILD_DATE, ROOT, copy_project, file_digests, mkdocs_build
from sitekit import gongkai

from gongkai.author.importer import values
from gongkai.author.importer.html_md import html_to_markdown
from gongkai.pipeline import load_site
from gongkai.read.source import read_markdown
from gongkai.schema.doc_number import check as check_doc_number

sys.path.insert(0, str(ROOT / "tests" / "data"))
import make_import_sample  # noqa: E402

XLSX = "旧系统导出.xlsx"
CSV = "旧系统导出.csv"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export")
    make_import_sample.write(out)
    make_import_sample.write_docx(out / "公文")
    return out


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "p")


# `gongkai` runs the console's own main in this process: a process of its own would spend most of
# its second importing (test_check_command.py runs the real console once)
def run_import(project: Path, sample: Path, name: str = XLSX, *extra: str) -> subprocess.CompletedProcess:
    return gongkai("import", str(sample / name), "--attachments", str(sample / "附件"), "--path", str(project),
                   *extra)


def imported_files(project: Path) -> dict[str, str]:
    return {p.relative_to(project).as_posix(): p.read_text(encoding="utf-8")
            for p in (project / "content").rglob("*.md") if "gongkai import" in p.read_text(encoding="utf-8")}


def test_the_sample_export_imports_every_good_row_and_names_every_bad_one(project, sample, tmp_path):
    result = run_import(project, sample)
    assert result.returncode == 1  # some rows could not be imported: the exit code says so
    errors = result.stderr.splitlines()
    expected = {
        66: "标题: 标题为空", 67: "成文日期: 日期“2020年13月5日”不存在", 68: "发文字号: 发文字号应写作",
        69: "正文: 含有未脱敏的手机号（138****5678）", 70: "正文: 含有 <script> 标签",
        71: "目录: 目录（栏目）“领导信息”不在 catalog/categories.yml 中",
        72: "附件: 附件目录中找不到“/uploads/2020/不存在的文件.pdf”", 73: "附件: 附件目录中找不到“/uploads/2020/passwd.txt”",
    }
    for row, text in expected.items():
        assert any(line.startswith(f"{XLSX}:第 {row} 行: {text}") for line in errors), (row, result.stderr)
    assert "已导入 64 条" in result.stdout and "未能导入 8 条" in result.stdout
    assert "导入后检查：gongkai check 通过。" in result.stdout
    assert "  行政规范性文件：已导入 8，" in result.stdout  # the per-category summary
    files = imported_files(project)
    assert len(files) == 64
    # nothing of the broken rows was written, and the symbolic link was not followed
    assert not any("样例的通知" in t for t in files.values())
    assert not any(p.name.endswith("passwd.txt") for p in (project / "content").rglob("*"))
    site = load_site(project, dt.date.fromisoformat(BUILD_DATE))  # raises on any error
    imported = [i for i in site.items if i.source in files]
    assert len(imported) == 64 and all(i.review.result == "同意公开" for i in imported)
    # row 7 (n=6): 发文字号 （2018） fixed as check suggests, reported
    row7 = next(i for i in imported if i.title.endswith("（6）"))
    assert row7.doc_number == "青城管发〔2018〕6号"
    assert f"{XLSX}:第 7 行: 发文字号: 已将“青城管发（2018）6号”改为“青城管发〔2018〕6号”" in result.stdout
    text = files[row7.source]
    assert "历史导入: true" in text and "审查人: 历史导入（原系统已公开）" in text
    assert re.search(r"^# 由 gongkai import 于 \d{4}-\d\d-\d\d 从 旧系统导出.xlsx 第 7 行导入$", text, re.M)
    # a Word body: noise gone, structure kept
    word = next(i for i in imported if i.title.endswith("（5）"))
    for noise in ("mso", "style=", "&nbsp;", "<font", "<span", "o:p", "\u3000", "\xa0", "MsoNormal", "<!--"):
        assert noise not in word.body, noise
    assert "## 一、总体要求" in word.body and "### （一）加强组织领导" in word.body
    assert "| 序号 | 任务 | 责任单位 |\n| --- | --- | --- |\n| 1 | 制定年度计划 | 青禾县乡村振兴局 |" in word.body
    assert "- 建立工作台账；\n- 定期通报进展。" in word.body
    assert "[《中华人民共和国政府信息公开条例》](http://www.gov.cn/zhengce/content/2019-04/15/content_5382991.htm)" in word.body
    assert "原页面点此查看" in word.body  # the old site's own link is gone, its text kept
    assert "坚持问题导向， 突出重点，确保各项工作落到实处。" in word.body
    # old 索引号: kept when valid, else a new one with the old one recorded
    kept = next(i for i in imported if i.title.endswith("（8）"))
    assert kept.id == "002501001/2020-00008"  # n=8: 2020, the office (002501001)
    replaced = read_markdown(project / next(i for i in imported if i.title.endswith("（1）")).source, "x").front.data
    assert replaced["原索引号"] == "QH002-2019-0001" and replaced["索引号"].startswith("002501002/2019-")
    # attachments of the 附件 column, beside the item
    with_files = next(i for i in imported if i.title.endswith("（7）"))
    assert sorted(a.title for a in with_files.attachments) == ["名单7", "附件7"]
    mkdocs_build(project, tmp_path / "site")
    page = tmp_path / "site" / row7.url / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "青城管发〔2018〕6号" in html
    assert "qinghe.example.gov.cn/images" not in re.sub(r'href="[^"]*"', "", html)  # no image from another host
    # a row with a picture of its own (n=13, row 14) comes in as a draft for a reviewer, published nowhere
    drafts = [i for i in imported if i.draft]
    assert len(drafts) >= 3 and all(i.title.endswith(("（13）", "（26）", "（39）", "（52）", "（65）")) for i in drafts)
    assert f"其中 {len(drafts)} 条带有无法自动检查的图片或扫描件，已作为草稿导入" in result.stdout
    pictured = next(i for i in imported if i.title.endswith("（13）"))
    assert pictured.draft and pictured.attachments
    picture = pictured.attachments[0].source.rsplit("/", 1)[1]
    assert re.search(rf"^{XLSX}:第 14 行: 附件: “{picture}”是图片或扫描件，无法自动检查个人信息：已作为草稿导入",
                     result.stdout, re.M)
    assert (project / pictured.source).parent.joinpath(picture).read_bytes() == make_import_sample.PNG
    assert not (tmp_path / "site" / pictured.url).exists()
    published = [p for p in (tmp_path / "site").rglob("*") if p.is_file()]
    assert not any(p.name == picture for p in published)
    assert not any(pictured.title.encode() in p.read_bytes() for p in published
                   if p.suffix in (".html", ".json", ".xml", ".csv"))


def test_a_rerun_and_the_same_rows_as_csv_import_nothing_twice(project, sample):
    first = run_import(project, sample)
    assert "已导入 64 条" in first.stdout
    before = file_digests(project / "content")
    again = run_import(project, sample)
    assert "已导入 0 条" in again.stdout and "此前已导入而跳过 64 条" in again.stdout
    csv_run = run_import(project, sample, CSV)  # 开普云 headings, GB18030: the same rows
    assert "已导入 0 条" in csv_run.stdout and "此前已导入而跳过 64 条" in csv_run.stdout
    assert f"{CSV}:第 69 行: 正文: 含有未脱敏的手机号" in csv_run.stderr
    assert file_digests(project / "content") == before


def test_dry_run_writes_nothing_and_says_what_it_would_do(project, sample):
    before = file_digests(project)
    result = run_import(project, sample, CSV, "--dry-run")
    assert "试运行（未写入任何文件）" in result.stdout and "可导入 64 条" in result.stdout
    assert f"{CSV}:第 66 行: 标题: 标题为空" in result.stderr
    assert file_digests(project) == before


def test_csv_import_reads_gb18030_and_every_date_form(project, sample):
    result = run_import(project, sample, CSV)
    assert "已导入 64 条" in result.stdout, result.stderr
    site = load_site(project, dt.date.fromisoformat(BUILD_DATE))
    by_title = {i.title: i for i in site.items}
    for n in (3, 4, 5):  # 2019年3月5日, 2019/3/5, 2019.03.05
        item = next(v for k, v in by_title.items() if k.endswith(f"（{n}）"))
        assert item.created == dt.date(2019, 3, 5)
    serial = next(v for k, v in by_title.items() if k.endswith("（6）"))
    assert serial.created == make_import_sample.rows()[5]["created"]


def test_show_mapping_prints_the_guess(project, sample):
    result = gongkai("import", str(sample / CSV), "--show-mapping", "--path", str(project))
    assert result.returncode == 0
    assert "  所属栏目 → 目录" in result.stdout and "  内容 → 正文" in result.stdout
    assert "  效力状态 → 有效性" in result.stdout
    assert file_digests(project / "content") == file_digests(ROOT / "content")


def test_a_mapping_file_for_unusual_headings_and_names(project, tmp_path):
    export = tmp_path / "odd.csv"
    export.write_text("文章题目,单位,日子,类目,正文HTML\n"
                      "青禾县城市管理局关于夜间施工管理的公告,县城管局,2021年4月2日,公告公示,<p>夜间施工须报备。</p>\n",
                      encoding="utf-8")
    mapping = tmp_path / "映射.yml"
    mapping.write_text("列名:\n  文章题目: 标题\n  单位: 发布机构\n  日子: 发布日期\n  类目: 目录\n  正文HTML: 正文\n"
                       "目录对照:\n  公告公示: tzgg\n机构对照:\n  县城管局: 青禾县城市管理局\n", encoding="utf-8")
    result = gongkai("import", str(export), "--mapping", str(mapping), "--path", str(project))
    assert result.returncode == 0, result.stderr
    assert "已导入 1 条" in result.stdout and "  通知公告：已导入 1" in result.stdout
    assert "odd.csv:第 2 行: 成文日期: 没有成文日期，按发布日期 2021-04-02 填写" in result.stdout
    bad = tmp_path / "bad.yml"
    bad.write_text("列名:\n  文章题目: 题目\n", encoding="utf-8")
    result = gongkai("import", str(export), "--mapping", str(bad), "--path", str(project))
    assert result.returncode == 1 and "bad.yml:2: 文章题目: 不认识字段“题目”" in result.stderr


def test_an_old_id_taken_by_another_item_is_not_reused(project, tmp_path):
    taken = "002501001/2025-00001"  # the sample site's first item of 2025
    export = tmp_path / "e.csv"
    export.write_text(f"索引号,标题,发布机构,目录,发布日期\n{taken},另一份文件,青禾县人民政府办公室,qtwj,2025-01-03\n",
                      encoding="utf-8")
    result = gongkai("import", str(export), "--path", str(project))
    assert result.returncode == 0, result.stderr
    assert f"原索引号“{taken}”已被本站其他条目使用（索引号不得复用）" in result.stdout
    site = load_site(project, dt.date.fromisoformat(BUILD_DATE))
    new = next(i for i in site.items if i.title == "另一份文件")
    assert new.id != taken and new.id.startswith("002501001/2025-")


def test_values_as_old_systems_write_them():
    for text in ("2019年3月5日", "2019/3/5", "2019.03.05", "2019-03-05 10:20:00", "20190305", "43529",
                 "二〇一九年三月五日", dt.datetime(2019, 3, 5, 8, 0), 43529):
        assert values.parse_date(text) == dt.date(2019, 3, 5), text
    assert values.chinese_date("二〇二五年十二月三十一日") == dt.date(2025, 12, 31)
    with pytest.raises(values.ValueProblem, match="无法识别日期“去年”"):
        values.parse_date("去年")
    for raw in ("青政办发[2019]5号", "青政办发（2019）5号", "青政办发〔19〕05号"):
        fixed, note = values.doc_number(raw)
        assert fixed == "青政办发〔2019〕5号" == check_doc_number(raw).fixed and raw in note
    assert values.doc_number("青政办发〔2019〕5号") == ("青政办发〔2019〕5号", None)
    assert [values.status(w) for w in ("现行有效", "已废止", "失效", "已修订", "")] == ["有效", "废止", "失效", "已修订", None]
    with pytest.raises(values.ValueProblem, match="无法识别有效性“作废了”"):
        values.status("作废了")


def test_html_text_that_looks_like_a_tag_stays_text():
    md = html_to_markdown("<p>a &lt;script&gt;alert(1)&lt;/script&gt; b</p>", lambda u, i: None)
    assert "<script>" not in md and "&lt;script>" in md


def test_new_from_docx_reads_the_gongwen_layout(project, sample, tmp_path):
    result = gongkai("new", "--from", str(sample / "公文" / "防汛防台通知.docx"), "--category", "qtwj", str(project))
    assert result.returncode == 0, result.stderr
    path = next((project / "content" / "zfb" / "2025").glob("*.md"), None)
    made = max((project / "content" / "zfb" / "2025").glob("*.md"), key=lambda p: p.stat().st_mtime)
    assert path is not None and f"已创建 {made.relative_to(project).as_posix()}" in result.stdout
    source = read_markdown(made, "x")
    data = source.front.data
    assert data["标题"] == "青禾县人民政府办公室关于做好2025年防汛防台工作的通知"
    assert data["发文字号"] == "青政办发〔2025〕7号" and data["成文日期"] == "2025-03-05"
    assert data["草稿"] == "true" and data["附件"] == [{"文件": f"{made.stem}-图片1.png"}]
    assert (made.parent / f"{made.stem}-图片1.png").read_bytes().startswith(b"\x89PNG")
    body = source.body
    assert body.startswith("各乡镇人民政府、街道办事处，县政府各部门：")  # the head is fields now
    assert "青政办发〔2025〕7号" not in body and "青禾县人民政府办公室文件" not in body
    assert "## 一、总体要求" in body and "### （一）压实责任" in body and "#### 1.排查隐患" in body
    assert "| 序号 | 物资 | 数量 |" in body and "- 储备抢险物资。" in body
    assert f"![]({made.stem}-图片1.png)" in body and body.rstrip().endswith("（此件公开发布）")
    # the day it goes public is the editor's to write (the signing date would back-date it)
    assert not data.get("发布日期") and re.search(r"^发布日期: +# 请填写", made.read_text(encoding="utf-8"), re.M)
    text = made.read_text(encoding="utf-8")
    made.write_text(re.sub(r"^发布日期:.*$", "发布日期: 2025-03-06", text, flags=re.M), encoding="utf-8")
    load_site(project, dt.date.fromisoformat(BUILD_DATE))  # then a draft that passes


def test_import_docx_leaves_what_it_cannot_find_for_the_editor(project, sample, tmp_path):
    result = gongkai("import-docx", str(sample / "公文"), "--path", str(project))
    assert result.returncode == 0, result.stderr
    assert "共 2 个 Word 文件：新建 2 个草稿" in result.stdout
    assert "未能识别 目录：请在文件中填写" in result.stdout
    made = max((project / "content" / "cgj" / "2024").glob("*.md"), key=lambda p: p.stat().st_mtime)
    text = made.read_text(encoding="utf-8")
    assert "发文字号: 青城管发〔2024〕12号" in text and "成文日期: 2024-11-20" in text
    assert "标题: 青禾县城市管理局关于规范城区共享单车停放管理的通告" in text
    assert "## 一、停放区域" in text and "1. 共享单车应停放在施划的停放区内。" in text
    check = gongkai("check", "--date", BUILD_DATE, str(project))
    assert check.returncode == 1 and f"{made.relative_to(project).as_posix()}:6: 目录: 不能为空" in check.stdout
    for path in (project / "content").rglob("*.md"):  # the editor fills in what was asked for
        old = path.read_text(encoding="utf-8")
        if "gongkai new --from" in old:
            new = re.sub(r"^目录:.*$", "目录: tzgg", old, flags=re.M)
            signed = re.search(r"^成文日期: (\S+)", new, re.M).group(1)
            path.write_text(re.sub(r"^发布日期:.*$", f"发布日期: {signed}", new, flags=re.M), encoding="utf-8")
    final = gongkai("check", "--date", BUILD_DATE, str(project))
    assert final.returncode == 0, [line for line in final.stdout.splitlines() if "警告" not in line]
    again = gongkai("import-docx", str(sample / "公文"), "--path", str(project))
    assert "新建 0 个草稿" in again.stdout and "已有同名条目" in again.stderr


def test_bodies_convert_the_same_in_several_processes(sample, monkeypatch):
    from gongkai.author.importer import run
    from gongkai.author.importer.rows import convert_body

    picture = sample / "附件" / "uploads" / "2019" / "tu6.png"  # a body's picture is brought along
    picture.parent.mkdir(parents=True, exist_ok=True)
    picture.write_bytes(make_import_sample.PNG)
    htmls = [r["body"] for r in make_import_sample.rows()] + ['<p><img src="/uploads/2019/tu6.png"></p>', ""]
    serial = [convert_body(h, sample / "附件") for h in htmls]
    assert any(b.files for b in serial) and any(b.fixes for b in serial)
    monkeypatch.setattr(run, "PARALLEL_MIN", 1)
    monkeypatch.setattr(run.os, "cpu_count", lambda: 2)
    assert run.convert_all(htmls, sample / "附件") == serial


REAL = make_import_sample.REAL_FILE


def test_a_real_county_export_is_read_as_its_cms_meant_it(project, tmp_path):
    """Rows as county CMSs export them: nothing invented, nothing refused for what the export lacks."""
    make_import_sample.write_real(tmp_path / "export")
    result = gongkai("import", str(tmp_path / "export" / REAL), "--path", str(project))
    row = {r["why"]: n for n, r in enumerate(make_import_sample.REAL_ROWS, start=2)}
    refused = {int(n) for n in re.findall(rf"^{REAL}:第 (\d+) 行", result.stderr, re.M)}
    # only two rows are refused, each for what its own cells say, naming the right column
    assert refused == {row["登记号与文号连写"], row["有废止日期却没写有效性"]}, result.stderr
    assert (f"{REAL}:第 {row['登记号与文号连写']} 行: 发文字号: 发文字号中的“QHCR-2023-01005”看起来是规范性文件登记号"
            "（统一编号），不是发文字号的一部分：发文字号只写“青政办发〔2023〕9号”") in result.stderr
    assert (f"{REAL}:第 {row['有废止日期却没写有效性']} 行: 废止日期: 写有废止日期 2022-05-01，但有效性为空"
            in result.stderr)
    assert f"已导入 {len(row) - 2} 条" in result.stdout and "导入后检查：gongkai check 通过。" in result.stdout
    site = load_site(project, dt.date.fromisoformat(BUILD_DATE))
    texts = imported_files(project)
    by_why = {}
    for why, n in row.items():
        title = make_import_sample.REAL_ROWS[n - 2]["名称"]
        found = [i for i in site.items if i.title == title]
        if found:
            by_why[why] = (found[0], texts[found[0].source])
    assert len(by_why) == len(row) - 2

    item, text = by_why["CMS 空日期 1970-01-01 作废止日期"]
    assert item.repealed is None and item.status == "有效" and "废止日期" not in text
    assert f"{REAL}:第 {row['CMS 空日期 1970-01-01 作废止日期']} 行: 废止日期: “1970-01-01 08:00:00”是旧系统表示" \
           "“没有日期”的占位值，按空白处理" in result.stdout
    assert by_why["二O一一年 用字母 O"][0].created == dt.date(2011, 5, 16)
    cn = by_why["全中文数字日期"][0]
    assert (cn.created, cn.published) == (dt.date(2011, 5, 16), dt.date(2011, 5, 20))
    assert by_why["多个主题"][0].topic == "综合政务"
    assert (f"{REAL}:第 {row['多个主题']} 行: 主题分类: 主题分类“综合政务,文秘工作 其他”有多个值，每条信息只有一个主题分类："
            "导入了第一个有效的“综合政务”，未导入“文秘工作”、“其他”") in result.stdout
    # an empty 有效性 stays empty: the file says nothing about it
    assert not re.search(r"^有效性:", by_why["有效性为空"][1], re.M)
    assert not re.search(r"^有效性:", by_why["二O一一年 用字母 O"][1], re.M)
    # a date taken from the other one says so in the file, and the 文号's year is questioned
    item, text = by_why["没有成文日期，文号年份不同"]
    assert re.search(r"^成文日期: 2016-01-17 +# 导入时由发布日期推定$", text, re.M)
    assert (f"{REAL}:第 {row['没有成文日期，文号年份不同']} 行: 发文字号: 发文字号“青政发〔2014〕20号”的年份是 2014，"
            "而成文日期 2016-01-17 是按发布日期推定的：请按原件补写成文日期") in result.stdout
    assert re.search(r"^发布日期: 2019-08-12 +# 导入时由成文日期推定$", by_why["没有发布日期"][1], re.M)
    assert re.search(r"^成文日期: 2019-03-20 +# 导入时由发布日期推定$", by_why["成文日期是 1900-01-01"][1], re.M)
    # 有效性 only where documents have one: not on news or statistics
    for why in ("工作动态不写有效性", "成文日期是 1900-01-01"):
        assert not re.search(r"^有效性:", by_why[why][1], re.M), why
    assert re.search(r"^有效性: 有效$", by_why["全中文数字日期"][1], re.M)
    assert by_why["小六角括号"][0].doc_number == "青政办发〔2020〕6号"
    assert by_why["按年编号的公告"][0].doc_number == "青禾县人民政府公告2020年第2号"
    repealed = by_why["已废止，有废止日期"][0]
    assert (repealed.status, repealed.repealed) == ("废止", dt.date(2021, 6, 30))


def test_dates_topics_and_empties_as_cms_exports_hold_them():
    for text in ("二O一一年5月16日", "二〇一一年五月十六日", "二0一一年五月16日", "2011年五月十六日", "二o一一年5月16日"):
        assert values.parse_date(text) == dt.date(2011, 5, 16), text
    for empty in ("1970-01-01", "1970-01-01 08:00:00", "1900-01-01", "0000-00-00", "0000-00-00 00:00:00", "",
                  dt.datetime(1970, 1, 1, 8, 0), dt.date(1900, 1, 1), 0):
        assert values.parse_date(empty) is None, empty
    tree, aliases = {"综合政务": ("政务公开", "文秘工作", "其他"), "其他": ()}, {}
    assert values.topics("综合政务,文秘工作 其他", tree, aliases)[0] == "综合政务"
    assert values.topics("综合政务\\政务公开", tree, aliases) == ("综合政务\\政务公开", None)
    assert values.topics("无此主题;综合政务", tree, aliases)[0] == "综合政务"
    with pytest.raises(values.ValueProblem, match="中没有一个在 22 类主题分类中"):
        values.topics("甲,乙", tree, aliases)
