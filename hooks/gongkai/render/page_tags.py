"""The page tags (``<meta name=…>``) that monitoring crawlers read, by page type.

《政府网站发展指引》(国办发〔2017〕47号) asks every page to say which site it belongs to
(SiteName, SiteDomain, SiteIDCode), column pages which column (ColumnName,
ColumnDescription, ColumnKeywords, ColumnType), and document pages what the document is
(ArticleTitle, PubDate, ContentSource, Keywords, Description). Values come from the model
and are escaped here: a title may hold < & ".
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from markupsafe import escape

from gongkai.model import Category, Item
from gongkai.schema.catalog import SiteSettings

Tags = list[tuple[str, str]]
#: ColumnType of the disclosure column's pages, and of the site's service pages
DISCLOSURE = "信息公开"
OTHER = "其他"


def site_tags(settings: SiteSettings, site_url: str | None) -> Tags:
    tags = [("SiteName", settings.title)]
    host = urlsplit(site_url).hostname if site_url else None
    if host:
        tags.append(("SiteDomain", host))
    if settings.site_code:
        tags.append(("SiteIDCode", settings.site_code))
    return tags


def column_tags(name: str, description: str | None, keywords: list[str],
                kind: str = DISCLOSURE) -> Tags:
    return [("ColumnName", name), ("ColumnDescription", description or name),
            ("ColumnKeywords", ",".join(dict.fromkeys(keywords or [name]))), ("ColumnType", kind)]


def category_tags(category: Category) -> Tags:
    names = [category.name] + [c.name for c in reversed(category.ancestors)]
    return column_tags(category.name, category.description, names)


def article_tags(item: Item) -> Tags:
    return category_tags(item.category) + [
        ("ArticleTitle", item.title),
        ("PubDate", item.published.isoformat()),
        ("ContentSource", item.agency.name),
        ("Keywords", ",".join(item.keywords) or item.title),
        ("Description", item.summary or item.title),
    ]


def document_tags(column: str, title: str, published: dt.date | None, source: str) -> Tags:
    """A document page that is not an item (a 制度, a 年报): its column, then what it is."""
    tags = column_tags(column, None, [column]) + [("ArticleTitle", title)]
    if published is not None:
        tags.append(("PubDate", published.isoformat()))
    return tags + [("ContentSource", source), ("Keywords", column), ("Description", title)]


def meta_html(tags: Tags) -> str:
    """The tags as HTML, every value escaped (quotes included) and kept on one line."""
    return "\n".join(f'<meta name="{name}" content="{escape(" ".join(value.split()))}">'
                     for name, value in tags)
