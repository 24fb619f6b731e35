"""One side of a review: every item of a revision as written, and every problem.

Items are kept by 索引号 with their front matter as written (keys turned into
English), so an item that no longer validates still shows what changed instead
of looking withdrawn.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.annual.registers import ANNUAL_DIR
from gongkai.load.loader import Repository, load_catalog
from gongkai.load.validation import validate
from gongkai.model import Category, Site
from gongkai.pipeline import load_site
from gongkai.problems import Problem, Problems, ValidationFailed
from gongkai.read.source import MarkdownSource, SourceError, read_markdown
from gongkai.render.outputs import link_problems
from gongkai.review.annual_diff import figures as report_figures
from gongkai.schema.front_matter import ALIASES, FrontMatter

VISIBILITY_LABELS: dict[str, str] = {
    "public": "公开",
    "draft": "草稿",
    "embargoed": "定时发布",
    "unreviewed": "未经审查同意",
    "not-proactive": "非主动公开",
    "invalid": "有错误，不能发布",
}


@dataclass
class RawItem:
    id: str
    file: str  # relative to the site root
    fields: dict[str, Any]  # English keys, values as written
    body: str
    attachments: dict[str, str]  # file name -> sha256 of its bytes
    visibility: str  # a Visibility, or "invalid"
    source: MarkdownSource
    fm: FrontMatter | None
    path: Path

    @property
    def title(self) -> str:
        value = self.fields.get("title")
        return value if isinstance(value, str) else ""


@dataclass
class Snapshot:
    """One side of the diff: every item as written, and every problem."""

    label: str
    root: Path
    items: dict[str, RawItem]
    problems: list[Problem]
    category_names: dict[str, str]
    #: code -> its place in the catalogue, "政策文件 › 规章"
    category_paths: dict[str, str] = field(default_factory=dict)
    #: year -> every figure of that year's report, as computed (years that could not be left out)
    figures: dict[int, dict[str, str]] = field(default_factory=dict)
    #: years up to today that have a yearly file, computed or not
    report_years: set[int] = field(default_factory=set)


def _english(data: Any, level: str = "") -> Any:
    """Chinese labels -> English keys, at every nesting level the schema has."""
    if isinstance(data, list):
        return [_english(v, level) for v in data]
    if not isinstance(data, dict):
        return data
    table = ALIASES.get(level, {})
    out = {}
    for key, value in data.items():
        name = table.get(key, key)
        out[name] = _english(value, name if name in ALIASES else "")
    return out


def _visibility(fm: FrontMatter | None, today: dt.date) -> str:
    if fm is None:
        return "invalid"
    # the same order of rules as model.Item.visibility
    if fm.draft:
        return "draft"
    if fm.disclosure != "主动公开":
        return "not-proactive"
    if fm.review is None or fm.review.result != "同意公开":
        return "unreviewed"
    if fm.published > today:
        return "embargoed"
    return "public"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


def load_snapshot(root: Path, today: dt.date, label: str) -> Snapshot:
    problems = Problems()
    site: Site | None = None
    try:
        site = load_site(root, today, problems)
        problems.extend(link_problems(site))  # what the build would refuse, as check says it
    except ValidationFailed as exc:
        site = exc.model  # the problems are what the report needs; the figures it has
    repo = Repository(root)
    catalog = load_catalog(repo, Problems())
    names = ({c.code: c.name for r in catalog.categories for c in r.walk()} if catalog else {})
    paths = ({c.code: _place(c) for r in catalog.categories for c in r.walk()} if catalog else {})
    items: dict[str, RawItem] = {}
    for path in repo.item_files() if repo.content.is_dir() else []:
        display = repo.rel(path)
        try:
            source = read_markdown(path, display)
        except SourceError:
            continue
        fields = _english(source.front.data)
        item_id = fields.get("id") if isinstance(fields, dict) else None
        if not isinstance(item_id, str) or not item_id.strip() or item_id.strip() in items:
            continue
        fm, _ = validate(FrontMatter, source.front, display)
        attachments = {}
        for ref in fields.get("attachments") or []:
            if isinstance(ref, dict) and isinstance(ref.get("file"), str):
                attachments[ref["file"]] = _sha(path.parent / ref["file"])
        items[item_id.strip()] = RawItem(item_id.strip(), display, fields, source.body, attachments,
                                         _visibility(fm, today), source, fm, path)
    figures = {r.year: report_figures(r.tables) for r in (site.annual if site is not None else [])}
    return Snapshot(label, root, items, problems.sorted(), names, paths, figures, _report_years(root, today))


def _place(category: Category) -> str:
    names = []
    node: Category | None = category
    while node is not None:
        names.append(node.name)
        node = node.parent
    return " › ".join(reversed(names))


def _report_years(root: Path, today: dt.date) -> set[int]:
    folder = root / ANNUAL_DIR
    stems = [p.stem for p in folder.iterdir() if p.suffix in (".yml", ".yaml")] if folder.is_dir() else []
    return {int(s) for s in stems if s.isdigit() and len(s) == 4 and int(s) <= today.year}

