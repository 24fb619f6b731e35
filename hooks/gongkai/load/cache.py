"""What earlier loads read, for a preview that reads again only the files that changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gongkai.load.catalog import CATALOG_FILES, Catalog, load_catalog
from gongkai.load.files import Repository, is_page
from gongkai.model import Item, UnbuiltBody
from gongkai.problems import Problem, Problems


@dataclass(frozen=True, slots=True)
class Reference:
    """A 解读对象 or 替代文件 as written in a file, checked once every file is read."""

    name: str  # the field's English key
    label: str
    target: str
    line: int | None


@dataclass(frozen=True, slots=True)
class Sketch:
    """What a file that did not become an item still says about other items, read from its
    front matter as written: its 索引号 (which another file may repeat) and its references;
    so a file with a wrong date is checked for those in the same round."""

    id: str | None
    id_line: int | None
    references: tuple[Reference, ...] = ()
    #: a 索引号 to number anew: (why, agency code, year); see ``ItemFile.renumber``
    renumber: tuple[str, str, int] | None = None
    body: UnbuiltBody | None = None  # for the link check, when the 索引号 is known


@dataclass(frozen=True, slots=True)
class ItemResult:
    """What reading one item file gave: the item (None if invalid) and the file's problems."""

    signature: tuple | None  # (mtime_ns, size) of the file and its attachments when read
    item: Item | None
    problems: tuple[Problem, ...]
    id_line: int | None  # the 索引号's line, for a duplicate found later
    sketch: Sketch | None = None  # for a file that did not become an item


class ItemCache:
    """Item files already read, for a preview that re-reads only what changed.

    Valid for one catalog, build date and mode: whoever keeps it starts a new one when the
    catalog changes. ``changed`` names the files to read again (from file events); without it
    every file's (mtime, size) is compared with the last read.
    """

    def __init__(self) -> None:
        self.results: dict[str, ItemResult] = {}
        #: (catalog files' signatures, the catalog, its problems)
        self.catalog: tuple[tuple, Catalog, tuple[Problem, ...]] | None = None
        self.files: list[tuple[Path, str]] | None = None
        self.pages: list[tuple[Path, str]] = []
        self.reread = 0  # files read by the last load, for figures
        self.refused: list[tuple[str, str]] = []  # files under content/ refused at the last walk

    def listing(self, repo: Repository, changed: set[str] | None
                ) -> tuple[list[tuple[Path, str]], list[tuple[Path, str]]]:
        """The item and page files, walking content/ only when a file may have come or gone."""
        if self.files is None or changed is None or any(
                name not in self.results for name in changed if not is_page(name)) or any(
                not (repo.root / name).exists() for name in changed):
            self.refused = []
            self.files, self.pages = repo.markdown_files(self.refused)
        return self.files, self.pages


def cached_catalog(repo: Repository, problems: Problems, cache: ItemCache | None,
                   changed: set[str] | None) -> Catalog | None:
    """The catalog, read again only when one of its files changed (then every item too:
    items point at its agencies and categories)."""
    if cache is None:
        return load_catalog(repo, problems)
    signature = tuple(signature_of(repo.catalog / name) for name in CATALOG_FILES)
    touched = changed is not None and any(f"catalog/{name}" in changed for name in CATALOG_FILES)
    if cache.catalog is not None and cache.catalog[0] == signature and not touched:
        problems.extend(cache.catalog[2])
        return cache.catalog[1]
    found = Problems()
    catalog = load_catalog(repo, found)
    problems.extend(found.items)
    cache.results.clear()
    cache.catalog = (signature, catalog, tuple(found.items)) if catalog is not None else None
    return catalog


def signature_of(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def item_signatures(repo: Repository, path: Path, item: Item | None) -> tuple:
    """(mtime, size) of an item file and of each of its attachments."""
    attachments = item.attachments if item is not None else ()
    return (signature_of(path),) + tuple(signature_of(repo.root / a.source) for a in attachments)

