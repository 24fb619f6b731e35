"""Render the model into pages: Markdown with embedded HTML, one per URL.

The generator (MkDocs today) turns each ``Page`` into HTML inside the site's
theme; nothing here knows which generator that is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

import jinja2

from .model import Category, Item, Site
from .urls import relative


@dataclass(frozen=True, slots=True)
class Page:
    src_uri: str  # e.g. "items/002501001/2024-00012/index.md"
    title: str
    markdown: str

    @property
    def url(self) -> str:
        return page_url(self.src_uri)


@dataclass(frozen=True, slots=True)
class StaticFile:
    """A file copied or written as is: an attachment, a feed, a data export."""

    src_uri: str  # where it appears in the built site
    source: str | None = None  # path relative to the repository root, or
    content: bytes | None = None  # the bytes to write


def page_url(src_uri: str) -> str:
    """Directory-style URL of a Markdown source path."""
    stem = src_uri[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def src_of(url: str) -> str:
    """``x/`` -> ``x/index.md``: MkDocs then resolves a body's relative links from
    the page's own folder, exactly as the browser does (see links.py)."""
    return url + "index.md"


_env = jinja2.Environment(
    loader=jinja2.PackageLoader("gongkai", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
_env.filters["date"] = lambda d: d.isoformat() if d else ""


class Renderer:
    """Renders every page of a site; holds what pages share, computed once."""

    def __init__(self, site: Site):
        self.site = site

    @cached_property
    def counts(self) -> dict[str, int]:
        return {c.code: len(self.site.items_in(c)) for c in self.site.category_by_code.values()}

    def render(self, template: str, src_uri: str, title: str, **context) -> Page:
        url = page_url(src_uri)
        link: Callable[[str], str] = lambda target: relative(target, url)
        body = _env.get_template(template).render(
            site=self.site, settings=self.site.settings, link=link, title=title,
            counts=self.counts, page_url=url, **context)
        header = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n\n"
        return Page(src_uri, title, header + body)

    def pages(self) -> list[Page]:
        pages = [self.home(), self.catalogue_home()]
        pages += [self.category(c) for c in self.site.category_by_code.values()]
        pages += [self.item(i) for i in self.site.public_items]
        return pages

    def static_files(self) -> list[StaticFile]:
        return [StaticFile(item.url + a.file, source=a.source)
                for item in self.site.public_items for a in item.attachments]

    def home(self) -> Page:
        return self.render("home.md.j2", "index.md", self.site.settings.title,
                           latest=self.site.public_items[:10])

    def catalogue_home(self) -> Page:
        return self.render("catalogue.md.j2", "catalogue/index.md", "法定主动公开内容")

    def category(self, category: Category) -> Page:
        return self.render("category.md.j2", src_of(category.url), category.name,
                           category=category, items=self.site.items_in(category),
                           trail=_trail(category))

    def item(self, item: Item) -> Page:
        site = self.site
        return self.render(
            "item.md.j2", src_of(item.url), item.title, item=item, trail=_trail(item.category),
            interprets=site.by_id.get(item.interprets or ""),
            interpretations=site.interpretations.get(item.id, []),
            superseded_by=site.by_id.get(item.superseded_by or ""),
            replaces=site.replaces.get(item.id, []),
        )


def _trail(category: Category) -> list[tuple[str, str]]:
    """Breadcrumb links above a category: the catalogue home, then its ancestors."""
    return [("catalogue/", "法定主动公开内容")] + [(c.url, c.name) for c in category.ancestors]
