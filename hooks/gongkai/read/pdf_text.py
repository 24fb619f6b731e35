"""PDF: each page's text layer, checked against poppler's ``pdftotext`` and against the
fonts' own glyph tables; annotations, form fields, embedded files and every earlier
revision of an incrementally saved file."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

from gongkai.read.passages import (
    MAX_REVISIONS,
    POPPLER_SECONDS,
    SCAN_PIXELS,
    OverBudget,
    Passage,
    Reading,
    Unreadable,
    nested,
)


def pdf_text(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
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
            yield from nested(content, name, reading, depth, f"内嵌文件“{name}”")
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
            yield from nested(content, name, reading, depth, f"第 {number} 页附件“{name}”")


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


