"""The preview's first load on every core: the item files read in forked workers first.

``load_site`` reads every item file in one process, and the preview's first load is most of
the time an editor waits for the first page. Before it, the files are shared out: forked
workers and this process each read their share with ``load_model`` over an ``ItemCache`` that
lists only that share, and the results go into the session's cache, where the real load finds
them fresh (same mtime and size) and reads none of them again. What one file gives does not
depend on the others (the cache relies on that between saves already); everything between
files is checked by the real load. A worker's results come back pickled, with the catalog's
objects (agencies, categories …) sent as references to this process's own, which the worker
was forked with: the model holds the same objects as after a load in one process. A worker
that fails costs nothing but time: the real load reads what is missing.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import pickle
from pathlib import Path
from typing import IO, Any

from gongkai.load.cache import ItemCache, ItemResult, cached_catalog
from gongkai.load.loader import LoadOptions, Repository, load_model
from gongkai.problems import Problems, ValidationFailed

#: objects that are values, never shared state: pickled as they are
_ATOMIC = (str, bytes, int, float, bool, type(None), complex)


class _Share(ItemCache):
    """An item cache that lists every ``count``-th item file from ``index`` and no other page."""

    def __init__(self, base: ItemCache, index: int, count: int):
        super().__init__()
        self.catalog = base.catalog
        self.index, self.count = index, count

    def listing(self, repo: Repository, changed: set[str] | None
                ) -> tuple[list[tuple[Path, str]], list[tuple[Path, str]]]:
        files, _ = super().listing(repo, changed)
        return files[self.index::self.count], []


def prefill(root: Path, build_date: dt.date | None, cache: ItemCache, processes: int) -> int:
    """Fill ``cache`` with every item file read on ``processes`` cores (call it while this
    process runs no other thread); returns the files read. Nothing when the catalog does not
    load: the real load says why."""
    if processes < 2:
        return 0
    if cached_catalog(Repository(Path(root)), Problems(), cache, None) is None or cache.catalog is None:
        return 0
    shared = _reachable(cache.catalog[1])
    children = []
    for index in range(1, processes):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # a worker: never returns into the caller's code
            status = 0
            try:
                os.close(read)
                gc.freeze()  # the collector would copy every page of the model it walks
                with os.fdopen(write, "wb") as out:
                    _Pickler(out, shared).dump(_read(root, build_date, _Share(cache, index, processes)))
            except BaseException:  # noqa: BLE001 - the real load reads this share itself
                status = 1
            finally:
                os._exit(status)
        os.close(write)
        children.append((pid, read))
    cache.results.update(_read(root, build_date, _Share(cache, 0, processes)))
    for pid, read in children:
        with os.fdopen(read, "rb") as source:
            try:
                cache.results.update(_Unpickler(source, shared).load())
            except (EOFError, pickle.UnpicklingError, KeyError):
                pass
        os.waitpid(pid, 0)
    return len(cache.results)


def _read(root: Path, build_date: dt.date | None, share: _Share) -> dict[str, ItemResult]:
    """The item files of ``share`` read as the adapter's load reads them (no markup judged,
    drafts shown); the problems between files are the real load's to find."""
    try:
        load_model(root, Problems(), LoadOptions(build_date, None, None, True, share, None))
    except ValidationFailed:
        pass
    return share.results


def _reachable(root: object) -> dict[int, object]:
    """Every object reachable from ``root`` that is not a plain value, by id."""
    found: dict[int, object] = {}
    todo = [root]
    while todo:
        obj = todo.pop()
        if isinstance(obj, _ATOMIC) or isinstance(obj, type) or id(obj) in found:
            continue
        found[id(obj)] = obj
        todo.extend(gc.get_referents(obj))
    return found


class _Pickler(pickle.Pickler):
    def __init__(self, file: IO[bytes], shared: dict[int, object]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.shared = shared

    def persistent_id(self, obj: Any) -> int | None:
        return id(obj) if id(obj) in self.shared else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: IO[bytes], shared: dict[int, object]):
        super().__init__(file)
        self.shared = shared

    def persistent_load(self, pid: Any) -> object:
        return self.shared[pid]
