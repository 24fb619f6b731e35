"""Spread MkDocs' per-page work over all cores during ``mkdocs build``.

MkDocs converts and themes pages one after another on one core; on a large
site that is nine tenths of the build. Here, just before each of its two
loops, forked workers do the same work on the same (copied) state, page by
page, with MkDocs' own code, and the main process picks the results up when
MkDocs reaches each page:

1. Markdown -> HTML (``Page.render``): done ahead in workers; ``render`` on
   those pages then takes the result, but only if the page's Markdown is
   still exactly what the worker converted (plugins may change it).
2. The theme (``main.html``): done ahead in workers once every page has its
   content; MkDocs then "renders" a one-line template that reads the
   worker's output back. Skipped when a plugin listens to ``page_context``,
   whose side effects must happen once, in the main process.

Log records from workers are replayed in the main process when MkDocs
reaches the page, so warnings still fail a strict build and appear in order.
Opt-in: ``GONGKAI_JOBS=auto`` (every core) or ``GONGKAI_JOBS=N``. Used only by
``mkdocs build`` (never ``serve``: forking a process that runs threads is
unsafe) on sites with at least ``MIN_PAGES`` pages.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import shutil
import tempfile
import types
from dataclasses import dataclass, field
from typing import Any, Callable

import jinja2
import markdown
from mkdocs.commands.build import get_context
from mkdocs.structure.pages import Page

MIN_PAGES = 1000
STUB_TEMPLATE = "gongkai-prerendered.html"

log = logging.getLogger("mkdocs.plugins.gongkai")


def jobs() -> int:
    """Worker processes: ``GONGKAI_JOBS`` = a number, or ``auto`` for every core; default 1 (off)."""
    value = os.environ.get("GONGKAI_JOBS", "1").strip()
    if value == "auto":
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return int(value) if value.isdigit() and int(value) > 0 else 1


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


# --- shared state, inherited by forked workers ----------------------------------------------

@dataclass
class _State:
    config: Any = None
    files: Any = None
    nav: Any = None
    env: Any = None
    pages: list[Page] = field(default_factory=list)
    tmp: str | None = None


_state = _State()


#: pages per task: small enough to balance the workers and keep each result small
BATCH = 100


def _run(worker: Callable[[list[int]], list], n: int) -> list:
    tasks = [list(range(i, min(i + BATCH, n))) for i in range(0, n, BATCH)]
    ctx = multiprocessing.get_context("fork")
    out: list = []
    # without this, the collector in each worker walks (and so copies) the parent's whole heap
    gc.freeze()
    try:
        with ctx.Pool(min(jobs(), len(tasks))) as pool:
            for result in pool.imap(worker, tasks):
                out.extend(result)
    finally:
        gc.unfreeze()
    return out


# --- phase 1: Markdown ----------------------------------------------------------------------

_RENDERED = ("content", "toc", "_title_from_render", "present_anchor_ids")


def _render_worker(indices: list[int]) -> list:
    config, files = _state.config, _state.files
    out = []
    for i in indices:
        page = _state.pages[i]
        handler, restore = _capture()
        try:
            config._current_page = page
            page.read_source(config)
            source = page.markdown
            page.render(config, files)
            links = None
            if page.links_to_anchors is not None:
                links = {f.src_uri: v for f, v in page.links_to_anchors.items()}
            out.append((source, {k: getattr(page, k) for k in _RENDERED}, links, handler.records))
        except Exception:  # the main process renders this page itself and reports the error
            out.append(None)
        finally:
            config._current_page = None
            restore()
    return out


def _prerendered_render(page: Page, result: tuple, original: Callable) -> Callable:
    source, values, links, records = result

    def render(self, config, files) -> None:
        if self.markdown != source:  # a plugin changed the Markdown: convert it here
            return original(config, files)
        _replay(records)
        for key, value in values.items():
            setattr(self, key, value)
        if links is not None:
            self.links_to_anchors = {files.get_file_from_path(uri): v for uri, v in links.items()}
        return None
    return types.MethodType(render, page)


def prerender_markdown(nav, config, files, wanted: Callable[[Any], bool]) -> None:
    """Convert the pages ``wanted`` selects in workers, before MkDocs' reading loop."""
    pages = []
    for file in files.documentation_pages():
        if wanted(file):
            if file.page is None:
                Page(None, file, config)  # what MkDocs would create for a page outside the nav
            pages.append(file.page)
    if len(pages) < min_pages() or jobs() < 2:
        return
    _state.config, _state.files, _state.pages, _state.nav = config, files, pages, nav
    # load the Markdown extensions once here rather than once per worker
    markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {})
    log.info(f"gongkai: {len(pages)} 个页面由 {min(jobs(), len(pages))} 个进程并行转换")
    results = _run(_render_worker, len(pages))
    for page, result in zip(pages, results):
        if result is not None:
            page.render = _prerendered_render(page, result, page.render)


# --- phase 2: the theme ---------------------------------------------------------------------

def _theme_worker(indices: list[int]) -> list:
    config, nav, env = _state.config, _state.nav, _state.env
    doc_files = _state.files.documentation_pages()  # what `mkdocs build` passes
    out = []
    for i in indices:
        page = _state.pages[i]
        handler, restore = _capture()
        try:
            config._current_page = page
            page.active = True
            context = get_context(nav, doc_files, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            html = template.render(context)
            path = os.path.join(_state.tmp, f"{i}.html")
            with open(path, "w", encoding="utf-8", errors="surrogatepass") as f:
                f.write(html)
            out.append((path, handler.records))
        except Exception:
            out.append(None)
        finally:
            page.active = False
            config._current_page = None
            restore()
    return out


def prerender_theme(env, config, files) -> jinja2.Environment:
    """Theme the pages converted ahead in workers, before MkDocs' writing loop."""
    pages = _state.pages
    if not pages or config.plugins.events["page_context"]:
        return env
    _state.env = env
    _state.tmp = tempfile.mkdtemp(prefix="gongkai-pages-")
    _theme_worker([0])  # compiles the theme's templates here, once, for every worker to inherit
    results = _run(_theme_worker, len(pages))
    stub = jinja2.DictLoader({STUB_TEMPLATE: "{{ page.gongkai_prerendered() }}"})
    env.loader = jinja2.ChoiceLoader([stub, env.loader])
    for page, result in zip(pages, results):
        if result is None:
            continue
        path, records = result

        def output(path=path, records=records) -> str:
            _replay(records)
            with open(path, encoding="utf-8", errors="surrogatepass") as f:
                html = f.read()
            os.unlink(path)
            return html
        page.gongkai_prerendered = output
        page.meta["template"] = STUB_TEMPLATE
    return env


def finish() -> None:
    """Forget the build's state (``mkdocs serve`` keeps the module alive)."""
    if _state.tmp:
        shutil.rmtree(_state.tmp, ignore_errors=True)
    _state.__init__()
