"""Archives: OFD (GB/T 33190, a ZIP of XML pages) and ZIP, each member by its own format and
by its name."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath

from gongkai.read.passages import (
    IMAGES,
    MAX_CHARS,
    MAX_DEPTH,
    MAX_MEMBERS,
    MAX_TEXT_BYTES,
    OverBudget,
    Passage,
    Reading,
    Unreadable,
    local_name,
    parse_xml,
)

# --- OFD -----------------------------------------------------------------------------------

def ofd_text(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
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
                if suffix in IMAGES or suffix in (".jb2", ".jbig2"):
                    reading.gap(f"含有图片“{info.filename}”，其中的文字无法自动检查")
                elif suffix not in (".ttf", ".otf", ".ttc", ".sig", ".esl", ".dat"):
                    reading.gap(f"部件“{info.filename}”无法读取")
                continue
            root = parse_xml(archive.read(info))
            texts = [node.text or "" for node in root.iter() if local_name(node.tag) == "TextCode"]
            if texts:
                yield Passage("\n".join(texts), info.filename)


# --- ZIP -----------------------------------------------------------------------------------

def zip_text(data: bytes, reading: Reading, depth: int) -> Iterator[Passage]:
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
            inner = reading.child()
            try:
                for p in inner.read(archive.read(info), suffix, depth + 1):
                    yield Passage(p.text, f"{name} {p.where}" if p.where else name, p.line)
            except Unreadable as exc:
                raise Unreadable(f"压缩包中的“{name}”：{exc}") from None
            finally:
                reading.settle(inner)
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


