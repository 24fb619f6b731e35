"""MkDocs adapter: the only place where gongkai meets MkDocs.

``on_files`` loads and validates the repository (failing the build on any
error), drops the raw ``content/`` files MkDocs found, and adds the pages and
attachments rendered by the ``gongkai`` package, as Material's blog plugin
does with ``File.generated``. ``on_page_content`` judges the HTML MkDocs made of
authors' text (``guards.markup``) and ``on_env`` stops the build, before any page is
written, if the sanitizer would change any of it; ``on_config`` refuses an output
folder over ``content/`` or ``catalog/``; ``on_post_build`` keeps Material's bundle on
this host (``mkdocs_offline``).

All state lives on one ``Adapter`` object, configured by ``AdapterConfig``; the hook functions
MkDocs calls are its methods. MkDocs loads this file once per process and keeps it, so the
object lives as long as ``mkdocs serve`` does and each build starts by resetting what it needs.
The preview server (``hooks/mkdocs_preview``) uses only ``attach_preview``, ``attach_site``,
``stash``, ``forget`` and ``adopt``. MkDocs-private calls go through ``mkdocs_fast.internals``.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import shutil
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage

sys.path.insert(0, str(Path(__file__).parent))  # so `mkdocs` works without installing

import mkdocs_offline  # noqa: E402

from gongkai.deploy.page import finish_page  # noqa: E402
from gongkai.guards import markup  # noqa: E402
from gongkai.load.loader import PROGRESS_MIN, PROGRESS_STEP  # noqa: E402
from gongkai.model import Site  # noqa: E402
from gongkai.pipeline import load_site  # noqa: E402
from gongkai.problems import Problem, Problems, ValidationFailed  # noqa: E402
from gongkai.read.source import open_regular  # noqa: E402
from gongkai.render import background, leaks  # noqa: E402
from gongkai.render.build_cache import Verdicts  # noqa: E402
from gongkai.render.outputs import LATE_NAMES, link_problems, render_detached, render_site  # noqa: E402
from gongkai.render.page_tags import meta_html, site_tags  # noqa: E402
from gongkai.render.pages import Origin, Page, join_raw, split_raw  # noqa: E402
from gongkai.render.template_cache import CACHE as _TEMPLATE_CACHE  # noqa: E402
from gongkai.urls import gov_host_problem  # noqa: E402
from mkdocs_fast import internals as mkdocs_internals  # noqa: E402
from mkdocs_fast import page_cache as mkdocs_page_cache  # noqa: E402
from mkdocs_fast import parallel as mkdocs_parallel  # noqa: E402
from mkdocs_fast import shared_markdown as mkdocs_markdown  # noqa: E402
from mkdocs_fast import theme_shell as mkdocs_theme_shell  # noqa: E402
from mkdocs_preview.session import Session, build_date  # noqa: E402

log = logging.getLogger("mkdocs.plugins.gongkai")


class _PageProgress:
    """MkDocs converts, then writes, pages silently; on a large site say how far it has got."""

    def __init__(self) -> None:
        self.total = 0
        self.done = {"已转换": 0, "已生成": 0}

    def start(self, total: int) -> None:
        self.total = total
        self.done = dict.fromkeys(self.done, 0)

    def step(self, what: str) -> None:
        self.done[what] += 1
        done = self.done[what]
        if self.total >= PROGRESS_MIN and (done % PROGRESS_STEP == 0 or done == self.total):
            log.info(f"gongkai: {what} {done}/{self.total} 个页面")


@dataclass(frozen=True)
class AdapterConfig:
    """How this run builds; set by ``on_startup`` from MkDocs' command (or by the preview)."""

    #: forked workers convert pages and a second process writes the files no page reads: only
    #: `mkdocs build` (and the preview's first build, before its threads start)
    parallel: bool = False
    #: drafts and unreviewed items are shown (with a banner): `mkdocs serve` and the preview
    #: server only; `mkdocs build`, the publish, never
    preview: bool = False


#: the host names of a preview on this machine: its own address is not a site_url to warn about
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class Adapter:
    """The adapter's state for one MkDocs process, and its hooks."""

    def __init__(self) -> None:
        self.config = AdapterConfig()
        #: set by the preview server: what the first build made, kept so that later saves
        #: rebuild only what they change
        self.session: Session | None = None
        self.progress = _PageProgress()
        #: src_uri -> the generated HTML islands of that page, spliced back in on_page_content
        self.islands: dict[str, dict[str, str]] = {}
        #: src_uri -> the authors' text in that page, to name file and line when its HTML is refused
        self.origins: dict[str, Origin | None] = {}
        #: what the sanitizer would change in the converted pages; the build stops before writing any
        self.refused: list[Problem] = []
        #: the model of the running build, for naming the source of a number found in a page
        self.site: Site | None = None
        #: the files written in a second process
        self.job: background.FileJob | None = None
        #: id() of the pages in the navigation: they are themed as usual
        self.in_nav: set[int] = set()
        self.shells: mkdocs_theme_shell.Shells | None = None
        self.markdown: mkdocs_markdown.SharedMarkdown | None = None
        #: the forked page converters of this build, stopped when it ends
        self.workers: mkdocs_parallel.Workers | None = None
        #: src_uri -> whether its HTML passed, for pages a worker converted and finished:
        #: on_page_content only puts their islands back
        self.finished: dict[str, bool] = {}
        #: the build cache (``GONGKAI_CACHE``; None: a full clean build) and its verdicts for this build
        self.cache: mkdocs_page_cache.PageCache | None = None
        self.verdicts: Verdicts | None = None

    # -- what the preview server calls --------------------------------------------------------

    def attach_preview(self, session: Session, parallel: bool = False) -> None:
        """Build for the preview server (after ``on_startup``): drafts shown, ``session`` kept
        for its later updates; ``parallel`` only while the server runs no thread yet."""
        self.session = session
        self.config = AdapterConfig(parallel=parallel, preview=True)

    def stash(self, page: Page) -> str:
        """A page's Markdown for MkDocs, its generated HTML kept aside for ``on_page_content``."""
        # the placeholders' number comes from the page's path, not its position: a page's Markdown
        # (and so its build-cache entry) stays the same when pages are added before it
        markdown, islands = split_raw(page.markdown, str(zlib.crc32(page.src_uri.encode("utf-8"))))
        self.origins[page.src_uri] = page.origin
        if islands:
            self.islands[page.src_uri] = islands
        else:
            self.islands.pop(page.src_uri, None)
        return markdown

    def forget(self, src_uri: str) -> None:
        self.islands.pop(src_uri, None)
        self.origins.pop(src_uri, None)

    def adopt(self, page: MkDocsPage) -> None:
        """After a preview converted a page again: frame it by its (possibly new) shape."""
        if self.shells is not None:
            self.shells.keys.pop(id(page), None)
            self.shells.adopt(page)

    def attach_site(self, site: Site, config: MkDocsConfig) -> None:
        """The model this build's pages come from: the theme's site facts (footer, page tags)
        and the personal-number check of each converted page read it. ``on_files`` calls it;
        the preview too, to convert single pages before its first build has got that far."""
        self.site = site
        settings = site.settings
        config.extra["gongkai"] = {
            "owner": settings.owner, "address": settings.address, "phone": settings.phone,
            "email": settings.email, "site_code": settings.site_code, "icp": settings.icp,
            "police_record": settings.police_record, "police_record_url": settings.police_record_url,
            "conac_url": settings.conac_url, "error_report_url": settings.error_report_url,
            # pages gongkai did not write (the theme's 404 page) still say which site they belong to
            "site_tags": meta_html(site_tags(settings, config.site_url)),
        }

    # -- MkDocs' events -----------------------------------------------------------------------

    def on_startup(self, command: str, dirty: bool) -> None:
        self.config = AdapterConfig(parallel=command == "build" and not dirty, preview=command == "serve")
        self.session = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        mkdocs_internals.check_version()
        _refuse_output_in_sources(config)
        # `mkdocs build` only: the preview keeps what it needs in memory
        self.cache = None if self.config.preview else mkdocs_page_cache.from_env(config, [Path(__file__)])
        if not config.use_directory_urls:
            raise PluginError("gongkai 需要 use_directory_urls: true（条目网址形如 items/机构代码/年份-序号/）")
        if not config.site_url:
            raise PluginError("mkdocs.yml 缺少 site_url：订阅源（feed.xml）和 sitemap.xml 需要网站的绝对网址")
        problem = gov_host_problem(config.site_url)
        # a preview is served from this machine: its own address is no deployment to warn about
        if problem is not None and not (self.config.preview and _on_loopback(config.site_url)):
            log.warning(f"mkdocs.yml: {problem}")
        # gongkai writes sitemap.xml itself (public pages only, real <lastmod> dates); without this
        # MkDocs would overwrite it with its own and add sitemap.xml.gz
        config.theme.static_templates.discard("sitemap.xml")
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        root = Path(config.config_file_path).parent
        problems = Problems()
        session = self.session
        try:
            self.verdicts = None
            site = load_site(root, build_date(), problems, progress=lambda text: log.info(f"gongkai: {text}"),
                             judge_markup=False,  # on_page_content judges what MkDocs converts
                             preview=self.config.preview, cache=session.cache if session is not None else None)
            # The model lives until the build ends. Frozen, the collector stops walking it again and
            # again while pages are made (at 50,000 items that was a quarter of the build); on_post_build
            # thaws it, so `mkdocs serve` frees each build's model.
            gc.freeze()
        except ValidationFailed as exc:
            if session is not None:
                session.problems = exc.problems
            for problem in exc.problems:
                (log.error if problem.severity == "error" else log.info)(problem.format())
            raise PluginError(f"内容校验未通过：{len(exc.problems)} 个问题，见上方列表。网站未生成。") from None
        # gongkai's warnings are advice `gongkai check` also gives and passes; logged as MkDocs
        # warnings they would stop `mkdocs build --strict`, so the build would refuse what check
        # accepts. A warning that must stop publication is made an error in catalog/site.yml.
        for problem in problems.warnings:
            log.info(problem.format())
        self.attach_site(site, config)
        docs_dir = os.path.abspath(config.docs_dir)
        self.verdicts = self.cache.verdicts(site.build_date) if self.cache is not None else None
        verdicts = self.verdicts
        # files no page reads (search index, exports, feeds) are written by a second process meanwhile
        detach = self.config.parallel and background.available()
        handover: background.Handover | None = None
        if detach and session is None:
            # those files need the model alone: their process starts now, on the core this one
            # leaves idle while it renders the pages, and is handed the page list (for the
            # sitemap) once they are rendered and their links checked
            handover = background.Handover()
            self.job = background.FileJob(
                lambda: render_detached(site, config.site_url, handover.receive, verdicts), Path(config.site_dir))
        try:
            outputs = render_site(site, config.site_url, detach=detach or session is not None,
                                  memo=session.memo if session is not None else None, verdicts=verdicts)
        except ValidationFailed as exc:  # a generated file would publish a personal number
            for problem in exc.problems:
                log.error(problem.format())
            raise PluginError(f"内容校验未通过：{len(exc.problems)} 个问题，见上方列表。网站未生成。") from None
        broken = link_problems(site, outputs)
        if broken:  # in Chinese on the source line, before MkDocs says it in English on a generated page
            self._refuse_with_everything(root, site, broken)
        gc.freeze()
        if session is not None:
            session.record(site, outputs)
            if background.available():
                self.job = background.FileJob(lambda: render_detached(site, config.site_url, outputs.pages),
                                              Path(config.site_dir), skip_same=True)
            else:  # no fork (Windows): write them now
                names: list[str] = []
                background.write_files(render_detached(site, config.site_url, outputs.pages),
                                       Path(config.site_dir), True, names)
                session.detached = set(names)
        elif handover is not None:
            handover.send([Page(p.src_uri, p.title, "") for p in outputs.pages])
        generated = {p.src_uri for p in outputs.pages} | {f.src_uri for f in outputs.files} | LATE_NAMES
        # theme files of the same name (the theme ships a sitemap.xml template) give way to ours
        theme = _theme_dirs(config)
        kept = [f for f in files if not (f.abs_src_path or "").startswith(docs_dir + os.sep)
                and f.src_uri not in generated
                and not mkdocs_offline.unused(f.src_uri, (f.abs_src_path or "").startswith(theme))]
        out = Files(kept)
        self.progress.start(len(outputs.pages))
        if len(site.items) >= PROGRESS_MIN:
            log.info(f"gongkai: {len(site.items)} 个条目（{len(site.public_items)} 个公开），"
                     f"生成 {len(outputs.pages)} 个页面、{len(outputs.files)} 个文件")
        self.islands.clear()
        self.origins.clear()
        self.refused.clear()
        for page in outputs.pages:
            out.append(File.generated(config, page.src_uri, content=self.stash(page)))
        for static in outputs.files:
            if static.content is not None:
                out.append(File.generated(config, static.src_uri, content=static.content))
            else:
                assert static.source is not None, static.src_uri  # a file carries its bytes or its source
                out.append(_Attachment.generated(config, static.src_uri, abs_src_path=str(root / static.source)))
        return out

    def _refuse_with_everything(self, root: Path, site: Any, broken: list[Problem]) -> None:
        """Stop on broken links, but in one round with every other error: the pages' HTML is
        judged only as MkDocs converts them, which this stop comes before, so the site is
        checked once more as ``gongkai check`` checks it (only on this failure path)."""
        problems = Problems()
        try:
            load_site(root, site.build_date, problems, preview=self.config.preview)
        except ValidationFailed:
            pass
        errors = {p.format(): p for p in problems.sorted() if p.severity == "error"}
        for problem in broken:
            errors.setdefault(problem.format(), problem)
        for problem in sorted(errors.values(), key=lambda p: (p.file, p.line or 0)):
            log.error(problem.format())
        raise PluginError(f"内容校验未通过：{len(errors)} 个问题，见上方列表。网站未生成。")

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.markdown = mkdocs_markdown.SharedMarkdown(config) if mkdocs_markdown.enabled() else None
        self.in_nav.clear()
        self.in_nav.update(id(page) for page in nav.pages)
        if self.session is not None:
            self.session.nav, self.session.mkdocs_files = nav, files
        self.finished.clear()
        if self.config.parallel:
            # the workers finish pages as on_page_content does, unless another plugin handles that
            # event too (it must then see each page's HTML before this hook, in the main process)
            alone = len(config.plugins.events["page_content"]) == 1
            after = mkdocs_parallel.Finish(self._finish_in_worker, self._take_finished) if alone else None
            self.workers = mkdocs_parallel.prerender_markdown(
                nav, config, files, lambda file: True, self._prepare, after)
        return nav

    def _prepare(self, page: MkDocsPage) -> None:
        """How a page is converted: on the shared converter, looked up in the build cache first."""
        if self.markdown is not None:
            self.markdown.attach(page)
        if self.cache is not None:
            self.cache.attach(page)

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.refused:  # every page is converted by now and none written yet
            for problem in self.refused:
                log.error(problem.format())
            raise PluginError(f"内容校验未通过：{len(self.refused)} 处内容不能发布，见上方列表。网站未生成。")
        # `mkdocs serve` rebuilds with a fresh theme environment each time; reuse compiled templates
        env.bytecode_cache = _TEMPLATE_CACHE
        self.shells = None
        if mkdocs_theme_shell.enabled():
            loaders: list[jinja2.BaseLoader] = [
                jinja2.DictLoader({mkdocs_theme_shell.STUB_TEMPLATE: "{{ gongkai_html }}"})]
            if env.loader is not None:
                loaders.append(env.loader)
            env.loader = jinja2.ChoiceLoader(loaders)
            self.shells = mkdocs_theme_shell.Shells(env, self.in_nav)
            for file in files.documentation_pages():
                if file.page is not None:
                    self.shells.adopt(file.page)
        if self.session is not None:
            self.session.env = env
        return env

    def on_page_context(self, context: dict[str, Any], page: MkDocsPage, config: MkDocsConfig,
                        nav: Navigation) -> dict[str, Any]:
        if self.shells is not None and page.meta.get("template") == mkdocs_theme_shell.STUB_TEMPLATE:
            context["gongkai_html"] = self.shells.html(context, page)
        return context

    def on_post_build(self, config: MkDocsConfig) -> None:
        gc.unfreeze()
        mkdocs_offline.rewrite_bundle(config.site_dir, config.site_url or "")
        if self.job is not None:
            job, self.job = self.job, None
            try:
                written = job.wait()
            except RuntimeError as exc:
                raise PluginError(f"搜索索引、开放数据和订阅源未能生成：\n{exc}") from None
            if self.session is not None and isinstance(written, tuple):
                self.session.detached = set(written[1])
        if self.shells is not None:
            log.debug(f"gongkai: 页面外框 {len(self.shells.frames)} 种，{self.shells.stats}")
        mkdocs_parallel.finish(self.workers)
        self.workers = None
        if self.cache is not None:
            log.info(f"gongkai: {self.cache.cache.summary()}")

    def on_build_error(self, error: Exception) -> None:
        gc.unfreeze()
        if self.job is not None:
            self.job.cancel()
            self.job = None
        mkdocs_parallel.finish(self.workers)
        self.workers = None

    def on_pre_page(self, page: MkDocsPage, config: MkDocsConfig, files: Files) -> MkDocsPage:
        # a page converted ahead by the parallel build already has its own render
        if "render" not in vars(page):
            self._prepare(page)
        return page

    def on_page_content(self, html: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        self.progress.step("已转换")
        src_uri = page.file.src_uri
        passed = self.finished.pop(src_uri, None)
        if passed is None:
            html = self._finish(html, src_uri)
        elif passed:  # the worker that converted it judged and read it (``_finish_in_worker``)
            html = self._joined(html, src_uri)
        if self.session is None:
            # a one-shot build converts each page once: its Markdown (a copy of the file's text),
            # its islands and the author text kept to name a refused line are done with; at 100,000
            # items they would be gigabytes kept until the build ends
            page.markdown = None
            self.forget(src_uri)
        return html

    def _finish(self, html: str, src_uri: str) -> str:
        """A converted page's final content: judged, its generated islands back in, read for
        personal numbers; what may not be published goes to ``refused``."""
        done = self._checked(html, src_uri)
        return html if done is None else done

    def _checked(self, html: str, src_uri: str) -> str | None:
        """``_finish``'s work; None when the page's HTML is refused (it stays as converted)."""
        if not self._judge(html, src_uri):
            return None  # refused: on_env stops the build with every page's problems
        html = self._joined(html, src_uri)
        if self.site is not None:  # personal numbers a reader gets from the page, generated parts too
            self.refused.extend(leaks.page_problems(html, src_uri, self.origins.get(src_uri), self.site,
                                                    self.verdicts))
        return html

    def _joined(self, html: str, src_uri: str) -> str:
        islands = self.islands.get(src_uri)
        if not islands:
            return html
        try:
            return join_raw(html, islands)
        except ValueError as exc:
            raise PluginError(f"{src_uri}: {exc}") from None

    def _finish_in_worker(self, page: MkDocsPage) -> tuple[list[Problem], bool]:
        """In a forked page worker, right after converting ``page``: what ``on_page_content``
        would do (as long as the conversion itself, so done on every core); returns the problems
        and whether the page's HTML passed. The page goes back without its islands: the main
        process keeps them until it reaches the page anyway, and puts them back then."""
        before = len(self.refused)
        passed = self._checked(page.content or "", page.file.src_uri) is not None
        return self.refused[before:], passed

    def _take_finished(self, page: MkDocsPage, finished: tuple[list[Problem], bool]) -> None:
        """In the main process, as MkDocs reaches a page a worker converted and finished."""
        refused, passed = finished
        self.refused.extend(refused)
        self.finished[page.file.src_uri] = passed

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str:
        self.progress.step("已生成")
        return finish_page(output, config.site_dir)

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        return finish_page(output_content, config.site_dir)  # the theme's 404.html

    def _judge(self, html: str, src_uri: str) -> bool:
        """Judge the HTML Markdown made of a page (before our generated islands go back in):
        all of it comes from authors' text, so the sanitizer may change nothing in it."""
        if self.verdicts is not None and self.verdicts.clean("markup", html):
            return True  # these very bytes were judged before, and nothing was found
        changes = [c for segment in _PLACEHOLDER.split(html) if segment.strip() for c in markup.judge(segment)]
        if not changes:
            if self.verdicts is not None:
                self.verdicts.remember("markup", html)
            return True
        origin = self.origins.get(src_uri)
        if origin is None or not origin.parts:
            self.refused.extend(Problem(f"（生成的页面 {src_uri}）", None, None, c.message) for c in changes)
            return False
        if len(origin.parts) == 1:
            first, text = origin.parts[0]
            lines = [first + line for line in markup.locate(changes, text)]
        else:  # an annual report: find the section that has the offending text
            lines = []
            for change in changes:
                part = next((p for p in origin.parts if change.needle and change.needle in p[1].lower()),
                            origin.parts[0])
                lines.append(part[0] + markup.locate([change], part[1])[0])
        self.refused.extend(Problem(origin.file, line, "正文", c.message)
                            for c, line in zip(changes, lines, strict=False))
        return False


_PLACEHOLDER = re.compile(r"<p>gkraw\d+x\d+</p>")


class _Attachment(File):
    """An attachment, copied without following a link (MkDocs' copy would follow one)."""

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        source = self.abs_src_path or ""
        try:
            fd = open_regular(source)
        except OSError as exc:
            raise PluginError(f"附件 {self.src_uri} 不是 content/ 中的普通文件，未复制：{exc}") from None
        dest = self.abs_dest_path
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if os.path.lexists(dest):
            os.unlink(dest)  # a link left in the output must not redirect the write either
        out = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        with os.fdopen(fd, "rb") as source_file, os.fdopen(out, "wb") as target:
            shutil.copyfileobj(source_file, target, 1 << 20)


def _on_loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "").lower() in _LOOPBACK


def _theme_dirs(config: MkDocsConfig) -> tuple[str, ...]:
    # Material's own folder only: a file of that name in overrides/ is the site's own
    custom = config.theme.custom_dir
    return tuple(d + os.sep for d in config.theme.dirs if d != custom)


def _refuse_output_in_sources(config: MkDocsConfig) -> None:
    """MkDocs empties site_dir before it builds: never let that be the authors' files."""
    root = Path(config.config_file_path).parent.resolve()
    site = Path(config.site_dir).resolve()  # follows a symlink such as site -> content
    for folder in (root / "content", root / "catalog", Path(config.docs_dir)):
        folder = folder.resolve()
        if site == folder or site.is_relative_to(folder) or folder.is_relative_to(site):
            raise PluginError(
                f"输出目录 site_dir（{config.site_dir}，实际位置 {site}）与 {folder} 重叠："
                "生成网站时会清空输出目录，不能指向 content/、catalog/ 或包含它们的目录。"
                "请把 site_dir 改为单独的目录（如 site），并确认它不是指向内容目录的符号链接")


# MkDocs calls a hook file's module-level functions; they are the one adapter's methods, and
# the preview server finds the adapter by ``attach_preview``.
_adapter = Adapter()
on_startup = _adapter.on_startup
on_config = _adapter.on_config
on_files = _adapter.on_files
on_nav = _adapter.on_nav
on_env = _adapter.on_env
on_pre_page = _adapter.on_pre_page
on_page_content = _adapter.on_page_content
on_page_context = _adapter.on_page_context
on_post_page = _adapter.on_post_page
on_post_template = _adapter.on_post_template
on_post_build = _adapter.on_post_build
on_build_error = _adapter.on_build_error
attach_preview = _adapter.attach_preview
attach_site = _adapter.attach_site
stash = _adapter.stash
forget = _adapter.forget
adopt = _adapter.adopt
