"""``gongkai cms-config``: write the web editor's configuration from the schema and catalog."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from gongkai.load.cms_config import cms_config_text, config_path, years_to_split
from gongkai.load.loader import Repository, load_catalog
from gongkai.problems import Problem, Problems


@dataclass(frozen=True)
class Written:
    path: str  # relative to the root
    changed: bool


class CmsConfigError(Exception):
    """The catalog cannot be read, or names no web editor: what the editor reads."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


def write_cms_config(root: Path) -> Written:
    """The configuration file rewritten when it differs from what the schema and catalog say."""
    problems = Problems()
    catalog = load_catalog(Repository(root), problems)
    if catalog is None or problems.errors:
        raise CmsConfigError("catalog/ 有错误，请先改正：", problems.sorted())
    if catalog.settings.cms is None:
        raise CmsConfigError("catalog/site.yml 没有“cms”设置：请先写明网页编辑器保存到的平台和仓库，例如\n"
                             "cms: {backend: forgejo, repo: qinghe/xxgk, base_url: https://git.example.gov.cn}")
    years = years_to_split(root, catalog.agencies, dt.date.today().year)
    text = cms_config_text(catalog.settings, catalog.agencies, catalog.categories, catalog.topics, years)
    path = config_path(root)
    data = text.encode("utf-8")
    current = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    if current != data:
        if path.is_symlink():
            path.unlink()  # never write through a link to a file elsewhere
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return Written(path.relative_to(root).as_posix(), current != data)
