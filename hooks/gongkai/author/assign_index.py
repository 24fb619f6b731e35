"""``gongkai assign-index``: the 索引号 the web form leaves empty, filled in.

Every item without an 索引号 gets the next free number of its agency and year, by the rule
``gongkai new`` follows (``author.new``: one more than the highest ever used, in the files and
in the git history, so a gap left by a deleted item is never filled). With a base branch, an
item whose number the base gave to another item while this branch was open (two pull requests
numbered at the same time), or that repeats another item's number on this branch (a copied
file), is numbered anew; an item that held its number before is never renumbered. A 索引号
written in another form is reported, never replaced: that is the editor's to correct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.author.base_ids import BaseError, BaseIds, read_base
from gongkai.author.id_line import (
    ID_KEYS,
    CannotWrite,
    ItemText,
    is_empty,
    read_item_text,
    with_id,
    write_atomically,
)
from gongkai.author.new import ids_in_files, ids_in_history, next_id
from gongkai.load.catalog import Catalog
from gongkai.load.loader import Repository, load_catalog
from gongkai.problems import Problems
from gongkai.read.source import SourceError
from gongkai.schema.catalog import Agency
from gongkai.schema.front_matter import parse_date

FIELD = ID_KEYS[0]


class AssignError(Exception):
    """Nothing was assigned; the message (Chinese) says why."""


@dataclass(frozen=True)
class Assigned:
    file: str  # relative to the site root
    id: str
    #: the number it had, and the file that keeps that number, when it was numbered anew
    previous: str | None = None
    holder: str | None = None

    def message(self) -> str:
        if self.previous is None:
            return f"已分配索引号 {self.id}：{self.file}"
        return f"已重新分配索引号 {self.id}：{self.file}（原索引号“{self.previous}”已由 {self.holder} 使用）"


@dataclass
class Outcome:
    assigned: list[Assigned] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)


@dataclass(frozen=True)
class _Numbered:
    file: str
    id: str
    text: ItemText


def assign_ids(root: Path, base: str | None = None) -> Outcome:
    """Number the items that need it and write each number into its file."""
    repo = Repository(root)
    outcome = Outcome()
    catalog = load_catalog(repo, outcome.problems)
    if catalog is None:
        raise AssignError("\n".join(p.format() for p in outcome.problems.sorted()))
    try:
        base_ids = read_base(root, base) if base is not None else None
    except BaseError as exc:
        raise AssignError(str(exc)) from None
    pattern = re.compile(catalog.settings.id_pattern)
    empty, numbered = _read(repo, pattern, catalog, outcome.problems)
    todo: list[tuple[ItemText, str, str | None, str | None]] = [(text, display, None, None) for display, text in empty]
    todo += [(n.text, n.file, n.id, holder) for n, holder in _yielding(numbered, base_ids, outcome.problems)]
    todo.sort(key=lambda entry: entry[1])
    numbers = _Numbers(repo, pattern, catalog, base_ids)
    for text, display, previous, holder in todo:
        agency, year = _agency_and_year(text, display, catalog, outcome.problems)
        if agency is None or year is None:
            continue
        item_id = numbers.next(agency, year)
        if item_id is None:
            outcome.problems.add(display, text.id_line(), FIELD, "catalog/site.yml 的索引号模板（id_format）"
                                 "生成的索引号不符合索引号格式（id_pattern），没有分配：请网站发布人改正")
            continue
        try:
            write_atomically(text.path, with_id(text, item_id, display))
        except (CannotWrite, OSError) as exc:
            outcome.problems.add(display, text.id_line(), FIELD, f"没有写入索引号：{exc}")
            continue
        numbers.used.add(item_id)
        outcome.assigned.append(Assigned(display, item_id, previous, holder))
    return outcome


def _read(repo: Repository, pattern: re.Pattern[str], catalog: Catalog, problems: Problems
          ) -> tuple[list[tuple[str, ItemText]], list[_Numbered]]:
    """(the items without an 索引号, the items with one in the site's form)."""
    empty: list[tuple[str, ItemText]] = []
    numbered: list[_Numbered] = []
    for path, display in repo.markdown_files()[0]:
        try:
            text = read_item_text(path, display)
        except SourceError as exc:
            partial = exc.partial.front.data if exc.partial is not None else None
            if not isinstance(partial, dict) or any(is_empty(partial.get(k)) for k in ID_KEYS if k in partial) \
                    or not any(k in partial for k in ID_KEYS):
                problems.add(display, exc.problem.line, exc.problem.field,
                             f"文件有格式错误，没有分配索引号（请先改正，gongkai check 会列出全部问题）：{exc.problem.message}")
            continue
        except CannotWrite as exc:
            problems.add(display, None, FIELD, str(exc))
            continue
        key = text.written_key()
        value = text.data.get(key) if key is not None else None
        if is_empty(value):
            empty.append((display, text))
        elif isinstance(value, str) and pattern.fullmatch(value.strip()):
            numbered.append(_Numbered(display, value.strip(), text))
        else:
            shown = value if isinstance(value, str) else repr(value)
            problems.add(display, text.id_line(), FIELD,
                         f"索引号“{shown}”不符合格式（{catalog.settings.id_format}），没有重新编号："
                         "请改成这个格式，或删去它的值，由 gongkai assign-index 分配")
    return empty, numbered


def _yielding(numbered: list[_Numbered], base: BaseIds | None, problems: Problems
              ) -> list[tuple[_Numbered, str]]:
    """The items to number anew, each with the file that keeps its number."""
    by_id: dict[str, list[_Numbered]] = {}
    for item in numbered:
        by_id.setdefault(item.id, []).append(item)
    out: list[tuple[_Numbered, str]] = []
    for item_id, holders in by_id.items():
        taken = base.taken_meanwhile(item_id) if base is not None else set()
        if taken:
            kept = [h for h in holders if h.file in taken]
            others = sorted(taken - {h.file for h in kept})
            holder = kept[0].file if kept else others[0]
            out += [(h, holder) for h in holders if h.file not in taken]
            continue
        if len(holders) < 2:
            continue
        if base is None:
            for h in holders[1:]:
                problems.add(h.file, h.text.id_line(), FIELD,
                             f"索引号“{item_id}”与 {holders[0].file} 重复，没有重新编号：不知道哪一个是新加的。"
                             "请用 --base <主分支> 运行，只给本分支新加的条目重新编号")
            continue
        old = [h for h in holders if base.holds(item_id, h.file)]
        if len(old) > 1:  # already repeated before this branch: not this branch's to decide
            continue
        keeper = old[0] if old else holders[0]
        out += [(h, keeper.file) for h in holders if h is not keeper]
    return out


def _agency_and_year(text: ItemText, display: str, catalog: Catalog, problems: Problems
                     ) -> tuple[Agency | None, int | None]:
    """The agency and year an item is numbered under: its 发布机构, and the year of its 发布日期
    (else its 成文日期), which ``check`` accepts for the number's year."""
    data, lines = text.data, text.source.front.lines
    key = next((k for k in ("发布机构", "agency") if k in data), "发布机构")
    written = data.get(key)
    # by name or code, as check reads it (``LoadContext.agencies``)
    agencies = {a.name: a for a in catalog.agencies} | {a.code: a for a in catalog.agencies}
    agency = agencies.get(written.strip()) if isinstance(written, str) else None
    if agency is None:
        problems.add(display, lines.get((key,)), "发布机构",
                     f"发布机构“{'' if is_empty(written) else written}”未在 catalog/agencies.yml 中定义，"
                     "无法分配索引号：请先填写发布机构")
    year = None
    for date_key in ("发布日期", "published", "成文日期", "created"):
        if is_empty(data.get(date_key)):
            continue
        try:
            year = parse_date(data[date_key]).year
        except ValueError:  # pydantic's error is a ValueError; check words it for the editor
            continue
        break
    if year is None:
        problems.add(display, lines.get(("发布日期",)) or lines.get(("published",)), "发布日期",
                     "没有可用的发布日期或成文日期（YYYY-MM-DD），无法确定索引号的年份：请先填写")
    return agency, year


@dataclass
class _Numbers:
    """Every 索引号 ever used (files, git history, the base branch), read once per agency."""

    repo: Repository
    pattern: re.Pattern[str]
    catalog: Catalog
    base: BaseIds | None
    used: set[str] = field(default_factory=set)
    _read: set[str] = field(default_factory=set)

    def next(self, agency: Agency, year: int) -> str | None:
        """The next free number, None when the site's template cannot make one of its format."""
        if not self._read:  # what ``author.new.used_ids`` reads, the files once for every agency
            self.used |= ids_in_files(self.repo, self.pattern)
            if self.base is not None:
                self.used |= set(self.base.at_base) | set(self.base.at_fork)
        if agency.code not in self._read:
            self._read.add(agency.code)
            self.used |= ids_in_history(self.repo.root, self.pattern, agency.code)
        try:
            item_id = next_id(self.used, self.pattern, self.catalog.settings.id_format, agency, year)
        except (KeyError, ValueError, IndexError):
            return None
        return item_id if self.pattern.fullmatch(item_id) else None
