"""Build the preview once in full with MkDocs, then apply each save as a small update.

``Preview.full()`` is MkDocs' own build (clean, every page) with the adapter keeping a
``Session``. ``Preview.update(changed)`` loads the site again from the session's cache,
writes the pages of the items saved first (and says so through ``on_visible``: the editor
is looking at one of them), then renders the rest with the page memo, and hands MkDocs only
the pages whose Markdown changed:
each is read, converted and themed by MkDocs' own page functions, as in a full build, so
the result equals a clean build of the same sources (tests/test_preview.py compares).
Files no page reads (search index, open data, feeds) are written by a forked process
afterwards; ``settle()`` waits for it.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from gongkai.model import Site
from gongkai.pipeline import load_site
from gongkai.problems import Problem, Problems, ValidationFailed
from gongkai.render import background
from gongkai.render.outputs import Interrupted, Outputs, render_detached, render_site
from gongkai.render.pages import Page, Renderer
from mkdocs_fast import internals as mkdocs_internals
from mkdocs_preview.early import Early
from mkdocs_preview.prefill import prefill
from mkdocs_preview.session import BadBuildDate, Session, build_date

log = logging.getLogger("mkdocs.plugins.gongkai")

#: the background files yield the cores to the editor's next save
BACKGROUND_NICE = 10
#: a change under these (or to mkdocs.yml) needs a full build: templates, code, configuration
FULL_BUILD_DIRS = ("overrides/", "hooks/")


class Adapter(Protocol):
    """What the preview asks of the adapter (``hooks/mkdocs_gongkai.py``), and nothing else."""

    def attach_preview(self, session: Session, parallel: bool = False) -> None: ...

    def attach_site(self, site: Site, config: MkDocsConfig) -> None: ...

    def stash(self, page: Page) -> str: ...

    def forget(self, src_uri: str) -> None: ...

    def adopt(self, page: MkDocsPage) -> None: ...


def find_adapter(config: MkDocsConfig) -> Adapter | None:
    """The gongkai adapter among the configured hooks and plugins."""
    for plugin in config.plugins.values():
        if callable(getattr(plugin, "attach_preview", None)):
            return cast(Adapter, plugin)
    return None


@dataclass
class Report:
    ok: bool
    seconds: float
    pages: int = 0  # pages converted and themed again
    files: int = 0  # other files written or removed
    reread: int = 0  # item files read again
    full: bool = False
    first: float | None = None  # seconds until the saved items' own pages were written
    #: stopped after the saved items' pages because the editor saved again: the next update
    #: does the rest (and takes these changes along)
    interrupted: bool = False


class Preview:
    def __init__(self, config_file: Path, site_dir: Path, site_url: str):
        self.config_file = Path(config_file).resolve()
        self.root = self.config_file.parent
        self.site_dir = Path(site_dir)
        self.site_url = site_url
        self.session: Session | None = None
        self.config: MkDocsConfig | None = None
        self.adapter: Adapter | None = None
        self.generation = 0  # bumped whenever what the browser sees changes
        self.problems: list[Problem] = []  # why the last build failed; empty: it worked
        #: the files of the last update's save, whose problems the problem page shows first
        self.saved: frozenset[str] = frozenset()
        self._job: background.FileJob | None = None
        #: called once the saved items' own pages are written, before the rest of an update
        self.on_visible: Callable[[], None] | None = None
        #: changes of an interrupted update, applied with the next one
        self._carried: set[str] = set()
        #: what ``load()`` set up for the next full build
        self._prepared: tuple[MkDocsConfig, Adapter, Session] | None = None

    # -- full build ---------------------------------------------------------------------------

    def _setup(self, parallel: bool) -> tuple[MkDocsConfig, Adapter, Session]:
        """MkDocs' configuration and the adapter, with a new session, for a full build."""
        config = load_config(config_file=str(self.config_file), site_dir=str(self.site_dir))
        config.site_url = self.site_url
        config.strict = False  # a preview shows what it can; `mkdocs build` stays strict
        adapter = find_adapter(config)
        if adapter is None:
            raise SystemExit("mkdocs.yml 没有启用 hooks/mkdocs_gongkai.py，无法预览")
        session = Session()
        config.plugins.on_startup(command="serve", dirty=False)
        adapter.attach_preview(session, parallel=parallel and background.available())
        return config, adapter, session

    def load(self, parallel: bool = False) -> Early | None:
        """Read and validate the model the next ``full()`` builds, before that build starts, so
        that single pages can be served from it meanwhile (``mkdocs_preview.early``). The build
        then takes every item file from the session's cache instead of reading it again. None
        when the model is not valid: ``full()`` reports why, as without this call."""
        self._stop_job()
        self._prepared = None
        try:
            date = build_date()
        except BadBuildDate:
            return None
        config, adapter, session = self._setup(parallel)
        if parallel and background.available():  # no thread runs yet: the workers may fork
            prefill(self.root, date, session.cache, background.cores())
        try:
            # the adapter's own call (on_files), so that the cache it fills is the one it reads
            site = load_site(self.root, date, Problems(), judge_markup=False, preview=True, cache=session.cache)
        except ValidationFailed:
            return None
        self._prepared = (config, adapter, session)
        return Early(self.config_file, self.site_url, site)

    def full(self, parallel: bool = False) -> Report:
        """MkDocs' clean build of every page. ``parallel``: fork page workers (only while no
        other thread runs: the server starts its threads after the first build)."""
        start = time.perf_counter()
        self._stop_job()
        prepared, self._prepared = self._prepared, None
        if prepared is not None:  # load() read the model already
            config, adapter, session = prepared
        else:
            try:  # MkDocs would say only "Aborted with a BuildError!" of it
                build_date()
            except BadBuildDate as exc:
                self._failed([exc.problem])
                self.session = None
                return Report(False, time.perf_counter() - start, full=True)
            config, adapter, session = self._setup(parallel)
        self.config, self.adapter, self.session = config, adapter, session
        try:
            mkdocs_build.build(config)
        except (Abort, MkDocsException, OSError) as exc:
            self._failed(session.problems or [Problem("mkdocs.yml", None, None, f"网站未能生成：{exc}")])
            self.session = None  # the next save builds in full again
            return Report(False, time.perf_counter() - start, full=True)
        finally:
            adapter.attach_preview(session)  # the server's threads start now: no more forks
        if session.mkdocs_files is not None:
            for file in session.mkdocs_files.documentation_pages():
                if file.page is not None:
                    file.page.content = None  # written; a preview keeps no site's worth of HTML
        self.problems = []
        self.generation += 1
        _freeze()
        return Report(True, time.perf_counter() - start, pages=len(session.pages), full=True)

    # -- one save -----------------------------------------------------------------------------

    def needs_full(self, changed: set[str]) -> bool:
        return (self.session is None or self.session.nav is None
                or any(name == self.config_file.name or name.startswith(FULL_BUILD_DIRS) for name in changed))

    def update(self, changed: set[str], interrupt: Callable[[], bool] | None = None) -> Report:
        """``changed``: paths relative to the repository root (POSIX) of files created,
        modified or deleted since the last build. ``interrupt``: asked once the saved items'
        pages are written and between the parts of the rest; when it says another save has
        come, the rest is left to the next update (the editor sees the newest page sooner)."""
        changed = changed | self._carried
        self._carried = set()
        self.saved = frozenset(changed)
        if self.needs_full(changed):
            return self.full()
        start = time.perf_counter()
        # the last save's search index, open data and feeds are out of date now: stop making
        # them, so that this save has the cores to itself
        self._stop_job()
        session = self._built()[0]
        problems = Problems()
        try:
            site = load_site(self.root, build_date(), problems, preview=True,
                             cache=session.cache, changed=changed)
        except ValidationFailed as exc:
            self._failed(exc.problems)
            return Report(False, time.perf_counter() - start, reread=session.cache.reread)
        except BadBuildDate as exc:
            self._failed([exc.problem])
            return Report(False, time.perf_counter() - start)
        for problem in problems.warnings:
            log.warning(problem.format())
        first = None
        try:
            early = self._saved_items_first(site, changed)
            if early:
                first = time.perf_counter() - start
                self.problems = []
                self.generation += 1
                if self.on_visible is not None:
                    self.on_visible()
            outputs = render_site(site, self.site_url, detach=True, memo=session.memo,
                                  stop=interrupt if early else None)
            pages, files = self._apply(outputs, changed)
        except Interrupted:
            # The pages written so far are those of the saved items, exactly as the whole update
            # writes them; everything else still shows the state before this save.
            self._carried = changed
            return Report(True, time.perf_counter() - start, early, reread=session.cache.reread,
                          first=first, interrupted=True)
        except Exception as exc:  # noqa: BLE001 - the browser shows it; the next save tries again
            self._failed([Problem("content", None, None, f"页面未能生成：{exc}")])
            session.nav = None  # state may be half-updated: rebuild in full next time
            return Report(False, time.perf_counter() - start)
        session.site = site
        self.problems = []
        self.generation += 1
        self._start_job(site)
        _freeze()
        return Report(True, time.perf_counter() - start, pages + early, files, session.cache.reread,
                      first=first)

    def _built(self) -> tuple[Session, MkDocsConfig, Adapter]:
        """What the first build left for the updates (``needs_full`` says when there is none)."""
        if self.session is None or self.config is None or self.adapter is None:
            raise RuntimeError("the preview has no full build to update")
        return self.session, self.config, self.adapter

    def _mkdocs_files(self) -> Files:
        files = self._built()[0].mkdocs_files
        if files is None:
            raise RuntimeError("the preview's full build did not get as far as its files")
        return files

    def _failed(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        self.generation += 1
        for problem in problems:
            (log.error if problem.severity == "error" else log.warning)(problem.format())

    #: more saved items than this at once (a pull, a batch rename): no early pages
    EARLY_MAX = 20

    def _saved_items_first(self, site: Site, changed: set[str]) -> int:
        """Write the pages of the items just saved before anything else, as the whole update
        would write them: rendered through the session's memo (so the update finds them there
        and leaves them) and converted and themed by MkDocs' own page functions. Only pages
        that exist already: a new or moved page waits for the whole update."""
        session, _, adapter = self._built()
        saved = [i for i in site.public_items if i.source in changed]
        if not saved or len(saved) > self.EARLY_MAX:
            return 0
        renderer = Renderer(site, self.site_url, session.memo)
        files = self._mkdocs_files()
        todo = []
        for item in saved:
            page = renderer.item(item)
            old = session.pages.get(page.src_uri)
            if old is None or old is page or old.markdown == page.markdown:
                continue
            file = files.get_file_from_path(page.src_uri)
            if file is None or file.page is None:
                continue
            file.content_string = adapter.stash(page)
            todo.append((page, file.page))
        self._write_pages([mkdocs_page for _, mkdocs_page in todo])
        for page, _ in todo:
            session.pages[page.src_uri] = page
        return len(todo)

    def _write_pages(self, pages: list[MkDocsPage]) -> None:
        """Convert, theme and write MkDocs pages whose Markdown was just set, as a build does."""
        if not pages:
            return
        session, config, adapter = self._built()
        files = self._mkdocs_files()
        if session.nav is None or session.env is None:
            raise RuntimeError("the preview's full build did not get as far as its theme")
        for page in pages:
            mkdocs_internals.populate_page(page, config, files)
            adapter.adopt(page)
        doc_files = files.documentation_pages()
        for page in pages:
            mkdocs_internals.build_page(page, config, doc_files, session.nav, session.env)
            page.content = None  # written: the HTML is not needed again

    def _apply(self, outputs: Outputs, changed: set[str]) -> tuple[int, int]:
        session, config, adapter = self._built()
        files = self._mkdocs_files()
        new_pages = {p.src_uri: p for p in outputs.pages}
        todo: list[MkDocsPage] = []
        for uri, page in new_pages.items():
            old = session.pages.get(uri)
            if old is page or (old is not None and old.markdown == page.markdown):
                continue
            markdown = adapter.stash(page)
            file = files.get_file_from_path(uri)
            if file is None:
                file = File.generated(config, uri, content=markdown)
                files.append(file)
                MkDocsPage(None, file, config)
            else:
                file.content_string = markdown
            if file.page is not None:
                todo.append(file.page)
        for uri in [u for u in session.pages if u not in new_pages]:
            adapter.forget(uri)
            self._remove(files, uri)
        self._write_pages(todo)
        written = 0
        new_files = {f.src_uri: f for f in outputs.files}
        for uri, static in new_files.items():
            if session.files.get(uri) == static and (static.source is None or static.source not in changed):
                continue
            file = files.get_file_from_path(uri)
            if file is not None:
                files.remove(file)
            if static.content is not None:
                file = File.generated(config, uri, content=static.content)
            else:
                assert static.source is not None, uri  # a file carries its bytes or its source
                file = File.generated(config, uri, abs_src_path=str(self.root / static.source))
            files.append(file)
            file.copy_file()
            written += 1
        for uri in [u for u in session.files if u not in new_files]:
            self._remove(files, uri)
            written += 1
        session.pages, session.files = new_pages, new_files
        return len(todo), written

    def _remove(self, files: Files, uri: str) -> None:
        file = files.get_file_from_path(uri)
        if file is not None:
            files.remove(file)
            target = Path(file.abs_dest_path)
        else:
            target = self.site_dir / uri
        try:
            target.unlink()
        except FileNotFoundError:
            pass

    # -- the background files -----------------------------------------------------------------

    def _start_job(self, site: Site) -> None:
        self._stop_job()
        url, pages = self.site_url, list(self._built()[0].pages.values())
        if not background.available():  # no fork (Windows) or one core: write them now
            names: list[str] = []
            background.write_files(render_detached(site, url, pages), self.site_dir, True, names)
            self._collected(set(names))
            return
        self._job = background.FileJob(lambda: render_detached(site, url, pages), self.site_dir,
                                       skip_same=True, nice=BACKGROUND_NICE)

    def _stop_job(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self._job = None

    def busy(self) -> bool:
        return self._job is not None

    def poll(self, wait: bool = False) -> None:
        """Collect the background process when it is done (``wait``: until it is)."""
        job = self._job
        if job is None or not (wait or job.done()):
            return
        self._job = None
        try:
            written = job.wait()
        except RuntimeError as exc:
            self._failed([Problem("content", None, None, f"搜索索引、开放数据和订阅源未能生成：{exc}")])
            return
        # a preview's job is started with skip_same: it answers (count, names)
        self._collected(set(written[1]) if isinstance(written, tuple) else set())

    def _collected(self, names: set[str]) -> None:
        """The background files now written: remove those of the last time that are gone."""
        session = self._built()[0]
        for uri in session.detached - names:
            try:
                (self.site_dir / uri).unlink()
            except FileNotFoundError:
                pass
        session.detached = names

    def settle(self) -> None:
        self.poll(wait=True)

    def close(self) -> None:
        self._stop_job()


def _freeze() -> None:
    """The model stays: spare the collector walking it after every save. What the save left
    as garbage is collected first (only objects not frozen yet are looked at), so nothing
    unreachable is frozen with it and memory stays flat from one save to the next."""
    gc.collect()
    gc.freeze()

