"""Write attachments that hide a personal number from a partial reader, and attachment bombs.

    python tests/data/make_attachment_tricks.py OUT_DIR [--big]

Each trick is a real file, written with the libraries editors' tools use (fpdf2, pypdf,
openpyxl, python-docx, zipfile) and then changed the way a careless or hostile author
would: a scanned second page, an earlier revision, an embedded file, a lying font map,
a formula without its result, a number format's literal, a text box, a hidden run, an
equation, a renamed main part, an embedded workbook, a member's name. ``TRICKS`` says what
the guard must answer for each; ``BOMBS`` are files over a limit (``--big``: the sizes
measured in the issue, for the before/after figures).
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

MOBILE = "13907450001"
ID = "11010519491231002X"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


# --- PDF -----------------------------------------------------------------------------------

def _pdf(pages: list[str | None], font: bool = False, compress: bool = True) -> bytes:
    from fpdf import FPDF

    doc = FPDF()
    doc.set_compression(compress)
    if font:
        doc.add_font("dv", fname=FONT)
    for text in pages:
        doc.add_page()
        if text is None:
            doc.rect(10, 10, 150, 200, style="F")  # a page without a text layer, like a scan
        else:
            doc.set_font("dv" if font else "helvetica", size=12)
            doc.cell(text=text)
    return bytes(doc.output())


def scanned_second_page(path: Path) -> None:
    path.write_bytes(_pdf(["Notice: the list is on page 2", None]))


def earlier_revision(path: Path) -> None:
    """Saved with the number, then saved again (incrementally) with the page replaced."""
    import pypdf
    from pypdf.generic import ContentStream

    first = _pdf([f"ID {ID}"])
    writer = pypdf.PdfWriter(io.BytesIO(first), incremental=True)
    page = writer.pages[0]
    content = ContentStream(None, writer)
    content.set_data(b"BT /F1 12 Tf 20 800 Td (ID 110105**********2X) Tj ET")
    page.replace_contents(content)
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())


def embedded_file(path: Path) -> None:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(_pdf(["See the attached list"]))))
    writer.add_attachment("名单.csv", f"姓名,电话\n王五,{MOBILE}\n".encode())
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())


def lying_font_map(path: Path) -> None:
    """The page draws 13907450001; the font's ToUnicode map says the 1s are l and the 0s O."""
    data = _pdf([f"Tel {MOBILE}"], font=True, compress=False)
    cmap = re.search(rb"beginbfchar(.*?)endbfchar", data, re.S)
    assert cmap is not None
    block = cmap[1]
    lied = block
    for digit, letter in ((b"0031", b"006C"), (b"0030", b"004F")):
        lied = re.sub(rb"(<[0-9A-F]{4}> )<" + digit + rb">", rb"\1<" + letter + rb">", lied)
    assert lied != block and len(lied) == len(block)
    path.write_bytes(data.replace(block, lied))


def big_picture(path: Path) -> None:
    """A caption in the text layer over a page-sized picture (the scanned list)."""
    from fpdf import FPDF
    from PIL import Image

    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(text="Scanned list")
    doc.image(Image.new("L", (1240, 1754), 255), x=10, y=20, w=180)
    path.write_bytes(bytes(doc.output()))


# --- XLSX ----------------------------------------------------------------------------------

def _book(fill: Callable) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["姓名", "电话"])
    fill(book, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def formula_without_value(path: Path) -> None:
    def fill(book, sheet):
        sheet["A2"] = "王五"
        sheet["B2"] = '="1390745"&"0001"'  # openpyxl saves no result: Excel computes it on opening
    path.write_bytes(_book(fill))


def format_literal(path: Path) -> None:
    def fill(book, sheet):
        sheet["A2"] = "王五"
        sheet["B2"] = 1
        sheet["B2"].number_format = '"1390745000"0'  # shows 13907450001
    path.write_bytes(_book(fill))


def sheet_name(path: Path) -> None:
    def fill(book, sheet):
        book.create_sheet(f"王五{MOBILE}")
    path.write_bytes(_book(fill))


def _rewrite(data: bytes, change: Callable[[dict[str, bytes]], None]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _add_type(parts: dict[str, bytes], xml: str) -> None:
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", xml.encode() + b"</Types>")


def text_box(path: Path) -> None:
    drawing = ('<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
               'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>'
               '<xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
               '<xdr:to><xdr:col>6</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>4</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
               '<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="2" name="TextBox 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr>'
               '<xdr:spPr/><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>联系电话 ' + MOBILE + '</a:t></a:r></a:p>'
               '</xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>')

    def change(parts):
        parts["xl/drawings/drawing1.xml"] = drawing.encode()
        parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" '
            b'Target="../drawings/drawing1.xml"/></Relationships>')
        parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
            b"</worksheet>", b'<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                             b'r:id="rId9"/></worksheet>')
        _add_type(parts, '<Override PartName="/xl/drawings/drawing1.xml" '
                         'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>')
    path.write_bytes(_rewrite(_book(lambda book, sheet: None), change))


def legacy_text_box(path: Path) -> None:
    """An Excel 97 workbook with a text box: its text is in TXO and CONTINUE records, which
    a cell reader never sees."""
    import xlwt
    from xlwt.CompoundDoc import XlsDoc

    book = xlwt.Workbook()
    book.add_sheet("名单").write(0, 0, "姓名")
    stream = book.get_biff_data()
    text = ("联系电话 " + MOBILE).encode("utf-16-le")
    txo = (b"\xb6\x01\x12\x00" + b"\x12\x02" + b"\x00" * 8 + (len(text) // 2).to_bytes(2, "little")
           + b"\x10\x00" + b"\x00" * 4)
    cont = b"\x3c\x00" + (len(text) + 1).to_bytes(2, "little") + b"\x01" + text
    runs = b"\x3c\x00\x10\x00" + b"\x00" * 8 + (len(text) // 2).to_bytes(2, "little") + b"\x00" * 6
    eof = b"\x0a\x00\x00\x00"
    assert stream.endswith(eof)
    cmo = b"\x15\x00\x12\x00" + b"\x06\x00" + b"\x01\x00" + b"\x11\x60" + b"\x00" * 12  # a text box
    obj = b"\x5d\x00" + (len(cmo) + 4).to_bytes(2, "little") + cmo + b"\x00" * 4
    XlsDoc().save(str(path), stream[:-len(eof)] + obj + txo + cont + runs + eof)


# --- DOCX ----------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def _document(extra: Callable | None = None) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("公示如下：")
    if extra is not None:
        extra(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def hidden_runs(path: Path) -> None:
    def extra(document):
        paragraph = document.add_paragraph()
        paragraph.add_run("电话 139")
        paragraph.add_run("备注").font.hidden = True  # shown to nobody, read by a naive reader
        paragraph.add_run("07450001")
    path.write_bytes(_document(extra))


def equation(path: Path) -> None:
    from docx.oxml import parse_xml

    def extra(document):
        math = parse_xml(f'<m:oMath xmlns:m="{_M}"><m:r><m:t>{MOBILE}</m:t></m:r></m:oMath>')
        document.add_paragraph("电话：")._p.append(math)
    path.write_bytes(_document(extra))


def renamed_main_part(path: Path) -> None:
    def change(parts):
        parts["word/main.xml"] = parts.pop("word/document.xml")
        parts["word/_rels/main.xml.rels"] = parts.pop("word/_rels/document.xml.rels")
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"/word/document.xml", b"/word/main.xml")
        parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"word/document.xml", b"word/main.xml")
    path.write_bytes(_rewrite(_document(lambda d: d.add_paragraph(f"电话 {MOBILE}")), change))


def embedded_workbook(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["王五", int(MOBILE)])
    inner = io.BytesIO()
    book.save(inner)

    def change(parts):
        parts["word/embeddings/Microsoft_Excel_Worksheet.xlsx"] = inner.getvalue()
        _add_type(parts, '<Default Extension="xlsx" ContentType="application/'
                         'vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>')
    path.write_bytes(_rewrite(_document(), change))


# --- ZIP -----------------------------------------------------------------------------------

def member_name(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"王五{MOBILE}.txt", "见文件名")


#: file name -> (writer, "personal" + where the number is reported | "review" + the gap named)
TRICKS: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "扫描第二页.pdf": (scanned_second_page, "review", "第 2 页没有文字层（可能是扫描件）"),
    "旧版本.pdf": (earlier_revision, "personal", ": 第 1 个修订版本第 1 页: 含有未脱敏的身份证号"),
    "内嵌文件.pdf": (embedded_file, "personal", ":2: 内嵌文件“名单.csv”: 含有未脱敏的手机号"),
    "字体映射.pdf": (lying_font_map, "review", "第 1 页字体“"),
    "大幅图片.pdf": (big_picture, "review", "第 1 页含有大幅图片（可能是扫描件）"),
    "文本框.xls": (legacy_text_box, "review", "含有文本框或批注（旧版 Excel 格式中的文本框或批注无法自动读取）"),
    "公式.xlsx": (formula_without_value, "review", "工作表“名单”B2 的公式没有保存计算结果"),
    "数字格式.xlsx": (format_literal, "personal", ":2: 工作表“名单”B2（按数字格式显示）: 含有未脱敏的手机号"),
    "文本框.xlsx": (text_box, "personal", ": 部件“xl/drawings/drawing1.xml”: 含有未脱敏的手机号"),
    "工作表名.xlsx": (sheet_name, "personal", ": 工作表名称: 含有未脱敏的手机号"),
    "隐藏文字.docx": (hidden_runs, "personal", ": 第 2 段: 含有未脱敏的手机号"),
    "公式.docx": (equation, "personal", ": 第 2 段: 含有未脱敏的手机号"),
    "改名.docx": (renamed_main_part, "personal", ": 第 2 段: 含有未脱敏的手机号"),
    "嵌入表格.docx": (embedded_workbook, "personal",
                    ":1: 嵌入文件“word/embeddings/Microsoft_Excel_Worksheet.xlsx” 工作表“Sheet”B1: 含有未脱敏的手机号"),
    "文件名.zip": (member_name, "personal", ": 压缩包中的文件名: 含有未脱敏的手机号"),
}


# --- bombs ---------------------------------------------------------------------------------

def _zip_of(path: Path | io.BytesIO, members: dict[str, tuple[int, bytes]]) -> None:
    """Members of ``size`` bytes repeating ``pattern``, written in pieces (never held whole);
    packed at deflate's fastest level, which packs a run nearly as small at a fraction of the CPU."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, (size, pattern) in members.items():
            piece = pattern * (1024 * 1024 // len(pattern))
            with archive.open(name, "w", force_zip64=True) as out:
                left = size
                while left > 0:
                    out.write(piece[:left])
                    left -= len(piece)


def sparse_sheet(path: Path, big: bool = False) -> None:
    """Two cells, A1 and XFD1048576: a reader that walks the declared range walks 17 billion."""
    def change(parts):
        sheet = parts["xl/worksheets/sheet1.xml"]
        sheet = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', sheet)
        parts["xl/worksheets/sheet1.xml"] = sheet.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>Tel '
            + MOBILE.encode() + b"</t></is></c></row></sheetData>")
    path.write_bytes(_rewrite(_book(lambda book, sheet: None), change))


def digits_zip(path: Path, big: bool = False) -> None:
    """Repeated digit groups: tiny packed, a flood for the personal-number scan unpacked."""
    _zip_of(path, {"号码.txt": ((200 if big else 40) * 1024 * 1024, b"1390745 0001 ")})


def nested_zip(path: Path, big: bool = False) -> None:
    inner = io.BytesIO()
    _zip_of(inner, {f"{k}.txt": (64 * 1024 * 1024, b"0") for k in range(4)})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for k in range(16 if big else 2):
            archive.writestr(f"{k}.zip", inner.getvalue())


def deep_zip(path: Path, big: bool = False) -> None:
    data = b"hello"
    name = "a.txt"
    for level in range(4):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr(name, data)
        data, name = out.getvalue(), f"{level}.zip"
    path.write_bytes(data)


def big_part_docx(path: Path, big: bool = False) -> None:
    """A Word file with a related part that unpacks to 1.5 GiB (300 MiB without ``big``)."""
    def change(parts):
        _add_type(parts, '<Override PartName="/customXml/item9.xml" ContentType="application/xml"/>')
    base = _rewrite(_document(), change)
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("customXml/item9.xml", "w", force_zip64=True) as out:
            out.write(b"<a>")
            piece = b" " * (1024 * 1024)
            for _ in range(1536 if big else 300):
                out.write(piece)
            out.write(b"</a>")


def element_flood_docx(path: Path, big: bool = False) -> None:
    """A Word body of 40 million empty paragraphs: 240 MB unpacked (within that limit), a
    parsed tree far larger than the reader's memory."""
    with zipfile.ZipFile(io.BytesIO(_document())) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    head, tail = parts.pop("word/document.xml").split(b"<w:body>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        with archive.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(head + b"<w:body>")
            piece = b"<w:p/>" * (1024 * 1024 // 6)
            for _ in range(240):
                out.write(piece)
            out.write(tail)


def _deflated_spaces(size: int) -> bytes:
    """A zlib stream of ``size`` spaces (a multiple of 1 MiB), built without compressing them:
    after a full flush deflate forgets what it saw, so every MiB packs to the same bytes; the
    Adler-32 of a run of one byte has a closed form."""
    piece = b" " * (1024 * 1024)
    squeeze = zlib.compressobj(9)
    head = squeeze.compress(piece) + squeeze.flush(zlib.Z_FULL_FLUSH)
    block = squeeze.compress(piece) + squeeze.flush(zlib.Z_FULL_FLUSH)
    assert head[2:] == block  # the zlib header, then the block every MiB packs to
    a = (1 + size * 0x20) % 65521
    b = (size + 0x20 * size * (size + 1) // 2) % 65521
    return head[:2] + block * (size // len(piece)) + b"\x03\x00" + ((b << 16) | a).to_bytes(4, "big")


def pdf_stream_bomb(path: Path, big: bool = False) -> None:
    """A page whose content stream inflates to 2 GiB (1.1 GiB without ``big``)."""
    body = _deflated_spaces((2048 if big else 1126) * 1024 * 1024)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


#: file name -> (writer, what the refusal names)
BOMBS: dict[str, tuple[Callable[..., None], str]] = {
    "数字.zip": (digits_zip, "文字超过 2,000,000 个字符（“号码.txt”）"),
    "嵌套.zip": (nested_zip, "解压后超过 256 MB"),
    "深层.zip": (deep_zip, "压缩包嵌套超过 2 层"),
    "大部件.docx": (big_part_docx, "解压后超过 256 MB"),
    "段落.docx": (element_flood_docx, "读取时占用超过 768 MB 内存"),
    "流.pdf": (pdf_stream_bomb, "第 1 页的内容解压后超过 pypdf 的上限 75 MB"),
}


def write(folder: Path, big: bool = False) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (writer, _kind, _where) in TRICKS.items():
        writer(folder / name)
    sparse_sheet(folder / "稀疏.xlsx", big)
    for name, (bomb, _limit) in BOMBS.items():
        bomb(folder / name, big)


if __name__ == "__main__":
    write(Path(sys.argv[1]), "--big" in sys.argv[2:])
