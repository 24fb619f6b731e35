"""One load's context: the repository, its catalog, where problems go and how to load, with
the catalog's look-ups every item needs built once; what would otherwise be a long list of
parameters passed from the loader down to each item file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from gongkai.guards.markup import BodyJudge
from gongkai.load.cache import ItemCache
from gongkai.load.catalog import Catalog
from gongkai.load.files import Repository
from gongkai.load.owners import PathOwner, owner_of
from gongkai.model import Category
from gongkai.problems import Problems
from gongkai.schema.catalog import Agency

Progress = Callable[[str], None]


def today_in_china() -> dt.date:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date()


@dataclass(frozen=True)
class LoadOptions:
    """How to load; every option's default is what a publish build does.

    ``build_date``: the day the site is built for (default: today in China).
    ``progress`` receives a Chinese status line now and then on large sites.
    ``judge``: convert bodies and judge their HTML (``gongkai check``); without it the
    generator judges the HTML it converts.
    ``preview``: drafts and unreviewed items are shown (the preview server only, never a
    publish). ``cache`` and ``changed``: see ``ItemCache``.
    """

    build_date: dt.date | None = None
    progress: Progress | None = None
    judge: BodyJudge | None = None
    preview: bool = False
    cache: ItemCache | None = None
    changed: set[str] | None = None


@dataclass
class LoadContext:
    """One load of the items against one catalog."""

    repo: Repository
    catalog: Catalog
    problems: Problems
    build_date: dt.date
    options: LoadOptions = field(default_factory=LoadOptions)
    #: agencies by name and by code: an item may name its 发布机构 either way
    agencies: dict[str, Agency] = field(init=False)
    #: every category of the tree by code
    categories: dict[str, Category] = field(init=False)
    id_pattern: re.Pattern[str] = field(init=False)
    #: owners of the folders items sit in, by folder (``owner``)
    _owners: dict[str, PathOwner] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        agencies = self.catalog.agencies
        self.agencies = {a.name: a for a in agencies} | {a.code: a for a in agencies}
        self.categories = {c.code: c for root in self.catalog.categories for c in root.walk()}
        self.id_pattern = re.compile(self.catalog.settings.id_pattern)

    def owner(self, display: str) -> PathOwner:
        """``owners.owner_of(display)``, worked out once per folder: every item of a folder
        has the same agency, reviewers and folder (only ``path`` differs, and it is the
        first item's)."""
        head, _, rest = display.partition("/")
        folder, _, tail = rest.partition("/")
        plain = ("", ".", "..")
        if head in plain or folder in plain or tail.rpartition("/")[2] in plain:  # not a plain path: as it is
            return owner_of(display, self.catalog.settings, self.catalog.agencies)
        key = head + "/" + folder
        found = self._owners.get(key)
        if found is None:
            found = self._owners[key] = owner_of(display, self.catalog.settings, self.catalog.agencies)
        return found
