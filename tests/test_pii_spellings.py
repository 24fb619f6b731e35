"""Personal numbers as a reader sees them, in every place an author can put them:
front matter, body, each attachment format, catalog/ files."""

from __future__ import annotations

from pathlib import Path

import attachment_files as af
import pytest
from sitekit import gongkai, item, make_site, write

from gongkai.guards import pii
from gongkai.read import extract

MOBILE = "13907450001"
ID = "110101199003074514"  # check digit by ISO 7064 MOD 11-2
ID15 = "110101900307451"  # the 15-digit form issued before 1999: 110101, 1990-03-07, 451
CARD = "6222021234567890128"

SPELLINGS = [
    ("110101 19900307 4514", "id", ID),
    ("110101-1990-0307-4514", "id", ID),
    ("139　0745　0001", "mobile", MOBILE),  # U+3000
    ("139\u00a00745\u00a00001", "mobile", MOBILE),  # NBSP
    ("139.0745.0001", "mobile", MOBILE),
    ("139–0745–0001", "mobile", MOBILE),  # en dash
    ("139—0745—0001", "mobile", MOBILE),  # em dash
    ("139‐0745‐0001", "mobile", MOBILE),  # U+2010
    ("139－0745－0001", "mobile", MOBILE),  # full-width hyphen
    ("&#49;3907450001", "mobile", MOBILE),
    ("&#x31;39&#48;7450001", "mobile", MOBILE),
    ("139&nbsp;0745&nbsp;0001", "mobile", MOBILE),
    ("139**0745**0001", "mobile", MOBILE),
    ("139*0745*0001", "mobile", MOBILE),
    ("139_0745_0001", "mobile", MOBILE),
    ("139`0745`0001", "mobile", MOBILE),
    ("139<b>0745</b>0001", "mobile", MOBILE),
    ("1\u200b3907450001", "mobile", MOBILE),
    ("139\u200c0745\u200d0001", "mobile", MOBILE),
    ("139\u20600745\ufeff0001", "mobile", MOBILE),
    ("139\u00ad0745\u00ad0001", "mobile", MOBILE),  # soft hyphen
    ("１３９０７４５０００１", "mobile", MOBILE),
    ("1１0101 19900307 4514", "id", ID),
    (ID15, "id", ID15),
    ("110101 900307 451", "id", ID15),
    ("6222　0212　3456　7890　128", "card", CARD),
    ("6222.0212.3456.7890.128", "card", CARD),
    ("6222\u200b0212\u200b3456\u200b7890\u200b128", "card", CARD),
    ("1 3 9 0 7 4 5 0 0 0 1", "mobile", MOBILE),  # one digit at a time, as spaced PDF glyphs extract
    ("1 1 0 1 0 1 1 9 9 0 0 3 0 7 4 5 1 4", "id", ID),
]


@pytest.mark.parametrize("written, kind, number", SPELLINGS)
def test_every_spelling_is_found(written, kind, number):
    found = pii.scan(f"联系人：张三，{written}。")
    assert [(f.kind, f.number) for f in found] == [(kind, number)]
    # the finding covers the whole written form, so a report can mask it
    assert pii.redact(f"联系人：{written}。") == f"联系人：{pii.mask(kind, number)}。"


@pytest.mark.parametrize("text", [
    "138****1234", "139****0001", "35*************123", "11*************514", "6222 **** **** 0128",
    "110101900307452" + "9",  # 16 digits: no ID, no card prefix
    "999999900307451",  # 15 digits but no province 99
    "110101901332451",  # 15 digits, month 13
    "2025-03-18 至 2025-03-25", "002501001/2024-00012", "0571-65000001", "金额 1,390,745.00 元",
    "12345678.90218323372025-03-18",  # a card number only if grouped unlike any card
    "第 139 号 0745 0001",
    "1 2 1 3 9 0 7 4 5 0 0 0 1",  # thirteen single digits: no number of their own inside
])
def test_masked_forms_and_ordinary_numbers_pass(text):
    assert pii.scan(text) == []


def test_stdnum_does_the_check_digits():
    assert pii.id_check_digit("11010519491231002") == "X"
    assert pii.is_id_number(ID) and not pii.is_id_number(ID[:-1] + "5")
    assert pii.is_card_number(CARD) and not pii.is_card_number(CARD[:-1] + "9")


def _check(site: Path) -> str:
    return gongkai("check", str(site), "--date", "2026-11-26").stdout


def test_spellings_in_front_matter_and_body_fail_check(tmp_path):
    body = "".join(f"第{i}行 {w}\n\n" for i, (w, _, _) in enumerate(SPELLINGS))
    site = make_site(tmp_path, {
        "zfb/body.md": item(body=body),
        "zfb/front.md": item(id="002501001/2025-00002", extra="内容概述: 联系电话 139　0745　0001\n"
                             "主题词: [\"139.0745.0001\", \"110101 19900307 4514\"]\n"),
    })
    out = _check(site)
    # one personal-number finding per spelling (invisible characters are named on their own too)
    body_lines = [line for line in out.splitlines()
                  if line.startswith("content/zfb/body.md:") and "含有未脱敏" in line]
    assert len(body_lines) == len(SPELLINGS), out
    for n, (written, kind, number) in enumerate(SPELLINGS):
        line = 13 + 2 * n  # the body starts on line 13, one spelling every other line
        assert f"content/zfb/body.md:{line}: 正文: 含有未脱敏的{pii.KIND_LABELS[kind]}（{pii.mask(kind, number)}）" \
            in out, (written, out)
    assert "content/zfb/front.md:8: 内容概述: 含有未脱敏的手机号（139****0001）" in out
    assert "content/zfb/front.md:9: 主题词: 含有未脱敏的手机号（139****0001）" in out
    assert "content/zfb/front.md:9: 主题词: 含有未脱敏的身份证号（11*************514）" in out


def test_an_exception_cannot_let_a_number_through_however_it_is_spelled(tmp_path):
    exception = "个人信息例外:\n  号码: [139 0745 0001]\n  理由: 村委会对外公布的办公电话\n"
    site = make_site(tmp_path, {"zfb/a.md": item(extra=exception, body="电话 139**0745**0001。\n")})
    result = gongkai("check", str(site), "--date", "2026-11-26")
    assert result.returncode == 1
    assert result.stdout.startswith("content/zfb/a.md:9: 个人信息例外: 手机号（139****0001）不能作为个人信息例外公开")


# --- attachments ----------------------------------------------------------------------------

def _formats(folder: Path) -> dict[str, str]:
    """File name -> where the finding is reported (after the file name)."""
    af.pdf(folder / "公示.pdf", f"Tel {MOBILE}")
    af.pdf(folder / "批注.pdf", "Notice", note=f"ID {ID}")
    af.xls(folder / "名单.xls", number=float(MOBILE))
    af.xls(folder / "表格.et", text=ID)
    af.xlsx(folder / "数字.xlsx", number=int(MOBILE))
    af.xlsx(folder / "批注.xlsx", comment=f"身份证 {ID}")
    af.xlsx(folder / "页眉.xlsx", header=f"联系电话 {MOBILE}")
    af.docx(folder / "文本框.docx", text_box=ID)
    af.docx(folder / "嵌套.docx", nested=f"卡号 {CARD}")
    af.docx(folder / "页眉.docx", header=f"电话 {MOBILE}")
    af.ole(folder / "文字.wps", MOBILE)
    af.ole(folder / "旧版.doc", ID)
    af.docx(folder / "新版.wps", body=f"电话 {MOBILE}")  # newer WPS may save OOXML under .wps/.et
    af.xlsx(folder / "新版.et", number=int(MOBILE))
    af.ofd(folder / "版式.ofd", MOBILE)
    af.zip_of(folder / "打包.zip", {"名单.csv": f"1,{ID}\n".encode(), "说明.docx": af.docx_bytes(MOBILE)})
    (folder / "utf16.txt").write_bytes(f"咨询电话\n{MOBILE}\n".encode("utf-16"))
    (folder / "bom.csv").write_bytes(f"姓名,身份证号\n李四,{ID}\n".encode("utf-8-sig"))
    (folder / "gbk.csv").write_bytes(f"姓名,电话\n李四,{MOBILE}\n".encode("gbk"))
    (folder / "分组.txt").write_text("卡号 6222　0212　3456　7890　128\n", encoding="utf-8")
    return {
        "公示.pdf": ": 第 1 页: 含有未脱敏的手机号",
        "批注.pdf": ": 第 1 页批注: 含有未脱敏的身份证号",
        "名单.xls": ":2: 工作表“名单”B2: 含有未脱敏的手机号",
        "表格.et": ":3: 工作表“名单”B3: 含有未脱敏的身份证号",
        "数字.xlsx": ":2: 工作表“名单”B2: 含有未脱敏的手机号",
        "批注.xlsx": ":2: 工作表“名单”A2批注: 含有未脱敏的身份证号",
        "页眉.xlsx": ": 工作表“名单”页眉: 含有未脱敏的手机号",
        "文本框.docx": ": 第 2 段: 含有未脱敏的身份证号",
        "嵌套.docx": ": 表格 1 第 1 行第 1 列: 含有未脱敏的银行卡号",
        "页眉.docx": ": 页眉: 含有未脱敏的手机号",
        "文字.wps": ": 数据流 Workbook: 含有未脱敏的手机号",
        "旧版.doc": ": 数据流 Workbook: 含有未脱敏的身份证号",
        "新版.wps": ": 第 2 段: 含有未脱敏的手机号",
        "新版.et": ":2: 工作表“名单”B2: 含有未脱敏的手机号",
        "版式.ofd": ": Doc_0/Pages/Page_0/Content.xml: 含有未脱敏的手机号",
        "打包.zip": ":1: 名单.csv: 含有未脱敏的身份证号",
        "utf16.txt": ":2: 含有未脱敏的手机号",
        "bom.csv": ":2: 含有未脱敏的身份证号",
        "gbk.csv": ":2: 含有未脱敏的手机号",
        "分组.txt": ":1: 含有未脱敏的银行卡号",
    }


def test_numbers_in_every_attachment_format_fail_check(tmp_path):
    folder = tmp_path / "content" / "zfb"
    folder.mkdir(parents=True)
    expected = _formats(folder)
    refs = "附件:\n" + "".join(f"  - 文件: {name}\n" for name in expected)
    make_site(tmp_path, {"zfb/list.md": item(extra=refs)})
    out = _check(tmp_path)
    for name, where in expected.items():
        assert f"content/zfb/{name}{where}" in out, (name, out)
    assert "打包.zip: 说明.docx 第 1 段: 含有未脱敏的手机号" in out


def test_unscannable_attachment_fails_without_and_passes_with_a_manual_review(tmp_path):
    site = make_site(tmp_path, {})
    folder = site / "content" / "zfb"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "照片.png").write_bytes(af.PNG)
    af.pdf(folder / "扫描件.pdf", None)
    (folder / "坏字节.csv").write_bytes("姓名,电话\n李四,".encode() + b"\xff" + f"{MOBILE}\n".encode())
    refs = "附件:\n  - 文件: 照片.png\n  - 文件: 扫描件.pdf\n  - 文件: 坏字节.csv\n"
    write(site, "zfb/photo.md", item(extra=refs))
    out = _check(site)
    assert ("content/zfb/photo.md:9: 附件: 附件“照片.png”无法自动检查个人信息：图片中的文字无法自动检查。"
            "请审查人逐页查看") in out
    assert "content/zfb/photo.md:10: 附件: 附件“扫描件.pdf”无法自动检查个人信息：PDF 没有文字层（可能是扫描件）" in out
    assert ("content/zfb/photo.md:11: 附件: 附件“坏字节.csv”无法自动检查个人信息："
            "第 2 行有无法按 UTF-8 或 GB18030 解码的字节（0xFF") in out

    reviewed = "".join(f"  - 文件: {name}\n    人工审查:\n      审查人: 王丽\n      理由: 已逐页核对，无个人信息\n"
                       for name in ("照片.png", "扫描件.pdf", "坏字节.csv"))
    write(site, "zfb/photo.md", item(extra="附件:\n" + reviewed))
    result = gongkai("check", str(site), "--date", "2026-11-26")
    assert result.returncode == 0, result.stdout

    # the review is a person's word for what the guard cannot read, not a pass for what it can
    (folder / "名单.csv").write_text(f"李四,{MOBILE}\n", encoding="utf-8")
    write(site, "zfb/photo.md", item(extra="附件:\n  - 文件: 名单.csv\n    人工审查:\n      审查人: 王丽\n"
                                         "      理由: 已核对\n"))
    assert "content/zfb/名单.csv:1: 含有未脱敏的手机号" in _check(site)


def test_manual_review_needs_reviewer_and_reason(tmp_path):
    site = make_site(tmp_path, {})
    (site / "content" / "zfb").mkdir(parents=True, exist_ok=True)
    (site / "content" / "zfb" / "照片.png").write_bytes(af.PNG)
    write(site, "zfb/photo.md", item(extra="附件:\n  - 文件: 照片.png\n    人工审查:\n      审查人: 王丽\n"))
    assert "content/zfb/photo.md:10: 附件[1].人工审查.理由: 缺少必填字段" in _check(site)


def test_extraction_api_for_the_search_index(tmp_path):
    path = af.docx(tmp_path / "通知.docx", text_box="文本框里的话", header="页眉的话", nested="嵌套表格的话")
    text = extract.attachment_text(path)
    assert text.readable and text.unreadable is None
    assert {"文本框里的话", "页眉的话", "嵌套表格的话"} <= set(text.text.split())
    assert extract.attachment_text(path) is text  # cached by path, size and modification time
    assert not extract.attachment_text(tmp_path / "missing.pdf").readable


# --- catalog/ -------------------------------------------------------------------------------

def test_numbers_in_catalog_files_fail_check_with_file_and_line(tmp_path):
    site = make_site(tmp_path, {"zfb/a.md": item()})
    agencies = site / "catalog" / "agencies.yml"
    text = agencies.read_text(encoding="utf-8")
    text = text.replace("    head: 陈建华\n", "    head: 陈建华（手机 139 0745 0001）\n", 1)
    text = text.replace("    phone: 0571-65000001\n", '    phone: "\\u0031\\u0033907450001"\n', 1)
    agencies.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    head = next(n for n, line in enumerate(lines, 1) if "陈建华（" in line)
    phone = next(n for n, line in enumerate(lines, 1) if "\\u0031" in line)
    annual = site / "catalog" / "annual"
    annual.mkdir()
    (annual / "applications.csv").write_text(f"编号,申请人\n1,张三 {ID}\n", encoding="utf-8")
    out = _check(site)
    assert f"catalog/agencies.yml:{head}: 含有未脱敏的手机号（139****0001）" in out
    assert f"catalog/agencies.yml:{phone}: agencies.0.phone: 含有未脱敏的手机号（139****0001）" in out
    assert "catalog/annual/applications.csv:2: 含有未脱敏的身份证号（11*************514）" in out
