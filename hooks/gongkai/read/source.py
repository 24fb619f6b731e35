"""Reading source files: encoding, front-matter split, strict YAML."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from frontmatter.default_handlers import YAMLHandler

from gongkai.problems import Problem
from gongkai.read import strict_yaml, yaml_slips

_HANDLER = YAMLHandler()


class SourceError(Exception):
    """A file that cannot be read as it should. ``problems`` are all its syntax problems
    (``problem`` the first); ``partial`` the file read without the fields they broke, when
    the rest could be read, and ``broken`` those fields' keys as written."""

    def __init__(self, problem: Problem, problems: list[Problem] | None = None,
                 partial: MarkdownSource | None = None, broken: frozenset[str] = frozenset(),
                 document: strict_yaml.Document | None = None):
        self.problem = problem
        self.problems = problems or [problem]
        self.partial = partial
        self.broken = broken
        #: a YAML file read without its broken lines (``read_yaml``), to check the rest
        self.document = document
        super().__init__("\n".join(p.format() for p in self.problems))


def read_bytes(path: Path) -> bytes:
    """``path.read_bytes()`` with one ``read`` call and no Python file object: a large
    site reads tens of thousands of small files. Any error is left to ``read_bytes``
    itself, so it is raised exactly as before."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return path.read_bytes()
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        if len(data) > size:  # the file grew, or st_size means nothing (a pipe): read on
            chunks = [data]
            while chunk := os.read(fd, 1 << 16):
                chunks.append(chunk)
            data = b"".join(chunks)
    except OSError:
        data = None
    finally:
        os.close(fd)
    return path.read_bytes() if data is None else data


def open_regular(path: Path | str) -> int:
    """A descriptor of the regular file at ``path`` for reading, never through a link.

    Raises OSError for a symbolic link (``O_NOFOLLOW``), anything not a regular file, and
    a file with more than one hard link (the other name may lie outside the repository):
    an attachment is copied into the site byte for byte, and only its own bytes may go.
    """
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        raise OSError(f"{path}: not a regular file of its own (links are never copied)")
    return fd


def read_text(path: Path, display: str) -> str:
    """UTF-8 text with LF line ends; a clear error for GBK and other encodings."""
    data = read_bytes(path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            guess = "看起来是 GBK/GB18030 编码（Windows 记事本、WPS 的常见默认）"
        except UnicodeDecodeError:
            guess = "无法识别的编码"
        raise SourceError(Problem(
            display, line, None,
            f"文件不是 UTF-8 编码：{guess}，第 {line} 行第一个无法识别的字节是 0x{data[exc.start]:02X}。"
            "请用编辑器“另存为 UTF-8”后再提交")) from None
    if "\x00" in text:
        raise SourceError(Problem(display, None, None, "文件含有 NUL 字符，不是文本文件"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True, slots=True)
class MarkdownSource:
    path: str  # relative to the repository root
    front: strict_yaml.Document
    body: str
    body_line: int


def read_markdown(path: Path, display: str) -> MarkdownSource:
    return parse_markdown(read_text(path, display), display)


def parse_markdown(text: str, display: str) -> MarkdownSource:
    """A Markdown file's text split and its front matter read, as ``read_markdown`` does:
    tools that write items check what they are about to write with it."""
    if not _HANDLER.detect(text):
        raise SourceError(Problem(display, 1, None,
                                  "缺少 YAML 头信息：文件第一行应为 ---，随后是“索引号: …”等字段，再以 --- 结束"))
    opening = _HANDLER.FM_BOUNDARY.match(text)
    closing = _HANDLER.FM_BOUNDARY.search(text, opening.end() + 1) if opening else None
    if opening is None or closing is None:
        raise SourceError(Problem(display, 1, None, "YAML 头信息没有结束：字段之后缺少一行 ---"))
    fm = text[opening.end():closing.start()]
    rest = text[closing.end():]
    body = rest.lstrip("\n")
    body_line = text[: len(text) - len(body)].count("\n") + 1
    first_line = text[: opening.end()].count("\n") + 1
    try:
        doc = strict_yaml.load(fm, first_line=first_line)
    except strict_yaml.YamlError as exc:
        partial, slips, broken = yaml_slips.recover(fm, first_line, exc)
        problems = [Problem(display, s.line, s.field, s.message) for s in slips]
        problems += [Problem(display, s.line, s.field, s.message)
                     for s in yaml_slips.cut_values(fm, first_line) if partial is not None]
        raise SourceError(problems[0], problems,
                          None if partial is None else MarkdownSource(display, partial, body, body_line),
                          frozenset(broken)) from None
    cut = yaml_slips.cut_values(fm, first_line)
    if cut:
        problems = [Problem(display, s.line, s.field, s.message) for s in cut]
        raise SourceError(problems[0], problems, MarkdownSource(display, doc, body, body_line))
    return MarkdownSource(display, doc, body, body_line)


def read_yaml(path: Path, display: str) -> strict_yaml.Document:
    text = read_text(path, display)
    try:
        return strict_yaml.load(text)
    except strict_yaml.YamlError as exc:
        document, slips, blanked = yaml_slips.recover_lines(text, exc)
        problems = [Problem(display, s.line, s.field, s.message) for s in slips]
        raise SourceError(problems[0], problems, broken=frozenset(blanked), document=document) from None
