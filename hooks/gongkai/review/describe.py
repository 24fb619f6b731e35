"""Each changed file that is not an item, described for the reviewer.

Both sides of each file are read from git (the work tree for an uncommitted head), so
files outside the site's folder (workflows) are described too. What a reviewer reads
is masked like every report: a personal number is not repeated in the comment.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from gongkai.guards import pii
from gongkai.guards.markup import BodyJudge
from gongkai.review import annual_diff, catalog_diff
from gongkai.review.files import CATALOG_FILES, FileChange, kind_of
from gongkai.review.git import GitSite
from gongkai.review.links import added_links
from gongkai.review.snapshot import Snapshot

#: how many changed lines of a text file a report shows
TEXT_DIFF_LINES = 40
#: a longer line (minified JavaScript, CSS) is cut, saying how long it is
LINE_CHARS = 400
#: kinds whose text is shown as a diff
_TEXT_KINDS = ("narrative", "rules", "codeowners", "theme", "config")
#: kinds whose added links and images are listed in full
_LINK_KINDS = ("narrative", "rules", "theme")


def _decoded(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def text_diff(old: str, new: str, limit: int = TEXT_DIFF_LINES) -> tuple[list[str], int]:
    """(the first ``limit`` changed lines, masked; how many more are not shown)."""
    lines = [line for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
             if not line.startswith(("---", "+++", "@@"))]
    shown = [line if len(line) <= LINE_CHARS else f"{line[:LINE_CHARS]}……（本行共 {len(line)} 字，其余未显示）"
             for line in lines[:limit]]
    return [pii.redact(line) for line in shown], max(0, len(lines) - limit)


class Describer:
    """Reads both sides of a change and says what each changed file does."""

    def __init__(self, git: GitSite, base_sha: str, head_sha: str | None, base: Snapshot, head: Snapshot,
                 judge: BodyJudge):
        self.git, self.base_sha, self.head_sha = git, base_sha, head_sha
        self.base, self.head, self.judge = base, head, judge

    def changes(self, covered: Callable[[str], bool]) -> list[FileChange]:
        """Every changed file except those ``covered`` (site paths the item diff shows)."""
        out = []
        for status, path in self.git.changed_files(self.base_sha, self.head_sha):
            inside = not self.git.prefix or path.startswith(self.git.prefix)
            shown = self.git.site_path(path) if inside else path
            if inside and covered(shown):
                continue
            change = FileChange(shown, status, kind_of(shown) if inside else _outside(shown))
            self._describe(change, path)
            out.append(change)
        return out

    def _describe(self, change: FileChange, path: str) -> None:
        old_bytes = self.git.read(self.base_sha, path) if change.status != "A" else None
        new_bytes = self.git.read(self.head_sha, path) if change.status != "D" else None
        old, new = _decoded(old_bytes), _decoded(new_bytes)
        kind = change.kind
        if kind == "register":
            self._register(change)
        elif kind == "catalog" and change.path in CATALOG_FILES:
            self._catalog(change, old_bytes, new_bytes)
        elif kind == "year":
            self._catalog(change, old_bytes, new_bytes)
        if kind == "attachment":
            change.details.append("没有条目把它列为附件：不会发布" if change.status != "D"
                                  else "删除的文件没有条目列为附件")
        if kind in _TEXT_KINDS and (old_bytes is not None or new_bytes is not None):
            if (old_bytes is not None and old is None) or (new_bytes is not None and new is None):
                change.details.append("不是 UTF-8 文本文件，内容无法在此显示，请打开文件核对")
            else:
                change.diff, change.more = text_diff(old or "", new or "")
        if kind in _LINK_KINDS and new is not None and (kind != "theme" or change.path.endswith((".html", ".htm"))):
            change.links = [(pii.redact(t), pii.redact(u)) for t, u in added_links(self.judge, old or "", new)]
        change.details = [pii.redact(line) for line in change.details]

    def _register(self, change: FileChange) -> None:
        name = annual_diff.register_of(change.path)
        side = self.base if change.status == "D" else self.head
        if name is None:
            change.details.append("不是本站使用的登记表文件名（applications 或 cases），不会被读取")
            return
        rows = annual_diff.register_rows(side.root / change.path, change.path, name)
        label = annual_diff.REGISTERS[name][0]
        if change.status == "D":
            change.details.append(f"{label}：原有 {len(rows)} 行，全部删除")
        elif change.status == "A":
            change.details.append(f"{label}：新文件，共 {len(rows)} 行")
        else:
            change.details.append(f"{label}：现有 {len(rows)} 行（逐行变化见“年报登记表和年报数字”一节）")

    def _catalog(self, change: FileChange, old: bytes | None, new: bytes | None) -> None:
        try:
            before, after = catalog_diff.read(old), catalog_diff.read(new)
        except ValueError:
            change.details.append("YAML 无法读取（见上方的错误），无法逐项比较")
            return
        lines = catalog_diff.key_changes(before, after)
        change.details += lines or ["只改了注释或格式，设置没有变化"]
        if change.path == "catalog/categories.yml":
            items: dict[str, list[str]] = {}
            for snapshot in (self.base, self.head):
                for item in snapshot.items.values():
                    code = item.fields.get("category")
                    if isinstance(code, str) and item.id not in items.setdefault(code, []):
                        items[code].append(item.id)
            change.details += catalog_diff.category_moves(self.base.category_paths,
                                                          self.head.category_paths, items)


def _outside(path: str) -> str:
    """A file outside the site's folder: configuration when the forge reads it, else other."""
    kind = kind_of(path)
    return kind if kind in ("config", "codeowners", "code", "docs") else "other"

