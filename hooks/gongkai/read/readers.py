"""Every format's reader: bytes in, passages of text out, and each part that was not read.

A reader accounts for every page, sheet, part and member of its file. What it reads
becomes ``Passage``s; what it cannot read (a page without a text layer, a picture, an
embedded object, a formula without a saved result) is a *gap*, named in Chinese, and a
file with a gap needs a person's eyes (``人工审查``) even where the rest was read. What
exceeds a limit (``Budget``) stops the reading: the file is refused, not half read.

This module runs inside the bounded worker (``read.sandbox``), never in the build's own
process: a hostile file can only exhaust the worker.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

#: the largest attachment read at all (the build's own reader refuses larger files)
MAX_BYTES = 200 * 1024 * 1024
#: bytes one attachment may unpack to, over all its members, parts and nested files
MAX_INFLATED = 256 * 1024 * 1024
#: characters of text one attachment may hold: the personal-number scan of a file stays short
MAX_CHARS = 2_000_000
#: a text file this large holds more characters than that, in any encoding
MAX_TEXT_BYTES = MAX_CHARS * 4
#: archives inside archives (and files embedded in files) are read this deep, no deeper
MAX_DEPTH = 2
#: members of one archive or package
MAX_MEMBERS = 10_000
#: revisions of one PDF (each incremental save adds one; each is read)
MAX_REVISIONS = 16
#: a picture this large on a page with text is likely a scanned page
SCAN_PIXELS = 1_000_000
#: seconds the second PDF extractor may take
POPPLER_SECONDS = 30


@dataclass(frozen=True, slots=True)
class Passage:
    """A piece of text and where in the file it is, in Chinese (``None``: the whole file)."""

    text: str
    where: str | None = None
    line: int | None = None  # 1-based line of the file, where the format has lines


class Unreadable(Exception):
    """A reason, in Chinese, why a file's text cannot be read at all."""


class OverBudget(Exception):
    """A limit, in Chinese, that the file exceeds: it is refused."""


@dataclass(slots=True)
class Reading:
    """The state of reading one attachment: its budget and the parts not read."""

    inflated: int = 0
    chars: int = 0
    gaps: list[str] = field(default_factory=list)

    def inflate(self, size: int, what: str) -> None:
        self.inflated += size
        if self.inflated > MAX_INFLATED:
            raise OverBudget(f"解压后超过 {MAX_INFLATED // (1024 * 1024)} MB（读到“{what}”时）")

    def count(self, passage: Passage) -> Passage:
        self.chars += len(passage.text)
        if self.chars > MAX_CHARS:
            raise OverBudget(f"文字超过 {MAX_CHARS:,} 个字符")
        return passage

    def gap(self, reason: str) -> None:
        if reason not in self.gaps:
            self.gaps.append(reason)


Reader = Callable[[bytes, Reading, int], Iterator[Passage]]

#: attachment formats whose text can be read, by lower-case suffix
READABLE = frozenset({".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".csv",
                      ".txt", ".zip"})
_IMAGES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf",
                     ".svg", ".webp", ".jfif", ".ico"})


def read(data: bytes, suffix: str, reading: Reading, depth: int = 0) -> Iterator[Passage]:
    """The passages of a file's bytes, read by its lower-case ``suffix`` (".pdf")."""
    reader = _READERS.get(suffix)
    if reader is None:
        if suffix in _IMAGES:
            raise Unreadable("图片中的文字无法自动检查")
        raise Unreadable(f"不能读取 {suffix or '无扩展名'} 文件中的文字")
    for passage in reader(data, reading, depth):
        if passage.text:
            yield reading.count(passage)


def _nested(data: bytes, name: str, reading: Reading, depth: int, label: str) -> Iterator[Passage]:
    """A file inside a file (an archive member, an embedded workbook), read by its suffix; what
    it lacks is a gap of the outer file."""
    if depth + 1 > MAX_DEPTH:
        raise OverBudget(f"嵌套超过 {MAX_DEPTH} 层（“{name}”）")
    suffix = PurePosixPath(name).suffix.lower()
    inner = Reading(reading.inflated, reading.chars)
    try:
        for p in read(data, suffix, inner, depth + 1):
            yield Passage(p.text, f"{label} {p.where}" if p.where else label, p.line)
    except Unreadable as exc:
        reading.gap(f"{label}：{exc}")
    except OverBudget:
        raise
    except Exception as exc:  # a corrupt member is a part not read
        reading.gap(f"{label}已损坏，无法读取（{type(exc).__name__}）")
    finally:
        reading.inflated, reading.chars = inner.inflated, inner.chars
    for reason in inner.gaps:
        reading.gap(f"{label}：{reason}")


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


# --- PDF -----------------------------------------------------------------------------------

def _pdf(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
    import pypdf  # imported here: only sites with such attachments pay for it

    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise Unreadable("PDF 已加密，无法读取其中的文字")
    for number, page in enumerate(reader.pages, 1):
        try:
            contents = page.get_contents()
            size = len(contents.get_data()) if contents is not None else 0
        except pypdf.errors.LimitReachedError:
            raise OverBudget(f"第 {number} 页的内容解压后超过 pypdf 的上限 75 MB") from None
        reading.inflate(size, f"第 {number} 页")
    second = _poppler_pages(data)
    if second is None:
        reading.gap("无法用第二种方法（pdftotext，Debian 软件包 poppler-utils）核对文字")
    texts: list[str] = []
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text() or ""
        texts.append(text)
        yield Passage(text, f"第 {number} 页")
        if text.strip() and _has_scan(page):
            reading.gap(f"第 {number} 页含有大幅图片（可能是扫描件）")
        for font in _lying_fonts(page):
            reading.gap(f"第 {number} 页字体“{font}”的字符映射（ToUnicode）与字形不符，读出的数字不可信")
        if second is not None:
            other = second[number - 1] if number <= len(second) else ""
            if _digits(other) != _digits(text):
                # a font whose character map lies shows one number and is read as another
                reading.gap(f"第 {number} 页用两种方法读出的数字不一致（字体的字符映射可能被篡改）")
                yield Passage(other, f"第 {number} 页（pdftotext）")
        yield from _annotations(page, number, reading, depth)
    if second is not None and len(second) > len(texts):
        reading.gap(f"pdftotext 读出 {len(second)} 页，与 {len(texts)} 页不符")
    fields = reader.get_fields() or {}
    for name, value in fields.items():
        v = value.get("/V")
        if v:
            yield Passage(str(v), f"表单域“{name}”")
    for key, v in (reader.metadata or {}).items():
        yield Passage(str(v), f"文档属性 {key}")
    for name, copies in (reader.attachments or {}).items():
        for content in copies:
            reading.inflate(len(content), name)
            yield from _nested(content, name, reading, depth, f"内嵌文件“{name}”")
    yield from _revisions(data, texts, reading)
    if texts and not any(t.strip() for t in texts):
        raise Unreadable("PDF 没有文字层（可能是扫描件），其中的文字无法自动检查")
    for number, text in enumerate(texts, 1):
        if not text.strip():
            reading.gap(f"第 {number} 页没有文字层（可能是扫描件）")


def _annotations(page, number: int, reading: Reading, depth: int) -> Iterator[Passage]:
    annotations = _get(page, "/Annots")
    for annotation in (annotations.get_object() if annotations is not None else None) or ():
        annotation = annotation.get_object()
        contents = _get(annotation, "/Contents")
        if contents:
            yield Passage(str(contents), f"第 {number} 页批注")
        if _get(annotation, "/Subtype") == "/FileAttachment":
            spec = _get(annotation, "/FS")
            stream = _get(_get(spec, "/EF"), "/F")
            name = str(_get(spec, "/UF") or _get(spec, "/F") or "附件") if hasattr(spec, "get") else str(spec)
            if stream is None:
                reading.gap(f"第 {number} 页的附件批注“{name}”无法读取")
                continue
            content = stream.get_data()
            reading.inflate(len(content), name)
            yield from _nested(content, name, reading, depth, f"第 {number} 页附件“{name}”")


def _get(obj: Any, key: str, default: Any = None) -> Any:
    """A PDF dictionary's value with indirect references followed (``dict.get`` does not)."""
    value = obj.get(key) if hasattr(obj, "get") else None
    return default if value is None else value.get_object() if hasattr(value, "get_object") else value


def _has_scan(page) -> bool:
    """A picture of about a page's size: the text may be only a caption of a scan."""
    resources = _get(page, "/Resources")
    xobjects = _get(resources.get_object(), "/XObject") if resources is not None else None
    for ref in (xobjects.get_object().values() if xobjects is not None else ()):
        obj = ref.get_object()
        if _get(obj, "/Subtype") == "/Image" and int(_get(obj, "/Width", 0)) * int(_get(obj, "/Height", 0)) >= SCAN_PIXELS:
            return True
    return False


_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")
_DIGIT_NAMES = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                "six": "6", "seven": "7", "eight": "8", "nine": "9"}


def _lying_fonts(page) -> list[str]:
    """Fonts whose ``ToUnicode`` map says a glyph is another character than the font's own
    tables do, on a digit: the page shows one number and is read as another."""
    resources = _get(page, "/Resources")
    fonts = _get(resources.get_object(), "/Font") if resources is not None else None
    out = []
    for key, ref in (fonts.get_object().items() if fonts is not None else ()):
        font = ref.get_object()
        to_unicode = _get(font, "/ToUnicode")
        if to_unicode is None:
            continue
        claimed = _cmap(to_unicode.get_object().get_data())
        actual = _glyph_chars(font)
        for code, text in claimed.items():
            real = actual.get(code)
            if real is None:
                continue
            if (any(ch.isdigit() for ch in text) or any(ch.isdigit() for ch in real)) and text not in real:
                out.append(str(_get(font, "/BaseFont") or key).lstrip("/"))
                break
    return out


def _cmap(data: bytes) -> dict[int, str]:
    """A ``ToUnicode`` CMap's bfchar and bfrange entries: code -> text."""
    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        codes = _HEX.findall(block)
        for src, dst in zip(codes[::2], codes[1::2], strict=False):
            out[int(src, 16)] = _utf16(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for line in block.splitlines():
            codes = _HEX.findall(line)
            if len(codes) < 3:
                continue
            lo, hi = int(codes[0], 16), int(codes[1], 16)
            if b"[" in line:
                for k, dst in enumerate(codes[2:]):
                    out[lo + k] = _utf16(dst)
            elif hi - lo <= 0xFFFF:
                first = _utf16(codes[2])
                for k in range(hi - lo + 1):
                    out[lo + k] = first[:-1] + chr(ord(first[-1]) + k) if first else ""
    return out


def _utf16(hexdigits: bytes) -> str:
    raw = bytes.fromhex(hexdigits.decode() + ("00" if len(hexdigits) % 2 else ""))
    return raw.decode("utf-16-be", errors="replace")


def _glyph_chars(font) -> dict[int, str]:
    """Code -> the characters the font's own tables give the glyph it draws (where known)."""
    if _get(font, "/Subtype") == "/Type0":
        return _cid_chars(font)
    declared = _get(font, "/Encoding")
    encoding: Any = declared.get_object() if declared is not None else None
    out = {code: chr(code) for code in range(0x20, 0x7F)} \
        if encoding in (None, "/WinAnsiEncoding", "/StandardEncoding", "/MacRomanEncoding") \
        or hasattr(encoding, "get") else {}
    differences = _get(encoding, "/Differences") if hasattr(encoding, "get") else None
    code = 0
    for entry in (differences or ()):
        if isinstance(entry, int):
            code = int(entry)
            continue
        name = str(entry).lstrip("/")
        out[code] = _DIGIT_NAMES.get(name, name if len(name) == 1 else "\ufffd")
        if out[code] == "\ufffd":
            del out[code]
        code += 1
    return out


def _cid_chars(font) -> dict[int, str]:
    """For a CID font with an embedded TrueType program: CID -> glyph -> the characters its
    ``cmap`` table maps to that glyph."""
    descendants = _get(font, "/DescendantFonts")
    if not descendants:
        return {}
    cid = descendants[0].get_object()
    descriptor = _get(cid, "/FontDescriptor")
    program = _get(descriptor.get_object(), "/FontFile2") if descriptor is not None else None
    if program is None:
        return {}
    from fontTools.ttLib import TTFont

    try:
        tt = TTFont(io.BytesIO(program.get_object().get_data()), lazy=True)
        best = tt.getBestCmap() or {}
        by_glyph: dict[int, str] = {}
        for char, name in best.items():
            gid = tt.getGlyphID(name)
            by_glyph[gid] = by_glyph.get(gid, "") + chr(char)
    except Exception:
        return {}
    declared = _get(cid, "/CIDToGIDMap")
    mapping: Any = declared.get_object() if declared is not None else None
    if hasattr(mapping, "get_data"):
        table = mapping.get_data()
        gids = {k: int.from_bytes(table[2 * k:2 * k + 2], "big") for k in range(len(table) // 2)}
        return {code: by_glyph[g] for code, g in gids.items() if g in by_glyph}
    return by_glyph  # Identity: the code is the glyph


_EOF = re.compile(rb"%%EOF[ \t\r\n]*")


def _revisions(data: bytes, final: list[str], reading: Reading) -> Iterator[Passage]:
    """Each earlier revision of an incrementally saved PDF, as a reader who cuts the file at
    that revision's end sees it: its pages' text where it differs from the final one."""
    import pypdf

    ends = [m.end() for m in _EOF.finditer(data)]
    ends = [end for end in ends if end < len(data.rstrip())]
    if len(ends) + 1 > MAX_REVISIONS:
        raise OverBudget(f"PDF 的修订版本超过 {MAX_REVISIONS} 个")
    linearized = b"/Linearized" in data[:2048]
    for k, end in enumerate(ends, 1):
        try:
            earlier = pypdf.PdfReader(io.BytesIO(data[:end]))
            pages = [page.extract_text() or "" for page in earlier.pages]
        except Exception:
            if linearized and k == 1:
                continue  # the first-page section of a linearized file is no revision of its own
            reading.gap(f"第 {k} 个修订版本无法读取（文件曾被增量保存，旧版本的内容仍在文件中）")
            continue
        for number, text in enumerate(pages, 1):
            if number > len(final) or text != final[number - 1]:
                yield Passage(text, f"第 {k} 个修订版本第 {number} 页")


def _poppler_pages(data: bytes) -> list[str] | None:
    """The pages' text by poppler's ``pdftotext`` (None: not installed or failed)."""
    try:
        done = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", "-", "-"], input=data,
                              capture_output=True, timeout=POPPLER_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    pages = done.stdout.decode("utf-8", errors="replace").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _digits(text: str) -> Counter[str]:
    return Counter(ch for ch in unicodedata.normalize("NFKC", text) if "0" <= ch <= "9")


# --- packages (DOCX, XLSX: ZIPs of XML parts) ----------------------------------------------

_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _xml(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                             load_dtd=False)
    return etree.fromstring(data, parser)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@dataclass(slots=True)
class _Package:
    archive: zipfile.ZipFile
    types: dict[str, str]  # part name (no leading slash) -> content type
    done: set[str]

    def read(self, name: str) -> bytes:
        self.done.add(name)
        return self.archive.read(name)

    def rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """Relationships of ``part``: id -> (type, target part or URL, external)."""
        folder, base = part.rsplit("/", 1) if "/" in part else ("", part)
        name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        if name not in self.types and name not in self.archive.NameToInfo:
            return {}
        out: dict[str, tuple[str, str, bool]] = {}
        for rel in _xml(self.archive.read(name)).iter(_REL + "Relationship"):
            target = rel.get("Target") or ""
            external = rel.get("TargetMode") == "External"
            if not external:
                target = _resolve(folder, target)
            out[rel.get("Id") or ""] = (rel.get("Type") or "", target, external)
        return out


def _resolve(folder: str, target: str) -> str:
    parts = (target.lstrip("/").split("/") if target.startswith("/")
             else (folder.split("/") if folder else []) + target.split("/"))
    out: list[str] = []
    for p in parts:
        if p == "..":
            if out:
                out.pop()
        elif p and p != ".":
            out.append(p)
    return "/".join(out)


def _open_package(data: bytes, reading: Reading) -> _Package:
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise OverBudget(f"包含超过 {MAX_MEMBERS:,} 个部件")
    reading.inflate(sum(i.file_size for i in infos), "全部部件")
    if "[Content_Types].xml" not in archive.NameToInfo:
        raise Unreadable("缺少 [Content_Types].xml，不是完整的 Office 文档")
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for node in _xml(archive.read("[Content_Types].xml")):
        if node.tag == _CT + "Default":
            defaults[(node.get("Extension") or "").lower()] = node.get("ContentType") or ""
        elif node.tag == _CT + "Override":
            overrides[(node.get("PartName") or "").lstrip("/")] = node.get("ContentType") or ""
    types = {}
    for info in infos:
        if info.is_dir():
            continue
        ext = PurePosixPath(info.filename).suffix.lower().lstrip(".")
        types[info.filename] = overrides.get(info.filename, defaults.get(ext, ""))
    return _Package(archive, types, {"[Content_Types].xml"})


def _main_part(package: _Package) -> str:
    for kind, target, external in package.rels("").values():
        if kind.endswith("/officeDocument") and not external:
            if target not in package.archive.NameToInfo:
                raise Unreadable(f"主文档部件“{target}”不存在")
            return target
    raise Unreadable("找不到主文档部件（_rels/.rels 中没有 officeDocument 关系）")


def _rest(package: _Package, reading: Reading, depth: int) -> Iterator[Passage]:
    """Every part no format reader took: its text, or a gap naming it."""
    for kind, target, external in package.rels("").values():
        if kind.endswith("/thumbnail") and not external:
            package.done.add(target)  # a small picture of the first page, which is read as text
    for name, kind in package.types.items():
        if name in package.done:
            continue
        package.done.add(name)
        info = package.archive.getinfo(name)
        if info.flag_bits & 0x1:
            reading.gap(f"部件“{name}”已加密")
            continue
        suffix = PurePosixPath(name).suffix.lower()
        if name.endswith(".rels"):
            for _kind, target, external in package.rels(name.replace("_rels/", "")[:-5]).values():
                if external:
                    yield Passage(target, f"部件“{name}”中的链接")
        elif kind.endswith("xml") or suffix in (".xml", ".vml"):
            yield from _generic_xml(package.archive.read(name), name, reading)
        elif suffix in _IMAGES or kind.startswith("image/"):
            reading.gap(f"含有图片“{name}”，其中的文字无法自动检查")
        elif suffix in READABLE:
            yield from _nested(package.archive.read(name), name, reading, depth, f"嵌入文件“{name}”")
        elif "printerSettings" in kind or "font" in kind or "customProperties" in kind:
            continue  # printer set-up, embedded fonts: nothing a reader sees as text
        elif suffix == ".bin" and kind.endswith("oleObject"):
            yield from _nested(package.archive.read(name), name[:-4] + ".doc", reading, depth,
                               f"嵌入对象“{name}”")
        else:
            reading.gap(f"部件“{name}”（{kind or '未知类型'}）无法读取")


def _generic_xml(data: bytes, name: str, reading: Reading) -> Iterator[Passage]:
    """The text of an XML part no reader knows (a drawing's text box, a chart, custom XML)."""
    try:
        root = _xml(data)
    except Exception:
        reading.gap(f"部件“{name}”不是有效的 XML")
        return
    texts = [t for node in root.iter() if isinstance(node.tag, str)
             for t in (node.text,) if t and t.strip()]
    if texts:
        yield Passage("\n".join(texts), f"部件“{name}”")


# --- Word ----------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_WORD_PARTS = {"document.main": "正文", "template.main": "正文", "document.macroEnabled.main": "正文",
               "header": "页眉", "footer": "页脚", "footnotes": "脚注", "endnotes": "尾注",
               "comments": "批注"}
_WORDML = re.compile(r"wordprocessingml\.(.+)\+xml$")


def _docx(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
    package = _open_package(data, reading)
    main = _main_part(package)
    for name, kind in list(package.types.items()):
        m = _WORDML.search(kind)
        label = _WORD_PARTS.get(m[1]) if m else None
        if label is None:
            continue
        root = _xml(package.read(name))
        if name == main:
            yield from _body(root, reading)
        else:
            yield from _word_passages(root, label, reading)
    if main not in package.done:
        raise Unreadable(f"主文档部件“{main}”不是 Word 正文")
    yield from _rest(package, reading, depth)


def _body(document, reading: Reading) -> Iterator[Passage]:
    """The body by its top-level paragraphs and tables, named as Word counts them; each
    passage holds everything inside (text boxes, nested tables)."""
    body = document.find(_W + "body")
    if body is None:
        return
    paragraphs = tables = 0
    for child in body:
        if child.tag == _W + "p":
            paragraphs += 1
            yield from _word_passages(child, f"第 {paragraphs} 段", reading)
        elif child.tag == _W + "tbl":
            tables += 1
            for r, row in enumerate(child.iterchildren(_W + "tr"), 1):
                for c, cell in enumerate(row.iterchildren(_W + "tc"), 1):
                    yield from _word_passages(cell, f"表格 {tables} 第 {r} 行第 {c} 列", reading)
        else:  # content controls (w:sdt), tracked insertions at body level, …
            yield from _word_passages(child, "正文", reading)


def _word_passages(element, where: str, reading: Reading) -> Iterator[Passage]:
    """What a reader sees (hidden runs, deletions and field codes left out, equations in)
    and, when there is more, the whole text: digits may hide on either side."""
    shown, whole = _word_text(element)
    yield Passage(shown, where)
    if whole != shown:
        yield Passage(whole, f"{where}（含隐藏文字、修订或域代码）")


def _word_text(element) -> tuple[str, str]:
    shown: list[str] = []
    whole: list[str] = []
    hidden_runs = {id(r) for r in element.iter(_W + "r") if _hidden(r)}
    for node in element.iter():
        tag = node.tag
        if tag in (_W + "t", _M + "t", _W + "delText", _W + "instrText"):
            text = node.text or ""
            whole.append(text)
            run = node.getparent()
            if tag in (_W + "t", _M + "t") and not (run is not None and id(run) in hidden_runs):
                shown.append(text)
        elif tag in (_W + "p", _W + "br", _W + "cr", _M + "oMathPara"):
            shown.append("\n")
            whole.append("\n")
        elif tag in (_W + "tab", _W + "tc"):
            shown.append("\t")
            whole.append("\t")
    return "".join(shown), "".join(whole)


def _hidden(run) -> bool:
    props = run.find(_W + "rPr")
    if props is None:
        return False
    for tag in ("vanish", "specVanish", "webHidden"):
        flag = props.find(_W + tag)
        if flag is not None and flag.get(_W + "val", "true") not in ("0", "false", "off"):
            return True
    return False


# --- spreadsheets --------------------------------------------------------------------------

def cell_text(value: object) -> str:
    """What a cell shows: a number typed into Excel (an ID, a phone) is stored as one."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e20:
        return str(int(value))
    return "" if value is None else str(value)


_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHEET = "spreadsheetml.worksheet+xml"
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")


def _xlsx(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
    package = _open_package(data, reading)
    main = _main_part(package)
    book = _xml(package.read(main))
    shared = _shared_strings(package)
    formats = _number_formats(package)
    rels = package.rels(main)
    sheets = book.find(_S + "sheets")
    for sheet in (sheets if sheets is not None else ()):
        title = sheet.get("name") or ""
        name = f"工作表“{title}”"
        yield Passage(title, "工作表名称")
        target = rels.get(sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id") or "")
        if target is None or target[2] or target[1] not in package.types:
            reading.gap(f"{name}的内容找不到")
            continue
        part = target[1]
        if not package.types[part].endswith(_SHEET):
            continue  # a chart sheet or dialog sheet: its parts are read as parts below
        yield from _sheet(package.read(part), name, shared, formats, reading)
        for kind, comments, external in package.rels(part).values():
            if kind.endswith("/comments") and not external and comments in package.types:
                yield from _comments(package.read(comments), name)
    defined = book.find(_S + "definedNames")
    for node in (defined if defined is not None else ()):
        if node.text:
            yield Passage(node.text, f"名称“{node.get('name')}”")
    yield from _rest(package, reading, depth)


def _shared_strings(package: _Package) -> list[str]:
    for name, kind in package.types.items():
        if kind.endswith("spreadsheetml.sharedStrings+xml"):
            root = _xml(package.read(name))
            return ["".join(t.text or "" for t in si.iter(_S + "t")) for si in root.iter(_S + "si")]
    return []


def _number_formats(package: _Package) -> list[str]:
    """The number format of each cell style (index ``s``), custom codes spelled out."""
    for name, kind in package.types.items():
        if kind.endswith("spreadsheetml.styles+xml"):
            root = _xml(package.read(name))
            codes = {n.get("numFmtId"): n.get("formatCode") or "" for n in root.iter(_S + "numFmt")}
            xfs = root.find(_S + "cellXfs")
            return [codes.get(xf.get("numFmtId") or "0", "") for xf in (xfs if xfs is not None else ())]
    return []


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _sheet(data: bytes, name: str, shared: list[str], formats: list[str],
           reading: Reading) -> Iterator[Passage]:
    """The cells that exist, in file order (never the declared dimension), with what each
    shows: its value through its number format, and a formula's own text."""
    from lxml import etree

    row = column = 0
    in_cells = 0
    for event, node in etree.iterparse(io.BytesIO(data), events=("start", "end"),
                                       resolve_entities=False, no_network=True, huge_tree=True,
                                       load_dtd=False):
        tag = node.tag
        if event == "start":
            if tag == _S + "sheetData":
                in_cells = 1
            elif tag == _S + "row":
                row = int(node.get("r") or row + 1)
                column = 0
            continue
        if tag == _S + "c":
            m = _CELL_REF.match(node.get("r") or "")
            if m:
                column, row = _column(m[1]), int(m[2])
            else:
                column += 1
            yield from _cell(node, f"{_letters(column)}{row}", row, name, shared, formats, reading)
            node.clear()
        elif tag == _S + "row":
            node.clear()
        elif tag == _S + "sheetData":
            in_cells = 0
        elif not in_cells and node.text and node.text.strip():
            label = "页眉" if tag.endswith("Header") else "页脚" if tag.endswith("Footer") else "其他内容"
            yield Passage(node.text, f"{name}{label}")


def _cell(node, ref: str, row: int, sheet: str, shared: list[str], formats: list[str],
          reading: Reading) -> Iterator[Passage]:
    kind = node.get("t") or "n"
    value = node.find(_S + "v")
    raw = value.text if value is not None else None
    if kind == "s" and raw is not None:
        index = int(raw)
        text = shared[index] if 0 <= index < len(shared) else ""
    elif kind == "inlineStr":
        text = "".join(t.text or "" for t in node.iter(_S + "t"))
    elif kind == "b":
        text = "TRUE" if raw == "1" else "FALSE" if raw is not None else ""
    elif kind == "n" and raw is not None:
        try:
            text = cell_text(float(raw))
        except ValueError:
            text = raw
    else:
        text = raw or ""
    formula = node.find(_S + "f")
    if formula is not None:
        if formula.text:
            yield Passage("=" + formula.text, f"{sheet}{ref}公式", row)
        if raw is None and kind != "inlineStr":
            reading.gap(f"{sheet}{ref} 的公式没有保存计算结果（请在 Excel 中重新计算并保存）")
    yield Passage(text, f"{sheet}{ref}", row)
    style = int(node.get("s") or 0)
    code = formats[style] if 0 <= style < len(formats) else ""
    if text and code:
        shown = format_number(code, text)
        if shown != text:
            yield Passage(shown, f"{sheet}{ref}（按数字格式显示）", row)


def format_number(code: str, text: str) -> str:
    """About what Excel shows for ``text`` under the custom number format ``code``: its
    literal text ("139"0000, \\1) and the value's digits in the placeholders. Dates and
    codes without literals are left as the value."""
    section = _sections(code)[0 if _number(text) else 3 if len(_sections(code)) > 3 else 0]
    tokens: list[tuple[str, str]] = []  # ("lit", text) | ("ph", "0#?") | ("at", "@")
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            tokens.append(("lit", section[i + 1:end]))
            i = end + 1
            continue
        if ch == "\\" and i + 1 < len(section):
            tokens.append(("lit", section[i + 1]))
            i += 2
            continue
        if ch == "[":
            end = section.find("]", i)
            i = len(section) if end < 0 else end + 1
            continue
        if ch in "_*":
            i += 2
            continue
        if ch in "0#?":
            tokens.append(("ph", ch))
        elif ch == "@":
            tokens.append(("at", ch))
        elif ch.lower() in "ymdhse" or ch in ".,%":
            return text  # a date, a time, decimals, thousands or scientific: shown as the value
        else:
            tokens.append(("lit", ch))
        i += 1
    if not any(kind == "lit" for kind, _ in tokens):
        return text
    digits = list(text.lstrip("-")) if _number(text) else []
    out: list[str] = []
    first_ph = next((k for k, (kind, _) in enumerate(tokens) if kind == "ph"), None)
    for k in range(len(tokens) - 1, -1, -1):
        kind, value = tokens[k]
        if kind == "ph":
            out.append(digits.pop() if digits else "0" if value == "0" else "")
            if k == first_ph and digits:
                out.append("".join(digits))
                digits = []
        elif kind == "at":
            out.append(text)
        else:
            out.append(value)
    return "".join(reversed(out))


def _number(text: str) -> bool:
    return text.lstrip("-").isdigit()


def _sections(code: str) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in code:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return out


def _comments(data: bytes, sheet: str) -> Iterator[Passage]:
    for comment in _xml(data).iter(_S + "comment"):
        ref = comment.get("ref") or ""
        m = _CELL_REF.match(ref)
        text = "".join(t.text or "" for t in comment.iter(_S + "t"))
        yield Passage(text, f"{sheet}{ref}批注", int(m[2]) if m else None)


def _xls(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
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


def _ole_text(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
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


def _wps(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
    """WPS 文字: an OLE file like a DOC, or (newer WPS) a DOCX under another name."""
    return _docx(data, reading, depth) if data.startswith(b"PK") else _ole_text(data, reading, depth)


def _spreadsheet_ole(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
    """An .et saved in the Excel 97 format is an XLS, a newer one may be an XLSX; anything
    else is read as runs."""
    if data.startswith(b"PK"):
        return _xlsx(data, reading, depth)
    try:
        return iter(list(_xls(data, reading, depth)))
    except (Unreadable, OverBudget):
        raise
    except Exception:
        return _ole_text(data, reading, depth)


# --- OFD -----------------------------------------------------------------------------------

def _ofd(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
    """OFD (GB/T 33190) is a ZIP of XML pages; the text is in ``TextCode`` elements, and
    every other member is read as a part of its own."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise OverBudget(f"包含超过 {MAX_MEMBERS:,} 个部件")
        reading.inflate(sum(i.file_size for i in infos), "全部部件")
        for info in infos:
            if info.is_dir():
                continue
            suffix = PurePosixPath(info.filename).suffix.lower()
            if suffix != ".xml":
                if suffix in _IMAGES or suffix in (".jb2", ".jbig2"):
                    reading.gap(f"含有图片“{info.filename}”，其中的文字无法自动检查")
                elif suffix not in (".ttf", ".otf", ".ttc", ".sig", ".esl", ".dat"):
                    reading.gap(f"部件“{info.filename}”无法读取")
                continue
            root = _xml(archive.read(info))
            texts = [node.text or "" for node in root.iter() if _local(node.tag) == "TextCode"]
            if texts:
                yield Passage("\n".join(texts), info.filename)


# --- ZIP -----------------------------------------------------------------------------------

def _zip(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
    """Every member by its own format, and every member's name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise OverBudget(f"包含超过 {MAX_MEMBERS:,} 个文件")
        reading.inflate(sum(i.file_size for i in infos), "全部文件")
        for info in infos:
            name = _member_name(info)
            yield Passage(name, "压缩包中的文件名")
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise Unreadable(f"压缩包中的“{name}”已加密，无法检查")
            suffix = PurePosixPath(name).suffix.lower()
            if suffix == ".zip" and depth + 1 > MAX_DEPTH:
                raise OverBudget(f"压缩包嵌套超过 {MAX_DEPTH} 层（“{name}”）")
            if suffix in (".txt", ".csv") and info.file_size > MAX_TEXT_BYTES:
                raise OverBudget(f"文字超过 {MAX_CHARS:,} 个字符（“{name}”）")
            inner = Reading(reading.inflated, reading.chars)
            try:
                for p in read(archive.read(info), suffix, inner, depth + 1):
                    yield Passage(p.text, f"{name} {p.where}" if p.where else name, p.line)
            except Unreadable as exc:
                raise Unreadable(f"压缩包中的“{name}”：{exc}") from None
            finally:
                reading.inflated, reading.chars = inner.inflated, inner.chars
            for reason in inner.gaps:
                reading.gap(f"压缩包中的“{name}”：{reason}")


def _member_name(info: zipfile.ZipInfo) -> str:
    """Chinese Windows writes member names in GBK without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


_READERS: dict[str, Reader] = {
    ".txt": _plain, ".csv": _plain, ".pdf": _pdf, ".xlsx": _xlsx, ".xls": _xls,
    ".et": _spreadsheet_ole, ".docx": _docx, ".doc": _ole_text, ".wps": _wps,
    ".ofd": _ofd, ".zip": _zip,
}
