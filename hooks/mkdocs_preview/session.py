"""What a preview keeps between saves: the loaded items, the last pages, MkDocs' structures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gongkai.load.loader import ItemCache
from gongkai.render.memo import PageMemo


@dataclass
class Session:
    cache: ItemCache = field(default_factory=ItemCache)
    memo: PageMemo = field(default_factory=PageMemo)
    #: src_uri -> the gongkai Page / StaticFile the site holds now
    pages: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Any] = field(default_factory=dict)
    #: src_uris the background process wrote last time (search index, exports, feeds)
    detached: set[str] = field(default_factory=set)
    #: the problems that stopped the last build (the browser shows them); empty when it worked
    problems: list = field(default_factory=list)
    site: Any = None
    nav: Any = None
    env: Any = None
    mkdocs_files: Any = None

    def record(self, site, outputs) -> None:
        self.site = site
        self.pages = {p.src_uri: p for p in outputs.pages}
        self.files = {f.src_uri: f for f in outputs.files}
        self.problems = []
