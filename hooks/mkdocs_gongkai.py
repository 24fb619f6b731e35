"""MkDocs adapter: the only place where gongkai meets MkDocs.

``on_files`` loads and validates the repository (failing the build on any
error), drops the raw ``content/`` files MkDocs found, and adds the pages and
attachments rendered by the ``gongkai`` package, as Material's blog plugin
does with ``File.generated``. ``on_page_content`` judges the HTML MkDocs made of
authors' text (``guards.markup``) and ``on_env`` stops the build, before any page is
written, if the sanitizer would change any of it; ``on_config`` refuses an output
folder over ``content/`` or ``catalog/``; ``on_post_build`` keeps Material's bundle on
this host (``mkdocs_offline``).
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import re
import shutil
import sys
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

sys.path.insert(0, str(Path(__file__).parent))  # so `mkdocs` works without installing

import mkdocs_offline  # noqa: E402

from gongkai.deploy.page import finish_page  # noqa: E402
from gongkai.guards import markup  # noqa: E402
from gongkai.load.loader import PROGRESS_MIN, PROGRESS_STEP  # noqa: E402
from gongkai.pipeline import load_site  # noqa: E402
from gongkai.problems import Problem, Problems, ValidationFailed  # noqa: E402
from gongkai.read.source import open_regular  # noqa: E402
from gongkai.render import background  # noqa: E402
from gongkai.render.outputs import LATE_NAMES, link_problems, render_detached, render_site  # noqa: E402
from gongkai.render.page_tags import meta_html, site_tags  # noqa: E402
from gongkai.render.pages import Origin, join_raw, split_raw  # noqa: E402
from gongkai.render.template_cache import CACHE as _TEMPLATE_CACHE  # noqa: E402
from gongkai.urls import gov_host_problem  # noqa: E402
from mkdocs_fast import parallel as mkdocs_parallel  # noqa: E402
from mkdocs_fast import shared_markdown as mkdocs_markdown  # noqa: E402
from mkdocs_fast import theme_shell as mkdocs_theme_shell  # noqa: E402
from mkdocs_preview.session import Session  # noqa: E402

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


_progress = _PageProgress()
#: src_uri -> the generated HTML islands of that page, spliced back in on_page_content
_islands: dict[str, dict[str, str]] = {}
#: src_uri -> the authors' text in that page, to name file and line when its HTML is refused
_origins: dict[str, Origin | None] = {}
#: what the sanitizer would change in the converted pages; the build stops before writing any
_refused: list[Problem] = []


def _build_date() -> dt.date | None:
    value = os.environ.get("GONGKAI_BUILD_DATE")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PluginError(f"GONGKAI_BUILD_DATE 应为 YYYY-MM-DD，而不是“{value}”") from None


_parallel = False  # only `mkdocs build` spreads pages over the cores
_job: background.FileJob | None = None  # the files written in a second process
#: drafts and unreviewed items are shown (with a banner): `mkdocs serve` and the preview
#: server only; `mkdocs build`, the publish, never
_preview = False
#: set by the preview server (hooks/mkdocs_preview): what the first build made, kept so
#: that later saves rebuild only what they change
_session: Session | None = None


def on_startup(command, dirty):
    global _parallel, _preview
    _parallel = command == "build" and not dirty
    _preview = command == "serve"


def on_config(config):
    _refuse_output_in_sources(config)
    if not config.use_directory_urls:
        raise PluginError("gongkai 需要 use_directory_urls: true（条目网址形如 items/机构代码/年份-序号/）")
    if not config.site_url:
        raise PluginError("mkdocs.yml 缺少 site_url：订阅源（feed.xml）和 sitemap.xml 需要网站的绝对网址")
    problem = gov_host_problem(config.site_url)
    if problem is not None:
        log.warning(f"mkdocs.yml: {problem}")
    # gongkai writes sitemap.xml itself (public pages only, real <lastmod> dates); without this
    # MkDocs would overwrite it with its own and add sitemap.xml.gz
    config.theme.static_templates.discard("sitemap.xml")
    return config


def on_files(files: Files, config) -> Files:
    global _job
    root = Path(config.config_file_path).parent
    problems = Problems()
    session = _session
    try:
        site = load_site(root, _build_date(), problems, progress=lambda text: log.info(f"gongkai: {text}"),
                         judge_markup=False,  # on_page_content judges what MkDocs converts
                         preview=_preview, cache=session.cache if session is not None else None)
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
    settings = site.settings
    config.extra["gongkai"] = {
        "owner": settings.owner, "address": settings.address, "phone": settings.phone,
        "email": settings.email, "site_code": settings.site_code, "icp": settings.icp,
        "police_record": settings.police_record, "police_record_url": settings.police_record_url,
        "conac_url": settings.conac_url, "error_report_url": settings.error_report_url,
        # pages gongkai did not write (the theme's 404 page) still say which site they belong to
        "site_tags": meta_html(site_tags(settings, config.site_url)),
    }
    docs_dir = os.path.abspath(config.docs_dir)
    # files no page reads (search index, exports, feeds) are written by a second process meanwhile
    detach = _parallel and background.available()
    outputs = render_site(site, config.site_url, detach=detach or session is not None,
                          memo=session.memo if session is not None else None)
    broken = link_problems(site, outputs)
    if broken:  # in Chinese on the source line, before MkDocs says it in English on a generated page
        _refuse_with_everything(root, site, broken)
    gc.freeze()
    if session is not None:
        session.record(site, outputs)
        if background.available():
            _job = background.FileJob(lambda: render_detached(site, config.site_url, outputs.pages),
                                      Path(config.site_dir), skip_same=True)
        else:  # no fork (Windows): write them now
            names: list[str] = []
            background.write_files(render_detached(site, config.site_url, outputs.pages),
                                   Path(config.site_dir), True, names)
            session.detached = set(names)
    elif detach:
        _job = background.FileJob(lambda: render_detached(site, config.site_url, outputs.pages),
                                  Path(config.site_dir))
    generated = {p.src_uri for p in outputs.pages} | {f.src_uri for f in outputs.files} | LATE_NAMES
    # theme files of the same name (the theme ships a sitemap.xml template) give way to ours
    theme = _theme_dirs(config)
    kept = [f for f in files if not (f.abs_src_path or "").startswith(docs_dir + os.sep)
            and f.src_uri not in generated
            and not mkdocs_offline.unused(f.src_uri, (f.abs_src_path or "").startswith(theme))]
    out = Files(kept)
    _progress.start(len(outputs.pages))
    if len(site.items) >= PROGRESS_MIN:
        log.info(f"gongkai: {len(site.items)} 个条目（{len(site.public_items)} 个公开），"
                 f"生成 {len(outputs.pages)} 个页面、{len(outputs.files)} 个文件")
    _islands.clear()
    _origins.clear()
    _refused.clear()
    for page in outputs.pages:
        out.append(File.generated(config, page.src_uri, content=stash(page)))
    for static in outputs.files:
        if static.content is not None:
            out.append(File.generated(config, static.src_uri, content=static.content))
        else:
            out.append(_Attachment.generated(config, static.src_uri, abs_src_path=str(root / static.source)))
    return out


class _Attachment(File):
    """An attachment, copied without following a link (MkDocs' copy would follow one)."""

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        try:
            fd = open_regular(self.abs_src_path)
        except OSError as exc:
            raise PluginError(f"附件 {self.src_uri} 不是 content/ 中的普通文件，未复制：{exc}") from None
        dest = self.abs_dest_path
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if os.path.lexists(dest):
            os.unlink(dest)  # a link left in the output must not redirect the write either
        out = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        with os.fdopen(fd, "rb") as source, os.fdopen(out, "wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)


def _refuse_with_everything(root: Path, site, broken: list[Problem]) -> None:
    """Stop on broken links, but in one round with every other error: the pages' HTML is
    judged only as MkDocs converts them, which this stop comes before, so the site is
    checked once more as ``gongkai check`` checks it (only on this failure path)."""
    problems = Problems()
    try:
        load_site(root, site.build_date, problems, preview=_preview)
    except ValidationFailed:
        pass
    errors = {p.format(): p for p in problems.sorted() if p.severity == "error"}
    for problem in broken:
        errors.setdefault(problem.format(), problem)
    for problem in sorted(errors.values(), key=lambda p: (p.file, p.line or 0)):
        log.error(problem.format())
    raise PluginError(f"内容校验未通过：{len(errors)} 个问题，见上方列表。网站未生成。")


def stash(page) -> str:
    """A page's Markdown for MkDocs, its generated HTML kept aside for ``on_page_content``."""
    markdown, islands = split_raw(page.markdown, str(len(_islands)))
    _origins[page.src_uri] = page.origin
    if islands:
        _islands[page.src_uri] = islands
    else:
        _islands.pop(page.src_uri, None)
    return markdown


def forget(src_uri: str) -> None:
    _islands.pop(src_uri, None)
    _origins.pop(src_uri, None)


def adopt(page) -> None:
    """After a preview converted a page again: frame it by its (possibly new) shape."""
    if _shells is not None:
        _shells.keys.pop(id(page), None)
        _shells.adopt(page)


_in_nav: set[int] = set()  # id() of the pages in the navigation: they are themed as usual
_shells: mkdocs_theme_shell.Shells | None = None
_markdown: mkdocs_markdown.SharedMarkdown | None = None


def on_nav(nav, config, files):
    global _markdown
    _markdown = mkdocs_markdown.SharedMarkdown(config) if mkdocs_markdown.enabled() else None
    _in_nav.clear()
    _in_nav.update(id(page) for page in nav.pages)
    if _session is not None:
        _session.nav, _session.mkdocs_files = nav, files
    if _parallel:
        mkdocs_parallel.prerender_markdown(nav, config, files, lambda file: True,
                                           _markdown.attach if _markdown is not None else None)
    return nav


def on_env(env, config, files):
    global _shells
    if _refused:  # every page is converted by now and none written yet
        for problem in _refused:
            log.error(problem.format())
        raise PluginError(f"内容校验未通过：{len(_refused)} 处 HTML 不能发布，见上方列表。网站未生成。")
    # `mkdocs serve` rebuilds with a fresh theme environment each time; reuse compiled templates
    env.bytecode_cache = _TEMPLATE_CACHE
    _shells = None
    if mkdocs_theme_shell.enabled():
        env.loader = jinja2.ChoiceLoader(
            [jinja2.DictLoader({mkdocs_theme_shell.STUB_TEMPLATE: "{{ gongkai_html }}"}), env.loader])
        _shells = mkdocs_theme_shell.Shells(env, _in_nav)
        for file in files.documentation_pages():
            if file.page is not None:
                _shells.adopt(file.page)
    if _session is not None:
        _session.env = env
    return env


def on_page_context(context, page, config, nav):
    if _shells is not None and page.meta.get("template") == mkdocs_theme_shell.STUB_TEMPLATE:
        context["gongkai_html"] = _shells.html(context, page)
    return context


def _theme_dirs(config) -> tuple[str, ...]:
    # Material's own folder only: a file of that name in overrides/ is the site's own
    custom = config.theme.custom_dir
    return tuple(d + os.sep for d in config.theme.dirs if d != custom)


def on_post_build(config):
    global _job
    gc.unfreeze()
    mkdocs_offline.rewrite_bundle(config.site_dir, config.site_url)
    if _job is not None:
        job, _job = _job, None
        try:
            written = job.wait()
            if _session is not None:
                _session.detached = set(written[1])
        except RuntimeError as exc:
            raise PluginError(f"搜索索引、开放数据和订阅源未能生成：\n{exc}") from None
    if _shells is not None:
        log.debug(f"gongkai: 页面外框 {len(_shells.frames)} 种，{_shells.stats}")
    mkdocs_parallel.finish()


def on_build_error(error):
    global _job
    gc.unfreeze()
    if _job is not None:
        _job.cancel()
        _job = None
    mkdocs_parallel.finish()


def on_pre_page(page, config, files):
    # a page converted ahead by the parallel build already has its own render
    if _markdown is not None and "render" not in vars(page):
        _markdown.attach(page)
    return page


def on_page_content(html: str, page, config, files) -> str:
    _progress.step("已转换")
    if not _judge(html, page.file.src_uri):
        return html  # refused: on_env stops the build with every page's problems
    islands = _islands.get(page.file.src_uri)
    if islands:
        try:
            html = join_raw(html, islands)
        except ValueError as exc:
            raise PluginError(f"{page.file.src_uri}: {exc}") from None
    if _session is None:
        # a one-shot build converts each page once: its Markdown (a copy of the file's text),
        # its islands and the author text kept to name a refused line are done with; at 100,000
        # items they would be gigabytes kept until the build ends
        page.markdown = None
        forget(page.file.src_uri)
    return html


def on_post_page(output: str, page, config) -> str:
    _progress.step("已生成")
    return finish_page(output, config.site_dir)


def on_post_template(output_content: str, template_name: str, config) -> str:
    return finish_page(output_content, config.site_dir)  # the theme's 404.html


_PLACEHOLDER = re.compile(r"<p>gkraw\d+x\d+</p>")


def _judge(html: str, src_uri: str) -> bool:
    """Judge the HTML Markdown made of a page (before our generated islands go back in):
    all of it comes from authors' text, so the sanitizer may change nothing in it."""
    changes = [c for segment in _PLACEHOLDER.split(html) if segment.strip() for c in markup.judge(segment)]
    if not changes:
        return True
    origin = _origins.get(src_uri)
    if origin is None or not origin.parts:
        _refused.extend(Problem(f"（生成的页面 {src_uri}）", None, None, c.message) for c in changes)
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
    _refused.extend(Problem(origin.file, line, "正文", c.message) for c, line in zip(changes, lines, strict=False))
    return False


def _refuse_output_in_sources(config) -> None:
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
