"""Personal numbers: what counts, what passes, and that check and build stop on them."""

from __future__ import annotations

import json

import pytest
from sitekit import gongkai, item, make_site, write

from gongkai.guards import pii

ID_OK = "330102198506141232"  # check digit 2 is right (ISO 7064 MOD 11-2)
ID_X = "11010519491231002X"  # check digit X
CARD19 = "6222021234567890128"  # UnionPay prefix, Luhn valid
CARD16 = "6228480012345671"
MOBILE = "13812345678"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.number) for f in pii.scan(text)]


@pytest.mark.parametrize("text, expected", [
    (f"身份证号{ID_OK}。", [("id", ID_OK)]),
    (f"身份证号{ID_X}，", [("id", ID_X)]),
    (f"身份证号{ID_X.lower()}", [("id", ID_X)]),
    (f"联系电话{MOBILE}", [("mobile", MOBILE)]),
    ("联系电话 138 1234 5678", [("mobile", MOBILE)]),
    ("联系电话 138-1234-5678", [("mobile", MOBILE)]),
    ("联系电话 +8613812345678", [("mobile", MOBILE)]),
    (f"卡号{CARD19}", [("card", CARD19)]),
    (f"卡号 {CARD16}", [("card", CARD16)]),
    ("卡号 6222 0212 3456 7890 128", [("card", CARD19)]),
    ("电话１３８１２３４５６７８", [("mobile", MOBILE)]),  # full-width digits from Word
])
def test_unmasked_numbers_are_found(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize("text", [
    ID_OK[:-1] + "3",  # wrong check digit
    "330102198513401236",  # valid check digit? irrelevant: month 13 is no birth date
    "138****5678",  # masked mobile
    "33*************232",  # masked ID (first 2, last 3)
    "3301**********1232",
    "6222 **** **** 0128",
    "1" + MOBILE,  # 12 digits: a longer run is not a phone number
    MOBILE + "0",
    "9" + ID_OK,  # 19 digits that are not a card (Luhn fails)
    "订单号 20251234567890123456",  # a 20-digit serial
    CARD19[:-1] + "9",  # Luhn fails
    "113708280043326002/2024-02411",  # an 18-digit agency code passing Luhn, no card prefix
    "002501001/2024-00012",
    "2025-03-18 至 2025-03-25，金额 12345678.90 元",
    "0571-65000001",
    "12345678901",  # 11 digits but not 1[3-9]
])
def test_masked_forms_and_other_numbers_pass(text):
    assert kinds(text) == []


def test_id_check_digit_follows_iso_7064():
    assert pii.id_check_digit("11010519491231002") == "X"
    assert pii.id_check_digit("33010219850614123") == "2"
    assert not pii.is_id_number("330102198506141233")


def test_findings_give_line_and_column_and_never_the_full_number():
    found = pii.scan(f"第一行\n名单：张三 {ID_OK}\n")
    assert [(f.line, f.column) for f in found] == [(2, 7)]
    message = found[0].message()
    assert ID_OK not in message and "33*************232" in message


def _check(site, *extra):
    return gongkai("check", str(site), "--date", "2026-11-26", *extra)


def test_check_reports_body_and_front_matter_numbers_with_file_line_field(tmp_path):
    site = make_site(tmp_path, {
        "zfb/notice.md": item(extra=f"内容概述: 联系人电话 {MOBILE}\n",
                              body=f"第一段。\n\n申请人身份证号 {ID_OK}。\n"),
    })
    result = _check(site)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(ln.startswith("content/zfb/notice.md:8: 内容概述: 含有未脱敏的手机号（138****5678）")
               for ln in lines), result.stdout
    body_line = next(ln for ln in lines if "身份证号" in ln)
    assert body_line.startswith("content/zfb/notice.md:16: 正文: 含有未脱敏的身份证号（33*************232）")
    assert ID_OK not in result.stdout and MOBILE not in result.stdout


def test_masked_list_passes_check(tmp_path):
    site = make_site(tmp_path, {"zfb/list.md": item(body="| 姓名 | 身份证号 | 电话 |\n|---|---|---|\n"
                                                         "| 王*英 | 33*************124 | 138****1234 |\n")})
    result = _check(site)
    assert result.returncode == 0, result.stdout + result.stderr


def test_attachments_are_scanned_csv_gbk_txt_xlsx_docx(tmp_path):
    import docx
    import openpyxl

    folder = "cgjd/2025"
    files = "附件:\n" + "".join(f"  - 文件: {n}\n" for n in ("名单.csv", "说明.txt", "台账.xlsx", "通知.docx"))
    site = make_site(tmp_path, {f"{folder}/list.md": item(extra=files)})
    write(site, f"{folder}/名单.csv", f"序号,姓名,身份证号\n1,王*英,33*************124\n2,李四,{ID_X}\n"
          .encode("gb18030"))  # Excel on Chinese Windows saves CSV as GBK
    write(site, f"{folder}/说明.txt", f"咨询电话：\n{MOBILE}\n")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["姓名", "卡号", "电话"])
    sheet.append(["王五", CARD19, 13912345678])  # a phone typed into Excel is stored as a number
    book.save(site / "content" / folder / "台账.xlsx")
    document = docx.Document()
    document.add_paragraph("公示如下：")
    document.add_paragraph(f"赵六 {ID_OK}")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 1).text = f"电话 {MOBILE}"
    document.save(str(site / "content" / folder / "通知.docx"))

    result = _check(site)
    assert result.returncode == 1
    out = result.stdout
    assert "content/cgjd/2025/名单.csv:3: 含有未脱敏的身份证号（11*************02X）" in out
    assert "content/cgjd/2025/说明.txt:2: 含有未脱敏的手机号（138****5678）" in out
    assert "content/cgjd/2025/台账.xlsx:2: 工作表“名单”B2: 含有未脱敏的银行卡号（6222***********0128）" in out
    assert "content/cgjd/2025/台账.xlsx:2: 工作表“名单”C2: 含有未脱敏的手机号（139****5678）" in out
    assert "content/cgjd/2025/通知.docx: 第 2 段: 含有未脱敏的身份证号" in out
    assert "content/cgjd/2025/通知.docx: 表格 1 第 1 行第 2 列: 含有未脱敏的手机号" in out


def test_an_exception_lets_no_personal_number_through(tmp_path):
    exception = "个人信息例外:\n  号码: [139 0745 0001]\n  理由: 村委会对外公布的办公电话\n"
    site = make_site(tmp_path, {"zfb/contact.md": item(extra=exception, body="村委会电话 13907450001。\n")})
    result = _check(site)
    assert result.returncode == 1
    # one message, on the exception, saying who acts; the body's number is not reported twice
    assert [line for line in result.stdout.splitlines() if "139****0001" in line] == [
        "content/zfb/contact.md:9: 个人信息例外: 手机号（139****0001）不能作为个人信息例外公开，谁也不能放行："
        "请编辑在条目中把它脱敏写成 139****0001，并从“个人信息例外”中删去。例外只用于机构的办公电话"]
    office = "个人信息例外:\n  号码: [0571-65000001]\n  理由: 县政府办公室对外公布的电话\n"
    write(site, "zfb/contact.md", item(extra=office, body=f"办公室电话 0571-65000001，主任 {MOBILE}。\n"))
    result = _check(site)
    assert result.returncode == 1
    assert "138****5678" in result.stdout and "个人信息例外:" not in result.stdout


def test_exception_needs_a_reason_and_numbers(tmp_path):
    site = make_site(tmp_path, {"zfb/contact.md": item(extra="个人信息例外:\n  号码: [13907450001]\n")})
    result = _check(site, "--format", "json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)["problems"]
    assert {"file": "content/zfb/contact.md", "line": 8, "field": "个人信息例外.理由",
            "message": "缺少必填字段", "severity": "error"} in problems
    write(site, "zfb/contact.md", item(extra="个人信息例外:\n  号码: []\n  理由: 办公电话\n"))
    result = _check(site)
    assert "content/zfb/contact.md:9: 个人信息例外.号码: 请列出确需公开的号码" in result.stdout


def test_drafts_are_not_blocked(tmp_path):
    site = make_site(tmp_path, {"zfb/draft.md": item(extra="草稿: true\n", body=f"待脱敏：{ID_OK}\n")})
    result = _check(site)
    assert result.returncode == 0, result.stdout


def test_other_pages_under_content_are_scanned(tmp_path):
    site = make_site(tmp_path, {"pages/guide.md": f"# 指南\n\n咨询：{MOBILE}\n"})
    result = _check(site)
    assert result.returncode == 1
    assert "content/pages/guide.md:3: 含有未脱敏的手机号（138****5678）" in result.stdout
