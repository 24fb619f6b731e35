"""Real attachment files for the guard tests, written with the libraries editors' tools use.

Each writer puts ``text`` where the issue says numbers hide: a PDF's text layer, a
numeric XLS/XLSX cell, an XLSX comment and page header, a DOCX text box, nested
table and header, an OLE stream (.doc/.wps), OFD TextCode, a ZIP member.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def pdf(path: Path, text: str | None, note: str | None = None) -> Path:
    """A PDF with ``text`` in its text layer (None: a page with no text, like a scan) and
    ``note`` in an annotation (a reviewer's sticky note)."""
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    if text is not None:
        doc.set_font("helvetica", size=12)
        doc.cell(text=text)
    else:
        doc.rect(10, 10, 50, 50, style="F")  # a picture-like page without a text layer
    if note is not None:
        doc.text_annotation(10, 10, note)
    doc.output(str(path))
    return path


def xls(path: Path, number: float | None = None, text: str | None = None) -> Path:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("名单")
    sheet.write(0, 0, "姓名")
    sheet.write(0, 1, "电话")
    if number is not None:
        sheet.write(1, 1, number)  # a phone typed into Excel is stored as a number
    if text is not None:
        sheet.write(2, 1, text)
    book.save(str(path))
    return path


def xlsx(path: Path, number: int | None = None, comment: str | None = None,
         header: str | None = None, text: str | None = None) -> Path:
    import openpyxl
    from openpyxl.comments import Comment

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["姓名", "电话"])
    sheet.append(["王五", number if number is not None else "（略）"])
    if text is not None:
        sheet["C3"] = text
    if comment is not None:
        sheet["A2"].comment = Comment(comment, "编辑")
    if header is not None:
        sheet.oddHeader.center.text = header
    book.save(str(path))
    return path


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(path: Path, text_box: str | None = None, nested: str | None = None,
         header: str | None = None, body: str | None = None) -> Path:
    import docx as python_docx
    from docx.oxml import parse_xml

    document = python_docx.Document()
    document.add_paragraph("公示如下：")
    if body is not None:
        document.add_paragraph(body)
    if text_box is not None:
        run = parse_xml(
            f'<w:r xmlns:w="{_W}" xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape>'
            f'<v:textbox><w:txbxContent><w:p><w:r><w:t>{text_box}</w:t></w:r></w:p>'
            f'</w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
        document.add_paragraph("见文本框")._p.append(run)
    if nested is not None:
        outer = document.add_table(rows=1, cols=1)
        inner = outer.cell(0, 0).add_table(rows=1, cols=1)
        inner.cell(0, 0).text = nested
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    document.save(str(path))
    return path


def ole(path: Path, text: str) -> Path:
    """An OLE compound file (the container of .doc, .wps, .xls, .et) holding ``text`` as
    UTF-16 in a stream, as Word and WPS keep a document's characters."""
    from xlwt.CompoundDoc import XlsDoc

    XlsDoc().save(str(path), ("正文：" + text).encode("utf-16-le") + b"\x00" * 600)
    return path


def ofd(path: Path, text: str) -> Path:
    page = ('<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">'
            f'<ofd:Content><ofd:Layer><ofd:TextObject><ofd:TextCode X="0" Y="10">{text}</ofd:TextCode>'
            '</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("OFD.xml", '<?xml version="1.0"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>')
        archive.writestr("Doc_0/Pages/Page_0/Content.xml", page)
    return path


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def docx_bytes(body: str) -> bytes:
    import docx as python_docx

    buffer = io.BytesIO()
    document = python_docx.Document()
    document.add_paragraph(body)
    document.save(buffer)
    return buffer.getvalue()


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
       b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00"
       b"\x00\x00IEND\xaeB`\x82")
