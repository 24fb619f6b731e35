"""Every item file under ``content/`` in order, read or taken from the preview's cache, with
the problems only the whole set shows (a 索引号 used twice) and the other pages guarded."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gongkai.guards import findings as guards
from gongkai.load.cache import ItemResult, Reference, Sketch, item_signatures
from gongkai.load.context import LoadContext
from gongkai.load.item_file import read_item
from gongkai.model import Item

#: sites this large report loading progress (every PROGRESS_STEP items); smaller ones stay quiet
PROGRESS_MIN = 5000
PROGRESS_STEP = 5000

_Files = list[tuple[Path, str]]


def load_items(ctx: LoadContext) -> tuple[list[Item], list[tuple[str, Sketch]]]:
    """The valid items, each 索引号 once, and what the other item files say about other items
    (by file); every problem goes to ``ctx.problems``. A 索引号 repeated by a file that has
    other mistakes too is reported in the same round as them."""
    files, pages = _listing(ctx)
    reader = _Reader.start(ctx, files)
    progress = ctx.options.progress
    report = progress if progress is not None and len(files) >= PROGRESS_MIN else None
    items: list[Item] = []
    sketches: list[tuple[str, Sketch]] = []
    first_seen: dict[str, str] = {}
    repeated: list[tuple[str, int | None, str]] = []
    for count, (path, display) in enumerate(files, 1):
        if report is not None and (count % PROGRESS_STEP == 0 or count == len(files)):
            report(f"已读取 {count}/{len(files)} 个条目文件")
        result = reader.result(path, display)
        ctx.problems.extend(result.problems)
        item = result.item
        written = item.id if item is not None else result.sketch.id if result.sketch is not None else None
        if written is not None and written in first_seen:
            repeated.append((display, result.id_line, written))
            # its references are still checked in this round
            sketch = result.sketch if item is None else _sketch_of(item, result.id_line)
            if sketch is not None:
                sketches.append((display, sketch))
            continue
        if written is not None:
            first_seen[written] = display
        if item is not None:
            items.append(item)
        elif result.sketch is not None:
            sketches.append((display, result.sketch))
    free = _FreeIds(ctx.id_pattern, ctx.catalog.settings.id_format, set(first_seen))
    for display, line, written in repeated:
        ctx.problems.add(display, line, "索引号",
                         f"索引号“{written}”与 {first_seen[written]} 重复：索引号必须唯一，且不得复用"
                         + free.hint(written))
    for display, sketch in sketches:
        if sketch.renumber is not None:
            why, agency, year = sketch.renumber
            ctx.problems.add(display, sketch.id_line, "索引号", why + free.hint_for(agency, year))
    guards.check_pages(pages, ctx.problems, words=ctx.catalog.wording, judge=ctx.options.judge,
                       filled_later=(ctx.repo.rel(ctx.repo.content / "annual") + "/",))
    return items, sketches


def _sketch_of(item: Item, id_line: int | None) -> Sketch:
    refs = tuple(Reference(name, label, target, item.lines.get(name))
                 for name, label, target in (("interprets", "解读对象", item.interprets),
                                             ("superseded_by", "替代文件", item.superseded_by))
                 if target is not None)
    return Sketch(item.id, id_line, refs)


@dataclass
class _FreeIds:
    """The next 索引号 nobody uses, per agency and year, for a message that says what to write;
    each one named once, so two repeated numbers are not both told the same new one."""

    pattern: re.Pattern[str]
    id_format: str
    used: set[str]

    def hint(self, written: str) -> str:
        m = self.pattern.fullmatch(written)
        return "" if m is None else self.hint_for(m["agency"], int(m["year"]))

    def hint_for(self, agency: str, year: int) -> str:
        seqs = [int(n["seq"]) for n in map(self.pattern.fullmatch, self.used)
                if n is not None and n["agency"] == agency and int(n["year"]) == year]
        try:
            free = self.id_format.format(agency=agency, year=year, seq=max(seqs, default=0) + 1)
        except (KeyError, ValueError, IndexError):  # a site's own template it cannot fill
            return ""
        if self.pattern.fullmatch(free) is None:
            return ""
        self.used.add(free)
        return f"。本机构 {year} 年下一个未用的索引号是“{free}”，请改用它"


def _listing(ctx: LoadContext) -> tuple[_Files, _Files]:
    """(item files, other pages); the files refused on the way are problems."""
    cache = ctx.options.cache
    if cache is not None:
        files, pages = cache.listing(ctx.repo, ctx.options.changed)
        refused = cache.refused
    else:
        refused = []
        files, pages = ctx.repo.markdown_files(refused)
    for display, reason in refused:
        ctx.problems.add(display, None, None, reason)
    return files, pages


@dataclass
class _Reader:
    """Reads an item file, or takes what an earlier load read when the file is unchanged."""

    ctx: LoadContext
    results: dict[str, ItemResult]
    #: folders where a file other than an item changed (an attachment beside its item)
    touched_dirs: set[str]

    @classmethod
    def start(cls, ctx: LoadContext, files: _Files) -> _Reader:
        cache, changed = ctx.options.cache, ctx.options.changed
        results = cache.results if cache is not None else {}
        if cache is not None:
            cache.reread = 0
            present = {display for _, display in files}
            for gone in [name for name in results if name not in present]:
                del results[gone]
        # an attachment sits beside its item: a changed one means reading the items there again
        touched = {name.rpartition("/")[0] for name in changed if not name.endswith(".md")} if changed else set()
        return cls(ctx, results, touched)

    def result(self, path: Path, display: str) -> ItemResult:
        result = self.results.get(display)
        if result is not None and self._fresh(path, display, result):
            return result
        item, problems, id_line, sketch = read_item(self.ctx, path, display)
        cache = self.ctx.options.cache
        if cache is None:
            return ItemResult(None, item, problems, id_line, sketch)
        result = ItemResult(item_signatures(self.ctx.repo, path, item), item, problems, id_line, sketch)
        self.results[display] = result
        cache.reread += 1
        return result

    def _fresh(self, path: Path, display: str, result: ItemResult) -> bool:
        changed = self.ctx.options.changed
        if changed is not None:
            return display not in changed and display.rpartition("/")[0] not in self.touched_dirs
        return result.signature is not None and result.signature == item_signatures(self.ctx.repo, path,
                                                                                    result.item)
