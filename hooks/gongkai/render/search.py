"""The search page and the search index files, as render outputs."""

from __future__ import annotations

from typing import Iterable

from gongkai.model import Site
from gongkai.render import page_tags
from gongkai.render.pages import Page, Renderer, StaticFile
from gongkai.search.index import build_index


def index_files(site: Site, renderer: Renderer) -> Iterable[StaticFile]:
    """The index files (an output contributor that no page depends on)."""
    for path, content in build_index(site).files.items():
        yield StaticFile(path, content=content)


def search_page(site: Site, renderer: Renderer) -> Iterable[Page]:
    """The search page (an output contributor)."""
    page = renderer.render("search.md.j2", "search/index.md", "站内搜索",
        tags=page_tags.column_tags("站内搜索", "搜索本站公开的政府信息", ["站内搜索"], page_tags.OTHER),
                           index_url="idx/", documents=len(site.public_items))
    # results and facets need the width Material gives its navigation and TOC
    yield Page(page.src_uri, page.title, page.markdown.replace("---\n", "---\nhide: [navigation, toc]\n", 1))
