"""sitemap.xml (sitemaps.org 0.9) and the human 网站地图 page.

Both run after every other contributor, over the pages actually produced, so
a page added by any module is listed and nothing else is: every ``Page`` is
public by construction (renderers only see ``Site.public_items``). MkDocs' own
sitemap.xml is switched off by the adapter; ours carries real <lastmod> dates
(an item's 发布日期) instead of the build time on every URL.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gongkai.model import Site
from gongkai.render import page_tags
from gongkai.render.feeds import updated_on
from gongkai.render.pages import FileAt, Page, PageAt, Renderer, StaticFile, Target

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000  # per sitemap file (sitemaps.org protocol)
MAP_PAGE = "sitemap/index.md"
_PAGED = re.compile(r"/page/\d+/$")


def lastmod_dates(site: Site) -> dict[str, dt.date]:
    """URL -> date of its newest content, where a page has one."""
    out: dict[str, dt.date] = {}
    for item in site.public_items:
        out[item.url] = updated_on(item, site.build_date)
    for category in site.category_by_code.values():
        items = site.items_in(category)
        if items:
            out[category.url] = max(out[i.url] for i in items)
    return out


def _urlset(urls: list[tuple[str, dt.date | None]]) -> bytes:
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}urlset")
    for loc, lastmod in urls:
        url = ET.SubElement(root, f"{{{NS}}}url")
        ET.SubElement(url, f"{{{NS}}}loc").text = loc
        if lastmod is not None:
            ET.SubElement(url, f"{{{NS}}}lastmod").text = lastmod.isoformat()
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8",
                                                                      xml_declaration=False)


def _index(locs: list[str]) -> bytes:
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}sitemapindex")
    for loc in locs:
        ET.SubElement(ET.SubElement(root, f"{{{NS}}}sitemap"), f"{{{NS}}}loc").text = loc
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8",
                                                                      xml_declaration=False)


def sitemap_names(urls: int) -> list[str]:
    """The sitemap files of a site of ``urls`` pages, the one a crawler is given last."""
    if urls <= MAX_URLS:
        return ["sitemap.xml"]
    return [f"sitemap-{n}.xml" for n in range(1, -(-urls // MAX_URLS) + 1)] + ["sitemap.xml"]


def sitemap_files(site: Site, renderer: Renderer, page_urls: list[str]) -> list[StaticFile]:
    dates = lastmod_dates(site)
    urls = [(renderer.absolute(u), dates.get(u)) for u in page_urls]
    *parts, top = sitemap_names(len(urls))
    if not parts:
        return [StaticFile(top, content=_urlset(urls))]
    files = [StaticFile(name, content=_urlset(urls[n * MAX_URLS:(n + 1) * MAX_URLS]))
             for n, name in enumerate(parts)]
    return files + [StaticFile(top, content=_index([renderer.absolute(f.src_uri) for f in files]))]


@dataclass(frozen=True, slots=True)
class MapLink:
    url: str
    label: str
    children: tuple[MapLink, ...] = ()


def _is_item_or_paged(url: str) -> bool:
    return url.startswith("items/") or bool(_PAGED.search(url))


def map_sections(site: Site, pages: list[Page]) -> list[tuple[str, list[MapLink]]]:
    """The human map: the column's structure, then any other page by its title."""
    titles = {p.url: p.title for p in pages}

    def link(url: str, children: Iterable[MapLink] = ()) -> list[MapLink]:
        return [MapLink(url, titles[url], tuple(children))] if url in titles else []

    def tree(category) -> MapLink:
        return MapLink(category.url, category.name, tuple(tree(c) for c in category.children))

    def under(prefix: str) -> list[MapLink]:
        return [MapLink(u, t) for u, t in titles.items()
                if u.startswith(prefix) and u != prefix and not _is_item_or_paged(u)]

    column = (link("") + link("guide/") + link("rules/", under("rules/"))
              + link("catalogue/", [tree(c) for c in site.categories]) + link("annual/", under("annual/"))
              + link("apply/"))
    browse = (link("agency/", under("agency/")) + link("year/", under("year/"))
              + link("topic/", under("topic/")) + link("library/", under("library/")))
    listed = {"", "sitemap/"}

    def collect(links: Iterable[MapLink]) -> None:
        for m in links:
            listed.add(m.url)
            collect(m.children)

    collect(column + browse)
    others = [MapLink(u, t) for u, t in titles.items()
              if u not in listed and not _is_item_or_paged(u)]
    sections = [("政府信息公开专栏", column), ("浏览方式", browse)]
    if others:
        sections.append(("其他页面", others))
    return sections


def finish_targets(site: Site, page_urls: list[str]) -> Iterator[Target]:
    yield PageAt(MAP_PAGE)


def file_targets(site: Site, page_urls: list[str]) -> Iterator[Target]:
    """What ``files`` writes over these pages."""
    for name in sitemap_names(len(page_urls)):
        yield FileAt(name)


def finish(site: Site, renderer: Renderer, pages: list[Page]) -> Iterable[Page | StaticFile]:
    """The human map, once every other page exists."""
    yield renderer.render(
        "sitemap.md.j2", MAP_PAGE, "网站地图",
        tags=page_tags.column_tags("网站地图", "本站全部栏目和页面", ["网站地图"], page_tags.OTHER),
        sections=map_sections(site, pages))


def files(site: Site, renderer: Renderer, pages: list[Page]) -> Iterable[StaticFile]:
    """sitemap.xml over every page, the map included (no page reads it: it can be written
    in the background)."""
    urls = [p.url for p in pages]
    urls.sort(key=lambda u: u != "")  # the home page first; the rest in the order produced
    yield from sitemap_files(site, renderer, urls)
