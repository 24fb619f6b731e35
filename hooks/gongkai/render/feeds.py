"""Atom feeds (RFC 4287): the newest items site-wide and per category.

Feed readers resolve nothing relative, so every link and id is absolute, built
from the site URL the generator's config supplies (``Renderer.site_url``).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence

from gongkai.model import Item, Site
from gongkai.render.pages import Renderer, StaticFile

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
CHINA = dt.timezone(dt.timedelta(hours=8))
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return _XML_ILLEGAL.sub("", value)


def _stamp(day: dt.date) -> str:
    """Dates are Beijing calendar days; Atom wants an instant."""
    return dt.datetime.combine(day, dt.time(), CHINA).isoformat()


def updated_on(item: Item, build_date: dt.date) -> dt.date:
    """A repeal that has taken effect is a change readers should see."""
    if item.repealed is not None and item.published < item.repealed <= build_date:
        return item.repealed
    return item.published


def atom(site: Site, renderer: Renderer, items: Sequence[Item], title: str, feed_path: str,
         html_path: str) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-CN"})

    def sub(parent, tag, text=None, **attrs):
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = _text(text)
        return el

    entries = list(items[:FEED_SIZE])
    newest = max((updated_on(i, site.build_date) for i in entries), default=site.build_date)
    sub(feed, "id", renderer.absolute(feed_path))
    sub(feed, "title", title)
    sub(feed, "updated", _stamp(newest))
    sub(feed, "link", rel="self", type="application/atom+xml", href=renderer.absolute(feed_path))
    sub(feed, "link", rel="alternate", type="text/html", href=renderer.absolute(html_path))
    author = sub(feed, "author")
    sub(author, "name", site.settings.owner)
    sub(feed, "generator", "gongkai")
    for item in entries:
        entry = sub(feed, "entry")
        sub(entry, "id", renderer.absolute(item.url))  # stable: the URL derives from the 索引号
        sub(entry, "title", item.title)
        sub(entry, "link", rel="alternate", type="text/html", href=renderer.absolute(item.url))
        sub(entry, "published", _stamp(item.published))
        sub(entry, "updated", _stamp(updated_on(item, site.build_date)))
        entry_author = sub(entry, "author")
        sub(entry_author, "name", item.agency.name)
        sub(entry, "category", term=item.category.code, label=item.category.name)
        summary = item.summary
        if item.doc_number:
            summary = f"{item.doc_number}　{summary}"
        if not item.in_force:
            summary = f"【{item.status}】{summary}"
        sub(entry, "summary", summary)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8",
                                                                      xml_declaration=False)


def contribute(site: Site, renderer: Renderer) -> Iterable[StaticFile]:
    yield StaticFile("feed.xml", content=atom(
        site, renderer, site.public_items, f"{site.settings.title}：最新公开", "feed.xml", ""))
    for category in site.category_by_code.values():
        path = category.url + "feed.xml"
        yield StaticFile(path, content=atom(
            site, renderer, site.items_in(category), f"{site.settings.title}：{category.name}",
            path, category.url))
