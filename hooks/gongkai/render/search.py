"""The search page and the search index files, as render outputs.

The index covers the site's own pages too (指南, 制度, 依申请公开, 年报 and
统计, the catalogue's categories by name): they are rendered here once more,
to plain text, so a citizen typing 依申请 or 年度报告 lands on them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from gongkai.model import Site
from gongkai.render import column, page_tags
from gongkai.render.annual import annual_outputs
from gongkai.render.pages import SUB_COLUMNS, Page, PageAt, Renderer, StaticFile, Target
from gongkai.search.documents import PageDoc
from gongkai.text import plain_text

_TAG = re.compile(r"<[^>]*>")
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)


def page_text(page: Page) -> str:
    """A rendered page's words: front matter, scripts and tags dropped, entities decoded."""
    text = _FRONT.sub("", page.markdown, count=1)
    text = _SCRIPT.sub(" ", text)
    text = html.unescape(_TAG.sub(" ", text.replace("<!--gk-raw-->", "").replace("<!--/gk-raw-->", "")))
    return plain_text(text)


def _kind(url: str) -> str | None:
    if url == "guide/":
        return "公开指南"
    if url == "apply/":
        return "依申请公开"
    if url.startswith("rules/"):
        return "公开制度"
    if re.fullmatch(r"annual/(?:[a-z0-9-]+/)?\d{4}/statistics/", url):  # an agency's: annual/<slug>/…
        return "统计"
    if url.startswith("annual/"):
        return "年报"
    return None


def site_pages(site: Site, renderer: Renderer) -> Iterator[PageDoc]:
    """The pages a citizen may look for, other than items."""
    available = {url for url, _, _ in SUB_COLUMNS} | {"apply/"}
    rendered = [renderer.render("guide.md.j2", "guide/index.md", "政府信息公开指南",
                                categories=list(site.category_by_code.values()), available=available)]
    rendered += [p for p in column.contribute(site, renderer) if isinstance(p, Page)]  # not the form
    rendered += [p for p in annual_outputs(site, renderer) if isinstance(p, Page)]
    for page in rendered:
        kind = _kind(page.url)
        if kind:
            date = ""
            doc = next((d for d in site.rules if d.url == page.url), None)
            if doc is not None and doc.published:
                date = doc.published.isoformat()
            yield PageDoc(page.url, page.title, kind, page_text(page), date)
    for cat in site.category_by_code.values():
        path = " > ".join([c.name for c in cat.ancestors] + [cat.name])
        yield PageDoc(cat.url, cat.name, "目录", f"{path} {cat.description or ''} {cat.basis or ''}",
                      names=(cat.name,))


def index_files(site: Site, renderer: Renderer) -> Iterable[StaticFile]:
    """The index files (an output contributor that no page depends on)."""
    # imported here: the index (and pypinyin, a fifth of a second to import) is for the build,
    # not for `gongkai check` or `gongkai audit`, which only ask which pages exist
    from gongkai.search.index import build_index

    for path, content in build_index(site, site_pages(site, renderer)).files.items():
        yield StaticFile(path, content=content)


SEARCH_PAGE = "search/index.md"


def search_targets(site: Site) -> Iterator[Target]:
    yield PageAt(SEARCH_PAGE)


def search_page(site: Site, renderer: Renderer) -> Iterable[Page]:
    """The search page (an output contributor)."""
    page = renderer.render("search.md.j2", SEARCH_PAGE, "站内搜索",
        tags=page_tags.column_tags("站内搜索", "搜索本站公开的政府信息", ["站内搜索"], page_tags.OTHER),
                           documents=len(site.public_items))
    # results and facets need the width Material gives its navigation and TOC; the engine and
    # the URL's query start from <head> (overrides/main.html), before the page has loaded
    yield Page(page.src_uri, page.title, page.markdown.replace(
        "---\n", f"---\nhide: [navigation, toc]\ngk_search: {INDEX_URL}\n", 1))


#: the index folder, relative to the search page
INDEX_URL = "idx/"
