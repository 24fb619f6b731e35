"""Load and validate ``catalog/`` and the items under ``content/`` into a ``Site``.

Every file is read and every problem collected before anything fails, so an
editor fixes a whole batch in one pass. Nothing here writes a file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from gongkai import vocab
from gongkai.guards import attachments as attachment_guard
from gongkai.guards import findings as guards
from gongkai.guards.markup import BodyJudge
from gongkai.guards.wording import BUILT_IN, Lexicon, Word
from gongkai.load.body_style import check_body
from gongkai.load.rules import RULES_DIR, load_rules
from gongkai.load.synonyms import load_synonyms
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
    WordingList,
)
from gongkai.schema.front_matter import LABELS, FrontMatter
from gongkai.text import plain_summary
from gongkai.urls import gov_host_problem

#: folders under content/ that hold other Markdown than items
NON_ITEM_DIRS = ("annual", "pages")
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

    def markdown_files(self, refused: list[tuple[str, str]] | None = None
                       ) -> tuple[list[tuple[Path, str]], list[tuple[Path, str]]]:
        """(items, other pages): every ``*.md`` under content/ outside hidden folders, as
        (path, path relative to the root), in the order of ``sorted(content.rglob("*.md"))``.
        Names ending in .md that are not regular files (symbolic links, folders) are left
        out and, when ``refused`` is given, added to it as (path relative to the root, reason);
        so are names an editor meant as Markdown that are not read (``00008.MD``, ``00008.md.txt``).

        One ``os.scandir`` walk with plain strings: on a large site ``rglob`` and
        ``Path.relative_to`` cost more than reading the files.
        """
        content = self.content
        if not content.is_dir():
            return [], []
        found: list[tuple[str, ...]] = []
        odd: list[tuple[tuple[str, ...], str]] = []
        _walk(str(content), (), found, odd)
        found.sort()  # tuples of parts sort as Path objects do
        prefix = self.rel(content) + "/"
        if refused is not None:
            refused.extend((prefix + "/".join(parts), reason) for parts, reason in sorted(odd))
        items: list[tuple[Path, str]] = []
        pages: list[tuple[Path, str]] = []
        for parts in found:
            entry = (content.joinpath(*parts), prefix + "/".join(parts))
            (pages if parts[0] in NON_ITEM_DIRS else items).append(entry)
        return items, pages


#: names an editor meant as Markdown that ``*.md`` misses: upper case (``.MD``), an extension
#: Windows Notepad adds (``.md.txt``), the long form (``.markdown``)
_MISNAMED = re.compile(r".*\.(?:md|markdown|mdown)(?:\.txt)?", re.I)


def misnamed_message(name: str) -> str:
    stem = re.sub(r"\.(?:md|markdown|mdown)(?:\.txt)?$", "", name, flags=re.I)
    return (f"文件名“{name}”不以小写的 .md 结尾，不会被当作条目读取，也不会发布："
            f"请改名为“{stem}.md”（Windows 上请先在资源管理器“查看”中勾选“文件扩展名”，"
            "记事本“另存为”时“保存类型”选“所有文件”）")


def _walk(folder: str, parts: tuple[str, ...], found: list[tuple[str, ...]],
          odd: list[tuple[tuple[str, ...], str]]) -> None:
    """What ``Path.rglob("*.md")`` visits, less anything hidden (which callers skip anyway):
    regular files named *.md, and sub-folders that are not symbolic links. A symbolic link
    or a folder named *.md goes to ``odd`` with the reason: a link could publish a file
    from outside content/."""
    try:
        with os.scandir(folder) as entries:
            listing = list(entries)
    except PermissionError:
        return
    for entry in listing:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if name.endswith(".md"):
            if entry.is_symlink():
                odd.append((parts + (name,), "是符号链接：条目和页面只能是 content/ 中的普通文件，"
                            "请把文件本身放在这里（链接可能把 content/ 以外的文件发布出去）"))
            elif is_dir:
                odd.append((parts + (name,), "是一个以 .md 结尾的目录：请改名，目录名不能以 .md 结尾"))
            else:
                found.append(parts + (name,))
        elif _MISNAMED.fullmatch(name) and entry.is_file(follow_symlinks=False):
            odd.append((parts + (name,), misnamed_message(name)))
        if is_dir:
            _walk(entry.path, parts + (name,), found, odd)


@dataclass
class Catalog:
    settings: SiteSettings
    agencies: list
    categories: list[Category]
    topics: dict[str, tuple[str, ...]]
    topic_aliases: dict[str, str]
    wording: Lexicon = BUILT_IN


def load_model(root: Path, build_date: dt.date | None = None, problems: Problems | None = None,
               progress: Progress | None = None, judge: BodyJudge | None = None,
               preview: bool = False, cache: ItemCache | None = None,
               changed: set[str] | None = None) -> Site:
    """Catalog, items and rules pages, validated and linked; every problem goes to ``problems``.

    Raises ValidationFailed only when the catalog itself is unusable (nothing else can be
    checked without it); otherwise the caller decides when the collected errors stop the build.
    ``judge``: convert bodies and judge their HTML (``gongkai check``); without it the
    generator judges the HTML it converts.
    ``progress`` receives a Chinese status line now and then on large sites. ``preview``: drafts
    and unreviewed items are shown (the preview server only, never a publish); ``cache`` and
    ``changed``: see ``ItemCache``.
    """
    problems = problems if problems is not None else Problems()
    repo = Repository(Path(root))
    catalog = _cached_catalog(repo, problems, cache, changed)
    if catalog is None:
        raise ValidationFailed(problems.sorted())
    build_date = build_date or today_in_china()
    items = load_items(repo, catalog, problems, progress, build_date, judge, preview, cache, changed)
    rules = load_rules(repo.content, repo.rel, problems)
    site = Site(catalog.settings, catalog.agencies, catalog.categories, catalog.topics, items,
                build_date, topic_aliases=catalog.topic_aliases, rules=rules,
                root=Path(root), synonyms=load_synonyms(repo, problems), preview=preview)
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
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).date()


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
    guards.check_catalog(repo.catalog, repo.rel, problems, {display: doc for doc, display in docs.values()},
                         skip=(repo.rel(repo.catalog / "FIELDS.md"),))
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
    check_footer(results["site.yml"], problems)
    check_elements(roots, problems)
    for i, agency in enumerate(agencies):
        _head_photo(repo, agency, docs["agencies.yml"][0].line_of(("agencies", i, "head_photo")), problems)
    wording = load_wording(repo, problems)
    return Catalog(results["site.yml"], agencies, roots, topics, aliases,
                   wording if wording is not None else BUILT_IN)


def check_footer(settings: SiteSettings, problems: Problems) -> None:
    """A footer without these marks loses points in every inspection: say which key is missing."""
    for key, what in FOOTER_MARKS:
        if getattr(settings, key) is None:
            problems.add("catalog/site.yml", None, key, f"页脚缺少{what}：请在 catalog/site.yml 中填写 {key}",
                         "warning")


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


def _head_photo(repo: Repository, agency, line: int | None, problems: Problems) -> None:
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


def _unique(problems: Problems, file: str, doc, values: Iterable[tuple[str, tuple]], what: str) -> None:
    seen: dict[str, tuple] = {}
    for value, path in values:
        if value in seen:
            problems.add(file, doc.line_of(path), what,
                         f"{what}“{value}”重复（第 {doc.line_of(seen[value])} 行已经用过）")
        else:
            seen[value] = path


def _category(d: CategoryDef, parent: Category | None, doc, path: tuple) -> Category:
    def inherited(name: str):
        own = getattr(d, name)
        return own if own is not None else (getattr(parent, name) if parent is not None else None)

    cat = Category(d.code, d.name, d.description, d.basis, d.time_limit, d.update_cycle,
                   d.report_row, d.interpretation, d.needs_interpretation, parent,
                   line=doc.line_of(path + ("code",)), subject=inherited("subject"),
                   method=tuple(inherited("method") or ()), channels=tuple(inherited("channels") or ()),
                   audience=inherited("audience"), empty_note=d.empty_note)
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
        self.refused: list[tuple[str, str]] = []  # files under content/ refused at the last walk

    def listing(self, repo: Repository, changed: set[str] | None) -> tuple[list, list]:
        """The item and page files, walking content/ only when a file may have come or gone."""
        if self.files is None or changed is None or any(
                name not in self.results for name in changed if not _is_page(name)) or any(
                not (repo.root / name).exists() for name in changed):
            self.refused = []
            self.files, self.pages = repo.markdown_files(self.refused)
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
               progress: Progress | None = None, build_date: dt.date | None = None,
               judge: BodyJudge | None = None, preview: bool = False,
               cache: ItemCache | None = None, changed: set[str] | None = None) -> list[Item]:
    """``cache``/``changed``: reuse what earlier loads read (see ``ItemCache``)."""
    by_name = {a.name: a for a in catalog.agencies} | {a.code: a for a in catalog.agencies}
    categories = {c.code: c for root in catalog.categories for c in root.walk()}
    id_pattern = re.compile(catalog.settings.id_pattern)
    items: list[Item] = []
    first_seen: dict[str, str] = {}
    if cache is not None:
        files, pages = cache.listing(repo, changed)
        refused = cache.refused
    else:
        refused = []
        files, pages = repo.markdown_files(refused)
    for display, reason in refused:
        problems.add(display, None, None, reason)
    build_date = build_date or today_in_china()
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
            read = _read_item(path, display, by_name, categories, catalog, id_pattern, preview,
                              repo.content, build_date, judge)
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
    guards.check_pages(pages, problems, words=catalog.wording, judge=judge,
                       filled_later=(repo.rel(repo.content / "annual") + "/",))
    return items


def _read_item(path: Path, display: str, by_name, categories, catalog: Catalog, id_pattern,
               preview: bool, content: Path, build_date: dt.date, judge: BodyJudge | None
               ) -> tuple[Item | None, tuple, int | None]:
    """One item file read, validated and guarded: (item or None, its problems, 索引号 line)."""
    problems = Problems()
    source, fm = read_and_validate(path, display, FrontMatter, problems)
    if source is None:
        return None, tuple(problems.items), None
    guards.check_item(source, fm, path, display, problems, words=catalog.wording, judge=judge)
    check_body(source.body, source.body_line, display, problems)
    if fm is None:
        _check_references(source, display, by_name, categories, catalog, problems)
        return None, tuple(problems.items), None
    item = _item(source, fm, path, display, by_name, categories, catalog, id_pattern, problems,
                 content, build_date, preview)
    return item, tuple(problems.items), source.front.line_of(_key(source, "id"))


def _key(source: MarkdownSource, name: str) -> tuple[str]:
    """The key as written (English or Chinese), for line look-ups."""
    data = source.front.data
    return (name,) if name in data else (LABELS.get(name, name),)


def _item(source, fm: FrontMatter, path: Path, display: str, agencies, categories, catalog,
          id_pattern, problems: Problems, content: Path, build_date: dt.date,
          preview: bool = False) -> Item | None:
    ok = True

    def error(name: str, message: str) -> None:
        nonlocal ok
        ok = False
        problems.add(display, source.front.line_of(_key(source, name)), LABELS.get(name, name), message)

    agency = agencies.get(fm.agency)
    if agency is None:
        error("agency", f"发布机构“{fm.agency}”未在 catalog/agencies.yml 中定义；可用："
              + "、".join(a.name for a in catalog.agencies))
    category = categories.get(fm.category) or _category_by_name(fm.category, categories)
    if category is None:
        error("category", _unknown_category(fm.category, categories))
    m = id_pattern.fullmatch(fm.id)
    if m is None:
        error("id", f"索引号“{fm.id}”不符合格式（{catalog.settings.id_format}），例如“002501001/2024-00012”")
    elif agency is not None:
        if m["agency"] != agency.code:
            error("id", f"索引号中的机构代码“{m['agency']}”与发布机构“{agency.name}”的代码“{agency.code}”不一致")
        if int(m["year"]) not in (fm.published.year, fm.created.year):
            error("id", f"索引号中的年份 {m['year']} 与成文日期、发布日期的年份都不一致")
    topic = fm.topic
    if topic is not None and "\\" not in topic:
        topic = _topic_by_separator(topic, catalog)
    if topic is not None:
        top, _, second = topic.partition("\\")
        top = catalog.topic_aliases.get(top, top)
        if top not in catalog.topics:
            every = [f"{t}\\{c}" for t, children in catalog.topics.items() for c in children]
            close = difflib.get_close_matches(fm.topic, every, n=1, cutoff=0.6)
            error("topic", f"主题分类“{fm.topic}”的一级主题“{top}”不在 22 类主题分类中"
                  + (f"，是不是“{close[0]}”？" if close else "")
                  + "（写作“一级\\二级”，中间是反斜杠“\\”，例如“民政、扶贫、救灾\\扶贫”）")
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
        refused = attachment_guard.problem(path, ref.file, content)
        if refused is not None:
            problems.add(display, line, "附件", refused)
            ok = False
        elif not file.is_file():
            problems.add(display, line, "附件", f"附件文件“{ref.file}”不存在（应放在 {repo_dir(display)} 目录下）")
            ok = False
        else:
            attachments.append(Attachment(ref.file, ref.title or file.stem, file.stat().st_size,
                                          file.suffix.lstrip(".").upper() or "文件",
                                          display.rsplit("/", 1)[0] + "/" + ref.file))
    if not ok:
        return None
    announced = fm.repealed is not None and fm.repealed > build_date
    return Item(
        id=fm.id, title=fm.title, agency=agency, category=category, created=fm.created,
        published=fm.published, doc_number=fm.doc_number,
        # a repeal announced in advance: in force until its day, which the daily build flips
        status=vocab.STATUSES[0] if announced else fm.status, announced=fm.status if announced else None,
        repealed=fm.repealed,
        superseded_by=fm.superseded_by, topic=topic, keywords=tuple(fm.keywords),
        summary=fm.summary or plain_summary(source.body), disclosure=fm.disclosure,
        audience=fm.audience, channels=tuple(fm.channels), interprets=fm.interprets,
        review=fm.review, notice_period=fm.notice_period, attachments=tuple(attachments),
        draft=fm.draft, body=source.body, source=display, body_line=source.body_line,
        lines=_field_lines(source, fm))


def _check_references(source: MarkdownSource, display: str, agencies, categories, catalog: Catalog,
                      problems: Problems) -> None:
    """目录 and 发布机构 of an item whose other fields are wrong, so both are fixed in one
    round (a bad date would otherwise hide a bad 目录 until it is fixed)."""
    data = source.front.data
    if not isinstance(data, dict):  # front matter that is no mapping is reported as such
        return
    reported = {p.field for p in problems.items if p.file == display}
    for name, known, message in (
            ("category", lambda v: v in categories or _category_by_name(v, categories),
             lambda v: _unknown_category(v, categories)),
            ("agency", lambda v: v in agencies,
             lambda v: f"发布机构“{v}”未在 catalog/agencies.yml 中定义；可用："
                       + "、".join(a.name for a in catalog.agencies))):
        label = LABELS.get(name, name)
        key = label if label in data else name
        value = data.get(key)
        if isinstance(value, str) and value.strip() and label not in reported and not known(value.strip()):
            problems.add(display, source.front.line_of((key,)), label, message(value.strip()))


def _category_by_name(text: str, categories: dict[str, Category]) -> Category | None:
    """目录 written as the column's name (``行政处罚和行政强制``) rather than its code."""
    named = [c for c in categories.values() if c.name == text.strip()]
    return named[0] if len(named) == 1 else None


def _unknown_category(text: str, categories: dict[str, Category]) -> str:
    names = {c.name: c for c in categories.values()}
    close = difflib.get_close_matches(text, list(names), n=1, cutoff=0.5) \
        or difflib.get_close_matches(text, list(categories), n=1, cutoff=0.6)
    message = f"目录代码“{text}”未在 catalog/categories.yml 中定义"
    if not close:
        return message
    cat = names.get(close[0]) or categories[close[0]]
    return message + f"，是不是“{cat.code}”（{cat.name}）？目录可写代码，也可写栏目名称"


def _topic_by_separator(topic: str, catalog: Catalog) -> str:
    """``一级\\二级`` from what an input method makes of the backslash: the full-width ``＼``
    or ``、`` (which also joins words inside a top-level name, so each split is tried)."""
    if "＼" in topic:
        return topic.replace("＼", "\\", 1)
    if topic in catalog.topics or catalog.topic_aliases.get(topic) in catalog.topics:
        return topic
    for i, ch in enumerate(topic):
        if ch == "、":
            top, second = topic[:i], topic[i + 1:]
            top = catalog.topic_aliases.get(top, top)
            if second in catalog.topics.get(top, ()):
                return f"{top}\\{second}"
    return topic


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
        if not site.items_in(category) and category.empty_note is None:
            problems.add("catalog/categories.yml", category.line, "目录",
                         f"栏目“{category.name}”（{category.code}）没有已公开的信息：网站检查会把空白栏目"
                         "判为不合格，请补充信息，或用 empty_note 写明暂无信息的原因（例如“本机关无此职责”）", "warning")
    if not site.rules:
        problems.add("content/" + "/".join(RULES_DIR), None, None,
                     "“政府信息公开制度”栏目没有内容：请在此目录下为每项制度写一个 Markdown 文件", "warning")


def check_site_url(root: Path, problems: Problems, config: str = "mkdocs.yml") -> None:
    """The build warns when site_url is not a .gov.cn address (and --strict stops on it);
    ``gongkai check`` says so too. Read as text: the generator's config is not ours to load."""
    path = Path(root) / config
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return
    for number, line in enumerate(lines, 1):
        m = re.match(r"site_url:\s*['\"]?([^'\"\s#]+)", line)
        if m:
            problem = gov_host_problem(m[1])
            if problem is not None:
                problems.add(config, number, "site_url", problem, "warning")
            return
