"""Listing pages: per category, agency, year and 主题分类, and the 规范性文件 library.

Every list is newest first and paginated statically (``base/``, ``base/page/2/`` …),
``items_per_page`` from catalog/site.yml; each published item appears exactly
once in every list it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from gongkai.model import Item, Site
from gongkai.render import page_tags
from gongkai.render.pages import Page, Renderer, StaticFile, category_trail, library_items, src_of
from gongkai.render.paging import Pager, paginate
from gongkai.schema.catalog import Agency

CATALOGUE = ("catalogue/", "法定主动公开内容")


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of a directory page (agencies, years, themes)."""

    url: str | None  # None: nothing published, so no page to link to
    label: str
    count: int
    note: str = ""


def contribute(site: Site, renderer: Renderer) -> Iterable[Page | StaticFile]:
    yield from category_pages(site, renderer)
    yield from agency_pages(site, renderer)
    yield from year_pages(site, renderer)
    yield from topic_pages(site, renderer)
    yield from library_pages(site, renderer)


def _pages_of(renderer: Renderer, items: Sequence[Item], base: str) -> list[Pager[Item]]:
    return paginate(items, renderer.site.settings.items_per_page, base)


def _title(name: str, pager: Pager) -> str:
    return name if pager.number == 1 else f"{name}（第 {pager.number} 页）"


# --- 基本目录 -------------------------------------------------------------------------------

def category_pages(site: Site, renderer: Renderer) -> Iterable[Page]:
    for category in site.category_by_code.values():
        for pager in _pages_of(renderer, site.items_in(category), category.url):
            yield renderer.render("category.md.j2", src_of(pager.url), _title(category.name, pager),
                                  tags=page_tags.category_tags(category), category=category, pager=pager,
                                  trail=category_trail(category))


# --- 按发布机构 -----------------------------------------------------------------------------

def agency_url(slug: str) -> str:
    return f"agency/{slug}/"


def agency_pages(site: Site, renderer: Renderer) -> Iterable[Page | StaticFile]:
    by_agency: dict[str, list[Item]] = {a.code: [] for a in site.agencies}
    for item in site.public_items:
        by_agency[item.agency.code].append(item)
    entries = [Entry(agency_url(a.slug), a.name, len(by_agency[a.code])) for a in site.agencies]
    yield renderer.render("directory.md.j2", "agency/index.md", "按发布机构浏览",
                          trail=[CATALOGUE], entries=entries, unit="条",
                          intro="本站信息由以下机关发布。每个机关的页面列出其职能、联系方式和已公开的全部信息。")
    for agency in site.agencies:
        photo = head_photo_url(agency)
        if photo is not None:
            yield StaticFile(photo, source=agency.head_photo)
        head = _head(agency, photo)
        details = [(label, value) for label, value in (
            ("机构职能", agency.functions), ("负责人", None if head else agency.head), ("办公地址", agency.address),
            ("办公时间", agency.hours), ("联系电话", agency.phone), ("传真", agency.fax),
            ("电子邮箱", agency.email), ("邮政编码", agency.postcode), ("机构代码", agency.code)) if value]
        for pager in _pages_of(renderer, by_agency[agency.code], agency_url(agency.slug)):
            yield renderer.render(
                "listing.md.j2", src_of(pager.url), _title(agency.name, pager), heading=agency.name,
                trail=[CATALOGUE, ("agency/", "按发布机构")], details=details, head=head, filters=[],
                pager=pager, empty_text="该机关暂无公开信息。")


def head_photo_url(agency: Agency) -> str | None:
    """Where the head's photo is published: beside the agency's page, under a fixed name."""
    if agency.head_photo is None:
        return None
    return agency_url(agency.slug) + "head" + PurePosixPath(agency.head_photo).suffix.lower()


def _head(agency: Agency, photo: str | None) -> dict | None:
    """The 领导信息 block the 指引 asks for: name, photo, résumé, duties."""
    if agency.head is None:
        return None
    return {"name": agency.head, "title": agency.head_title, "photo": photo,
            "resume": agency.head_resume, "duties": agency.head_duties}


# --- 按年份 ---------------------------------------------------------------------------------

def year_url(year: int) -> str:
    return f"year/{year}/"


def year_pages(site: Site, renderer: Renderer) -> Iterable[Page]:
    by_year: dict[int, list[Item]] = {}
    for item in site.public_items:
        by_year.setdefault(item.year, []).append(item)
    years = sorted(by_year, reverse=True)
    entries = [Entry(year_url(y), f"{y} 年", len(by_year[y])) for y in years]
    yield renderer.render("directory.md.j2", "year/index.md", "按年份浏览", trail=[CATALOGUE],
                          entries=entries, unit="条", intro="按发布日期所在年份浏览已公开的政府信息。")
    for year in years:
        for pager in _pages_of(renderer, by_year[year], year_url(year)):
            yield renderer.render(
                "listing.md.j2", src_of(pager.url), _title(f"{year} 年公开的政府信息", pager),
                heading=f"{year} 年公开的政府信息", trail=[CATALOGUE, ("year/", "按年份")],
                details=[], filters=[], pager=pager, empty_text="")


# --- 按主题分类 -----------------------------------------------------------------------------

def topic_url(site: Site, theme: str) -> str:
    """Themes are Chinese phrases; the URL uses their fixed position in the 22-theme list."""
    return f"topic/{list(site.topics).index(theme) + 1:02d}/"


def topic_pages(site: Site, renderer: Renderer) -> Iterable[Page]:
    by_theme: dict[str, list[Item]] = {t: [] for t in site.topics}
    untagged = 0
    for item in site.public_items:
        theme = site.topic_of(item)
        if theme is None:
            untagged += 1
        else:
            by_theme[theme].append(item)
    entries = [Entry(topic_url(site, t) if by_theme[t] else None, t, len(by_theme[t]))
               for t in site.topics]
    note = f"另有 {untagged} 条信息未标注主题分类。" if untagged else ""
    yield renderer.render("directory.md.j2", "topic/index.md", "按主题分类浏览", trail=[CATALOGUE],
                          entries=entries, unit="条",
                          intro="按国务院政府网站 22 类主题分类浏览。" + note)
    for theme, items in by_theme.items():
        if not items:
            continue
        seconds = sorted({t.partition("\\")[2] for t in (i.topic for i in items) if t and "\\" in t})
        details = [("二级主题", "、".join(seconds))] if seconds else []
        for pager in _pages_of(renderer, items, topic_url(site, theme)):
            yield renderer.render(
                "listing.md.j2", src_of(pager.url), _title(f"主题分类：{theme}", pager),
                heading=f"主题分类：{theme}", trail=[CATALOGUE, ("topic/", "按主题分类")],
                details=details, filters=[], pager=pager, empty_text="")


# --- 规范性文件库 ---------------------------------------------------------------------------

#: (url, label, keep) — the library's static filters
LIBRARY_VIEWS = (
    ("library/", "全部", lambda i: True),
    ("library/in-force/", "现行有效", lambda i: i.in_force),
    ("library/not-in-force/", "已失效、废止或修订", lambda i: not i.in_force),
)


def library_pages(site: Site, renderer: Renderer) -> Iterable[Page]:
    everything = library_items(site)
    views = [(url, label, [i for i in everything if keep(i)]) for url, label, keep in LIBRARY_VIEWS]
    rows = [c.name for c in site.category_by_code.values() if c.report_row is not None]
    details = [("收录范围", "、".join(rows)),
               ("说明", "规章和行政规范性文件按有效性筛选。已失效、废止或修订的文件保留原文供查阅，"
                        "页面上注明现行文件。")]
    for url, label, items in views:
        filters = [(u, lab, len(its), u == url) for u, lab, its in views]
        heading = "规范性文件库" if url == "library/" else f"规范性文件库：{label}"
        trail = [CATALOGUE] + ([] if url == "library/" else [("library/", "规范性文件库")])
        for pager in _pages_of(renderer, items, url):
            yield renderer.render(
                "listing.md.j2", src_of(pager.url), _title(heading, pager), heading=heading,
                trail=trail, details=details, filters=filters, pager=pager,
                empty_text="没有符合条件的文件。")
