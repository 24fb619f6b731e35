"""Write the sample export of an old 信息公开目录 system (TRS/开普云 style) used by the import tests.

    python tests/data/make_import_sample.py [OUT_DIR]     # default: tests/data/import

Writes 旧系统导出.xlsx (TRS-style headings, Excel date cells and serials), 旧系统导出.csv (the
same rows with 开普云-style headings, GB18030 as Excel on Chinese Windows saves it), and the
attachment folder 附件/ the old system exported. The rows are fixed (no randomness), so the
files are the same on every run. Bodies carry what Word and CMS editors leave behind; a few
rows are broken on purpose (see BROKEN).
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

AGENCIES = [("002501001", "青禾县人民政府办公室", "青政办发"), ("002501002", "青禾县乡村振兴局", "青乡振发"),
            ("002501003", "青禾县城市管理局", "青城管发"), ("002501004", "青禾县城关街道办事处", "城街发")]
CATEGORIES = ["行政规范性文件", "其他文件", "政策文件/其他文件", "规划计划", "统计信息", "qtwj", "财政预决算",
              "行政处罚和行政强制"]
TOPICS = ["综合政务\\政务公开", "城乡建设、环境保护/城乡建设（含住房）", "扶贫", "财政、金融、审计\\财政",
          "综合政务-应急管理", "", "民政、乡村振兴、救灾\\社会福利"]
SUBJECTS = ["政务公开工作要点", "城区环境卫生整治实施方案", "衔接推进乡村振兴补助资金管理办法", "防汛防台应急预案",
            "老旧小区改造工作方案", "农村生活垃圾分类工作方案", "财政预算执行情况报告", "统计公报", "停车管理办法",
            "养老服务补贴发放办法"]

WORD_BODY = """<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
<p class="MsoNormal" style="text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt;mso-line-height-rule:exactly"><span style="font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:宋体">各乡镇人民政府、街道办事处，县政府各部门：<span lang="EN-US"><o:p></o:p></span></span></p>
<p class="MsoNormal" style="text-indent:32pt"><span style="font-family:仿宋_GB2312">&nbsp;&nbsp;&nbsp;&nbsp;现将《{subject}》印发给你们，请结合实际认真贯彻执行。<o:p></o:p></span></p>
<p class="MsoNormal"><b><span style="font-family:黑体">一、总体要求<span lang="EN-US"><o:p></o:p></span></span></b></p>
<p class="MsoNormal" style="text-indent:2em">　　坚持问题导向，&nbsp;&nbsp;&nbsp;&nbsp;突出重点，<font face="仿宋" size="3">确保各项工作落到实处。</font></p>
<p class="MsoNormal"><b>（一）加强组织领导</b></p>
<p class="MsoNormal">各单位要明确分管负责人和具体承办人员。</p>
<p class="MsoNormal">&nbsp;</p>
<table class="MsoTableGrid" border="1" cellspacing="0" style="border-collapse:collapse;mso-yfti-tbllook:1184">
<tr style="mso-yfti-irow:0"><td width="80" style="width:60pt;border:solid windowtext 1.0pt"><p class="MsoNormal" align="center"><b>序号</b></p></td><td><p class="MsoNormal"><b>任务</b></p></td><td><p class="MsoNormal"><b>责任单位</b></p></td></tr>
<tr><td><p class="MsoNormal">1</p></td><td><p>制定年度计划</p></td><td><p>{agency}</p></td></tr>
<tr><td><p class="MsoNormal">2</p></td><td><p>开展督查</p></td><td><p>县政府办</p></td></tr>
</table>
<p class="MsoNormal"><b>二、工作措施</b></p>
<ul style="margin-top:0cm" type="disc"><li class="MsoNormal" style="mso-list:l0 level1 lfo1">建立工作台账；</li><li class="MsoNormal">定期通报进展。</li></ul>
<p>详见<a href="http://www.gov.cn/zhengce/content/2019-04/15/content_5382991.htm" target="_blank" style="color:blue">《中华人民共和国政府信息公开条例》</a>，原页面<a href="/art/2019/3/5/art_1229_{n}.html">点此查看</a>。</p>
{image}
<p class="MsoNormal" align="right" style="text-align:right">{agency}</p>
<p class="MsoNormal" align="right" style="text-align:right"><span lang="EN-US">{date_cn}</span></p>
"""

CMS_BODY = """<div class="TRS_Editor"><div class="Custom_UnionStyle"><p style="text-indent: 2em;"><font size="3">　　{subject}已经县政府同意，现予公布。</font></p>
<p style="text-indent: 2em;"><span style="font-size:12pt;">　　本办法自发布之日起施行。&nbsp;&nbsp;</span></p>
<h3 style="font-weight:bold">第一章&nbsp;总则</h3>
<ol><li>适用范围</li><li>职责分工</li></ol>
{image}
<p align="center"><br></p></div></div>"""


def rows() -> list[dict]:
    out = []
    for n in range(1, 65):
        code, agency, prefix = AGENCIES[n % len(AGENCIES)]
        year = 2018 + n % 6
        created = dt.date(year, 1 + n % 12, 1 + (n * 7) % 28)
        published = created + dt.timedelta(days=n % 9)
        subject = SUBJECTS[n % len(SUBJECTS)]
        title = f"{agency}关于印发{year}年{subject}的通知（{n}）"
        if n % 5 == 0:
            number = f"{prefix}[{year}]{n}号"
        elif n % 5 == 1:
            number = f"{prefix}（{year}）{n}号"
        elif n % 5 == 2:
            number = f"{prefix}〔{year}〕{n}号"
        elif n % 5 == 3:
            number = ""
        else:
            number = f"{prefix}〔{str(year)[2:]}〕0{n}号"
        if n % 4 == 0:
            old_id = f"{code}/{year}-{n:05d}"  # the same format as ours: kept
        elif n % 4 == 1:
            old_id = f"QH{code[-3:]}-{year}-{n:04d}"  # the old system's own format: replaced
        else:
            old_id = ""
        image = ""
        attachments = ""
        # a picture's text cannot be scanned for personal numbers: such a row is imported as a
        # draft that waits for a reviewer's 人工审查
        if n % 13 == 0:
            image += f'<p><img src="/uploads/{year}/tu{n}.png" alt="现场照片"></p>'
        if n % 7 == 0:
            attachments = f"/uploads/{year}/附件{n}.pdf;/uploads/{year}/名单{n}.csv"
        if n % 11 == 0:
            image += '<p><img src="http://www.qinghe.example.gov.cn/images/logo.gif"></p>'
        status = ["现行有效", "有效", "", "已废止", "失效"][n % 5] if n % 3 == 0 else "现行有效"
        repealed = dt.date(year + 1, 6, 30) if status in ("已废止", "失效") else None
        cn_year = "".join("〇一二三四五六七八九"[int(d)] for d in str(created.year))
        date_cn = f"{cn_year}年{_cn(created.month)}月{_cn(created.day)}日"
        body = (WORD_BODY if n % 2 else CMS_BODY).format(subject=subject, agency=agency, n=n, image=image,
                                                         date_cn=date_cn)
        out.append(dict(n=n, old_id=old_id, title=title, agency=agency, created=created, published=published,
                        number=number, topic=TOPICS[n % len(TOPICS)], category=CATEGORIES[n % len(CATEGORIES)],
                        summary=f"印发{subject}，明确目标任务和责任分工。" if n % 2 else "", status=status,
                        repealed=repealed, keywords="、".join(["政务公开", subject[:4]]), body=body,
                        attachments=attachments))
    out[2]["created_text"] = "2019年3月5日"
    out[3]["created_text"] = "2019/3/5"
    out[4]["created_text"] = "2019.03.05"
    for r in out[2:5]:
        r["created"] = dt.date(2019, 3, 5)
        r["published"] = dt.date(2019, 3, 8)
    out[5]["serial"] = True  # an Excel serial number instead of a date cell
    return out + broken()


#: rows an import must name rather than import: (what is wrong, the row)
BROKEN = ["标题为空", "日期无法识别", "发文字号无法修正", "正文含手机号", "正文含脚本", "目录不存在", "附件缺失",
          "附件是符号链接"]


def broken() -> list[dict]:
    base = dict(old_id="", agency="青禾县人民政府办公室", created=dt.date(2020, 5, 6), published=dt.date(2020, 5, 9),
                number="", topic="", category="其他文件", summary="", status="有效", repealed=None, keywords="",
                attachments="", body="<p>正文。</p>")
    out = []
    for i, what in enumerate(BROKEN):
        row = dict(base, n=100 + i, title=f"青禾县人民政府办公室关于{what}样例的通知")
        if what == "标题为空":
            row["title"] = "  "
        elif what == "日期无法识别":
            row["created_text"] = "2020年13月5日"
        elif what == "发文字号无法修正":
            row["number"] = "青政办发第12号"
        elif what == "正文含手机号":
            row["body"] = "<p>联系人：张三，电话13812345678。</p>"
        elif what == "正文含脚本":
            row["body"] = '<p onclick="steal()">点击</p><script>alert(1)</script>'
        elif what == "目录不存在":
            row["category"] = "领导信息"
        elif what == "附件缺失":
            row["attachments"] = "/uploads/2020/不存在的文件.pdf"
        elif what == "附件是符号链接":
            row["attachments"] = "/uploads/2020/passwd.txt"
        out.append(row)
    return out


def _cn(number: int) -> str:
    digits = "〇一二三四五六七八九"
    if number < 10:
        return digits[number]
    return ("" if number < 20 else digits[number // 10]) + "十" + (digits[number % 10] if number % 10 else "")


XLSX_HEADINGS = ["索引号", "信息名称", "发布机构", "生成日期", "发布日期", "文号", "主题分类", "信息类别", "内容概述",
                 "有效性", "废止日期", "关键词", "正文", "附件"]
CSV_HEADINGS = ["索引", "名称", "发文机关", "成文日期", "公开日期", "发文字号", "主题", "所属栏目", "摘要", "效力状态",
                "失效日期", "主题词", "内容", "附件列表"]
SERIAL_EPOCH = dt.date(1899, 12, 30)


def cells(r: dict, excel: bool) -> list:
    created = r.get("created_text") or (r["created"] if excel else r["created"].isoformat())
    if r.get("serial"):
        created = (r["created"] - SERIAL_EPOCH).days if excel else str((r["created"] - SERIAL_EPOCH).days)
    published = r["published"] if excel else r["published"].strftime("%Y/%m/%d")
    repealed = (r["repealed"].isoformat() if r["repealed"] else "")
    return [r["old_id"], r["title"], r["agency"], created, published, r["number"], r["topic"], r["category"],
            r["summary"], r["status"], repealed, r["keywords"], r["body"], r["attachments"]]


def _png(width: int = 8, height: int = 8) -> bytes:
    """A small grey PNG, written with the standard library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PNG = _png()


def _pdf(text: str) -> bytes:
    """A one-page PDF with ``text`` in its text layer (the attachment guard reads it)."""
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(text=text)
    return bytes(doc.output())


def write(out: Path) -> None:
    import openpyxl

    out.mkdir(parents=True, exist_ok=True)
    data = rows()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "信息公开目录"
    sheet.append(XLSX_HEADINGS)
    for r in data:
        sheet.append(cells(r, True))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    book.properties.created = book.properties.modified = dt.datetime(2026, 1, 1)
    book.save(out / "旧系统导出.xlsx")
    with (out / "旧系统导出.csv").open("w", encoding="gb18030", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_HEADINGS)
        for r in data:
            writer.writerow(cells(r, False))
    files = out / "附件" / "uploads"
    for r in data:
        year = r["created"].year
        folder = files / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        if 'img src="/uploads/' in r["body"]:
            (folder / f"tu{r['n']}.png").write_bytes(PNG)
        if r["attachments"] and r["n"] < 100:
            (folder / f"附件{r['n']}.pdf").write_bytes(_pdf(f"Notice {r['n']}: see the list of villages."))
            (folder / f"名单{r['n']}.csv").write_text("序号,姓名,村\n1,王*明,东村\n2,李*华,西村\n", encoding="utf-8")
    (files / "2020").mkdir(parents=True, exist_ok=True)
    link = files / "2020" / "passwd.txt"
    if not link.is_symlink():
        link.symlink_to("/etc/passwd")


def write_docx(out: Path) -> None:
    """Two 公文 laid out per GB/T 9704, as python-docx writes them."""
    import io

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    out.mkdir(parents=True, exist_ok=True)
    d = docx.Document()
    d.core_properties.created = d.core_properties.modified = dt.datetime(2026, 1, 1)
    mark = d.add_paragraph("青禾县人民政府办公室文件")
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("青政办发〔2025〕7号").alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("青禾县人民政府办公室关于做好2025年防汛防台工作的通知").alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("各乡镇人民政府、街道办事处，县政府各部门：")
    d.add_paragraph("　　为做好今年防汛防台工作，现将有关事项通知如下。")
    d.add_paragraph("一、总体要求")
    d.add_paragraph("（一）压实责任")
    d.add_paragraph("各乡镇要落实防汛责任人，明确到村到户。")
    d.add_paragraph("1.排查隐患")
    d.add_paragraph("建立隐患清单，逐项销号。", style="List Bullet")
    d.add_paragraph("储备抢险物资。", style="List Bullet")
    table = d.add_table(rows=3, cols=3)
    for r, cells in enumerate([("序号", "物资", "数量"), ("1", "编织袋", "5000"), ("2", "救生衣", "300")]):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    d.add_paragraph("二、工作措施")
    d.add_paragraph("值班电话：0571-65000001。")
    d.add_picture(io.BytesIO(PNG))
    d.add_paragraph("青禾县人民政府办公室").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.add_paragraph("二〇二五年三月五日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.add_paragraph("（此件公开发布）")
    d.save(out / "防汛防台通知.docx")

    d = docx.Document()
    d.core_properties.created = d.core_properties.modified = dt.datetime(2026, 1, 1)
    d.core_properties.title = "青禾县城市管理局关于规范城区共享单车停放管理的通告"
    d.add_paragraph("青禾县城市管理局文件").alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("青城管发[2024]12号").alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_heading("青禾县城市管理局关于规范城区共享单车停放管理的通告", level=1)
    d.add_paragraph("为维护城区市容秩序，现就共享单车停放管理通告如下：")
    d.add_heading("一、停放区域", level=2)
    d.add_paragraph("共享单车应停放在施划的停放区内。", style="List Number")
    d.add_paragraph("禁止停放在盲道、消防通道。", style="List Number")
    d.add_heading("二、违规处理", level=2)
    d.add_paragraph("违规停放的，由运营企业在两小时内清理。")
    d.add_paragraph("青禾县城市管理局").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.add_paragraph("2024年11月20日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.save(out / "共享单车停放通告.docx")


#: rows as real catalogue exports hold them (TRS/大汉 CMS exports of county sites): the CMS's
#: empty dates, typed Chinese dates, several topics in one cell, empty 有效性, one date of two.
#: Each row says what it is for; row n of the file is REAL_ROWS[n - 2].
REAL_HEADINGS = ["索引号", "名称", "发布机构", "生成日期", "发布日期", "文号", "主题分类", "信息类别", "有效性", "废止日期",
                 "正文"]
REAL_ROWS: list[dict[str, str]] = [
    dict(why="CMS 空日期 1970-01-01 作废止日期", 名称="青禾县人民政府关于印发青禾县农村公路养护管理办法的通知",
         生成日期="2016-03-02", 发布日期="2016-03-09", 文号="青政发〔2016〕5号", 主题分类="工业、交通\\公路",
         信息类别="行政规范性文件", 有效性="现行有效", 废止日期="1970-01-01 08:00:00"),
    dict(why="二O一一年 用字母 O", 名称="青禾县人民政府办公室关于加强城区防汛排涝工作的通知",
         生成日期="二O一一年5月16日", 发布日期="2011-05-18", 文号="青政办发〔2011〕23号", 主题分类="综合政务\\应急管理",
         信息类别="其他文件", 有效性="", 废止日期="0000-00-00"),
    dict(why="全中文数字日期", 名称="青禾县人民政府办公室关于做好春季森林防火工作的通知", 生成日期="二〇一一年五月十六日",
         发布日期="2011年5月20日", 文号="青政办发〔2011〕24号", 主题分类="农业、林业、水利\\林业", 信息类别="其他文件",
         有效性="现行有效", 废止日期=""),
    dict(why="多个主题", 名称="青禾县人民政府办公室关于印发青禾县公文处理办法的通知", 生成日期="2013-04-07",
         发布日期="2013-04-10", 文号="青政办发〔2013〕11号", 主题分类="综合政务,文秘工作 其他", 信息类别="其他文件",
         有效性="现行有效", 废止日期=""),
    dict(why="有效性为空", 名称="青禾县人民政府关于印发青禾县城乡居民最低生活保障实施办法的通知",
         生成日期="2015-06-01", 发布日期="2015-06-05", 文号="青政发〔2015〕9号", 主题分类="民政、扶贫、救灾\\社会福利",
         信息类别="行政规范性文件", 有效性="", 废止日期=""),
    dict(why="没有成文日期，文号年份不同", 名称="青禾县人民政府关于深化预算管理制度改革的实施意见", 生成日期="",
         发布日期="2016-01-17", 文号="青政发〔2014〕20号", 主题分类="财政、金融、审计\\财政", 信息类别="其他文件",
         有效性="现行有效", 废止日期=""),
    dict(why="没有发布日期", 名称="青禾县城市管理局关于规范户外广告设置的通告", 生成日期="2019-08-12", 发布日期="",
         文号="青城管发〔2019〕7号", 主题分类="城乡建设、环境保护\\城市规划", 信息类别="通知公告", 有效性="", 废止日期=""),
    dict(why="成文日期是 1900-01-01", 名称="青禾县2018年国民经济和社会发展统计公报", 生成日期="1900-01-01",
         发布日期="2019-03-20", 文号="", 主题分类="国民经济管理、国有资产监管\\统计", 信息类别="统计信息",
         有效性="现行有效", 废止日期=""),
    dict(why="工作动态不写有效性", 名称="县政府召开2020年第一次常务会议", 生成日期="2020-01-06", 发布日期="2020-01-06",
         文号="", 主题分类="综合政务\\其他", 信息类别="工作动态", 有效性="有效", 废止日期=""),
    dict(why="小六角括号", 名称="青禾县人民政府办公室关于印发青禾县政务公开工作要点的通知", 生成日期="2020-04-02",
         发布日期="2020-04-08", 文号="青政办发﹝2020﹞6号", 主题分类="综合政务\\政务公开", 信息类别="其他文件",
         有效性="现行有效", 废止日期=""),
    dict(why="按年编号的公告", 名称="青禾县人民政府关于禁止燃放烟花爆竹的公告", 生成日期="2020-12-20", 发布日期="2020-12-21",
         文号="青禾县人民政府公告2020年第2号", 主题分类="公安、安全、司法\\公安", 信息类别="通知公告", 有效性="",
         废止日期=""),
    dict(why="已废止，有废止日期", 名称="青禾县人民政府关于印发青禾县殡葬管理办法的通知", 生成日期="2012-09-01",
         发布日期="2012-09-05", 文号="青政发〔2012〕17号", 主题分类="民政、扶贫、救灾\\其他", 信息类别="行政规范性文件",
         有效性="已废止", 废止日期="2021-06-30"),
    dict(why="登记号与文号连写", 名称="青禾县人民政府办公室关于印发青禾县稳经济若干措施的通知", 生成日期="2023-03-15",
         发布日期="2023-03-15", 文号="QHCR-2023-01005 青政办发〔2023〕9号", 主题分类="国民经济管理、国有资产监管\\宏观经济",
         信息类别="行政规范性文件", 有效性="现行有效", 废止日期=""),
    dict(why="有废止日期却没写有效性", 名称="青禾县人民政府关于印发青禾县城区停车管理暂行办法的通知",
         生成日期="2017-05-02", 发布日期="2017-05-08", 文号="青政发〔2017〕8号", 主题分类="工业、交通\\公路",
         信息类别="行政规范性文件", 有效性="", 废止日期="2022-05-01"),
]
REAL_FILE = "真实导出.csv"


def write_real(out: Path) -> None:
    """真实导出.csv: REAL_ROWS as a county CMS exports them (UTF-8 with a BOM, as Excel's
    "CSV UTF-8" saves it); every row gets the 发布机构 of its 文号 and a one-line body."""
    out.mkdir(parents=True, exist_ok=True)
    agency = {"青政发": "青禾县人民政府办公室", "青政办发": "青禾县人民政府办公室", "青城管发": "青禾县城市管理局"}
    with (out / REAL_FILE).open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(REAL_HEADINGS)
        for row in REAL_ROWS:
            prefix = next((p for p in sorted(agency, key=len, reverse=True) if p in row["文号"]), "青政办发")
            cells = dict(row, 索引号="", 发布机构=agency[prefix], 正文=f"<p>{row['名称']}。</p>")
            writer.writerow([cells[h] for h in REAL_HEADINGS])


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "import"
    write(target)
    write_real(target)
    write_docx(target / "公文")
