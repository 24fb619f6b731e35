"""Static pagination: ``base/`` then ``base/page/2/`` … with every item exactly once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

#: page numbers shown either side of the current one; the first and last are always shown
WINDOW = 3


@dataclass(frozen=True, slots=True)
class Pager(Generic[T]):
    base: str  # URL of the first page, e.g. "catalogue/gz/"
    number: int  # 1-based
    total_pages: int
    total_items: int
    items: Sequence[T]
    first_index: int  # 1-based position of items[0] in the whole list

    @property
    def url(self) -> str:
        return self.url_of(self.number)

    def url_of(self, number: int) -> str:
        return numbered_url(self.base, number)

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.items) - 1

    @property
    def previous(self) -> str | None:
        return self.url_of(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.url_of(self.number + 1) if self.number < self.total_pages else None

    def shown_numbers(self) -> list[int | None]:
        """Page numbers for the pager bar; ``None`` marks a gap (…)."""
        wanted = {1, self.total_pages} | set(range(self.number - WINDOW, self.number + WINDOW + 1))
        numbers = sorted(n for n in wanted if 1 <= n <= self.total_pages)
        out: list[int | None] = []
        for n in numbers:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def numbered_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def page_count(total_items: int, per_page: int) -> int:
    """An empty list still gets its (empty) first page."""
    return max(1, -(-total_items // per_page))


def page_urls(total_items: int, per_page: int, base: str) -> list[str]:
    """The URLs ``paginate`` gives a list of ``total_items``, without splitting one."""
    return [numbered_url(base, n) for n in range(1, page_count(total_items, per_page) + 1)]


def paginate(items: Sequence[T], per_page: int, base: str) -> list[Pager[T]]:
    """Split ``items`` into pages; an empty list still gets its (empty) first page."""
    total_pages = page_count(len(items), per_page)
    return [Pager(base, n, total_pages, len(items), items[(n - 1) * per_page:n * per_page],
                  (n - 1) * per_page + 1)
            for n in range(1, total_pages + 1)]
