"""File discovery: which files under ``content/`` are items, which are other pages, and which
are refused before anything is read (links, folders named *.md, misnamed Markdown)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

#: folders under content/ that hold other Markdown than items
NON_ITEM_DIRS = ("annual", "pages")


@dataclass(frozen=True)
class Repository:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def catalog(self) -> Path:
        return self.root / "catalog"

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def item_files(self) -> list[Path]:
        return [path for path, _ in self.markdown_files()[0]]

    def markdown_files(self, refused: list[tuple[str, str]] | None = None
                       ) -> tuple[list[tuple[Path, str]], list[tuple[Path, str]]]:
        """(items, other pages): every ``*.md`` under content/ outside hidden folders, as
        (path, path relative to the root), in the order of ``sorted(content.rglob("*.md"))``.
        Names ending in .md that are not regular files (symbolic links, folders) are left
        out and, when ``refused`` is given, added to it as (path relative to the root, reason);
        so are names an editor meant as Markdown that are not read (``00008.MD``, ``00008.md.txt``).

        One ``os.scandir`` walk with plain strings: on a large site ``rglob`` and
        ``Path.relative_to`` cost more than reading the files.
        """
        content = self.content
        if not content.is_dir():
            return [], []
        found: list[tuple[str, ...]] = []
        odd: list[tuple[tuple[str, ...], str]] = []
        _walk(str(content), (), found, odd)
        found.sort()  # tuples of parts sort as Path objects do
        prefix = self.rel(content) + "/"
        if refused is not None:
            refused.extend((prefix + "/".join(parts), reason) for parts, reason in sorted(odd))
        items: list[tuple[Path, str]] = []
        pages: list[tuple[Path, str]] = []
        for parts in found:
            entry = (content.joinpath(*parts), prefix + "/".join(parts))
            (pages if parts[0] in NON_ITEM_DIRS else items).append(entry)
        return items, pages


def is_page(display: str) -> bool:
    """Whether a path relative to the root names a page under content/ that is not an item."""
    parts = display.split("/")
    return len(parts) > 1 and parts[1] in NON_ITEM_DIRS


#: names an editor meant as Markdown that ``*.md`` misses: upper case (``.MD``), an extension
#: Windows Notepad adds (``.md.txt``), the long form (``.markdown``)
_MISNAMED = re.compile(r".*\.(?:md|markdown|mdown)(?:\.txt)?", re.I)


def misnamed_message(name: str) -> str:
    stem = re.sub(r"\.(?:md|markdown|mdown)(?:\.txt)?$", "", name, flags=re.I)
    return (f"文件名“{name}”不以小写的 .md 结尾，不会被当作条目读取，也不会发布："
            f"请改名为“{stem}.md”（Windows 上请先在资源管理器“查看”中勾选“文件扩展名”，"
            "记事本“另存为”时“保存类型”选“所有文件”）")


def _walk(folder: str, parts: tuple[str, ...], found: list[tuple[str, ...]],
          odd: list[tuple[tuple[str, ...], str]]) -> None:
    """What ``Path.rglob("*.md")`` visits, less anything hidden (which callers skip anyway):
    regular files named *.md, and sub-folders that are not symbolic links. A symbolic link
    or a folder named *.md goes to ``odd`` with the reason: a link could publish a file
    from outside content/."""
    try:
        with os.scandir(folder) as entries:
            listing = list(entries)
    except PermissionError:
        return
    for entry in listing:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if name.endswith(".md"):
            if entry.is_symlink():
                odd.append((parts + (name,), "是符号链接：条目和页面只能是 content/ 中的普通文件，"
                            "请把文件本身放在这里（链接可能把 content/ 以外的文件发布出去）"))
            elif is_dir:
                odd.append((parts + (name,), "是一个以 .md 结尾的目录：请改名，目录名不能以 .md 结尾"))
            else:
                found.append(parts + (name,))
        elif _MISNAMED.fullmatch(name) and entry.is_file(follow_symlinks=False):
            odd.append((parts + (name,), misnamed_message(name)))
        if is_dir:
            _walk(entry.path, parts + (name,), found, odd)
