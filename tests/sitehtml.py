"""Reading the built site as a visitor would: rows of list tables, links, pager."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin


def page_html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def resolve(page_url: str, href: str) -> str:
    """A link on the page at site-relative ``page_url`` -> site-relative target URL
    (an address on another host comes back unchanged)."""
    target = urljoin("http://h/" + page_url, href)
    if not target.startswith("http://h/"):
        return target
    return unquote(target[len("http://h/"):].split("#")[0])


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.anchors: list[tuple[dict, str]] = []
        self._open: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.anchors.append((self._open, "".join(self._text).strip()))
            self._open = None


def anchors(html: str) -> list[tuple[dict, str]]:
    parser = _Anchors()
    parser.feed(html)
    return parser.anchors


def article(html: str) -> str:
    """The page's own content, without theme navigation."""
    return html[html.index("<article"):html.index("</article>")]


_ROW = re.compile(r'<tr><td class="gk-id">([^<]*)</td><td><a href="([^"]+)">')


def listed_rows(site: Path, first_url: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Follow a paginated list from its first page via 下一页 links.

    Returns ([(索引号, resolved item URL)], [page URLs visited]).
    """
    rows, pages, url = [], [], first_url
    while url is not None:
        assert url not in pages, f"pager loops back to {url}"
        pages.append(url)
        html = article(page_html(site, url))
        rows += [(i, resolve(url, href)) for i, href in _ROW.findall(html)]
        nxt = [a for a, text in anchors(html) if text == "下一页"]
        url = resolve(url, nxt[0]["href"]) if nxt else None
    return rows, pages
