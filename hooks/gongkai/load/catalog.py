"""The catalog: ``catalog/site.yml``, ``agencies.yml``, ``categories.yml``, ``topics.yml`` and
the optional ``wording.yml``, validated and checked against each other (codes and names
unique, the standard catalogue's elements, the footer marks an inspection looks for)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from gongkai.guards import findings as guards
from gongkai.guards.wording import BUILT_IN, Lexicon, Word
from gongkai.load.files import Repository
from gongkai.load.owners import people_declared
from gongkai.load.validation import labels_of, validate
from gongkai.model import Category
from gongkai.problems import Problems
from gongkai.read.source import SourceError, read_yaml
from gongkai.read.strict_yaml import Document
from gongkai.schema.catalog import (
    Agency,
    AgencyList,
    CategoryDef,
    CategoryTree,
    SiteSettings,
    TopicTree,
    WordingList,
)

CATALOG_FILES = ("site.yml", "agencies.yml", "categories.yml", "topics.yml")
#: optional: the agency's own words and their wrong forms, for the wording check
WORDING_FILE = "wording.yml"
#: footer marks an inspection looks for (国办发〔2017〕47号), by site.yml key
FOOTER_MARKS = (
    ("conac_url", "党政机关网站标识（链接到开办备案信息）"),
    ("error_report_url", "“我为政府网站找错”入口"),
    ("police_record", "公安机关备案号"),
    ("police_record_url", "公安机关备案信息链接（与备案图标一起显示）"),
)
#: elements of the 基层政务公开标准目录 an editor writes (or a parent category supplies)
ELEMENT_KEYS = (("description", "公开内容"), ("basis", "公开依据"), ("subject", "公开主体"),
                ("method", "公开方式"), ("channels", "公开渠道和载体"), ("audience", "公开对象"))
HEAD_PHOTO_TYPES = (".jpg", ".jpeg", ".png")

M = TypeVar("M", bound=BaseModel)
#: catalog file name -> (its parsed YAML, its path relative to the root)
_Docs = dict[str, tuple[Document, str]]


@dataclass
class Catalog:
    settings: SiteSettings
    agencies: list[Agency]
    categories: list[Category]
    topics: dict[str, tuple[str, ...]]
    topic_aliases: dict[str, str]
    wording: Lexicon = BUILT_IN


def load_catalog(repo: Repository, problems: Problems) -> Catalog | None:
    """The catalog, or None when a file is missing or invalid (every problem is in ``problems``)."""
    blanked: dict[str, frozenset[str]] = {}
    docs = _read_files(repo, problems, blanked)
    settings = _validated(docs, "site.yml", SiteSettings, problems, blanked)
    agency_list = _validated(docs, "agencies.yml", AgencyList, problems, blanked)
    tree = _validated(docs, "categories.yml", CategoryTree, problems, blanked)
    topic_tree = _validated(docs, "topics.yml", TopicTree, problems, blanked)
    guards.check_catalog(repo.catalog, repo.rel, problems, {display: doc for doc, display in docs.values()},
                         skip=(repo.rel(repo.catalog / "FIELDS.md"),))
    if settings is None or agency_list is None or tree is None or topic_tree is None:
        return None
    agencies = agency_list.agencies
    agency_doc = docs["agencies.yml"][0]
    _check_agencies_unique(agencies, agency_doc, problems)
    roots = _category_roots(tree, docs["categories.yml"][0], problems)
    topics, aliases = _topics(topic_tree)
    check_footer(settings, problems)
    check_people(settings, agencies, docs, problems)
    check_elements(roots, problems)
    for i, agency in enumerate(agencies):
        _head_photo(repo, agency, agency_doc.line_of(("agencies", i, "head_photo")), problems)
    wording = load_wording(repo, problems)
    return Catalog(settings, agencies, roots, topics, aliases, wording if wording is not None else BUILT_IN)


def _read_files(repo: Repository, problems: Problems, blanked: dict[str, frozenset[str]]) -> _Docs:
    """The catalog files read; ``blanked`` receives the keys of the lines left out of a file
    whose YAML is broken there."""
    docs: _Docs = {}
    for name in CATALOG_FILES:
        path = repo.catalog / name
        display = repo.rel(path)
        if not path.exists():
            problems.add(display, None, None, "缺少目录定义文件")
            continue
        try:
            docs[name] = (read_yaml(path, display), display)
        except SourceError as exc:
            problems.extend(exc.problems)
            if exc.document is not None:  # the rest of the file is still checked in this round
                docs[name] = (exc.document, display)
                blanked[name] = exc.broken
    return docs


def _validated(docs: _Docs, name: str, model: type[M], problems: Problems,
               blanked: dict[str, frozenset[str]]) -> M | None:
    if name not in docs:
        return None
    doc, display = docs[name]
    value, found = validate(model, doc, display)
    # a key on a line left out for its YAML slip is not also reported missing
    names = labels_of(model, blanked.get(name, frozenset()))
    problems.extend(p for p in found
                    if not (p.message == "缺少必填字段" and (p.field or "").rpartition(".")[2] in names))
    return value


def _check_agencies_unique(agencies: list[Agency], doc: Document, problems: Problems) -> None:
    for attribute, what in (("code", "机构代码"), ("name", "机构名称"), ("slug", "简称代码")):
        _unique(problems, "catalog/agencies.yml", doc,
                [(getattr(a, attribute), ("agencies", i, attribute)) for i, a in enumerate(agencies)], what)


def _category_roots(tree: CategoryTree, doc: Document, problems: Problems) -> list[Category]:
    roots = [_category(d, None, doc, ("categories", i)) for i, d in enumerate(tree.categories)]
    seen: dict[str, Category] = {}
    for root in roots:
        for cat in root.walk():
            if cat.code in seen:
                problems.add("catalog/categories.yml", None, "代码", f"目录代码“{cat.code}”重复")
            seen[cat.code] = cat
    return roots


def _topics(tree: TopicTree) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """(top-level topic -> its second-level topics, alias -> top-level topic)."""
    topics: dict[str, tuple[str, ...]] = {}
    aliases: dict[str, str] = {}
    for topic in tree.topics:
        topics[topic.name] = tuple(topic.children)
        for alias in topic.aliases:
            aliases[alias] = topic.name
    return topics, aliases


def check_footer(settings: SiteSettings, problems: Problems) -> None:
    """A footer without these marks loses points in every inspection: say which key is missing."""
    for key, what in FOOTER_MARKS:
        if getattr(settings, key) is None:
            problems.add("catalog/site.yml", None, key, f"页脚缺少{what}：请在 catalog/site.yml 中填写 {key}",
                         "warning")


def check_people(settings: SiteSettings, agencies: list[Agency], docs: _Docs, problems: Problems) -> None:
    """Once the catalog says who may do what, it says it for every agency and for the site:
    a folder without reviewers, or a site without publishers, would have nobody to approve."""
    if not people_declared(settings, agencies):
        return
    site_file = docs["site.yml"][1]
    if not settings.publishers:
        problems.add(site_file, None, "发布人",
                     "已登记编辑或审查人，但没有登记发布人：请在 catalog/site.yml 的 publishers 中写明"
                     "可以合并（发布）变更的平台用户，例如 [{user: chenjh, name: 陈建华}]")
    agency_doc, agency_file = docs["agencies.yml"]
    for i, agency in enumerate(agencies):
        if not agency.reviewers:
            problems.add(agency_file, agency_doc.line_of(("agencies", i, "name")), "审查人",
                         f"“{agency.name}”没有登记审查人：请网站发布人在 reviewers 中写明本机构的保密审查人"
                         "（平台用户名和姓名），否则它的条目无人可以审查")


def check_elements(roots: list[Category], problems: Problems) -> None:
    """The standard catalogue gives every item eight elements (国办发〔2019〕54号)."""
    for root in roots:
        for cat in root.walk():
            missing = [(key, label) for key, label in ELEMENT_KEYS if not getattr(cat, key)]
            if missing:
                problems.add("catalog/categories.yml", cat.line, "、".join(k for k, _ in missing),
                             f"栏目“{cat.name}”（{cat.code}）缺少标准目录要素"
                             + "、".join(f"“{label}”" for _, label in missing)
                             + "（下级栏目未填写 subject、method、channels、audience 时沿用上级栏目的）",
                             "warning")


def _head_photo(repo: Repository, agency: Agency, line: int | None, problems: Problems) -> None:
    if agency.head_photo is None:
        return
    path = repo.root / agency.head_photo
    try:
        inside = path.resolve().is_relative_to(repo.root.resolve())
    except OSError:
        inside = False
    if path.is_symlink() or not inside or not path.is_file():
        problems.add("catalog/agencies.yml", line, "负责人照片",
                     f"负责人照片“{agency.head_photo}”不存在或不是普通文件（不能是符号链接）")


def load_wording(repo: Repository, problems: Problems) -> Lexicon | None:
    """The built-in list plus catalog/wording.yml, when there is one."""
    path = repo.catalog / WORDING_FILE
    if not path.exists():
        return None
    display = repo.rel(path)
    try:
        doc = read_yaml(path, display)
    except SourceError as exc:
        problems.extend([exc.problem])
        return None
    value, found = validate(WordingList, doc, display)
    problems.extend(found)
    if value is None:
        return None
    return BUILT_IN.extended(Word(wrong, d.correct, "本机关规范用语") for d in value.words for wrong in d.wrong)


def _unique(problems: Problems, file: str, doc: Document, values: Iterable[tuple[str, tuple]],
            what: str) -> None:
    seen: dict[str, tuple] = {}
    for value, path in values:
        if value in seen:
            problems.add(file, doc.line_of(path), what,
                         f"{what}“{value}”重复（第 {doc.line_of(seen[value])} 行已经用过）")
        else:
            seen[value] = path


def _category(d: CategoryDef, parent: Category | None, doc: Document, path: tuple) -> Category:
    def inherited(name: str) -> Any:
        own = getattr(d, name)
        return own if own is not None else (getattr(parent, name) if parent is not None else None)

    cat = Category(d.code, d.name, d.description, d.basis, d.time_limit, d.update_cycle,
                   d.report_row, d.interpretation, d.needs_interpretation, parent,
                   line=doc.line_of(path + ("code",)), subject=inherited("subject"),
                   method=tuple(inherited("method") or ()), channels=tuple(inherited("channels") or ()),
                   audience=inherited("audience"), empty_note=d.empty_note)
    cat.children = [_category(c, cat, doc, path + ("children", i)) for i, c in enumerate(d.children)]
    return cat
