"""The text a reader of an attachment sees, for every format an agency publishes.

One function, ``attachment_text``, turns a file into passages of text (each with
where it was found: a page, a cell, a text box) or says why its text cannot be
read. The personal-number guard scans the passages; the search index reuses the
same text. Nothing here judges the text, and nothing here follows a symbolic
link (the file is opened with ``O_NOFOLLOW``).

Formats: PDF (the text layer, pypdf), XLS and WPS 表格 .et (xlrd), XLSX (cells
including numbers, comments, page headers and footers; openpyxl), DOCX (every
part's XML: body, text boxes, nested tables, headers, footers, notes, comments,
tracked deletions), DOC and WPS 文字 .wps (the text runs of the OLE streams,
olefile), OFD (the TextCode elements of its XML), TXT/CSV in UTF-8 with or
without BOM, UTF-16 with BOM, GB18030/GBK, and ZIP (each member by its own
format). Images have no text layer: they are reported as unreadable.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: the largest attachment (and the most a ZIP may unpack to) whose text is read
MAX_BYTES = 200 * 1024 * 1024
#: ZIP members inside ZIP members are read this deep, no deeper
MAX_ZIP_DEPTH = 2


@dataclass(frozen=True, slots=True)
class Passage:
    """A piece of text and where in the file it is, in Chinese (``None``: the whole file)."""

    text: str
    where: str | None = None
    line: int | None = None  # 1-based line of the file, where the format has lines


@dataclass(frozen=True, slots=True)
class ExtractedText:
    """Either the passages of an attachment, or why its text cannot be read."""

    passages: tuple[Passage, ...] = ()
    unreadable: str | None = None  # Chinese reason; None when the text was read

    @property
    def readable(self) -> bool:
        return self.unreadable is None

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.passages)


def _cannot(reason: str) -> ExtractedText:
    return ExtractedText((), reason)


#: attachment formats whose text can be read, by lower-case suffix
READABLE = frozenset({".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".csv",
                      ".txt", ".zip"})

#: texts by (suffix, digest of the bytes): the same file is read by the guard, again by a
#: check that follows an import (at another path), and by the search index
_cache: dict[tuple[str, bytes], ExtractedText] = {}
_CACHE_CHARS = 64_000_000  # of text held, about the text of a large site's attachments
_cached_chars = 0


def attachment_text(path: Path) -> ExtractedText:
    """The text of the attachment at ``path`` (cached by its bytes).

    Never raises for a bad file: a corrupt, encrypted, image-only or unknown file comes back
    with ``unreadable`` set. A symbolic link is not followed and is unreadable.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError as exc:
        return _cannot(f"无法打开文件（{exc.strerror or exc}），符号链接不会被读取")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return _cannot("不是普通文件")
        if info.st_size > MAX_BYTES:
            return _cannot(f"文件大于 {MAX_BYTES // (1024 * 1024)} MB，无法读取其中的文字")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read()
    finally:
        os.close(fd)
    suffix = Path(path).suffix.lower()
    key = (suffix, hashlib.blake2b(data, digest_size=16).digest())
    hit = _cache.get(key)
    if hit is not None:
        return hit
    result = text_of(data, suffix)
    global _cached_chars
    size = sum(len(p.text) for p in result.passages) + 100
    if _cached_chars + size > _CACHE_CHARS:
        _cache.clear()
        _cached_chars = 0
    _cache[key] = result
    _cached_chars += size
    return result


def text_of(data: bytes, suffix: str, depth: int = 0) -> ExtractedText:
    """The text of a file's bytes, read by its lower-case ``suffix`` (".pdf")."""
    reader = _READERS.get(suffix)
    if reader is None:
        if suffix in (".jpg", ".jpeg", ".png", ".gif"):
            return _cannot("图片中的文字无法自动检查")
        return _cannot(f"不能读取 {suffix or '无扩展名'} 文件中的文字")
    try:
        if suffix == ".zip":
            return _zip(data, depth)
        return ExtractedText(tuple(p for p in reader(data) if p.text))
    except _CannotExtract as exc:
        return _cannot(str(exc))
    except Exception as exc:  # a corrupt upload must stop the build with a message, not crash it
        return _cannot(f"文件已损坏或格式不符，无法读取（{type(exc).__name__}: {str(exc)[:200]}）")


class _CannotExtract(Exception):
    """A reason, in Chinese, why a well-formed file's text cannot be read."""


# --- plain text ----------------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode_text(data: bytes) -> str:
    """Text as an editor may have saved it; ``_CannotExtract`` names the first bad byte.

    UTF-8 first (it almost never decodes anything else by accident), then GB18030 (Excel
    and Notepad on Chinese Windows). A file that is neither is not guessed at: one bad
    byte could hide the very number the guard looks for.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise _CannotExtract(_bad_byte(data, exc.start + len(bom), encoding)) from None
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM: ASCII letters alternate with NUL bytes
        even = data[0:4096:2].count(0)
        odd = data[1:4096:2].count(0)
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _CannotExtract(_bad_byte(data, exc.start, encoding)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise _CannotExtract(_bad_byte(data, utf8.start, "UTF-8 或 GB18030")) from None


def _bad_byte(data: bytes, offset: int, encoding: str) -> str:
    line = data[:offset].count(b"\n") + 1
    return (f"第 {line} 行有无法按 {encoding} 解码的字节（0x{data[offset]:02X}，第 {offset + 1} 个字节）："
            "请用 UTF-8 重新保存文件")


def _plain(data: bytes) -> Iterator[Passage]:
    yield Passage(decode_text(data).replace("\r\n", "\n"), None, 1)


# --- PDF -----------------------------------------------------------------------------------

def _pdf(data: bytes) -> Iterator[Passage]:
    import pypdf  # imported here: only sites with such attachments pay for it

    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise _CannotExtract("PDF 已加密，无法读取其中的文字")
    texts = []
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text() or ""
        texts.append(text)
        yield Passage(text, f"第 {number} 页")
        annotations = page.get("/Annots")
        for annotation in (annotations.get_object() if annotations is not None else None) or ():
            contents = annotation.get_object().get("/Contents")
            if contents:
                yield Passage(str(contents), f"第 {number} 页批注")
    fields = reader.get_fields() or {}
    for name, field in fields.items():
        value = field.get("/V")
        if value:
            yield Passage(str(value), f"表单域“{name}”")
    for key, value in (reader.metadata or {}).items():
        yield Passage(str(value), f"文档属性 {key}")
    if reader.pages and not any(t.strip() for t in texts):
        raise _CannotExtract("PDF 没有文字层（可能是扫描件），其中的文字无法自动检查")


# --- spreadsheets --------------------------------------------------------------------------

def cell_text(value: object) -> str:
    """What a cell shows: a number typed into Excel (an ID, a phone) is stored as one."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e20:
        return str(int(value))
    return "" if value is None else str(value)


def _xlsx(data: bytes) -> Iterator[Passage]:
    import openpyxl

    # not read_only: comments and page headers are only loaded in the full mode
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    try:
        for sheet in book.worksheets:
            name = f"工作表“{sheet.title}”"
            for row in sheet.iter_rows():
                for cell in row:
                    text = cell_text(cell.value)
                    if text:
                        yield Passage(text, f"{name}{cell.coordinate}", cell.row)
                    if cell.comment is not None and cell.comment.text:
                        yield Passage(cell.comment.text, f"{name}{cell.coordinate}批注", cell.row)
            for label, part in (("页眉", "Header"), ("页脚", "Footer")):
                for kind in ("odd", "even", "first"):
                    header = getattr(sheet, f"{kind}{part}", None)
                    for side in ("left", "center", "right"):
                        margin = getattr(getattr(header, side, None), "text", None)
                        if margin:
                            yield Passage(margin, f"{name}{label}")
        for key in ("title", "subject", "creator", "description", "keywords", "lastModifiedBy"):
            value = getattr(book.properties, key, None)
            if value:
                yield Passage(str(value), "文档属性")
    finally:
        book.close()


def _xls(data: bytes) -> Iterator[Passage]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except xlrd.biffh.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise _CannotExtract("表格已加密，无法读取其中的文字") from None
        raise
    try:
        for sheet in book.sheets():
            name = f"工作表“{sheet.name}”"
            for r in range(sheet.nrows):
                for c, value in enumerate(sheet.row_values(r)):
                    text = cell_text(value)
                    if text:
                        yield Passage(text, f"{name}{xlrd.formula.cellname(r, c)}", r + 1)
    finally:
        book.release_resources()


# --- Word ----------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_PARTS = re.compile(r"^/word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")
_PART_LABELS = {"document": "正文", "header": "页眉", "footer": "页脚", "footnotes": "脚注",
                "endnotes": "尾注", "comments": "批注"}


def _docx(data: bytes) -> Iterator[Passage]:
    import docx  # python-docx: opens the package and parses each part without entities

    document = docx.Document(io.BytesIO(data))
    for part in document.part.package.iter_parts():
        m = _DOCX_PARTS.match(str(part.partname))
        element = getattr(part, "element", None)
        if m is None or element is None:
            continue
        label = _PART_LABELS[re.sub(r"\d+$", "", m[1])]
        if m[1] == "document":
            yield from _body(element)
        else:
            yield Passage(_word_text(element), label)
    core = document.core_properties
    for value in (core.title, core.subject, core.author, core.comments, core.keywords,
                  core.last_modified_by):
        if value:
            yield Passage(str(value), "文档属性")


def _body(document) -> Iterator[Passage]:
    """The body by its top-level paragraphs and tables, named as Word counts them; each
    passage holds everything inside (text boxes, nested tables)."""
    body = document.find(_W + "body")
    if body is None:
        return
    paragraphs = tables = 0
    for child in body:
        if child.tag == _W + "p":
            paragraphs += 1
            yield Passage(_word_text(child), f"第 {paragraphs} 段")
        elif child.tag == _W + "tbl":
            tables += 1
            for r, row in enumerate(child.iterchildren(_W + "tr"), 1):
                for c, cell in enumerate(row.iterchildren(_W + "tc"), 1):
                    yield Passage(_word_text(cell), f"表格 {tables} 第 {r} 行第 {c} 列")
        else:  # content controls (w:sdt), tracked insertions at body level, …
            yield Passage(_word_text(child), "正文")


def _word_text(element) -> str:
    """All text of a WordprocessingML tree in document order, text boxes and nested
    tables included; each paragraph on a line of its own."""
    out: list[str] = []
    for node in element.iter():
        tag = node.tag
        if tag in (_W + "t", _W + "delText", _W + "instrText"):
            out.append(node.text or "")
        elif tag == _W + "p":
            out.append("\n")
        elif tag in (_W + "tab", _W + "tc"):
            out.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            out.append("\n")
    return "".join(out)


# --- OLE (DOC, WPS, XLS-compatible ET) -----------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# runs of readable characters in UTF-16LE streams (Word keeps Chinese text so) and in
# single-byte streams (Word's "compressed" text)
_UTF16_RUN = re.compile(r"[\u0020-\u007e\u00a0-\u00ff\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\n\r\t]{4,}")
_BYTE_RUN = re.compile(rb"[\x20-\x7e\r\n\t]{4,}")


def _ole_text(data: bytes) -> Iterator[Passage]:
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
                raise _CannotExtract("文档已加密，无法读取其中的文字")
        if ole.exists("EncryptionInfo"):
            raise _CannotExtract("文档已加密，无法读取其中的文字")
        for entry in ole.listdir(streams=True, storages=False):
            if ole.get_size(entry) > MAX_BYTES:
                raise _CannotExtract("文档过大，无法读取其中的文字")
            raw = ole.openstream(entry).read()
            name = "/".join(entry)
            wide = raw[: len(raw) // 2 * 2].decode("utf-16-le", errors="replace")
            for part in _UTF16_RUN.findall(wide):
                yield Passage(part, f"数据流 {name}")
            for part in _BYTE_RUN.findall(raw):
                yield Passage(part.decode("ascii"), f"数据流 {name}")
    finally:
        ole.close()


def _wps(data: bytes) -> Iterator[Passage]:
    """WPS 文字: an OLE file like a DOC, or (newer WPS) a DOCX under another name."""
    return _docx(data) if data.startswith(b"PK") else _ole_text(data)


def _spreadsheet_ole(data: bytes) -> Iterator[Passage]:
    """An .et saved in the Excel 97 format is an XLS, a newer one may be an XLSX; anything
    else is read as runs."""
    if data.startswith(b"PK"):
        return _xlsx(data)
    try:
        return iter(list(_xls(data)))
    except _CannotExtract:
        raise
    except Exception:
        return _ole_text(data)


# --- OFD -----------------------------------------------------------------------------------

def _ofd(data: bytes) -> Iterator[Passage]:
    """OFD (GB/T 33190) is a ZIP of XML pages; the text is in ``TextCode`` elements."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _check_sizes(archive)
        for info in archive.infolist():
            if not info.filename.lower().endswith(".xml"):
                continue
            root = etree.fromstring(archive.read(info), parser)
            texts = [node.text or "" for node in root.iter()
                     if isinstance(node.tag, str) and node.tag.rsplit("}", 1)[-1] == "TextCode"]
            if texts:
                yield Passage("\n".join(texts), info.filename)


# --- ZIP -----------------------------------------------------------------------------------

def _check_sizes(archive: zipfile.ZipFile) -> None:
    if sum(info.file_size for info in archive.infolist()) > MAX_BYTES:
        raise _CannotExtract(f"压缩包解压后大于 {MAX_BYTES // (1024 * 1024)} MB，无法检查其中的文件")


def _zip(data: bytes, depth: int) -> ExtractedText:
    """Every member by its own format: the archive is readable only if each member is."""
    passages: list[Passage] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _check_sizes(archive)
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = _member_name(info)
            suffix = Path(name).suffix.lower()
            if info.flag_bits & 0x1:
                return _cannot(f"压缩包中的“{name}”已加密，无法检查")
            if suffix == ".zip" and depth + 1 > MAX_ZIP_DEPTH:
                return _cannot(f"压缩包中的“{name}”嵌套过深，无法检查")
            inner = text_of(archive.read(info), suffix, depth + 1)
            if not inner.readable:
                return _cannot(f"压缩包中的“{name}”：{inner.unreadable}")
            passages += [Passage(p.text, f"{name} {p.where}" if p.where else name, p.line)
                         for p in inner.passages]
    return ExtractedText(tuple(passages))


def _member_name(info: zipfile.ZipInfo) -> str:
    """Chinese Windows writes member names in GBK without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


_READERS: dict[str, Callable[[bytes], Iterator[Passage]]] = {
    ".txt": _plain, ".csv": _plain, ".pdf": _pdf, ".xlsx": _xlsx, ".xls": _xls,
    ".et": _spreadsheet_ole, ".docx": _docx, ".doc": _ole_text, ".wps": _wps,
    ".ofd": _ofd, ".zip": lambda data: iter(()),  # handled in text_of (it needs the depth)
}
