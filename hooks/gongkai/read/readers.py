"""Every format's reader by suffix: bytes in, passages of text out, and each part that was
not read (see ``read.passages``). Plain text (TXT, CSV) is read here."""

from __future__ import annotations

from collections.abc import Iterator

from gongkai.read.archive_text import ofd_text, zip_text
from gongkai.read.ole_text import et_text, ole_text, wps_text, xls_text
from gongkai.read.ooxml_text import docx_text, xlsx_text
from gongkai.read.passages import (
    IMAGES,
    MAX_BYTES,
    MAX_CHARS,
    MAX_DEPTH,
    MAX_TEXT_BYTES,
    READABLE,
    OverBudget,
    Passage,
    Reader,
    Reading,
    Unreadable,
    cell_text,
)
from gongkai.read.pdf_text import pdf_text

__all__ = ["MAX_BYTES", "MAX_DEPTH", "READABLE", "OverBudget", "Passage", "Reading", "Unreadable",
           "cell_text", "decode_text", "read"]


def read(data: bytes, suffix: str, reading: Reading, depth: int = 0) -> Iterator[Passage]:
    """The passages of a file's bytes, read by its lower-case ``suffix`` (".pdf")."""
    if reading.dispatch is None:
        reading.dispatch = read
    reader = _READERS.get(suffix)
    if reader is None:
        if suffix in IMAGES:
            raise Unreadable("图片中的文字无法自动检查")
        raise Unreadable(f"不能读取 {suffix or '无扩展名'} 文件中的文字")
    for passage in reader(data, reading, depth):
        if passage.text:
            yield reading.count(passage)


# --- plain text ----------------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode_text(data: bytes) -> str:
    """Text as an editor may have saved it; ``Unreadable`` names the first bad byte.

    UTF-8 first (it almost never decodes anything else by accident), then GB18030 (Excel
    and Notepad on Chinese Windows). A file that is neither is not guessed at: one bad
    byte could hide the very number the guard looks for.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise Unreadable(_bad_byte(data, exc.start + len(bom), encoding)) from None
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM: ASCII letters alternate with NUL bytes
        even = data[0:4096:2].count(0)
        odd = data[1:4096:2].count(0)
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise Unreadable(_bad_byte(data, exc.start, encoding)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise Unreadable(_bad_byte(data, utf8.start, "UTF-8 或 GB18030")) from None


def _bad_byte(data: bytes, offset: int, encoding: str) -> str:
    line = data[:offset].count(b"\n") + 1
    return (f"第 {line} 行有无法按 {encoding} 解码的字节（0x{data[offset]:02X}，第 {offset + 1} 个字节）："
            "请用 UTF-8 重新保存文件")


def _plain(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
    if len(data) > MAX_TEXT_BYTES:
        raise OverBudget(f"文字超过 {MAX_CHARS:,} 个字符")
    yield Passage(decode_text(data).replace("\r\n", "\n"), None, 1)


_READERS: dict[str, Reader] = {
    ".txt": _plain, ".csv": _plain, ".pdf": pdf_text, ".xlsx": xlsx_text, ".xls": xls_text,
    ".et": et_text, ".docx": docx_text, ".doc": ole_text, ".wps": wps_text,
    ".ofd": ofd_text, ".zip": zip_text,
}

