"""One row of an export: its fields read and normalised, its body and files brought along.

A row either yields a ``RowFields`` (with the fixes made, to report) or a list of problems,
each ``(字段, 原因)``; nothing is guessed silently.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from gongkai import vocab
from gongkai.author.importer import values
from gongkai.author.importer.columns import BODY, ColumnMap, label
from gongkai.author.importer.files import AttachmentFolder, FileProblem, safe_name
from gongkai.author.importer.html_md import html_to_markdown
from gongkai.author.importer.values import ValueProblem
from gongkai.guards import html as html_guard
from gongkai.schema import doc_number as doc_number_schema
from gongkai.schema.catalog import Agency

Issue = tuple[str, str]  # (field label, Chinese reason)

# Every finding of guards.html needs one of these in the raw text (an unsafe tag, a handler,
# srcdoc, a script:/data: scheme, or an entity that could spell one): bodies without any skip
# the tokenizer. Deliberately wide; the converted Markdown is scanned again in any case.
_MAY_BE_UNSAFE = re.compile(
    r"<\s*(?:script|iframe|frame|object|embed|applet|base|meta)|\bon[a-z]+\s*=|srcdoc|script|data\s*:"
    r"|&#|&(?:colon|tab|newline);", re.I)


@dataclass
class Lookups:
    """The catalog as an import needs it: names to codes."""
    agencies: dict[str, Agency]
    categories: dict[str, str]  # code, name or alias -> code
    category_names: dict[str, str]  # code -> name
    topics: dict[str, tuple[str, ...]]
    topic_aliases: dict[str, str]
    default_agency: Agency | None = None
    default_category: str | None = None
    status_categories: frozenset[str] = frozenset()  # the categories whose documents have a 有效性
    sequence_only: bool = False  # site.yml allows a 发文字号 of a bare sequence (第7号)


@dataclass
class RowFields:
    agency: Agency
    category: str
    title: str
    created: dt.date
    published: dt.date
    old_id: str | None
    doc_number: str | None
    status: str | None  # None: the export says nothing, and nothing is invented
    repealed: dt.date | None
    superseded_by: str | None
    topic: str | None
    keywords: list[str]
    summary: str | None
    disclosure: str | None
    audience: str | None
    channels: list[str]
    html: str
    attachment_refs: list[tuple[str, str]]  # (reference, title)
    fixes: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)  # imported as written, for the editor to verify
    inferred: dict[str, str] = field(default_factory=dict)  # date field -> the field it was taken from


def _get(cells: tuple[object, ...], columns: ColumnMap, name: str) -> object:
    i = columns.column_of(name)
    return cells[i] if i is not None and i < len(cells) else None


def read_fields(cells: tuple[object, ...], columns: ColumnMap, look: Lookups) -> RowFields | list[Issue]:
    problems: list[Issue] = []
    fixes: list[Issue] = []
    text = lambda name: values.cell_text(_get(cells, columns, name))  # noqa: E731

    def attempt(name: str, func, *args):
        try:
            return func(*args)
        except ValueProblem as exc:
            problems.append((label(name), str(exc)))
            return None

    title = re.sub(r"\s+", " ", text("title"))
    if not title:
        problems.append(("标题", "标题为空：没有标题的信息无法导入"))
    agency = look.default_agency
    if text("agency") or agency is None:
        agency = look.agencies.get(text("agency"))
        if agency is None:
            name = text("agency")
            problems.append(("发布机构", (f"发布机构“{name}”未在 catalog/agencies.yml 中定义" if name else
                                      "没有发布机构：请在导出文件中补充，或用 --agency 指定")
                             + "；可用：" + "、".join(sorted({a.name for a in look.agencies.values()}))))
    category = look.default_category
    cell = text("category")
    if cell:
        category = _category(cell, look)
        if category is None:
            problems.append(("目录", f"目录（栏目）“{cell}”不在 catalog/categories.yml 中；可用："
                             + "、".join(f"{n}（{c}）" for c, n in look.category_names.items())
                             + "。名称不同时可在映射文件的 目录对照 中写明"))
    elif category is None:
        problems.append(("目录", "没有目录（栏目）：请在导出文件中补充，或用 --category 指定目录代码"))
    created = attempt("created", values.parse_date, _get(cells, columns, "created"))
    published = attempt("published", values.parse_date, _get(cells, columns, "published"))
    for name in ("created", "published", "repealed"):
        raw = text(name)
        if raw and not any(p[0] == label(name) for p in problems) and _is_cms_empty(raw):
            fixes.append((label(name), f"“{raw}”是旧系统表示“没有日期”的占位值，按空白处理"))
    if created is None and published is None and not any(p[0] in ("成文日期", "发布日期") for p in problems):
        problems.append(("发布日期", "成文日期和发布日期都为空：至少需要一个日期"))
    inferred: dict[str, str] = {}
    if created is None and published is not None and not any(p[0] == "成文日期" for p in problems):
        created = published
        inferred["created"] = "发布日期"
        fixes.append(("成文日期", f"没有成文日期，按发布日期 {published} 填写（文件中已注明“{INFERRED_NOTE % '发布日期'}”，"
                                "请按原件核对）"))
    elif published is None and created is not None and not any(p[0] == "发布日期" for p in problems):
        published = created
        inferred["published"] = "成文日期"
        fixes.append(("发布日期", f"没有发布日期，按成文日期 {created} 填写（文件中已注明“{INFERRED_NOTE % '成文日期'}”，"
                                "请按原网站核对）"))
    number = attempt("doc_number", values.doc_number, _get(cells, columns, "doc_number"))
    doc_number = fix = None
    warnings: list[Issue] = []
    if number is not None:
        doc_number, fix = number
        if fix:
            fixes.append(("发文字号", fix))
    if doc_number and doc_number_schema.is_sequence_only(doc_number) and not look.sequence_only:
        problems.append(("发文字号", doc_number_schema.sequence_refused(doc_number)))
    elif doc_number and created is not None and (year := doc_number_schema.year(doc_number)) is not None \
            and year != created.year:
        warnings.append(("发文字号", _year_warning(doc_number, year, created, inferred.get("created"))))
    status = attempt("status", values.status, _get(cells, columns, "status"))
    repealed = attempt("repealed", values.parse_date, _get(cells, columns, "repealed"))
    if status is None and repealed is not None:
        has_column = columns.column_of("status") is not None
        problems.append(("废止日期", f"写有废止日期 {repealed}，但" + ("有效性为空" if has_column else "导出文件没有有效性列")
                         + "：有废止日期的文件应写明有效性（废止、失效或已修订）；请在导出文件中补上后重新导入"))
    found_topic = attempt("topic", values.topics, _get(cells, columns, "topic"), look.topics, look.topic_aliases)
    topic = None
    if found_topic is not None:
        topic, note = found_topic
        if note:
            fixes.append(("主题分类", note))
    disclosure = text("disclosure") or None
    audience = text("audience") or None
    for name, value, options in (("disclosure", disclosure, vocab.DISCLOSURES),
                                 ("audience", audience, vocab.AUDIENCES)):
        if value is not None and value not in options:
            problems.append((label(name), f"“{value}”不在可选范围内，应为：" + "、".join(options)))
    channels = values.keywords(_get(cells, columns, "channels"))
    for channel in channels:
        if channel not in vocab.CHANNELS:
            problems.append(("公开载体", f"“{channel}”不在可选范围内，应为：" + "、".join(vocab.CHANNELS)))
    html = text(BODY)
    for finding in (html_guard.scan_html(html) if _MAY_BE_UNSAFE.search(html) else ()):
        problems.append(("正文", f"{finding.message}（正文 HTML 第 {finding.line} 行）；请在旧系统中删除后重新导出，"
                                 "或手工整理正文"))
    if problems:
        return problems
    assert agency is not None and category is not None  # either missing added a problem above
    if status == vocab.STATUSES[0] and repealed is None and category not in look.status_categories:
        status = None  # news, reports, statistics: 有效 says nothing about them, so it is not written
    return RowFields(agency, category, title, created, published, text("id") or None, doc_number,
                     status, repealed, text("superseded_by") or None, topic,
                     values.keywords(_get(cells, columns, "keywords")), text("summary") or None,
                     disclosure, audience, channels, html,
                     attachment_refs(text("attachments")), fixes, warnings, inferred)


def _is_cms_empty(raw: str) -> bool:
    try:
        return values.parse_date(raw) is None
    except ValueProblem:
        return False


#: the comment beside a date an import filled from the other one
INFERRED_NOTE = "导入时由%s推定"


def _year_warning(number: str, year: int, created: dt.date, inferred_from: str | None) -> str:
    if inferred_from:
        return (f"发文字号“{number}”的年份是 {year}，而成文日期 {created} 是按{inferred_from}推定的："
                "请按原件补写成文日期（公开时限按成文日期计算）")
    return f"发文字号“{number}”的年份是 {year}，与成文日期 {created} 不一致：请核对成文日期和发文字号"


def _category(cell: str, look: Lookups) -> str | None:
    for candidate in (cell, *reversed(re.split(r"\s*(?:/|\\|>|＞|－|-|→)\s*", cell))):
        code = look.categories.get(candidate.strip())
        if code is not None:
            return code
    return None


def attachment_refs(cell: str) -> list[tuple[str, str]]:
    """(reference, title) from what exports write: names or paths separated by ; | or new
    lines, or HTML links."""
    if not cell:
        return []
    if "<a" in cell.lower():
        soup = BeautifulSoup(cell, "html.parser")
        links = ((a.get("href"), a.get_text(strip=True)) for a in soup.find_all("a", href=True))
        return [(href.strip(), title) for href, title in links if isinstance(href, str) and href.strip()]
    out = []
    for part in re.split(r"[;；|\n]+", cell):
        part = part.strip()
        if part:
            out.append((part, Path(urlsplit(part).path.replace("\\", "/")).stem or part))
    return out


@dataclass
class Carried:
    """Files a row brings along: (source, name beside the item, title)."""
    files: list[tuple[Path, str, str]] = field(default_factory=list)
    problems: list[Issue] = field(default_factory=list)
    fixes: list[Issue] = field(default_factory=list)

    def names(self) -> set[str]:
        return {name for _, name, _ in self.files}


@dataclass(frozen=True, slots=True)
class Body:
    """A body converted, before its files are named: ``gkatt-N-`` stands for ``files[N]``."""
    text: str
    files: tuple[str, ...]  # references found in the attachment folder, in order
    problems: tuple[Issue, ...]
    fixes: tuple[Issue, ...]


_FOLDERS: dict[Path | None, AttachmentFolder] = {}
_FILE_TOKEN = re.compile(r"gkatt-(\d+)-")


def convert_body(html: str, root: Path | None) -> Body:
    """The Markdown of a body and what it points at. Needs nothing but the attachment folder,
    so a large import converts bodies in several processes (``run.convert_all``)."""
    if not html:
        return Body("", (), (), ())
    folder = _FOLDERS.get(root)
    if folder is None:
        folder = _FOLDERS[root] = AttachmentFolder(root)
    files: list[str] = []
    problems: list[Issue] = []
    fixes: list[Issue] = []

    def rewrite(url: str, is_image: bool) -> str | None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "mailto", "ftp") or url.startswith("//"):
            if is_image:
                fixes.append(("正文", f"图片“{url}”在其他网站上，本站不加载外部资源：已改为指向它的链接"))
            return url
        if parts.scheme:
            return None  # the unsafe schemes were reported before; nothing else is a link
        if folder.root is not None:
            try:
                folder.find(url)
            except FileProblem:
                pass
            else:
                files.append(url)
                return f"gkatt-{len(files) - 1}-"
        if is_image:
            problems.append(("正文", f"图片“{url}”在附件目录中找不到，无法导入"))
        else:
            fixes.append(("正文", f"链接“{url}”指向旧网站的页面，迁移后失效：已去掉链接，保留文字"))
        return None

    return Body(html_to_markdown(html, rewrite), tuple(files), tuple(problems), tuple(fixes))


def carry(row: RowFields, body: Body, folder: AttachmentFolder, prefix: str) -> tuple[str, Carried]:
    """The body with its files named ``prefix-…``, and the files it and the 附件 column bring."""
    carried = Carried(problems=list(body.problems), fixes=list(body.fixes))
    taken: dict[Path, str] = {}

    def take(reference: str, title: str) -> str | None:
        try:
            source = folder.find(reference)
        except FileProblem as exc:
            carried.problems.append(("附件", str(exc)))
            return None
        if source in taken:
            return taken[source]
        name = f"{prefix}-{safe_name(source.name)}"
        if name.lower().endswith(".md"):
            carried.problems.append(("附件", f"“{reference}”是 .md 文件：附件不能是 .md 文件（会被当作条目读取）"))
            return None
        taken[source] = name
        carried.files.append((source, name, title or source.stem))
        return name

    names = [take(reference, "") or "" for reference in body.files]
    text = _FILE_TOKEN.sub(lambda m: names[int(m[1])], body.text)
    for reference, title in row.attachment_refs:
        take(reference, title)
    return text, carried
