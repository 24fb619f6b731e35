"""The rules a change must keep about 索引号 and 发布日期.

A 索引号 once used is never changed or reused, and a new item is not back-dated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gongkai.problems import Problem
from gongkai.review.content import FieldChange, render
from gongkai.review.snapshot import RawItem, Snapshot
from gongkai.schema.front_matter import LABELS, parse_bool, parse_date


@dataclass
class Sides:
    """Both sides of a change and the files git saw moved (old path -> new path)."""

    base: Snapshot
    head: Snapshot
    renames: dict[str, str]
    head_by_file: dict[str, RawItem] = field(init=False)

    def __post_init__(self) -> None:
        self.head_by_file = {i.file: i for i in self.head.items.values()}

    def moved_to(self, old: RawItem) -> RawItem | None:
        """The head item in the base item's file, wherever git saw that file move."""
        return self.head_by_file.get(self.renames.get(old.file, old.file))


def key_of(item: RawItem, name: str) -> tuple[str]:
    """The key as the editor wrote it (English or Chinese), for its line."""
    data = item.source.front.data
    return (name,) if name in data else (LABELS.get(name, name),)


def _id_line(item: RawItem) -> int | None:
    return item.source.front.line_of(key_of(item, "id"))


def _successor(old: RawItem, sides: Sides) -> RawItem | None:
    """The head item a base item became: its file (perhaps moved), or, when its file and
    索引号 are gone, the only new item with its title."""
    new = sides.moved_to(old)
    if new is None and old.id not in sides.head.items:
        same_title = [i for i in sides.head.items.values()
                      if i.id not in sides.base.items and i.title and i.title == old.title]
        new = same_title[0] if len(same_title) == 1 else None
    return new


def renumbered(sides: Sides, blocking: list[Problem]) -> set[str]:
    """Head ids that are a surviving file's changed 索引号 (said in ``blocking``)."""
    claimed: set[str] = set()
    for old in sides.base.items.values():
        new = _successor(old, sides)
        if new is not None and new.id != old.id and new.id not in sides.base.items:
            claimed.add(new.id)
            blocking.append(Problem(new.file, _id_line(new), "索引号",
                                    f"索引号由“{old.id}”改为“{new.id}”：索引号一经使用不得修改，"
                                    "请改回原索引号"))
    return claimed


def check_added(new: RawItem, earlier_title: str | None, added: dt.date | None,
                blocking: list[Problem], notes: list[Problem]) -> None:
    """``earlier_title``: the title the 索引号 had in history, None if never used."""
    if earlier_title is not None and earlier_title == new.title:
        # it was online before under this 发布日期, so the date is not back-dated
        notes.append(Problem(new.file, None, "索引号",
                             f"恢复了以前删除的条目“{new.title}”（{new.id}）", "warning"))
        return
    if earlier_title is not None:
        earlier = f"（原为“{earlier_title}”）" if earlier_title else ""
        blocking.append(Problem(new.file, _id_line(new), "索引号",
                                f"索引号“{new.id}”以前用过{earlier}，后来被删除："
                                "索引号不得复用，请另编新号"))
    _back_dated(new, added, blocking)


def check_changed(old: RawItem, new: RawItem, fields: list[FieldChange], renames: dict[str, str]
                  ) -> tuple[list[Problem], list[Problem]]:
    """(blocking, notes) about an item both sides have."""
    blocking, notes = [], []
    if _another_document(old, new, renames):
        blocking.append(Problem(new.file, _id_line(new), "索引号",
                                f"索引号“{new.id}”原属 {old.file}（{old.title}），现被另一份文件使用："
                                "索引号不得复用，请另编新号"))
    if old.visibility == "public" and any(f.field == "published" for f in fields):
        notes.append(Problem(new.file, new.source.front.line_of(key_of(new, "published")), "发布日期",
                             f"已公开条目的发布日期由 {render(old.fields.get('published'))} 改为 "
                             f"{render(new.fields.get('published'))}：发布日期应是实际公开的日期，"
                             "只在更正笔误时修改", "warning"))
    return blocking, notes


def _another_document(old: RawItem, new: RawItem, renames: dict[str, str]) -> bool:
    """Whether a 索引号 now names a different document, not the same one edited.

    Any one of title, 成文日期, 发文字号 or file may be corrected on its own;
    a new title together with another signing date, another 发文字号 or a
    file git does not see as moved is another document.
    """
    def differs(key: str) -> bool:
        a, b = old.fields.get(key), new.fields.get(key)
        return a is not None and b is not None and a != b

    if old.title == new.title:
        return False
    moved_unseen = old.file != new.file and renames.get(old.file) != new.file
    return differs("created") or differs("doc_number") or moved_unseen


def _imported(item: RawItem) -> bool:
    """历史导入 as the schema reads it, even when another field is invalid."""
    if item.fm is not None:
        return item.fm.imported
    try:
        return parse_bool(item.fields.get("imported", "false"))
    except Exception:
        return False


def _back_dated(item: RawItem, added: dt.date | None, blocking: list[Problem]) -> None:
    """Inspectors treat a 发布日期 earlier than the day it went online as falsified."""
    if added is None or _imported(item):
        return
    try:
        published = parse_date(item.fields.get("published"))
    except Exception:
        return  # the schema reports a malformed date
    if published < added:
        blocking.append(Problem(
            item.file, item.source.front.line_of(key_of(item, "published")), "发布日期",
            f"新增条目的发布日期 {published} 早于它加入仓库的日期 {added}，属于倒签（检查中按造假处理）："
            f"请把发布日期改为实际公开的日期（本机构审查人核对后才能合并）"))
