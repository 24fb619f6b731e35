"""What every format's reader shares: the passage, the limits, the state of one reading.

A reader accounts for every page, sheet, part and member of its file. What it reads
becomes ``Passage``s; what it cannot read (a page without a text layer, a picture, an
embedded object, a formula without a saved result) is a *gap*, named in Chinese, and a
file with a gap needs a person's eyes (``人工审查``) even where the rest was read. What
exceeds a limit (``OverBudget``) stops the reading: the file is refused, not half read.

The readers run inside the bounded worker (``read.sandbox``), never in the build's own
process: a hostile file can only exhaust the worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

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
#: gaps kept by name (a file of a hundred thousand scanned pages is counted, not listed)
MAX_GAPS = 20
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
    gaps: list[str] = field(default_factory=list)  # the first MAX_GAPS, in order
    gap_count: int = 0  # every distinct gap
    seen: set[str] = field(default_factory=set)
    dispatch: Callable[[bytes, str, Reading, int], Iterator[Passage]] | None = None

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
        if reason in self.seen:
            return
        self.seen.add(reason)
        self.gap_count += 1
        if len(self.gaps) < MAX_GAPS:
            self.gaps.append(reason)

    def child(self) -> Reading:
        """The reading of a file inside this one: the same budget, gaps of its own."""
        return Reading(self.inflated, self.chars, dispatch=self.dispatch)

    def settle(self, inner: Reading) -> None:
        self.inflated, self.chars = inner.inflated, inner.chars

    def read(self, data: bytes, suffix: str, depth: int) -> Iterator[Passage]:
        """``data`` read by its suffix (``readers.read``, set when the reading starts)."""
        assert self.dispatch is not None
        return self.dispatch(data, suffix, self, depth)


Reader = Callable[[bytes, Reading, int], Iterator[Passage]]

#: attachment formats whose text can be read, by lower-case suffix
READABLE = frozenset({".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".csv",
                      ".txt", ".zip"})
IMAGES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf",
                     ".svg", ".webp", ".jfif", ".ico"})


def nested(data: bytes, name: str, reading: Reading, depth: int, label: str) -> Iterator[Passage]:
    """A file inside a file (an archive member, an embedded workbook), read by its suffix; what
    it lacks is a gap of the outer file."""
    if depth + 1 > MAX_DEPTH:
        raise OverBudget(f"嵌套超过 {MAX_DEPTH} 层（“{name}”）")
    suffix = PurePosixPath(name).suffix.lower()
    inner = reading.child()
    try:
        for p in inner.read(data, suffix, depth + 1):
            yield Passage(p.text, f"{label} {p.where}" if p.where else label, p.line)
    except Unreadable as exc:
        reading.gap(f"{label}：{exc}")
    except OverBudget:
        raise
    except Exception as exc:  # a corrupt member is a part not read
        reading.gap(f"{label}已损坏，无法读取（{type(exc).__name__}）")
    finally:
        reading.settle(inner)
    for reason in inner.gaps:
        reading.gap(f"{label}：{reason}")


def cell_text(value: object) -> str:
    """What a cell shows: a number typed into Excel (an ID, a phone) is stored as one."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e20:
        return str(int(value))
    return "" if value is None else str(value)


def parse_xml(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                             load_dtd=False)
    return etree.fromstring(data, parser)


def local_name(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""

