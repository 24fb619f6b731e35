"""What a preview keeps between saves (the loaded items, the last pages, MkDocs' structures),
and the build date, which the adapter and the preview read the same way."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

from gongkai.load.loader import ItemCache
from gongkai.model import Site
from gongkai.problems import Problem
from gongkai.render.memo import PageMemo
from gongkai.render.outputs import Outputs
from gongkai.render.pages import Page, StaticFile

#: the day a build publishes for (scheduled items, statistics); today when unset
BUILD_DATE_VARIABLE = "GONGKAI_BUILD_DATE"


class BadBuildDate(PluginError):
    """``GONGKAI_BUILD_DATE`` is set but is no date: one problem, for MkDocs and the preview alike."""

    def __init__(self, value: str):
        self.problem = Problem(f"环境变量 {BUILD_DATE_VARIABLE}", None, None,
                               f"应为 YYYY-MM-DD 格式的日期（如 2026-03-01），而不是“{value}”："
                               "请改正或删除它（删除则按今天生成）")
        super().__init__(self.problem.format())


def build_date() -> dt.date | None:
    """The date set in ``GONGKAI_BUILD_DATE``, or None (today). A wrong one stops the build
    (``BadBuildDate``): a misspelt date would otherwise publish scheduled items early or hide them."""
    value = os.environ.get(BUILD_DATE_VARIABLE, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadBuildDate(value) from None


@dataclass
class Session:
    cache: ItemCache = field(default_factory=ItemCache)
    memo: PageMemo = field(default_factory=PageMemo)
    #: src_uri -> the gongkai Page / StaticFile the site holds now
    pages: dict[str, Page] = field(default_factory=dict)
    files: dict[str, StaticFile] = field(default_factory=dict)
    #: src_uris the background process wrote last time (search index, exports, feeds)
    detached: set[str] = field(default_factory=set)
    #: the problems that stopped the last build (the browser shows them); empty when it worked
    problems: list[Problem] = field(default_factory=list)
    site: Site | None = None
    #: MkDocs' navigation, theme environment and files of the first build, which an update
    #: converts and themes pages with; None until that build got so far
    nav: Navigation | None = None
    env: jinja2.Environment | None = None
    mkdocs_files: Files | None = None

    def record(self, site: Site, outputs: Outputs) -> None:
        self.site = site
        self.pages = {p.src_uri: p for p in outputs.pages}
        self.files = {f.src_uri: f for f in outputs.files}
        self.problems = []
