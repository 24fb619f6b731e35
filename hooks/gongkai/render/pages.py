"""Render the model into pages: Markdown with embedded HTML, one per URL.

The generator (MkDocs today) turns each ``Page`` into HTML inside the site's
theme; nothing here knows which generator that is.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import jinja2
from markupsafe import Markup, escape

from gongkai.model import Category, Item, Site
from gongkai.render import page_tags
from gongkai.render.memo import MEMO_TEMPLATES, PageMemo
from gongkai.urls import relative


@dataclass(frozen=True, slots=True)
class Origin:
    """The authors' Markdown a page includes: a generator that judges the converted page
    (``guards.markup``) names this file and finds the line in these parts."""

    file: str  # relative to the repository root
    parts: tuple[tuple[int, str], ...]  # (line of the part's first line in the file, its text)


@dataclass(frozen=True, slots=True)
class Page:
    src_uri: str  # e.g. "items/002501001/2024-00012/index.md"
    title: str
    markdown: str
    origin: Origin | None = None  # None: generated from the model only

    @property
    def url(self) -> str:
        return page_url(self.src_uri)


@dataclass(frozen=True, slots=True)
class StaticFile:
    """A file copied or written as is: an attachment, a feed, a data export."""

    src_uri: str  # where it appears in the built site
    source: str | None = None  # path relative to the repository root, or
    content: bytes | None = None  # the bytes to write


class PageAt(NamedTuple):
    """A page a contributor will produce, declared from the model alone (nothing rendered):
    ``outputs.site_targets`` learns every link target from these."""

    src_uri: str

    @property
    def url(self) -> str:
        return page_url(self.src_uri)


class FileAt(NamedTuple):
    """A file a contributor will produce (where it appears in the built site), declared."""

    src_uri: str


#: one declared output
Target = PageAt | FileAt


def page_url(src_uri: str) -> str:
    """Directory-style URL of a Markdown source path."""
    stem = src_uri[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def theme_text(text: str) -> str:
    """A title as HTML for the theme: Material prints page titles unescaped (its header,
    ``<title>``, navigation, the ``<h1>`` it adds), so a title with ``<`` is shown as text."""
    return html.escape(text, quote=True)


def src_of(url: str) -> str:
    """``x/`` -> ``x/index.md``: MkDocs then resolves a body's relative links from
    the page's own folder, exactly as the browser does (see links.py)."""
    return url + "index.md"


_env = jinja2.Environment(
    loader=jinja2.PackageLoader("gongkai.render", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
    # the templates ship inside the package and never change while it runs: without this,
    # every page's look-up of its template and of _macros.j2 asked the disk whether they had
    auto_reload=False,
)
_env.filters["date"] = lambda d: d.isoformat() if d else ""


@functools.lru_cache(maxsize=64)  # a handful of (in force, status) pairs per site
def status_badge(in_force: bool, status: str) -> Markup:
    """An item's 有效性 badge, as the item page and every listing row show it."""
    return Markup('<span class="gk-status gk-status--{}">{}</span>').format(
        "valid" if in_force else "invalid", status)


def _text(value: object) -> str:
    """``value`` as ``{{ value }}`` writes it: markupsafe's escaping of a plain string (the
    same five replacements, without a Markup object per field), ``escape`` for anything else."""
    if type(value) is str:
        return (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
                .replace("'", "&#39;").replace('"', "&#34;"))
    return str(escape(value))


def item_rows(items: Iterable[Item], link: Callable[[str], str]) -> Markup:
    """The rows of a listing table (``_macros.j2`` ``item_table``), each followed by a newline.

    Written here, not as a loop in the template: a listing row is rendered once per page
    that lists the item (every item sits in several listings), and Jinja's loop and macro
    call per row were most of rendering the listings. Escaped exactly as ``{{ }}`` does."""
    out = []
    for item in items:
        date = _text(item.published.isoformat() if item.published else "")
        out.append(f'<tr><td class="gk-id">{_text(item.id)}</td><td><a href="{_text(link(item.url))}">'
                   f'{_text(item.title)}</a></td><td>{_text(item.doc_number or "")}</td><td><time '
                   f'datetime="{date}">{date}</time></td><td>{status_badge(item.in_force, item.status)}'
                   f'</td></tr>\n')
    return Markup("".join(out))


def linker(url: str) -> Callable[[str], str]:
    """``relative(target, url)`` for the page at ``url``, with a shortcut for the common case:
    a listing links to every item it shows, each link worked out part by part before.

    A target that shares no first folder with the page, written plainly (no leading or
    doubled ``/``, no ``.`` anywhere), is reached by going up once per folder of the page:
    exactly what ``relative`` computes then. Anything else is asked of ``relative``."""
    start = [part for part in url.split("/") if part]
    if not url.endswith("/") or url.startswith("/") or "//" in url or not start or "." in start or ".." in start:
        return lambda target: relative(target, url)
    up, first = "../" * len(start), start[0]

    def link(target: str) -> str:
        if (target and "." not in target and "//" not in target and not target.startswith("/")
                and target.partition("/")[0] != first):
            return up + target
        return relative(target, url)

    return link


_env.globals.update(status_badge=lambda item: status_badge(item.in_force, item.status), item_rows=item_rows)


#: Generated HTML sits between these markers. It is final: a generator should splice it
#: into the page after converting the Markdown around it (``split_raw``), because parsing
#: our own HTML as Markdown was a third of the build (bench/README.md).
RAW_OPEN, RAW_CLOSE = "<!--gk-raw-->", "<!--/gk-raw-->"
_RAW = re.compile(re.escape(RAW_OPEN) + r"\n?(.*?)\n?" + re.escape(RAW_CLOSE), re.S)
#: templates that mix in Markdown written by people; every other template is pure HTML
MARKDOWN_TEMPLATES = frozenset({"item.md.j2", "rule.md.j2", "annual_report.md.j2", "audit.md.j2"})


def split_raw(markdown: str, page_key: str) -> tuple[str, dict[str, str]]:
    """Replace each raw-HTML island by a placeholder paragraph; return both.

    After conversion, ``<p>{placeholder}</p>`` is replaced by the island again.
    """
    islands: dict[str, str] = {}

    def stash(match: re.Match) -> str:
        key = f"gkraw{len(islands)}x{page_key}"
        islands[key] = match.group(1)
        return f"\n\n{key}\n\n"

    return _RAW.sub(stash, markdown), islands


def join_raw(html: str, islands: dict[str, str]) -> str:
    for key, island in islands.items():
        placeholder = f"<p>{key}</p>"
        if placeholder not in html:
            raise ValueError(f"generated HTML placeholder {key} was lost in Markdown conversion")
        html = html.replace(placeholder, island, 1)
    return html


class Renderer:
    """Renders every page of a site; holds what pages share, computed once."""

    def __init__(self, site: Site, site_url: str | None = None, memo: PageMemo | None = None):
        self.site = site
        #: the preview's pages of the last render, reused when their context is unchanged
        self.memo = memo
        #: the published site's absolute base URL (from the generator's config); feeds and the
        #: sitemap need it, pages never do (their links stay relative)
        self.site_url = site_url.rstrip("/") + "/" if site_url else None

    def absolute(self, url: str) -> str:
        """Absolute URL for feeds and sitemaps. Without a site URL (tooling that only lists
        what a build would write) it is root-relative; the MkDocs adapter refuses to build
        without ``site_url``, so a published feed always has absolute links."""
        return (self.site_url or "/") + url

    @cached_property
    def counts(self) -> dict[str, int]:
        return {c.code: len(self.site.items_in(c)) for c in self.site.category_by_code.values()}

    @cached_property
    def site_tags(self) -> page_tags.Tags:
        return page_tags.site_tags(self.site.settings, self.site_url)

    def render(self, template: str, src_uri: str, title: str,
               tags: page_tags.Tags | None = None, origin: Origin | None = None,
               **context) -> Page:
        """``tags``: the page's own tags after the site's; a column page named by its title
        when not given."""
        if self.memo is not None and template in MEMO_TEMPLATES:
            key = (template, title, self.site.settings,
                   self.counts if MEMO_TEMPLATES[template] else None, context, tags, origin)
            return self.memo.page(key, src_uri,
                                  lambda: self._render(template, src_uri, title, context, tags, origin))
        return self._render(template, src_uri, title, context, tags, origin)

    def _render(self, template: str, src_uri: str, title: str, context: dict,
                tags: page_tags.Tags | None = None, origin: Origin | None = None) -> Page:
        url = page_url(src_uri)
        link = linker(url)
        body = _env.get_template(template).render(
            site=self.site, settings=self.site.settings, link=link, title=title,
            counts=self.counts, page_url=url, **context)
        if template not in MARKDOWN_TEMPLATES:
            body = f"{RAW_OPEN}\n{body}\n{RAW_CLOSE}\n"
        if tags is None:
            tags = page_tags.column_tags(title, _COLUMN_TEXT.get(title), [title])
        meta = page_tags.meta_html(self.site_tags + tags)
        header = (f"---\ntitle: {json.dumps(theme_text(title), ensure_ascii=False)}\n"
                  f"gk_tags: {json.dumps(meta, ensure_ascii=False)}\n---\n\n")
        return Page(src_uri, title, header + body, origin)

    def pages(self) -> list[Page]:
        """The catalogue tree and the item pages; the column home and listings live in
        column.py and listings.py."""
        pages = [self.catalogue_home()]
        pages += [self.item(i) for i in self.site.public_items]
        return pages

    def static_files(self) -> list[StaticFile]:
        return [StaticFile(item.url + a.file, source=a.source)
                for item in self.site.public_items for a in item.attachments]

    def home(self, available: set[str]) -> Page:
        """``available``: URLs of every other page, so a sub-column not built yet is not linked."""
        return self.render("home.md.j2", "index.md", self.site.settings.title, tags=[],
                           latest=self.site.public_items[:10], sub_columns=SUB_COLUMNS, apply=APPLY,
                           library_count=len(library_items(self.site)), available=available)

    def catalogue_home(self) -> Page:
        return self.render("catalogue.md.j2", CATALOGUE_HOME, "法定主动公开内容")

    def item(self, item: Item) -> Page:
        site = self.site
        return self.render(
            "item.md.j2", src_of(item.url), item.title, tags=page_tags.article_tags(item),
            item=item, trail=category_trail(item.category),
            origin=Origin(item.source, ((item.body_line, item.body),)),
            interprets=site.by_id.get(item.interprets or ""),
            interpretations=site.interpretations.get(item.id, []),
            superseded_by=site.by_id.get(item.superseded_by or ""),
            replaces=site.replaces.get(item.id, []),
            notice=preview_notice(item, site.build_date),
        )


def core_targets(site: Site) -> Iterator[Target]:
    """What ``Renderer.pages`` and ``Renderer.static_files`` produce, without rendering."""
    yield PageAt(CATALOGUE_HOME)
    for item in site.public_items:
        yield PageAt(src_of(item.url))
    for item in site.public_items:
        for a in item.attachments:
            yield FileAt(item.url + a.file)


CATALOGUE_HOME = "catalogue/index.md"
#: the banner over an item only the preview shows (``Site.preview``)
PREVIEW_NOTICES = {"draft": "草稿，仅预览可见：发布的网站上没有此页",
                   "unreviewed": "未审查，仅预览可见：经保密审查同意公开后才会发布"}



def preview_notice(item: Item, today: dt.date) -> str | None:
    """The banner over an item only the preview shows; None for a published one."""
    visibility = item.visibility(today)
    if visibility == "embargoed":
        return f"定时发布：将于 {item.published.isoformat()} 发布，此前仅预览可见"
    return PREVIEW_NOTICES.get(visibility)


#: the disclosure column's four standard sub-columns and the 依申请公开 entry beside them
#: (domain.md §3); annual/ is rendered by the annual-report module
SUB_COLUMNS = (
    ("guide/", "政府信息公开指南", "公开范围、公开方式和依申请公开的办理程序"),
    ("rules/", "政府信息公开制度", "本机关政府信息公开工作的各项制度"),
    ("catalogue/", "法定主动公开内容", "按基本目录分类浏览主动公开的政府信息"),
    ("annual/", "政府信息公开年报", "历年政府信息公开工作年度报告、统计图表和开放数据"),
)
APPLY = ("apply/", "依申请公开", "申请公开政府信息的方式、所需材料和办理时限")
#: ColumnDescription of the standing columns
_COLUMN_TEXT = {name: text for _, name, text in SUB_COLUMNS + (APPLY,)}


def library_items(site: Site) -> list[Item]:
    """规章 and 行政规范性文件: the categories the annual report counts (report_row set)."""
    return [i for i in site.public_items if i.category.report_row is not None]


@functools.lru_cache(maxsize=4096)  # asked once per item page; categories are few
def category_trail(category: Category) -> list[tuple[str, str]]:
    """Breadcrumb links above a category: the catalogue home, then its ancestors."""
    return [("catalogue/", "法定主动公开内容")] + [(c.url, c.name) for c in category.ancestors]
