"""The text a reader of an attachment sees, for every format an agency publishes.

One function, ``attachment_text``, turns a file into passages of text (each with
where it was found: a page, a cell, a text box) or says why its text cannot be
read. The personal-number guard scans the passages; the search index reuses the
same text. Nothing here judges the text, and nothing here follows a symbolic
link (the file is opened with ``O_NOFOLLOW``).

The formats are read in ``read.readers``, inside a worker process bounded in memory and
time (``read.sandbox``); this module keeps the limits per build and the cache. A file
is read completely or not at all: a part that cannot be read (a scanned page, a picture,
an embedded object, a formula without its result) makes the whole file need a person's
eyes, and a file over a limit is refused with the limit named.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from gongkai.read import sandbox
from gongkai.read.readers import MAX_BYTES, MAX_DEPTH, READABLE, Passage, cell_text, decode_text

__all__ = ["MAX_BYTES", "MAX_DEPTH", "READABLE", "ExtractedText", "Passage", "attachment_text",
           "cell_text", "decode_text", "text_of"]

#: bytes all attachments of one build may unpack to together
BUILD_INFLATED = 4 * 1024 * 1024 * 1024
_inflated = 0


@dataclass(frozen=True, slots=True)
class ExtractedText:
    """The passages of an attachment, and why they are not the whole of it.

    ``unreadable``: parts (or all) of the text could not be read; a person must look
    (人工审查). ``refused``: the file exceeds a limit and may not be published at all."""

    passages: tuple[Passage, ...] = ()
    unreadable: str | None = None  # Chinese reason; None when every part was read
    refused: str | None = None  # Chinese limit; None when within every limit

    @property
    def readable(self) -> bool:
        return self.unreadable is None and self.refused is None

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.passages)


def _cannot(reason: str) -> ExtractedText:
    return ExtractedText((), reason)


#: texts by (suffix, digest of the bytes): the same file is read by the guard, again by a
#: check that follows an import (at another path), and by the search index
_cache: dict[tuple[str, bytes], ExtractedText] = {}
_CACHE_CHARS = 64_000_000  # of text held, about the text of a large site's attachments
_cached_chars = 0


def attachment_text(path: Path) -> ExtractedText:
    """The text of the attachment at ``path`` (cached by its bytes).

    Never raises for a bad file: a corrupt, encrypted, image-only or unknown file comes back
    with ``unreadable`` set, a file over a limit with ``refused``. A symbolic link is not
    followed and is unreadable.
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
            return ExtractedText(refused=f"文件大于 {MAX_BYTES // (1024 * 1024)} MB")
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
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
    """The text of a file's bytes, read by its lower-case ``suffix`` (".pdf") in the
    bounded worker. ``depth``: how deep in archives the bytes were found."""
    global _inflated
    if _inflated > BUILD_INFLATED:
        return ExtractedText(refused=f"本次检查解压的附件已超过总量 {BUILD_INFLATED // (1024 ** 3)} GB")
    if depth > MAX_DEPTH:
        return ExtractedText(refused=f"嵌套超过 {MAX_DEPTH} 层")
    answer = sandbox.run(data, suffix)
    _inflated += int(answer.get("inflated") or 0)
    if answer.get("refused"):
        return ExtractedText(refused=str(answer["refused"]))
    passages = tuple(Passage(str(text), where, line) for text, where, line in answer.get("passages", ()))
    if answer.get("unreadable"):
        return ExtractedText(passages, str(answer["unreadable"]))
    gaps = [str(g) for g in answer.get("gaps", ())]
    count = max(len(gaps), int(answer.get("gap_count") or 0))
    return ExtractedText(passages, _summary(gaps, count) if gaps else None)


def _summary(gaps: list[str], count: int) -> str:
    shown = "；".join(gaps[:3])
    return shown if count <= 3 else f"{shown}；等共 {count} 处"
