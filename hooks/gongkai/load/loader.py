"""Load and validate ``catalog/`` and the items under ``content/`` into a ``Site``.

Every file is read and every problem collected before anything fails, so an
editor fixes a whole batch in one pass. Nothing here writes a file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from gongkai import vocab
from gongkai.guards import findings as guards
from gongkai.load.rules import RULES_DIR, load_rules
from gongkai.load.validation import read_and_validate, validate
from gongkai.model import Attachment, Category, Item, Site
from gongkai.problems import Problems, ValidationFailed
from gongkai.read.source import MarkdownSource, SourceError, read_yaml
from gongkai.schema.catalog import (
    AgencyList,
    CategoryDef,
    CategoryTree,
    SiteSettings,
    TopicTree,
)
from gongkai.schema.front_matter import LABELS, FrontMatter
from gongkai.text import plain_summary

#: folders under content/ that hold other Markdown than items
NON_ITEM_DIRS = ("annual", "pages")
CATALOG_FILES = ("site.yml", "agencies.yml", "categories.yml", "topics.yml")
#: sites this large report loading progress (every PROGRESS_STEP items); smaller ones stay quiet
PROGRESS_MIN = 5000
PROGRESS_STEP = 5000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Repository:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def catalog(self) -> Path:
        return self.root / "catalog"

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def item_files(self) -> list[Path]:
        return [path for path, _ in self.markdown_files()[0]]

    def markdown_files(self) -> tuple[list[tuple[Path, str]], list[tuple[Path, str]]]:
        """(items, other pages): every ``*.md`` under content/ outside hidden folders, as
        (path, path relative to the root), in the order of ``sorted(content.rglob("*.md"))``.

        One ``os.scandir`` walk with plain strings: on a large site ``rglob`` and
        ``Path.relative_to`` cost more than reading the files.
        """
        content = self.content
        if not content.is_dir():
            return [], []
        found: list[tuple[str, ...]] = []
        _walk(str(content), (), found)
        found.sort()  # tuples of parts sort as Path objects do
        prefix = self.rel(content) + "/"
        items: list[tuple[Path, str]] = []
        pages: list[tuple[Path, str]] = []
        for parts in found:
            entry = (content.joinpath(*parts), prefix + "/".join(parts))
            (pages if parts[0] in NON_ITEM_DIRS else items).append(entry)
        return items, pages


def _walk(folder: str, parts: tuple[str, ...], found: list[tuple[str, ...]]) -> None:
    """What ``Path.rglob("*.md")`` visits, less anything hidden (which callers skip anyway):
    names ending in .md, and sub-folders that are not symbolic links."""
    try:
        with os.scandir(folder) as entries:
            listing = list(entries)
    except PermissionError:
        return
    for entry in listing:
        name = entry.name
        if name.startswith("."):
            continue
        if name.endswith(".md"):
            found.append(parts + (name,))
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            _walk(entry.path, parts + (name,), found)


@dataclass
class Catalog:
    settings: SiteSettings
    agencies: list
    categories: list[Category]
    topics: dict[str, tuple[str, ...]]
    topic_aliases: dict[str, str]


def load_model(root: Path, build_date: dt.date | None = None, problems: Problems | None = None,
               progress: Progress | None = None, preview: bool = False,
               cache: ItemCache | None = None, changed: set[str] | None = None) -> Site:
    """Catalog, items and rules pages, validated and linked; every problem goes to ``problems``.

    Raises ValidationFailed only when the catalog itself is unusable (nothing else can be
    checked without it); otherwise the caller decides when the collected errors stop the build.
    ``progress`` receives a Chinese status line now and then on large sites. ``preview``: drafts
    and unreviewed items are shown (the preview server only, never a publish); ``cache`` and
    ``changed``: see ``ItemCache``.
    """
    problems = problems if problems is not None else Problems()
    repo = Repository(Path(root))
    catalog = _cached_catalog(repo, problems, cache, changed)
    if catalog is None:
        raise ValidationFailed(problems.sorted())
    items = load_items(repo, catalog, problems, progress, preview, cache, changed)
    rules = load_rules(repo.content, repo.rel, problems)
    site = Site(catalog.settings, catalog.agencies, catalog.categories, catalog.topics, items,
                build_date or today_in_china(), topic_aliases=catalog.topic_aliases, rules=rules,
                preview=preview)
    check_relations(site, problems)
    return site


def _cached_catalog(repo: Repository, problems: Problems, cache: ItemCache | None,
                    changed: set[str] | None) -> Catalog | None:
    """The catalog, read again only when one of its files changed (then every item too:
    items point at its agencies and categories)."""
    if cache is None:
        return load_catalog(repo, problems)
    signature = tuple(_signature(repo.catalog / name) for name in CATALOG_FILES)
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


def today_in_china() -> dt.date:
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=8)).date()


# --- catalog -------------------------------------------------------------------------------

def load_catalog(repo: Repository, problems: Problems) -> Catalog | None:
    docs = {}
    for name in CATALOG_FILES:
        path = repo.catalog / name
        display = repo.rel(path)
        if not path.exists():
            problems.add(display, None, None, "缺少目录定义文件")
            continue
        try:
            docs[name] = (read_yaml(path, display), display)
        except SourceError as exc:
            problems.extend([exc.problem])
    results = {}
    for name, model in (("site.yml", SiteSettings), ("agencies.yml", AgencyList),
                        ("categories.yml", CategoryTree), ("topics.yml", TopicTree)):
        if name not in docs:
            continue
        doc, display = docs[name]
        value, found = validate(model, doc, display)
        problems.extend(found)
        results[name] = value
    if any(v is None for v in results.values()) or len(results) < len(CATALOG_FILES):
        return None
    agencies = results["agencies.yml"].agencies
    _unique(problems, "catalog/agencies.yml", docs["agencies.yml"][0],
            [(a.code, ("agencies", i, "code")) for i, a in enumerate(agencies)], "机构代码")
    _unique(problems, "catalog/agencies.yml", docs["agencies.yml"][0],
            [(a.name, ("agencies", i, "name")) for i, a in enumerate(agencies)], "机构名称")
    _unique(problems, "catalog/agencies.yml", docs["agencies.yml"][0],
            [(a.slug, ("agencies", i, "slug")) for i, a in enumerate(agencies)], "简称代码")
    cat_doc = docs["categories.yml"][0]
    roots = [_category(d, None, cat_doc, ("categories", i))
             for i, d in enumerate(results["categories.yml"].categories)]
    seen: dict[str, Category] = {}
    for root in roots:
        for cat in root.walk():
            if cat.code in seen:
                problems.add("catalog/categories.yml", None, "代码", f"目录代码“{cat.code}”重复")
            seen[cat.code] = cat
    topics: dict[str, tuple[str, ...]] = {}
    aliases: dict[str, str] = {}
    for topic in results["topics.yml"].topics:
        topics[topic.name] = tuple(topic.children)
        for alias in topic.aliases:
            aliases[alias] = topic.name
    return Catalog(results["site.yml"], agencies, roots, topics, aliases)


def _unique(problems: Problems, file: str, doc, values: Iterable[tuple[str, tuple]], what: str) -> None:
    seen: dict[str, tuple] = {}
    for value, path in values:
        if value in seen:
            problems.add(file, doc.line_of(path), what,
                         f"{what}“{value}”重复（第 {doc.line_of(seen[value])} 行已经用过）")
        else:
            seen[value] = path


def _category(d: CategoryDef, parent: Category | None, doc, path: tuple) -> Category:
    cat = Category(d.code, d.name, d.description, d.basis, d.time_limit, d.update_cycle,
                   d.report_row, d.interpretation, d.needs_interpretation, parent,
                   line=doc.line_of(path + ("code",)))
    cat.children = [_category(c, cat, doc, path + ("children", i)) for i, c in enumerate(d.children)]
    return cat


# --- items ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _ItemResult:
    """What reading one item file gave: the item (None if invalid) and the file's problems."""

    signature: tuple | None  # (mtime_ns, size) of the file and its attachments when read
    item: Item | None
    problems: tuple
    id_line: int | None  # the 索引号's line, for a duplicate found later


class ItemCache:
    """Item files already read, for a preview that re-reads only what changed.

    Valid for one catalog, build date and mode: whoever keeps it starts a new one when the
    catalog changes. ``changed`` names the files to read again (from file events); without it
    every file's (mtime, size) is compared with the last read.
    """

    def __init__(self) -> None:
        self.results: dict[str, _ItemResult] = {}
        #: (catalog files' signatures, the catalog, its problems)
        self.catalog: tuple | None = None
        self.files: list[tuple[Path, str]] | None = None
        self.pages: list[tuple[Path, str]] = []
        self.reread = 0  # files read by the last load, for figures

    def listing(self, repo: "Repository", changed: set[str] | None) -> tuple[list, list]:
        """The item and page files, walking content/ only when a file may have come or gone."""
        if self.files is None or changed is None or any(
                name not in self.results for name in changed if not _is_page(name)) or any(
                not (repo.root / name).exists() for name in changed):
            self.files, self.pages = repo.markdown_files()
        return self.files, self.pages


def _is_page(display: str) -> bool:
    parts = display.split("/")
    return len(parts) > 1 and parts[1] in NON_ITEM_DIRS


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _signatures(repo: Repository, path: Path, item: Item | None) -> tuple:
    """(mtime, size) of an item file and of each of its attachments."""
    attachments = item.attachments if item is not None else ()
    return (_signature(path),) + tuple(_signature(repo.root / a.source) for a in attachments)


def load_items(repo: Repository, catalog: Catalog, problems: Problems,
               progress: Progress | None = None, preview: bool = False,
               cache: ItemCache | None = None, changed: set[str] | None = None) -> list[Item]:
    """``cache``/``changed``: reuse what earlier loads read (see ``ItemCache``)."""
    by_name = {a.name: a for a in catalog.agencies} | {a.code: a for a in catalog.agencies}
    categories = {c.code: c for root in catalog.categories for c in root.walk()}
    id_pattern = re.compile(catalog.settings.id_pattern)
    items: list[Item] = []
    first_seen: dict[str, str] = {}
    files, pages = cache.listing(repo, changed) if cache is not None else repo.markdown_files()
    report = progress if progress is not None and len(files) >= PROGRESS_MIN else None
    results = cache.results if cache is not None else {}
    if cache is not None:
        cache.reread = 0
        present = {display for _, display in files}
        for gone in [name for name in results if name not in present]:
            del results[gone]
    # an attachment sits beside its item: a changed one means reading the items there again
    touched_dirs = {name.rpartition("/")[0] for name in changed if not name.endswith(".md")} if changed else set()
    for count, (path, display) in enumerate(files, 1):
        if report is not None and (count % PROGRESS_STEP == 0 or count == len(files)):
            report(f"已读取 {count}/{len(files)} 个条目文件")
        result = results.get(display)
        if result is not None:
            if changed is not None:
                fresh = display not in changed and display.rpartition("/")[0] not in touched_dirs
            else:
                fresh = result.signature is not None and result.signature == _signatures(repo, path, result.item)
            if not fresh:
                result = None
        if result is None:
            read = _read_item(path, display, by_name, categories, catalog, id_pattern, preview)
            signature = _signatures(repo, path, read[0]) if cache is not None else None
            result = _ItemResult(signature, read[0], read[1], read[2])
            if cache is not None:
                results[display] = result
                cache.reread += 1
        problems.extend(result.problems)
        item = result.item
        if item is None:
            continue
        if item.id in first_seen:
            problems.add(display, result.id_line, "索引号",
                         f"索引号“{item.id}”与 {first_seen[item.id]} 重复：索引号必须唯一，且不得复用")
            continue
        first_seen[item.id] = display
        items.append(item)
    guards.check_pages(pages, problems)
    return items


def _read_item(path: Path, display: str, by_name, categories, catalog: Catalog, id_pattern,
               preview: bool) -> tuple[Item | None, tuple, int | None]:
    """One item file read, validated and guarded: (item or None, its problems, 索引号 line)."""
    problems = Problems()
    source, fm = read_and_validate(path, display, FrontMatter, problems)
    if source is None:
        return None, tuple(problems.items), None
    guards.check_item(source, fm, path, display, problems)
    if fm is None:
        return None, tuple(problems.items), None
    item = _item(source, fm, path, display, by_name, categories, catalog, id_pattern, problems, preview)
    return item, tuple(problems.items), source.front.line_of(_key(source, "id"))


def _key(source: MarkdownSource, name: str) -> tuple[str]:
    """The key as written (English or Chinese), for line look-ups."""
    data = source.front.data
    return (name,) if name in data else (LABELS.get(name, name),)


def _item(source, fm: FrontMatter, path: Path, display: str, agencies, categories, catalog,
          id_pattern, problems: Problems, preview: bool = False) -> Item | None:
    ok = True

    def error(name: str, message: str) -> None:
        nonlocal ok
        ok = False
        problems.add(display, source.front.line_of(_key(source, name)), LABELS.get(name, name), message)

    agency = agencies.get(fm.agency)
    if agency is None:
        error("agency", f"发布机构“{fm.agency}”未在 catalog/agencies.yml 中定义；可用："
              + "、".join(a.name for a in catalog.agencies))
    category = categories.get(fm.category)
    if category is None:
        error("category", f"目录代码“{fm.category}”未在 catalog/categories.yml 中定义")
    m = id_pattern.fullmatch(fm.id)
    if m is None:
        error("id", f"索引号“{fm.id}”不符合格式（{catalog.settings.id_format}），例如“002501001/2024-00012”")
    elif agency is not None:
        if m["agency"] != agency.code:
            error("id", f"索引号中的机构代码“{m['agency']}”与发布机构“{agency.name}”的代码“{agency.code}”不一致")
        if int(m["year"]) not in (fm.published.year, fm.created.year):
            error("id", f"索引号中的年份 {m['year']} 与成文日期、发布日期的年份都不一致")
    if fm.topic is not None:
        top, _, second = fm.topic.partition("\\")
        top = catalog.topic_aliases.get(top, top)
        if top not in catalog.topics:
            error("topic", f"主题分类“{fm.topic}”的一级主题“{top}”不在 22 类主题分类中")
        elif second and second not in catalog.topics[top]:
            error("topic", f"“{second}”不是“{top}”下的二级主题；可用："
                  + "、".join(catalog.topics[top]))
    if not fm.draft and (fm.review is None or fm.review.result != vocab.APPROVED):
        message = ("未经保密审查同意的条目不能发布：请补充审查记录（审查结果: 同意公开），"
                   "或写 draft: true 暂存为草稿")
        if preview:  # the editor may look at it before the review; the publish still refuses it
            problems.add(display, source.front.line_of(_key(source, "review")), LABELS.get("review", "review"),
                         message, "warning")
        else:
            error("review", message)
    attachments = []
    for i, ref in enumerate(fm.attachments):
        file = path.parent / ref.file
        line = source.front.line_of(_key(source, "attachments") + (i,))
        if "/" in ref.file or "\\" in ref.file or ref.file.startswith("."):
            problems.add(display, line, "附件", f"附件“{ref.file}”应与条目放在同一目录，只写文件名")
            ok = False
        elif not file.is_file():
            problems.add(display, line, "附件", f"附件文件“{ref.file}”不存在（应放在 {repo_dir(display)} 目录下）")
            ok = False
        elif file.suffix.lower() == ".md":
            problems.add(display, line, "附件", "附件不能是 .md 文件（会被当作条目读取）")
            ok = False
        else:
            attachments.append(Attachment(ref.file, ref.title or file.stem, file.stat().st_size,
                                          file.suffix.lstrip(".").upper() or "文件",
                                          display.rsplit("/", 1)[0] + "/" + ref.file))
    if not ok:
        return None
    return Item(
        id=fm.id, title=fm.title, agency=agency, category=category, created=fm.created,
        published=fm.published, doc_number=fm.doc_number, status=fm.status, repealed=fm.repealed,
        superseded_by=fm.superseded_by, topic=fm.topic, keywords=tuple(fm.keywords),
        summary=fm.summary or plain_summary(source.body), disclosure=fm.disclosure,
        audience=fm.audience, channels=tuple(fm.channels), interprets=fm.interprets,
        review=fm.review, notice_period=fm.notice_period, attachments=tuple(attachments),
        draft=fm.draft, body=source.body, source=display, body_line=source.body_line,
        lines=_field_lines(source, fm))


def _field_lines(source: MarkdownSource, fm: FrontMatter) -> dict[str, int]:
    """Field -> the line it is written on (``line_of(_key(...))``, without the calls)."""
    front = source.front
    data, written = front.data, front.lines
    lines = {}
    for name in fm.model_fields_set:
        path = (name,) if name in data else (LABELS.get(name, name),)
        line = written.get(path)
        lines[name] = (line if line is not None else front.line_of(path)) or 1
    return lines


def repo_dir(display: str) -> str:
    return display.rsplit("/", 1)[0] if "/" in display else "."


def check_relations(site: Site, problems: Problems) -> None:
    """解读 and 替代 references must name an existing item."""
    known = {i.id: i for i in site.items}
    for item in site.items:
        for name, label, target in (("interprets", "解读对象", item.interprets),
                                    ("superseded_by", "替代文件", item.superseded_by)):
            if target is None:
                continue
            if target not in known:
                problems.add(item.source, item.lines.get(name), label, f"引用的索引号“{target}”不存在")
            elif (item.visibility(site.build_date) == "public"
                  and known[target].visibility(site.build_date) != "public"):
                problems.add(item.source, item.lines.get(name), label,
                             f"引用的“{target}”尚未公开，链接暂不显示", "warning")


def check_empty_columns(site: Site, problems: Problems) -> None:
    """A column with nothing published fails inspections (国办秘函〔2019〕19号): say so early."""
    for category in site.category_by_code.values():
        if not site.items_in(category):
            problems.add("catalog/categories.yml", category.line, "目录",
                         f"栏目“{category.name}”（{category.code}）没有已公开的信息：网站检查会把空白栏目"
                         "判为不合格，请补充信息或从基本目录中删去该栏目", "warning")
    if not site.rules:
        problems.add("content/" + "/".join(RULES_DIR), None, None,
                     "“政府信息公开制度”栏目没有内容：请在此目录下为每项制度写一个 Markdown 文件", "warning")
