"""Convert pages' Markdown on every core during ``mkdocs build``.

MkDocs converts pages one after another on one core; on a large site that is
the longest part of the build. Here, just before MkDocs' reading loop, forked
workers take the last pages of the list and convert them with the same code
on a copy of the same state, while MkDocs converts the first pages itself.
When MkDocs reaches a page a worker did, it takes the worker's result, but only
if the page's Markdown is exactly what the worker converted (plugins may
change it); otherwise it converts the page itself.

Log records from workers are replayed in the main process when MkDocs reaches
the page, so warnings still fail a strict build and appear in order. Used by
``mkdocs build`` only (never ``serve``: forking a process that runs threads is
unsafe), on sites of at least ``MIN_PAGES`` pages, with ``GONGKAI_JOBS``
processes in all (default: every core; ``GONGKAI_JOBS=1`` turns it off).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import types
from dataclasses import dataclass, field
from typing import Any, Callable

from mkdocs.structure.pages import Page

from gongkai.background import cores as jobs

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


# --- workers --------------------------------------------------------------------------------

_RENDERED = ("content", "toc", "_title_from_render", "present_anchor_ids")


@dataclass
class _Worker:
    """One forked process converting ``pages[start:stop]``; results arrive in order."""

    process: Any
    receive: Any
    start: int
    stop: int
    results: dict[int, tuple | None] = field(default_factory=dict)

    def result(self, index: int) -> tuple | None:
        while index not in self.results:
            try:
                number, result = self.receive.recv()
            except EOFError:  # the worker died: the main process converts what is left
                self.results.update({i: None for i in range(self.start, self.stop) if i not in self.results})
                break
            self.results[number] = result
        return self.results.pop(index, None)

    def close(self) -> None:
        self.receive.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _convert(page: Page, config, files) -> tuple | None:
    handler, restore = _capture()
    try:
        config._current_page = page
        page.read_source(config)
        source = page.markdown
        page.render(config, files)
        links = None
        if page.links_to_anchors is not None:
            links = {f.src_uri: v for f, v in page.links_to_anchors.items()}
        return source, {k: getattr(page, k) for k in _RENDERED}, links, handler.records
    except Exception:  # the main process converts this page itself and reports the error
        return None
    finally:
        config._current_page = None
        restore()


def _work(pages: list[Page], start: int, stop: int, config, files, send) -> None:
    for index in range(start, stop):
        send.send((index, _convert(pages[index], config, files)))
    send.close()


def _prerendered(page: Page, worker: _Worker, index: int, original: Callable) -> Callable:
    def render(self, config, files) -> None:
        result = worker.result(index)
        if result is None:
            return original(config, files)
        source, values, links, records = result
        if self.markdown != source:  # a plugin changed the Markdown: convert it here
            return original(config, files)
        _replay(records)
        for key, value in values.items():
            setattr(self, key, value)
        if links is not None:
            self.links_to_anchors = {files.get_file_from_path(uri): v for uri, v in links.items()}
        return None
    return types.MethodType(render, page)


_workers: list[_Worker] = []


def prerender_markdown(nav, config, files, wanted: Callable[[Any], bool],
                       prepare: Callable[[Page], None] | None = None) -> None:
    """Hand the last pages ``wanted`` selects to workers, before MkDocs' reading loop."""
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
        return
    log.info(f"gongkai: {n} 个页面由 {processes} 个进程并行转换")
    ctx = multiprocessing.get_context("fork")
    share = n // processes
    # the main process keeps the first share; workers take the rest, in order
    bounds = [(share * k, n if k == processes - 1 else share * (k + 1)) for k in range(1, processes)]
    gc.collect()
    gc.freeze()  # without this, the collector in each worker walks (and so copies) the whole heap
    try:
        for start, stop in bounds:
            receive, send = ctx.Pipe(duplex=False)
            process = ctx.Process(target=_work, args=(pages, start, stop, config, files, send), daemon=True)
            process.start()
            send.close()
            worker = _Worker(process, receive, start, stop)
            _workers.append(worker)
            for index in range(start, stop):
                pages[index].render = _prerendered(pages[index], worker, index, pages[index].render)
    finally:
        gc.unfreeze()


def finish() -> None:
    """Stop any worker still running (``mkdocs serve`` keeps the module alive)."""
    while _workers:
        _workers.pop().close()
