"""Convert pages' Markdown on every core during ``mkdocs build``.

MkDocs converts pages one after another on one core; on a large site that is
the longest part of the build. Here, just before MkDocs' reading loop, forked
workers start converting pages from the end of the list, with the same code on
a copy of the same state, while MkDocs converts from the start; they meet
wherever the work runs out (a lock hands out each page once), so no core idles
while another has pages left. When MkDocs reaches a page a worker took, it
waits for and takes the worker's result, but only
if the page's Markdown is exactly what the worker converted (plugins may
change it); otherwise it converts the page itself.

A worker also finishes the page it converted when the caller gives it a ``Finish``: the
adapter's own work on converted HTML (judging it, putting generated parts back, reading it
as a reader would) is as long as the conversion itself, and done by the main process alone
it left the workers idle while MkDocs went through every page's HTML. What that step
reports travels back with the page and is handed to the main process in page order.

Log records from workers are replayed in the main process when MkDocs reaches
the page, so warnings still fail a strict build and appear in order. Used by
``mkdocs build`` only (never ``serve``: forking a process that runs threads is
unsafe), on sites of at least ``MIN_PAGES`` pages, with ``GONGKAI_JOBS``
processes in all (default: every core; ``GONGKAI_JOBS=1`` turns it off).
"""

from __future__ import annotations

import gc
import hashlib
import logging
import multiprocessing
import os
import queue
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from gongkai.render.background import cores as jobs
from mkdocs_fast import internals

MIN_PAGES = 1000

log = logging.getLogger("mkdocs.plugins.gongkai")


def min_pages() -> int:
    value = os.environ.get("GONGKAI_PARALLEL_MIN_PAGES", "")
    return int(value) if value.isdigit() else MIN_PAGES


# --- log capture in workers -----------------------------------------------------------------

class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        data = dict(record.__dict__)
        data["msg"], data["args"] = record.getMessage(), None
        data["exc_info"] = data["exc_text"] = None
        self.records.append(data)


def _capture() -> tuple[_Collect, Callable[[], None]]:
    """Collect every record logged under ``mkdocs`` instead of printing it."""
    root = logging.getLogger("mkdocs")
    handler = _Collect()
    saved = (root.handlers[:], root.propagate, root.level)
    root.handlers, root.propagate = [handler], False

    def restore() -> None:
        root.handlers, root.propagate, root.level = saved
    return handler, restore


def _replay(records: list[dict]) -> None:
    for data in records:
        record = logging.makeLogRecord(data)
        logger = logging.getLogger(record.name)
        if logger.isEnabledFor(record.levelno):
            logger.handle(record)


# --- workers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finish:
    """What a worker does to a page once converted, and how the main process takes it back."""

    #: in the worker, right after the page's render: sets the page's final ``content`` and
    #: returns what the main process needs to know (picklable)
    run: Callable[[Page], Any]
    #: in the main process, when MkDocs reaches a page a worker finished: gets ``run``'s result
    take: Callable[[Page, Any], None]


class Workers:
    """Who converts which page: MkDocs goes up the list, workers come down it, one page at a time
    under a lock, so each page is converted exactly once and no one waits while work is left."""

    def __init__(self, ctx, n: int, workers: int):
        self.lock = ctx.Lock()
        self.main = ctx.Value("q", -1, lock=False)  # the last page MkDocs took
        self.low = ctx.Value("q", n, lock=False)  # the last page a worker took
        self.queue = ctx.Queue()  # (index, result); (None, None) when a worker stops
        self.workers = workers
        self.processes: list = []
        self.results: dict[int, tuple | None] = {}
        self.stopped = 0
        self.wrapped: list[tuple[Page, Callable]] = []  # (page, its own render)

    def take_down(self) -> int | None:
        with self.lock:
            index = self.low.value - 1
            if index <= self.main.value:
                return None
            self.low.value = index
            return index

    def take_up(self, index: int) -> bool:
        """True: MkDocs converts page ``index`` itself; False: a worker has it."""
        with self.lock:
            if index < self.low.value:
                self.main.value = index
                return True
            return False

    def result(self, index: int) -> tuple | None:
        while index not in self.results and self.stopped < self.workers:
            try:
                number, result = self.queue.get(timeout=1.0)
            except queue.Empty:
                if not any(p.is_alive() for p in self.processes):
                    break  # a worker died: the main process converts what is missing
                continue
            if number is None:
                self.stopped += 1
            else:
                self.results[number] = result
        return self.results.pop(index, None)

    def close(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        self.queue.close()


def _convert(page: Page, config, files, after: Finish | None) -> tuple | None:
    handler, restore = _capture()
    try:
        internals.set_current_page(config, page)
        page.read_source(config)
        source = _digest(page.markdown)
        page.render(config, files)
        finished = after.run(page) if after is not None else None
        links = None
        if page.links_to_anchors is not None:
            links = {f.src_uri: v for f, v in page.links_to_anchors.items()}
        return (source, {k: getattr(page, k) for k in internals.RENDERED}, links, handler.records,
                finished)
    except Exception:  # the main process converts this page itself and reports the error
        return None
    finally:
        internals.set_current_page(config, None)
        restore()
        # the result goes to the main process; kept here too, every page this worker converted
        # would stay in its memory until the build ends (at 100,000 items, gigabytes)
        page.markdown = page.content = None
        page.toc = TableOfContents([])


def _digest(markdown: str | None) -> bytes:
    """What a worker converted, to compare with the main process's Markdown of the page: a
    digest, not the text, so the results waiting in the main process do not hold every
    page's Markdown a second time."""
    return hashlib.blake2b((markdown or "").encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _work(pages: list[Page], share: Workers, config, files, after: Finish | None) -> None:
    while (index := share.take_down()) is not None:
        share.queue.put((index, _convert(pages[index], config, files, after)))
    share.queue.put((None, None))
    share.queue.close()
    share.queue.join_thread()


def _shared_render(page: Page, share: Workers, index: int, original: Callable,
                   after: Finish | None) -> Callable:
    def render(self, config, files) -> None:
        if share.take_up(index):
            return original(config, files)
        result = share.result(index)
        if result is None:
            return original(config, files)
        source, values, links, records, finished = result
        if _digest(self.markdown) != source:  # a plugin changed the Markdown: convert it here
            return original(config, files)
        _replay(records)
        for key, value in values.items():
            setattr(self, key, value)
        if links is not None:
            self.links_to_anchors = {files.get_file_from_path(uri): v for uri, v in links.items()}
        if after is not None:
            after.take(self, finished)
        return None
    return types.MethodType(render, page)


def prerender_markdown(nav, config, files, wanted: Callable[[Any], bool],
                       prepare: Callable[[Page], None] | None = None,
                       after: Finish | None = None) -> Workers | None:
    """Let workers convert pages from the end of the list while MkDocs converts from the start;
    the caller hands the workers (None: none were started) to ``finish`` when the build ends.
    ``after``: what a worker also does to each page it converted (see ``Finish``)."""
    pages = []
    for file in files.documentation_pages():
        if wanted(file):
            if file.page is None:
                Page(None, file, config)  # what MkDocs would create for a page outside the nav
            if prepare is not None:
                prepare(file.page)
            pages.append(file.page)
    n, processes = len(pages), jobs()
    if n < min_pages() or processes < 2:
        return None
    log.info(f"gongkai: {n} 个页面由 {processes} 个进程并行转换")
    ctx = multiprocessing.get_context("fork")
    share = Workers(ctx, n, processes - 1)
    # without this, the collector in each worker walks (and so copies) the whole heap; the
    # adapter thaws everything when the build ends
    gc.freeze()
    for _ in range(processes - 1):
        process = ctx.Process(target=_work, args=(pages, share, config, files, after), daemon=True)
        process.start()
        share.processes.append(process)
    # only here, after the fork: workers convert with the pages' own render
    for index, page in enumerate(pages):
        share.wrapped.append((page, page.render))
        page.render = _shared_render(page, share, index, page.render, after)
    return share


def finish(share: Workers | None) -> None:
    """Stop any worker still running; the pages' own render comes back."""
    if share is None:
        return
    log.debug(f"gongkai: 主进程转换到第 {share.main.value + 1} 个页面，其余由工作进程转换")
    share.close()
    # the preview converts pages again after its first build: with their own render, not
    # one that waits on a worker's queue (closed now, and the workers gone)
    for page, render in share.wrapped:
        page.render = render  # type: ignore[method-assign]  # the page's own, put back
    share.wrapped.clear()
