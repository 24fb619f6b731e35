"""Which files may be published as attachments: an allowlist of formats and of file kinds.

An attachment is copied to the site byte for byte, so it must be a regular file of
its own inside ``content/`` (never a symbolic link, never a hard link that may be
shared with a file elsewhere) in a format a browser does not run as a page, and its
bytes must be what its extension says. HTML, XHTML, XML and SVG are never
attachments: opened from the site they run their scripts in the site's origin.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: lower-case suffix -> how the format is named to editors
ALLOWED: dict[str, str] = {
    ".pdf": "PDF", ".ofd": "OFD", ".doc": "Word 97-2003", ".docx": "Word", ".wps": "WPS 文字",
    ".xls": "Excel 97-2003", ".xlsx": "Excel", ".et": "WPS 表格", ".csv": "CSV", ".txt": "文本",
    ".jpg": "JPEG 图片", ".jpeg": "JPEG 图片", ".png": "PNG 图片", ".gif": "GIF 图片", ".zip": "ZIP 压缩包",
}
#: formats a browser runs as a page (or that can carry script): named in the message
PAGE_LIKE = frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml", ".shtm", ".xml", ".svg",
                       ".svgz", ".mht", ".mhtml", ".js", ".mjs", ".swf", ".xsl", ".xslt"})

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
_MAGIC: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",), ".ofd": _ZIP, ".docx": _ZIP, ".xlsx": _ZIP, ".zip": _ZIP,
    ".doc": _OLE, ".xls": _OLE,
    # WPS Office writes .wps/.et as OLE files, its newer releases sometimes as OOXML (ZIP)
    ".wps": _OLE + _ZIP, ".et": _OLE + _ZIP,
    ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
}
_TEXT = frozenset({".csv", ".txt"})
# what marks a text file as a page a browser would render (sniffed by some browsers and
# by every server that guesses types): refused in .txt and .csv too
_MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe", b"<head")
_SNIFF = 1024


def problem(item_file: Path, name: str, content: Path | None) -> str | None:
    """Why attachment ``name`` of the item at ``item_file`` may not be published, or None.

    ``content`` is the ``content/`` folder (None: the item's own folder stands for it); the
    message is Chinese and names the file. A missing file is not this function's problem.
    """
    if (not name or name in (".", "..") or "/" in name or "\\" in name or name.startswith(".")
            or any(ord(ch) < 32 or ord(ch) == 127 for ch in name) or name != name.strip()):
        return f"附件“{name}”应与条目放在同一目录，只写文件名（不能含路径、以点开头或含控制字符）"
    suffix = os.path.splitext(name)[1].lower()
    if suffix == ".md":
        return "附件不能是 .md 文件（会被当作条目读取）"
    if suffix in PAGE_LIKE:
        return (f"附件“{name}”是 {suffix} 文件：浏览器会把它当作网页打开并运行其中的脚本，"
                "不能作为附件发布；请转换为 PDF 或 OFD 后再附上")
    if suffix not in ALLOWED:
        allowed = "、".join(sorted({s.lstrip(".").upper() for s in ALLOWED}))
        return f"附件“{name}”的格式 {suffix or '（无扩展名）'} 不在允许范围内；可用：{allowed}"
    path = item_file.parent / name
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None  # the loader says the file is missing
    except OSError as exc:
        return f"附件文件“{name}”无法读取：{exc.strerror or exc}"
    if stat.S_ISLNK(info.st_mode):
        return (f"附件“{name}”是符号链接：只能发布 content/ 目录中的普通文件，"
                "请把文件本身放在条目旁边")
    if not stat.S_ISREG(info.st_mode):
        return f"附件“{name}”不是普通文件（是目录或设备等），不能发布"
    if info.st_nlink > 1:
        return (f"附件“{name}”是硬链接（同一文件有 {info.st_nlink} 个名字，可能指向 content/ 以外的文件）："
                "请复制一份普通文件")
    real = os.path.realpath(path)
    root = os.path.realpath(content if content is not None else item_file.parent)
    if os.path.commonpath([real, root]) != root or real != os.path.join(
            os.path.realpath(item_file.parent), name):
        return f"附件“{name}”的实际位置不在条目所在目录（经由链接的目录）：只能发布 content/ 中的文件"
    return _content_problem(path, name, suffix)


def _content_problem(path: Path, name: str, suffix: str) -> str | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError as exc:
        return f"附件文件“{name}”无法读取：{exc.strerror or exc}"
    try:
        head = os.read(fd, _SNIFF)
    finally:
        os.close(fd)
    kind = ALLOWED[suffix]
    if suffix in _MAGIC:
        if not head.startswith(_MAGIC[suffix]):
            return (f"附件“{name}”的内容不是 {kind} 文件（文件头不符）：扩展名与实际格式不一致，"
                    "请上传真实格式的文件")
        return None
    if suffix in _TEXT:
        sniff = head.lower().replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")
        if any(sniff.startswith(tag) for tag in _MARKUP) or any(tag in sniff for tag in _MARKUP[1:4]):
            return f"附件“{name}”的内容是网页或脚本，不是{kind}：不能作为附件发布"
        if head.startswith(_ZIP + _OLE + (b"%PDF-",)):
            return f"附件“{name}”的内容不是{kind}（文件头表明是其他格式）：扩展名与实际格式不一致"
    return None
