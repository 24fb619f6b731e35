"""Pages of the last render, reused while nothing they show has changed (the preview).

A preview renders the whole site again after each save, but most pages come out the
same: an item page shows its item, its category trail and its related items; a listing
page shows the items of its slice. Such a page is rendered again only when its template
context differs from last time. Contexts compare with ``==``: items, pagers and entries
are frozen dataclasses compared field by field (the same object short-cuts), categories
by identity (the catalog is loaded once per preview session, see ``load.loader.ItemCache``).
Only templates that read nothing but their context (and ``settings``) are memoised; the
others (home, catalogue, guide, sitemap …) read the whole ``site`` and are always rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: template -> whether it shows the per-category counts besides its own context
MEMO_TEMPLATES = {"item.md.j2": False, "listing.md.j2": False, "directory.md.j2": False,
                  "category.md.j2": True, "sitemap.md.j2": True}


class PageMemo:
    """src_uri -> (what the page was rendered from, the page)."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[tuple, Any]] = {}
        self.hits = 0
        self.misses = 0

    def page(self, key: tuple, src_uri: str, make: Callable[[], Any]):
        entry = self._pages.get(src_uri)
        if entry is not None and entry[0] == key:
            self.hits += 1
            return entry[1]
        self.misses += 1
        page = make()
        self._pages[src_uri] = (key, page)
        return page

    def start(self) -> None:
        self.hits = self.misses = 0

    def retain(self, src_uris: set[str]) -> None:
        """Forget pages a render no longer produced, so memory follows the site, not its history."""
        for gone in [uri for uri in self._pages if uri not in src_uris]:
            del self._pages[gone]

    def clear(self) -> None:
        self._pages.clear()
