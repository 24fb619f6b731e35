"""Office 97 formats in OLE compound files: XLS cells (xlrd) and what xlrd does not read,
DOC and WPS text runs, and the WPS formats that are OOXML under another name."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from gongkai.read.ooxml_text import docx_text, xlsx_text
from gongkai.read.passages import OverBudget, Passage, Reading, Unreadable, cell_text


def xls_text(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except xlrd.biffh.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise Unreadable("表格已加密，无法读取其中的文字") from None
        raise
    try:
        for sheet in book.sheets():
            name = f"工作表“{sheet.name}”"
            yield Passage(sheet.name, "工作表名称")
            for r in range(sheet.nrows):
                for c, value in enumerate(sheet.row_values(r)):
                    text = cell_text(value)
                    if text:
                        yield Passage(text, f"{name}{xlrd.formula.cellname(r, c)}", r + 1)
    finally:
        book.release_resources()
    for reason in _xls_objects(data):
        reading.gap(reason)


# BIFF records xlrd does not read the text of: a text box's or a comment's text, an
# embedded object, a picture
_BIFF_UNREAD = {0x01B6: "文本框或批注", 0x001C: "批注", 0x007F: "嵌入对象", 0x00E9: "图片"}


def _xls_objects(data: bytes) -> list[str]:
    """What an Excel 97 workbook holds besides cells, by its record types."""
    import olefile

    ole = olefile.OleFileIO(io.BytesIO(data))
    try:
        name = "Workbook" if ole.exists("Workbook") else "Book" if ole.exists("Book") else None
        stream = ole.openstream(name).read() if name else b""
        others = [e for e in ole.listdir(streams=False, storages=True) if e and e[0].startswith("MBD")]
    finally:
        ole.close()
    found: set[str] = set()
    offset = 0
    while offset + 4 <= len(stream):
        kind = int.from_bytes(stream[offset:offset + 2], "little")
        size = int.from_bytes(stream[offset + 2:offset + 4], "little")
        if kind in _BIFF_UNREAD:
            found.add(_BIFF_UNREAD[kind])
        offset += 4 + size
    if others:
        found.add("嵌入对象")
    return [f"含有{what}（旧版 Excel 格式中的{what}无法自动读取）" for what in sorted(found)]


# --- OLE (DOC, WPS, XLS-compatible ET) -----------------------------------------------------

# runs of readable characters in UTF-16LE streams (Word keeps Chinese text so) and in
# single-byte streams (Word's "compressed" text)
_UTF16_RUN = re.compile(r"[\u0020-\u007e\u00a0-\u00ff\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\n\r\t]{4,}")
_BYTE_RUN = re.compile(rb"[\x20-\x7e\r\n\t]{4,}")


def ole_text(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
    """Text runs of every stream of an OLE compound file, as ``strings`` finds them.

    Word's binary format keeps the body as UTF-16LE or single-byte runs in its streams;
    reading the runs sees every character a reader sees (with some noise) without
    parsing the piece table, for DOC and for WPS 文字, which uses the same container.
    """
    import olefile

    ole = olefile.OleFileIO(io.BytesIO(data))
    try:
        if ole.exists("WordDocument"):
            fib = ole.openstream("WordDocument").read(12)
            if len(fib) >= 12 and fib[11] & 0x01:  # FIB fEncrypted
                raise Unreadable("文档已加密，无法读取其中的文字")
        if ole.exists("EncryptionInfo"):
            raise Unreadable("文档已加密，无法读取其中的文字")
        for entry in ole.listdir(streams=True, storages=False):
            name = "/".join(entry)
            reading.inflate(ole.get_size(entry), name)
            raw = ole.openstream(entry).read()
            wide = raw[: len(raw) // 2 * 2].decode("utf-16-le", errors="replace")
            for part in _UTF16_RUN.findall(wide):
                yield Passage(part, f"数据流 {name}")
            for part in _BYTE_RUN.findall(raw):
                yield Passage(part.decode("ascii"), f"数据流 {name}")
    finally:
        ole.close()


def wps_text(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
    """WPS 文字: an OLE file like a DOC, or (newer WPS) a DOCX under another name."""
    return docx_text(data, reading, depth) if data.startswith(b"PK") else ole_text(data, reading, depth)


def et_text(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
    """An .et saved in the Excel 97 format is an XLS, a newer one may be an XLSX; anything
    else is read as runs."""
    if data.startswith(b"PK"):
        return xlsx_text(data, reading, depth)
    try:
        return iter(list(xls_text(data, reading, depth)))
    except (Unreadable, OverBudget):
        raise
    except Exception:
        return ole_text(data, reading, depth)


