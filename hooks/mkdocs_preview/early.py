"""Pages served while the preview's first full build still runs.

As soon as the model is loaded (``Preview.load``) the preview can answer for an item page, or
the catalogue's home, before MkDocs has converted the site: the page is rendered by the same
code the build runs (``Renderer.item``, MkDocs' own page functions, the adapter's events) over
MkDocs files made from what the contributors declare they will write (``render.outputs``), so
links resolve as in the build and the bytes are the build's (``tests/test_preview_early.py``).
Attachments are served from their source. After its first answer the early process renders the rest
(``render_site``, as the adapter does); from then on every page and generated file is served
the same way. The files written in the background (search index, open data, feeds) and,
until then, the other pages answer with a Chinese "正在生成…" page that reloads itself (``<meta http-equiv="refresh">``: no script, so the CSP
allows it) until the build has written it.

``EarlyServer.start`` forks a process that does this while the main process builds: the fork
happens before any thread runs, the build keeps its cores and its own forks (page workers,
the background files), and the two never share a converter. When the build is done the main
process serves and tells the early one to stop; the saves it saw meanwhile are handed over,
so the first update applies them. ``GONGKAI_PREVIEW_EARLY=0`` turns the early process off (the
preview then serves once its build is done, as before).
"""

from __future__ import annotations

import gc
import json
import mimetypes
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mkdocs_offline
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page as MkDocsPage

from gongkai.model import Item, Site
from gongkai.read.source import open_regular
from gongkai.render.outputs import DECLARED_FINISHERS, LATE_FILES, LATE_NAMES, render_site, site_targets
from gongkai.render.pages import FileAt, Page, Renderer, StaticFile, src_of
from mkdocs_fast import internals as mkdocs_internals

#: seconds between the reloads of the "正在生成…" page
REFRESH_SECONDS = 2

WAITING_PAGE = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="{REFRESH_SECONDS}">
<title>正在生成…</title></head>
<body><h1>正在生成…</h1>
<p>预览网站正在生成，本页尚未生成完毕；生成后本页自动显示（每 {REFRESH_SECONDS} 秒刷新一次）。</p>
<p>条目页面无需等待：打开任一条目的网址即可先行查看。</p>
</body></html>
""".encode()


@dataclass(frozen=True)
class Early:
    """A loaded model the preview can serve single pages from before its first build ends."""

    config_file: Path
    site_url: str
    site: Site

    def pages(self, out_dir: Path) -> EarlyPages:
        return EarlyPages(self, out_dir)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    kind: str
    rendered: bool = False  # a page converted just now, for this request


class EarlyPages:
    """Renders one page at a time into ``out_dir`` with its own MkDocs configuration and
    adapter (a fresh load of mkdocs.yml), so nothing is shared with a build in this process."""

    def __init__(self, early: Early, out_dir: Path):
        self.site = early.site
        self.out_dir = Path(out_dir)
        config = load_config(config_file=str(early.config_file), site_dir=str(self.out_dir))
        config.site_url = early.site_url
        config.strict = False
        config.plugins.on_startup(command="serve", dirty=False)
        adapter = next((p for p in config.plugins.values() if callable(getattr(p, "attach_site", None))), None)
        if adapter is None:
            raise RuntimeError("mkdocs.yml 没有启用 hooks/mkdocs_gongkai.py")
        self.adapter: Any = adapter
        from mkdocs_preview.session import Session  # the adapter's session type, not kept
        self.adapter.attach_preview(Session(), parallel=False)  # this process never forks
        config = config.plugins.on_config(config)
        self.adapter.attach_site(self.site, config)
        env = config.theme.get_env()
        files, self.sources = self._files(config, env)
        nav = get_navigation(_nav_files(files, config), config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        self.env = config.plugins.on_env(env, config=config, files=files)
        self.config: MkDocsConfig = config
        self.files, self.nav = files, nav
        self.renderer = Renderer(self.site, early.site_url)
        self.site_url = early.site_url
        #: every page's Markdown and the files with content, once ``render_rest`` is done
        self.rest: dict[str, Page] | None = None
        self.statics: dict[str, StaticFile] = {}
        self._rest_started = False
        self.items: dict[str, Item] = {item.url: item for item in self.site.public_items}
        self.lock = threading.Lock()
        # what a page names by its hashed name (gongkai.deploy.fingerprint) must be there first
        for file in files:
            if file.src_uri.startswith("assets/") and file.abs_src_path and not file.is_documentation_page():
                file.copy_file()
        mkdocs_offline.rewrite_bundle(str(self.out_dir), early.site_url)

    def _files(self, config: MkDocsConfig, env: Any) -> tuple[Files, dict[str, Path]]:
        """The build's files, as declared: every page (empty until rendered), every file a page
        may link to, and the theme's own files but those the build drops."""
        theme = Files([])
        theme.add_files_from_theme(env, config)
        targets = site_targets(self.site)
        pages = sorted(src_of(url) for url in targets.pages)
        late = _late_names(self.site, sorted(targets.pages))
        statics = sorted(targets.files - late)
        generated = set(pages) | set(statics) | LATE_NAMES
        custom = config.theme.custom_dir
        theme_dirs = tuple(d + os.sep for d in config.theme.dirs if d != custom)
        files = Files([f for f in theme if f.src_uri not in generated
                       and not mkdocs_offline.unused(f.src_uri, (f.abs_src_path or "").startswith(theme_dirs))])
        for uri in pages:
            files.append(File.generated(config, uri, content=""))
        for uri in statics:
            files.append(File.generated(config, uri, content=b""))
        root = self.site.root or early_root(config)
        sources = {s.src_uri: root / s.source for s in Renderer(self.site).static_files() if s.source is not None}
        return files, sources

    # -- answering ----------------------------------------------------------------------------

    def start_rest(self) -> None:
        """``render_rest`` in a thread, once: called after the first answer is sent, so the first
        page an editor opens does not share the interpreter with it."""
        with self.lock:
            if self._rest_started:
                return
            self._rest_started = True
        threading.Thread(target=self.render_rest, daemon=True).start()

    def render_rest(self) -> None:
        """Every page's Markdown and every file the build renders (``render_site``, as the
        adapter calls it), so that listings and the home page are served before the build
        writes them too; until then only items and the catalogue's home are."""
        try:
            outputs = render_site(self.site, self.site_url, detach=True)
        except Exception as exc:  # noqa: BLE001 - the build reports it; items are still served
            print(f"先行预览：其他页面未能先行生成，完整网站生成后显示（{exc}）", file=sys.stderr, flush=True)
            return
        self.statics = {f.src_uri: f for f in outputs.files if f.content is not None}
        self.rest = {p.src_uri: p for p in outputs.pages}

    def page_for(self, url: str) -> Page | None:
        """The gongkai page at ``url`` if it can be rendered now, else None."""
        item = self.items.get(url)
        if item is not None:
            return self.renderer.item(item)
        rest = self.rest
        if rest is not None:
            return rest.get(src_of(url))
        if src_of(url) == self.renderer.catalogue_home().src_uri:
            return self.renderer.catalogue_home()
        return None

    def answer(self, relative: str, site_dir: Path) -> Answer | None:
        """What to send for ``relative`` (a path under the site, without the mount) while the
        build runs; None: not part of the site."""
        is_page = relative in ("", ".") or relative.endswith("/") or not Path(relative).suffix
        name = (relative.rstrip("/") + "/index.html").lstrip("/") if is_page else relative
        if name == "./index.html":
            name = "index.html"
        done = self.out_dir / name  # rendered here already
        if done.is_file():
            return Answer(200, done.read_bytes(), _kind(done.name))
        built = site_dir / name  # what the build has written, for what cannot be rendered here
        if name.endswith("/index.html") or name == "index.html":
            url = name[: -len("index.html")]
            try:
                with self.lock:
                    written = self.render(url)
            except Exception:  # noqa: BLE001 - the build stops on it and the browser shows why
                written = None
            if written is not None:
                return Answer(200, written.read_bytes(), "text/html; charset=utf-8", rendered=True)
            if self.files.get_file_from_path(src_of(url)) is None:
                return None
            if built.is_file():
                return Answer(200, built.read_bytes(), "text/html; charset=utf-8")
            return Answer(503, WAITING_PAGE, "text/html; charset=utf-8")
        made = self.statics.get(name)
        if made is not None and made.content is not None:
            return Answer(200, made.content, _kind(name))
        source = self.sources.get(name)
        if source is not None:  # an attachment: its own bytes, never through a link (as copied)
            try:
                fd = open_regular(source)
            except OSError:
                return None
            with os.fdopen(fd, "rb") as f:
                return Answer(200, f.read(), _kind(name))
        if built.is_file():
            return Answer(200, built.read_bytes(), _kind(name))
        return Answer(503, "正在生成…（预览网站生成后即可访问此文件）".encode(), "text/plain; charset=utf-8")

    def render(self, url: str) -> Path | None:
        """Convert, theme and write the page at ``url`` as the build does; None if this page
        waits for the build."""
        page = self.page_for(url)
        if page is None:
            return None
        file = self.files.get_file_from_path(page.src_uri)
        if file is None:
            return None
        file.content_string = self.adapter.stash(page)
        mkdocs_page = file.page if file.page is not None else MkDocsPage(None, file, self.config)
        mkdocs_internals.populate_page(mkdocs_page, self.config, self.files)
        mkdocs_internals.build_page(mkdocs_page, self.config, self.files.documentation_pages(), self.nav, self.env)
        mkdocs_page.content = None
        return Path(file.abs_dest_path)


def _nav_files(files: Files, config: MkDocsConfig) -> Files:
    """The pages mkdocs.yml's ``nav`` names, the same File objects: the navigation made of
    them is the build's, without a Page object made now for each of the site's other pages
    (the build makes those too, for pages outside the navigation; a page rendered here gets
    its own when it is asked for)."""
    named: set[str] = set()

    def walk(entry: Any) -> None:
        if isinstance(entry, str):
            named.add(entry)
        elif isinstance(entry, dict):
            for value in entry.values():
                walk(value)
        elif isinstance(entry, list):
            for value in entry:
                walk(value)

    walk(config.nav)
    if not config.nav:  # no nav: MkDocs lists every page
        return files
    return Files([f for f in files if not f.is_documentation_page() or f.src_uri in named])


def early_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent


def _late_names(site: Site, page_urls: list[str]) -> set[str]:
    """What the build writes after every page (the sitemaps): not among its MkDocs files."""
    names: set[str] = set()
    for finisher in LATE_FILES:
        declared = DECLARED_FINISHERS.get(finisher)
        if declared is not None:
            names |= {t.src_uri for t in declared(site, page_urls) if isinstance(t, FileAt)}
    return names


def _kind(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        kind += "; charset=utf-8"
    return kind



class EarlyServer:
    """The early process, seen from the main one."""

    def __init__(self, pid: int, stop_fd: int, saves_fd: int):
        self.pid, self.stop_fd, self.saves_fd = pid, stop_fd, saves_fd

    @staticmethod
    def available() -> bool:
        return hasattr(os, "fork") and os.environ.get("GONGKAI_PREVIEW_EARLY", "1").strip() != "0"

    @classmethod
    def start(cls, early: Early, serve: Callable[[EarlyPages], Callable[[], set[str]]]) -> EarlyServer:
        """Fork the early process (call it while this process runs no other thread): it renders
        ``early``'s pages and calls ``serve``, which starts serving them and returns what stops
        that and answers the saves seen meanwhile."""
        stop_r, stop_w = os.pipe()
        saves_r, saves_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            os.close(stop_r)
            os.close(saves_w)
            return cls(pid, stop_w, saves_r)
        status = 0
        try:  # the early process: never returns into the caller's code
            os.close(stop_w)
            os.close(saves_r)
            # Ctrl+C is the main process's to handle; its end (the pipe closed) ends this one
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            gc.freeze()  # the model is the main process's: copied only where written
            out_dir = Path(tempfile.mkdtemp(prefix="gongkai-preview-early-"))
            try:
                try:
                    stop = serve(early.pages(out_dir))
                except Exception as exc:  # noqa: BLE001 - the main process serves once its build is done
                    print(f"先行预览未能启动（完整网站生成后照常预览）：{exc}", file=sys.stderr, flush=True)
                    status = 1
                else:
                    os.read(stop_r, 1)  # the main process's word, or its end
                    handed = stop()
                    os.write(saves_w, json.dumps(sorted(handed), ensure_ascii=False).encode())
            finally:
                shutil.rmtree(out_dir, ignore_errors=True)
        except OSError:  # the main process has ended: nobody to hand the saves to
            status = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)

    def stop(self) -> set[str]:
        """Stop the early process; the paths of the saves it saw."""
        try:
            os.write(self.stop_fd, b"x")
        except OSError:  # it is gone already
            pass
        os.close(self.stop_fd)
        chunks = []
        while chunk := os.read(self.saves_fd, 65536):
            chunks.append(chunk)
        os.close(self.saves_fd)
        os.waitpid(self.pid, 0)
        try:
            return set(json.loads(b"".join(chunks) or b"[]"))
        except ValueError:
            return set()
