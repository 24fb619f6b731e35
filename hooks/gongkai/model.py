"""The validated model of a disclosure site: typed, immutable, linked.

Built once by ``load.loader`` before anything is rendered (the Pelican
split): renderers only read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path, PurePosixPath
from typing import Literal

from gongkai import vocab
from gongkai.schema.catalog import Agency, SiteSettings
from gongkai.schema.front_matter import NoticePeriod, SecrecyReview

Visibility = Literal["public", "draft", "embargoed", "unreviewed", "not-proactive"]


@dataclass(eq=False)
class Category:
    code: str
    name: str
    description: str | None
    basis: str | None
    time_limit: int
    update_cycle: int | None
    report_row: str | None
    interpretation: bool
    needs_interpretation: bool
    parent: Category | None = None
    children: list[Category] = field(default_factory=list)
    line: int | None = None  # where catalog/categories.yml defines it, for messages
    # the other elements of the 基层政务公开标准目录, a parent's when the category has none
    subject: str | None = None  # 公开主体
    method: tuple[str, ...] = ()  # 公开方式
    channels: tuple[str, ...] = ()  # 公开渠道和载体
    audience: str | None = None  # 公开对象
    empty_note: str | None = None  # why the column is empty, shown when it is

    @property
    def elements(self) -> list[tuple[str, str]]:
        """The eight elements of the standard catalogue, as (label, text); text "" if unset."""
        return [
            ("事项名称", self.name),
            ("公开内容", self.description or ""),
            ("公开依据", self.basis or ""),
            ("公开时限", f"信息形成或变更之日起 {self.time_limit} 个工作日内"),
            ("公开主体", self.subject or ""),
            ("公开方式", "、".join(self.method)),
            ("公开渠道和载体", "、".join(self.channels)),
            ("公开对象", self.audience or ""),
        ]

    @cached_property  # the tree is fixed once loaded; every listing asks every item's category
    def ancestors(self) -> list[Category]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def url(self) -> str:
        return f"catalogue/{self.code}/"


@dataclass(frozen=True, slots=True)
class Attachment:
    file: str
    title: str
    size: int
    kind: str  # upper-case extension: PDF, CSV, DOCX …
    source: str  # path relative to the repository root

    @property
    def size_label(self) -> str:
        if self.size < 1024:
            return f"{self.size} B"
        if self.size < 1024 * 1024:
            return f"{self.size / 1024:.1f} KB"
        return f"{self.size / 1024 / 1024:.1f} MB"


@dataclass(frozen=True, slots=True)
class Exemption:
    """Something an item's own front matter lets through that no check can confirm: the
    review report lists each as 需审查人确认, for the agency's reviewer to approve."""

    kind: str  # 历史导入, 个人信息例外 or 人工审查
    line: int  # where the item's file says it
    detail: str  # what it lets through and why, in the author's words


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    title: str
    agency: Agency
    category: Category
    created: dt.date
    published: dt.date
    doc_number: str | None
    status: str
    repealed: dt.date | None
    superseded_by: str | None
    topic: str | None
    keywords: tuple[str, ...]
    summary: str
    disclosure: str
    audience: str
    channels: tuple[str, ...]
    interprets: str | None
    review: SecrecyReview | None
    notice_period: NoticePeriod | None
    attachments: tuple[Attachment, ...]
    draft: bool
    body: str
    source: str  # path relative to the repository root, for messages
    body_line: int  # line of the body's first line in the source file
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # field -> source line
    #: the 有效性 written, when a repeal announced for a later day leaves it 有效 until then
    announced: str | None = None
    #: every exception and 人工审查 the file declares, in file order
    exemptions: tuple[Exemption, ...] = ()

    @property
    def year(self) -> int:
        return self.published.year

    @property
    def in_force(self) -> bool:
        return self.status not in vocab.NOT_IN_FORCE

    @property
    def url(self) -> str:
        """Stable: derived from the 索引号 only, never from the title."""
        return f"items/{id_to_path(self.id)}/"

    def visibility(self, today: dt.date) -> Visibility:
        if self.disclosure != "主动公开" and not self.draft:
            return "not-proactive"
        return visibility(self.draft, self.review, self.published, today)


def visibility(draft: bool, review: SecrecyReview | None, published: dt.date | None, today: dt.date) -> Visibility:
    """Whether a document (an item, a rules page) is published on ``today``: not a draft,
    reviewed and approved, and its 发布日期 reached
    (an undated document is published once approved)."""
    if draft:
        return "draft"
    if review is None or review.result != vocab.APPROVED:
        return "unreviewed"
    if published is not None and published > today:
        return "embargoed"
    return "public"


@dataclass(frozen=True, slots=True)
class UnbuiltBody:
    """The body of an item file that did not become an item (its front matter has mistakes),
    kept so its links are checked in the same round as the rest of the file."""

    source: str
    body: str
    body_line: int
    id: str  # the 索引号 as written: the page the body will be published on
    attachments: tuple[str, ...] = ()  # the 附件 file names as written

    @property
    def url(self) -> str:
        return f"items/{id_to_path(self.id)}/"


#: what a preview shows besides published items: an item scheduled for a later day too, so
#: "publish tomorrow" can be looked at today
PREVIEW_SHOWN = ("public", "draft", "unreviewed", "embargoed")


@cache  # every listing asks every item for its URL
def id_to_path(item_id: str) -> str:
    """索引号 -> URL path; characters outside [0-9A-Za-z._-] become '_'."""
    parts = [
        "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in part)
        for part in PurePosixPath(item_id).parts
    ]
    return "/".join(p for p in parts if p not in ("", ".", ".."))


@dataclass
class Site:
    settings: SiteSettings
    agencies: list[Agency]
    categories: list[Category]  # roots, in catalogue order
    topics: dict[str, tuple[str, ...]]  # top level -> second level
    items: list[Item]  # every valid item, public or not
    build_date: dt.date
    #: annual reports up to the build year (gongkai.annual.years.YearReport), oldest first
    annual: list = field(default_factory=list)
    #: other agencies' own reports, by agency slug (catalog/annual/<slug>/), oldest first
    agency_annual: dict = field(default_factory=dict)
    topic_aliases: dict[str, str] = field(default_factory=dict)  # other name -> top-level theme
    rules: list = field(default_factory=list)  # load.rules.RuleDoc: 政府信息公开制度 documents
    root: Path | None = None  # the repository, where attachments' ``source`` paths start
    #: catalog/synonyms.yml: groups of words a search treats as one (低保 / 最低生活保障)
    synonyms: tuple[tuple[str, ...], ...] = ()
    #: the preview server's model: drafts and unreviewed items are shown too (with a banner);
    #: never set for a publish
    preview: bool = False
    #: bodies of item files with other mistakes, for the link check of the same round
    unbuilt: tuple[UnbuiltBody, ...] = ()

    def topic_of(self, item: Item) -> str | None:
        """The item's top-level 主题分类 under its catalogue name (aliases resolved)."""
        if item.topic is None:
            return None
        top = item.topic.partition("\\")[0]
        return self.topic_aliases.get(top, top)

    @cached_property
    def public_items(self) -> list[Item]:
        """Published items, newest first. The only items any output may show."""
        shown = PREVIEW_SHOWN if self.preview else ("public",)
        public = [i for i in self.items if i.visibility(self.build_date) in shown]
        return sorted(public, key=lambda i: (i.published, i.id), reverse=True)

    @cached_property
    def by_id(self) -> dict[str, Item]:
        return {i.id: i for i in self.public_items}

    @cached_property
    def category_by_code(self) -> dict[str, Category]:
        return {c.code: c for root in self.categories for c in root.walk()}

    @cached_property
    def agency_by_code(self) -> dict[str, Agency]:
        return {a.code: a for a in self.agencies}

    @cached_property
    def interpretations(self) -> dict[str, list[Item]]:
        """policy id -> its published interpretations."""
        out: dict[str, list[Item]] = {}
        for item in self.public_items:
            if item.interprets and item.interprets in self.by_id:
                out.setdefault(item.interprets, []).append(item)
        return out

    @cached_property
    def replaces(self) -> dict[str, list[Item]]:
        """id of a replacing document -> the published items it replaced."""
        out: dict[str, list[Item]] = {}
        for item in self.public_items:
            if item.superseded_by and item.superseded_by in self.by_id:
                out.setdefault(item.superseded_by, []).append(item)
        return out

    @cached_property
    def _items_by_category(self) -> dict[str, list[Item]]:
        out: dict[str, list[Item]] = {code: [] for code in self.category_by_code}
        for item in self.public_items:  # newest first, so every list is too
            for cat in [item.category, *item.category.ancestors]:
                out[cat.code].append(item)
        return out

    def items_in(self, category: Category) -> list[Item]:
        """Published items of a category and its descendants, newest first."""
        return self._items_by_category[category.code]
