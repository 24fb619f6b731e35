"""Every item file under ``content/`` in order, read or taken from the preview's cache, with
the problems only the whole set shows (a 索引号 used twice) and the other pages guarded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gongkai.guards import findings as guards
from gongkai.load.cache import ItemResult, item_signatures
from gongkai.load.context import LoadContext
from gongkai.load.item_file import read_item
from gongkai.model import Item

#: sites this large report loading progress (every PROGRESS_STEP items); smaller ones stay quiet
PROGRESS_MIN = 5000
PROGRESS_STEP = 5000

_Files = list[tuple[Path, str]]


def load_items(ctx: LoadContext) -> list[Item]:
    """The valid items, each 索引号 once; every problem goes to ``ctx.problems``."""
    files, pages = _listing(ctx)
    reader = _Reader.start(ctx, files)
    progress = ctx.options.progress
    report = progress if progress is not None and len(files) >= PROGRESS_MIN else None
    items: list[Item] = []
    first_seen: dict[str, str] = {}
    for count, (path, display) in enumerate(files, 1):
        if report is not None and (count % PROGRESS_STEP == 0 or count == len(files)):
            report(f"已读取 {count}/{len(files)} 个条目文件")
        result = reader.result(path, display)
        ctx.problems.extend(result.problems)
        item = result.item
        if item is None:
            continue
        if item.id in first_seen:
            ctx.problems.add(display, result.id_line, "索引号",
                             f"索引号“{item.id}”与 {first_seen[item.id]} 重复：索引号必须唯一，且不得复用")
            continue
        first_seen[item.id] = display
        items.append(item)
    guards.check_pages(pages, ctx.problems, words=ctx.catalog.wording, judge=ctx.options.judge,
                       filled_later=(ctx.repo.rel(ctx.repo.content / "annual") + "/",))
    return items


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
        item, problems, id_line = read_item(self.ctx, path, display)
        cache = self.ctx.options.cache
        if cache is None:
            return ItemResult(None, item, problems, id_line)
        result = ItemResult(item_signatures(self.ctx.repo, path, item), item, problems, id_line)
        self.results[display] = result
        cache.reread += 1
        return result

    def _fresh(self, path: Path, display: str, result: ItemResult) -> bool:
        changed = self.ctx.options.changed
        if changed is not None:
            return display not in changed and display.rpartition("/")[0] not in self.touched_dirs
        return result.signature is not None and result.signature == item_signatures(self.ctx.repo, path,
                                                                                    result.item)
