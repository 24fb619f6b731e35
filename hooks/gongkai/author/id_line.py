"""Writing an item's 索引号 into its front matter: one line changed (or, when the key is not
written at all, one line added after the opening ``---``); every other byte is kept as it was
(a byte-order mark, CRLF or CR line ends, comments, key order, the body). What is written is
read back before the file is replaced: a line this module cannot rewrite safely is refused."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.read.source import MarkdownSource, SourceError, parse_markdown, read_bytes, read_text

BOM = b"\xef\xbb\xbf"
#: the keys an item's 索引号 may be written under, Chinese first (what new items use)
ID_KEYS = ("索引号", "id")
#: lines as ``read_text`` counts them: CRLF, CR and LF each end one
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
#: a top-level 索引号 line: key (perhaps quoted), value, perhaps a comment after blanks
_KEY_LINE = re.compile(r"(?P<head>(?P<q>[\"']?)(?:索引号|id)(?P=q)[ \t]*:)(?P<gap>[ \t]*)"
                       r"(?P<value>[^#]*?|\"[^\"]*\"|'[^']*')(?P<tail>[ \t]+#.*)?")


class CannotWrite(Exception):
    """The file was left as it was; the message (Chinese) says why."""


@dataclass(frozen=True)
class ItemText:
    """An item file as bytes split into lines (each with its own line end) and as read."""

    path: Path
    bom: bool
    lines: tuple[str, ...]
    source: MarkdownSource

    @property
    def data(self) -> dict[str, Any]:
        data = self.source.front.data
        return data if isinstance(data, dict) else {}

    def written_key(self) -> str | None:
        """The key the 索引号 is written under: the filled one, else the first present."""
        present = [k for k in ID_KEYS if k in self.data]
        filled = [k for k in present if not is_empty(self.data[k])]
        chosen = filled or present
        return chosen[0] if chosen else None

    def id_line(self) -> int | None:
        key = self.written_key()
        return None if key is None else self.source.front.lines.get((key,))


def is_empty(value: object) -> bool:
    """What a web form writes for a field left empty."""
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def written_id(data: object) -> str | None:
    """The 索引号 a front matter holds (stripped), None when it holds none or not as text."""
    if not isinstance(data, dict):
        return None
    values = [data.get(k) for k in ID_KEYS]
    return next((v.strip() for v in values if isinstance(v, str) and v.strip()), None)


def read_item_text(path: Path, display: str) -> ItemText:
    """Raises SourceError as reading the item would (encoding, front matter, YAML)."""
    normalised = read_text(path, display)  # the encoding errors, worded for editors
    raw = read_bytes(path)
    bom = raw.startswith(BOM)
    text = raw[len(BOM):].decode("utf-8") if bom else raw.decode("utf-8")
    if text.replace("\r\n", "\n").replace("\r", "\n") != normalised:
        raise CannotWrite("文件在读取时被改动，请重新运行")
    return ItemText(path, bom, tuple(_LINES.findall(text)), parse_markdown(normalised, display))


def with_id(item: ItemText, item_id: str, display: str) -> bytes:
    """The file's bytes with ``item_id`` as its 索引号; raises CannotWrite."""
    key = item.written_key()
    line_no = None if key is None else item.source.front.lines.get((key,))
    for value in (item_id, json.dumps(item_id, ensure_ascii=False)):  # plain, else double-quoted
        lines = list(item.lines)
        if line_no is None:
            if not lines:
                raise CannotWrite("文件是空的")
            end = _line_end(lines[0])
            # new items are written with Chinese keys; a file written in English keys stays English
            name = "id" if "title" in item.data and "标题" not in item.data else ID_KEYS[0]
            lines.insert(1, f"{name}: {value}{end}")
            expected_key = name
        else:
            lines[line_no - 1] = _rewrite(lines[line_no - 1], value)
            expected_key = key or ID_KEYS[0]
        text = "".join(lines)
        if _reads_as(text, display, item, expected_key, item_id):
            return (BOM if item.bom else b"") + text.encode("utf-8")
    raise CannotWrite(f"“{ID_KEYS[0]}”一行的写法无法自动改写，请手工填写索引号“{item_id}”")


def write_atomically(path: Path, data: bytes) -> None:
    """Replace the file in one step, keeping its permission bits (an editor or a build reading
    it meanwhile sees the old or the new file, never half of one)."""
    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gongkai-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _line_end(line: str) -> str:
    stripped = line.rstrip("\r\n")
    return line[len(stripped):] or "\n"


def _rewrite(line: str, value: str) -> str:
    end = _line_end(line) if line.endswith(("\r", "\n")) else ""
    content = line[: len(line) - len(end)]
    m = _KEY_LINE.fullmatch(content)
    if m is None:
        raise CannotWrite(f"“{ID_KEYS[0]}”一行不是“{ID_KEYS[0]}: 值”的写法，请手工填写")
    return f"{m['head']}{m['gap'] or ' '}{value}{m['tail'] or ''}{end}"


def _reads_as(text: str, display: str, before: ItemText, key: str, item_id: str) -> bool:
    """Whether the new text reads as the old one with only the 索引号 set."""
    try:
        after = parse_markdown(text.replace("\r\n", "\n").replace("\r", "\n"), display)
    except SourceError:
        return False
    expected = dict(before.data)
    expected[key] = item_id
    return after.front.data == expected and after.body == before.source.body
