"""DOCX and XLSX: ZIP packages of XML parts, every part accounted for through
``[Content_Types].xml`` and the relationships (never by a fixed part name)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from gongkai.read.passages import (
    IMAGES,
    MAX_MEMBERS,
    READABLE,
    OverBudget,
    Passage,
    Reading,
    Unreadable,
    cell_text,
    nested,
    parse_xml,
)

_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"



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
        for rel in parse_xml(self.archive.read(name)).iter(_REL + "Relationship"):
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
    for node in parse_xml(archive.read("[Content_Types].xml")):
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
        elif suffix in IMAGES or kind.startswith("image/"):
            reading.gap(f"含有图片“{name}”，其中的文字无法自动检查")
        elif suffix in READABLE:
            yield from nested(package.archive.read(name), name, reading, depth, f"嵌入文件“{name}”")
        elif "printerSettings" in kind or "font" in kind or "customProperties" in kind:
            continue  # printer set-up, embedded fonts: nothing a reader sees as text
        elif suffix == ".bin" and kind.endswith("oleObject"):
            yield from nested(package.archive.read(name), name[:-4] + ".doc", reading, depth,
                               f"嵌入对象“{name}”")
        else:
            reading.gap(f"部件“{name}”（{kind or '未知类型'}）无法读取")


def _generic_xml(data: bytes, name: str, reading: Reading) -> Iterator[Passage]:
    """The text of an XML part no reader knows (a drawing's text box, a chart, custom XML)."""
    try:
        root = parse_xml(data)
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


def docx_text(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
    package = _open_package(data, reading)
    main = _main_part(package)
    for name, kind in list(package.types.items()):
        m = _WORDML.search(kind)
        label = _WORD_PARTS.get(m[1]) if m else None
        if label is None:
            continue
        root = parse_xml(package.read(name))
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

_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHEET = "spreadsheetml.worksheet+xml"
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")


def xlsx_text(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
    package = _open_package(data, reading)
    main = _main_part(package)
    book = parse_xml(package.read(main))
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
            root = parse_xml(package.read(name))
            return ["".join(t.text or "" for t in si.iter(_S + "t")) for si in root.iter(_S + "si")]
    return []


def _number_formats(package: _Package) -> list[str]:
    """The number format of each cell style (index ``s``), custom codes spelled out."""
    for name, kind in package.types.items():
        if kind.endswith("spreadsheetml.styles+xml"):
            root = parse_xml(package.read(name))
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
    for comment in parse_xml(data).iter(_S + "comment"):
        ref = comment.get("ref") or ""
        m = _CELL_REF.match(ref)
        text = "".join(t.text or "" for t in comment.iter(_S + "t"))
        yield Passage(text, f"{sheet}{ref}批注", int(m[2]) if m else None)


