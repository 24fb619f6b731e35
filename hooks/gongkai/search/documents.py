"""What the search index holds: public items, the site's own pages, and the
text of public items' attachments, each as one ``Doc``.

Only ``Site.public_items`` and what they link are ever read here, so drafts,
embargoed or unreviewed items, their attachments and register rows cannot
reach the index. Pages (指南, 制度, 依申请公开, 年报, 统计, 目录) are rendered
by the render layer, which hands their plain text in as ``PageDoc``s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gongkai.model import Item, Site
from gongkai.search.attachments import attachment_text
from gongkai.text import plain_text

ATTACHMENT_KIND = "附件"


@dataclass(frozen=True, slots=True)
class PageDoc:
    """A page of the site as the render layer saw it."""

    url: str
    title: str
    kind: str  # what a result says it is: 年报, 公开指南 …
    text: str  # plain text
    date: str = ""  # ISO date, when the page has one
    names: tuple[str, ...] = ()  # a category page's own name, so 行政许可 finds it


@dataclass(frozen=True, slots=True)
class Doc:
    title: str
    number: str  # 发文字号
    id: str  # 索引号 ("" for pages)
    url: str
    agency: str  # agency name ("" for pages)
    date: str
    status: str
    summary: str
    body: str
    kind: str
    parent: str  # for an attachment: the title of its item
    keywords: tuple[str, ...]
    names: tuple[str, ...]  # exact name tokens: agency, category path, topic
    # facet attributes, indices resolved in index.py ("" when the document has none)
    agency_code: str = ""
    category_code: str = ""
    topic: str = ""


def item_kind(item: Item) -> str:
    """The top-level catalogue category: 政策文件, 行政许可, 财政预决算 …"""
    return (item.category.ancestors or [item.category])[0].name


def _item_names(site: Site, item: Item) -> tuple[str, ...]:
    names = [item.agency.name, *(c.name for c in item.category.ancestors), item.category.name]
    topic = site.topic_of(item)
    if topic:
        names.append(topic)
    return tuple(names)


def item_doc(site: Site, item: Item) -> Doc:
    return Doc(item.title, item.doc_number or "", item.id, item.url, item.agency.name,
               item.published.isoformat(), item.status, item.summary, plain_text(item.body),
               item_kind(item), "", item.keywords, _item_names(site, item),
               item.agency.code, item.category.code, site.topic_of(item) or "")


def attachment_docs(site: Site, item: Item) -> Iterator[Doc]:
    for a in item.attachments:
        text = attachment_text(site.root / a.source, a.kind) if site.root is not None else ""
        yield Doc(a.title or a.file, "", "", item.url + a.file, item.agency.name, item.published.isoformat(),
                  item.status, "", " ".join(text.split()), ATTACHMENT_KIND, item.title, (), (item.agency.name,),
                  item.agency.code, item.category.code, site.topic_of(item) or "")


#: a page of these kinds holds its kind as a keyword, so 年报 or 指南 finds the reports and the
#: guide by what they are, above pages that merely mention the word (目录: every category is one)
KIND_KEYWORDS = ("年报", "公开指南", "公开制度", "依申请公开", "统计")


_YEAR = re.compile(r"(\d{4})年")


def page_doc(page: PageDoc) -> Doc:
    keywords: tuple[str, ...] = (page.kind,) if page.kind in KIND_KEYWORDS else ()
    year = _YEAR.search(page.title)
    if year and page.kind == "年报":  # what a year's report is called by those who look for it
        keywords += (f"{year.group(1)}年年报", f"{year.group(1)}年政府信息公开年报")
    return Doc(page.title, "", "", page.url, "", page.date, "", "", page.text, page.kind, "", keywords, page.names)


def documents(site: Site, pages: Iterable[PageDoc] = ()) -> list[Doc]:
    """Items newest first (so "by date" is "by number"), then pages, then attachments."""
    items = site.public_items
    docs = [item_doc(site, i) for i in items]
    docs += [page_doc(p) for p in pages]
    for item in items:
        docs.extend(attachment_docs(site, item))
    return docs
