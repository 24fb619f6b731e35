"""Every changed file of a change, named in words a reviewer understands.

Items and their attachments are compared field by field in ``diff``; every other
file is sorted here into what it does to the published site (a register, a typed
year, a narrative, the catalog, a rules page, CODEOWNERS, the theme, the build
configuration, the tool's own code). Nothing changed is left out: a file no rule
knows is reported as such, and like theme, configuration and code it needs the
site administrator's approval.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

#: (kind, what a reviewer calls it, whether the site administrator must approve)
KINDS: dict[str, tuple[str, bool]] = {
    "item": ("条目", False),
    "attachment": ("条目附件", False),
    "register": ("年报登记表", False),
    "year": ("年报年度数据", False),
    "narrative": ("年报正文", False),
    "rules": ("规则页面", False),
    "catalog": ("目录设置", False),
    "codeowners": ("审查人名单（CODEOWNERS）", True),
    "theme": ("网站外观（主题文件）", True),
    "config": ("构建和审查配置", True),
    "code": ("生成工具的程序代码", True),
    "docs": ("说明文档（不发布）", False),
    "other": ("其他文件", True),
}

#: catalog files by name: what each one sets
CATALOG_FILES = {
    "catalog/agencies.yml": "发布机构",
    "catalog/categories.yml": "信息公开目录",
    "catalog/site.yml": "网站设置",
    "catalog/wording.yml": "规范用语",
    "catalog/synonyms.yml": "搜索同义词",
    "catalog/topics.yml": "主题分类",
}

#: (pattern, kind), first match wins; patterns match the site-relative path
_RULES: tuple[tuple[str, str], ...] = (
    ("content/annual/*.md", "narrative"),
    ("content/pages/*", "rules"),
    ("content/*.md", "item"),
    ("content/*", "attachment"),
    ("catalog/annual/*.csv", "register"),
    ("catalog/annual/*.xlsx", "register"),
    ("catalog/annual/*.yml", "year"),
    ("catalog/annual/*.yaml", "year"),
    ("catalog/FIELDS.md", "docs"),
    ("catalog/*", "catalog"),
    ("CODEOWNERS", "codeowners"),
    (".github/CODEOWNERS", "codeowners"),
    (".gitea/CODEOWNERS", "codeowners"),
    (".gitlab/CODEOWNERS", "codeowners"),
    ("docs/CODEOWNERS", "codeowners"),
    ("overrides/*", "theme"),
    ("mkdocs.yml", "config"),
    ("pyproject.toml", "config"),
    ("Makefile", "config"),
    (".github/*", "config"),
    (".gitea/*", "config"),
    (".forgejo/*", "config"),
    (".gitlab-ci.yml", "config"),
    (".ci/*", "config"),
    ("requirements*.txt", "config"),
    ("hooks/*", "code"),
    ("bench/*", "code"),
    ("tests/*", "code"),
    ("docs/*", "docs"),
    ("*.md", "docs"),
)

STATUS = {"A": "新增", "D": "删除", "M": "修改"}


@dataclass
class FileChange:
    path: str  # relative to the site root (or the repository root, outside the site)
    status: str  # "A" | "D" | "M"
    kind: str  # a key of KINDS
    #: what changed, one plain-text line each (escaped by the report)
    details: list[str] = field(default_factory=list)
    #: changed lines of a text file, shown in a code block, and how many are not shown
    diff: list[str] = field(default_factory=list)
    more: int = 0
    #: links and images the change adds: (text, target)
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return KINDS[self.kind][0]

    @property
    def needs_admin(self) -> bool:
        return KINDS[self.kind][1]


def kind_of(path: str) -> str:
    for pattern, kind in _RULES:
        if fnmatch.fnmatchcase(path, pattern):
            return kind
    return "other"
