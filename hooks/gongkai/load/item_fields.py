"""Item validation beyond a single field's form: what an item's front matter says about the
catalog (发布机构, 目录, 主题分类), its 索引号, its review record and its attachments; and the
``Item`` built when all of it holds."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gongkai import vocab
from gongkai.guards import attachments as attachment_guard
from gongkai.guards import pii
from gongkai.load.catalog import Catalog
from gongkai.load.context import LoadContext
from gongkai.load.owners import names, people_declared
from gongkai.model import Attachment, Category, Exemption, Item
from gongkai.problems import Problems
from gongkai.read.source import MarkdownSource
from gongkai.schema import doc_number
from gongkai.schema.catalog import Agency
from gongkai.schema.front_matter import LABELS, FrontMatter, parse_bool
from gongkai.text import plain_summary


@dataclass
class ItemFile:
    """One item file being checked: its source, where its problems go, and whether it may
    still become an item."""

    ctx: LoadContext
    source: MarkdownSource
    path: Path
    display: str
    problems: Problems
    ok: bool = True
    #: a 索引号 that must be numbered anew: (message, agency code, year), reported once every
    #: file is read, with the next number nobody uses
    renumber: tuple[str, str, int] | None = None

    def line(self, name: str, *within: int) -> int | None:
        """The line of a top-level field (or of an entry in it), however the key is written."""
        return self.source.front.line_of(key(self.source, name) + within)

    def error(self, name: str, message: str) -> None:
        """An error on a field: the file does not become an item."""
        self.ok = False
        self.problems.add(self.display, self.line(name), LABELS.get(name, name), message)

    def sub_line(self, name: str, *within: str | int) -> int | None:
        """The line of a key inside a block (``审查`` → ``审查人``), however each key is written;
        the block's own line when the key is not found there."""
        path: tuple[str | int, ...] = key(self.source, name)
        node = self.source.front.data
        node = node.get(path[0]) if isinstance(node, dict) else None
        for part in within:
            if isinstance(part, str) and isinstance(node, dict):
                part = part if part in node else LABELS.get(part, part)
                node = node.get(part)
            elif isinstance(part, int) and isinstance(node, list) and part < len(node):
                node = node[part]
            else:
                break
            path += (part,)
        return self.source.front.line_of(path)

    def error_at(self, line: int | None, label: str, message: str) -> None:
        """An error on a key inside a block, at ``line``."""
        self.ok = False
        self.problems.add(self.display, line, label, message)


def key(source: MarkdownSource, name: str) -> tuple[str]:
    """The key as written (English or Chinese), for line look-ups."""
    data = source.front.data
    return (name,) if name in data else (LABELS.get(name, name),)


def build_item(file: ItemFile, fm: FrontMatter) -> Item | None:
    """The item, or None when something is wrong (each problem added to ``file.problems``)."""
    agency = _agency(file, fm)
    category = _category(file, fm)
    _check_id(file, fm, agency)
    topic = _topic(file, fm)
    # A file in another agency's folder, or a copied import record, is one problem: the
    # review record is then checked against nobody's reviewers.
    if agency is not None and _check_folder(file, agency) and _check_imported(file, fm, agency):
        _check_reviewers(file, fm, agency)
    _check_exception(file, fm)
    _check_review(file, fm)
    _check_doc_number(file, fm)
    attachments = _attachments(file, fm)
    if not file.ok or agency is None or category is None:
        return None
    announced = fm.repealed is not None and fm.repealed > file.ctx.build_date
    source, display = file.source, file.display
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
        lines=_field_lines(source, fm), exemptions=_exemptions(file, fm))


def _check_doc_number(file: ItemFile, fm: FrontMatter) -> None:
    """A bare ``第7号`` is a form of the schema that only some sites use (site.yml says)."""
    if fm.doc_number and doc_number.is_sequence_only(fm.doc_number) \
            and not file.ctx.catalog.settings.doc_number_sequence_only:
        file.error("doc_number", doc_number.sequence_refused(fm.doc_number))


def _agency(file: ItemFile, fm: FrontMatter) -> Agency | None:
    agency = file.ctx.agencies.get(fm.agency)
    if agency is None:
        file.error("agency", _unknown_agency(fm.agency, file.ctx.catalog))
    return agency


def _category(file: ItemFile, fm: FrontMatter) -> Category | None:
    categories = file.ctx.categories
    category = categories.get(fm.category) or _category_by_name(fm.category, categories)
    if category is None:
        file.error("category", _unknown_category(fm.category, categories))
    return category


def _check_id(file: ItemFile, fm: FrontMatter, agency: Agency | None) -> None:
    m = file.ctx.id_pattern.fullmatch(fm.id)
    wrong = []
    if m is None:
        wrong.append(_id_format_message(file, fm.id))
    elif agency is not None:
        if m["agency"] != agency.code:
            wrong.append(f"索引号中的机构代码“{m['agency']}”与发布机构“{agency.name}”的代码“{agency.code}”不一致")
        if int(m["year"]) not in (fm.published.year, fm.created.year):
            wrong.append(f"索引号中的年份 {m['year']} 与成文日期、发布日期的年份都不一致")
    if not wrong:
        return
    if agency is None:  # no agency to number it under: the 发布机构 is reported too
        file.error("id", "；".join(wrong))
    else:
        file.ok = False
        file.renumber = ("；".join(wrong), agency.code, fm.published.year)


def _is_true(value: object) -> bool:
    try:
        return parse_bool(value) if value is not None else False
    except ValueError:  # not a yes or no: reported on its own line
        return False


def _id_format_message(file: ItemFile, written: str) -> str:
    return (f"索引号“{written}”不符合格式（{file.ctx.catalog.settings.id_format}），"
            "例如“002501001/2024-00012”")


def _topic(file: ItemFile, fm: FrontMatter) -> str | None:
    """The 主题分类 as ``一级\\二级`` (what an input method made of the backslash repaired)."""
    written = fm.topic
    if written is None:
        return None
    catalog = file.ctx.catalog
    topic = written if "\\" in written else _topic_by_separator(written, catalog)
    top, _, second = topic.partition("\\")
    top = catalog.topic_aliases.get(top, top)
    if top not in catalog.topics:
        every = [f"{t}\\{c}" for t, children in catalog.topics.items() for c in children]
        close = difflib.get_close_matches(written, every, n=1, cutoff=0.6)
        file.error("topic", f"主题分类“{written}”的一级主题“{top}”不在 22 类主题分类中"
                   + (f"，是不是“{close[0]}”？" if close else "")
                   + "（写作“一级\\二级”，中间是反斜杠“\\”，例如“民政、扶贫、救灾\\扶贫”）")
    elif second and second not in catalog.topics[top]:
        file.error("topic", f"“{second}”不是“{top}”下的二级主题；可用："
                   + "、".join(catalog.topics[top]))
    return topic


def _check_review(file: ItemFile, fm: FrontMatter) -> None:
    if fm.draft or (fm.review is not None and fm.review.result == vocab.APPROVED):
        return
    _unreviewed(file)


def _unreviewed(file: ItemFile) -> None:
    message = ("未经保密审查同意的条目不能发布：请由本机构审查人审查后补充审查记录（审查人、审查日期、"
               "审查结果: 同意公开），或写“草稿: true”暂存为草稿")
    if file.ctx.options.preview:  # the editor may look at it before the review; the publish still refuses it
        file.problems.add(file.display, file.line("review"), LABELS.get("review", "review"), message,
                          "warning")
    else:
        file.error("review", message)


def _check_folder(file: ItemFile, agency: Agency) -> bool:
    """An agency publishes only from its own folder, content/<slug>/, which its reviewers
    approve (CODEOWNERS): another agency's name there would pass the wrong reviewers."""
    catalog = file.ctx.catalog
    owner = file.ctx.owner(file.display)
    if owner.agency is not None and owner.agency.name == agency.name:
        return True
    editors = names(agency.editors)
    move = (f"请{agency.name}的编辑（{editors}）把条目放在本机构的文件夹 content/{agency.slug}/ 下")
    if owner.agency is None:
        where = "/".join(file.display.split("/")[:2]) + "/"
        folders = "、".join(f"content/{a.slug}/（{a.name}）" for a in catalog.agencies)
        file.error("agency", f"条目所在的 {where} 不是任何机构的文件夹（各机构的条目放在：{folders}）：{move}")
    else:
        file.error("agency", f"发布机构“{agency.name}”与文件夹不符：{owner.folder} 是“{owner.agency.name}”的文件夹，"
                             f"只能发布该机构的信息（由其审查人 {names(owner.reviewers)} 审查）。{move}，"
                             f"或由{owner.agency.name}以本机构名义发布")
    return False


def _check_imported(file: ItemFile, fm: FrontMatter, agency: Agency) -> bool:
    """``历史导入: true`` lifts the back-dating block and keeps an import's review record:
    only for what the old site had published before this one went live, or what
    ``gongkai import`` renumbered (原索引号). The message names who acts, never a switch."""
    if not fm.imported or fm.old_id is not None:
        return True
    go_live = file.ctx.catalog.settings.go_live
    if go_live is not None and fm.published < go_live:
        return True
    reviewers = names(agency.reviewers)
    if go_live is None:
        publishers = names(file.ctx.catalog.settings.publishers)
        why = (f"catalog/site.yml 没有写本站上线日期（go_live），无法确认本条目是迁移来的：请网站发布人（{publishers}）"
               "写明上线日期。")
    else:
        why = (f"本条目发布日期 {fm.published} 不早于本站上线日期 {go_live}，也没有原索引号，不是从旧网站迁移的信息。"
               "新条目不能沿用旧条目的导入记录，")
    file.error("imported", f"“历史导入”只用于从旧网站迁移的信息：{why}"
                           f"须由{agency.name}的审查人（{reviewers}）审查本条目，并填写自己的审查记录")
    return False


def _check_reviewers(file: ItemFile, fm: FrontMatter, agency: Agency) -> None:
    """The review record names one of the agency's reviewers and a day the document existed."""
    review = fm.review
    if review is None:
        return
    reviewers = names(agency.reviewers)
    catalog = file.ctx.catalog
    imported = fm.imported and review.reviewer == vocab.IMPORT_REVIEWER
    if people_declared(catalog.settings, catalog.agencies) and not imported \
            and review.reviewer not in {p.name for p in agency.reviewers}:
        editor = review.reviewer in {p.name for p in agency.editors}
        who = "是本机构的编辑，编辑不能审查条目" if editor else "不是本机构登记的审查人"
        file.error_at(file.sub_line("review", "reviewer"), LABELS["reviewer"],
                      f"审查人“{review.reviewer}”{who}（catalog/agencies.yml 中{agency.name}的审查人："
                      f"{reviewers}）：须由其中一人审查本条目，并写上自己的姓名")
    elif review.date < fm.created:
        file.error_at(file.sub_line("review", "date"), LABELS["date"],
                      f"审查日期 {review.date} 早于成文日期 {fm.created}：文件形成前不可能审查过它，审查记录可能是"
                      f"从其他条目复制来的。须由{agency.name}的审查人（{reviewers}）审查后填写实际的审查日期")
    for i, ref in enumerate(fm.attachments):
        manual = ref.manual_review
        if manual is not None and people_declared(catalog.settings, catalog.agencies) \
                and manual.reviewer not in {p.name for p in agency.reviewers}:
            file.error_at(file.sub_line("attachments", i, "manual_review", "reviewer"), LABELS["manual_review"],
                          f"附件“{ref.file}”的人工审查人“{manual.reviewer}”不是{agency.name}登记的审查人"
                          f"（{reviewers}）：须由其中一人逐页查看后写上自己的姓名")


#: an office's telephone: area code and number, a local number, 400/800 service lines
#: and the short public service numbers (12345)
_LANDLINE = re.compile(r"0\d{9,11}|[2-9]\d{6,7}|[48]00\d{7}|1[0-2]\d{3}")


def _check_exception(file: ItemFile, fm: FrontMatter) -> None:
    """``个人信息例外`` may let through an office's telephone only: never a 身份证号, a bank
    card or a mobile number, whoever writes it."""
    exception = fm.personal_data_exception
    if exception is None:
        return
    catalog = file.ctx.catalog
    offices = {pii.normalise(n) for a in catalog.agencies for n in (a.phone, a.fax) if n}
    offices |= {pii.normalise(catalog.settings.phone)} if catalog.settings.phone else set()
    for i, written in enumerate(exception.numbers):
        number = pii.normalise(written)
        kind = pii.classify(number, file.ctx.build_date)
        line = file.sub_line("personal_data_exception", "numbers", i)
        label = LABELS["personal_data_exception"]
        if kind in ("id", "card") or (kind == "mobile" and number not in offices):
            masked = pii.mask(kind, number)
            file.error_at(line, label,
                          f"{pii.KIND_LABELS[kind]}（{masked}）不能作为个人信息例外公开，谁也不能放行：请编辑在条目中把它"
                          f"脱敏写成 {masked}，并从“个人信息例外”中删去。例外只用于机构的办公电话")
        elif kind is None and number not in offices and _LANDLINE.fullmatch(number) is None:
            file.error_at(line, label,
                          f"“{written}”不是办公电话（座机号码，或 catalog/agencies.yml 中登记的机构电话、传真）："
                          "个人信息例外只用于机构的办公电话，请编辑删去这个号码")


def _exemptions(file: ItemFile, fm: FrontMatter) -> tuple[Exemption, ...]:
    """What the file lets through on its own word, for the review report's 需审查人确认."""
    out = []
    if fm.imported:
        why = f"原索引号 {fm.old_id}" if fm.old_id else f"发布日期 {fm.published}"
        out.append(Exemption("历史导入", file.line("imported") or 1,
                             f"{why}；审查记录：{fm.review.reviewer if fm.review else '无'}"))
    exception = fm.personal_data_exception
    if exception is not None:
        out.append(Exemption("个人信息例外", file.line("personal_data_exception") or 1,
                             f"号码 {'、'.join(exception.numbers)}；理由：{exception.reason}"))
    for i, ref in enumerate(fm.attachments):
        if ref.manual_review is not None:
            out.append(Exemption("人工审查", file.sub_line("attachments", i) or 1,
                                 f"附件“{ref.file}”经 {ref.manual_review.reviewer} 人工审查；"
                                 f"理由：{ref.manual_review.reason}"))
    return tuple(out)


def _attachments(file: ItemFile, fm: FrontMatter) -> list[Attachment]:
    """The attachments that exist and may be attachments; the others are problems."""
    path, display = file.path, file.display
    attachments = []
    for i, ref in enumerate(fm.attachments):
        found = path.parent / ref.file
        if _attachment_refused(file, i, ref.file):
            continue
        attachments.append(Attachment(ref.file, ref.title or found.stem, found.stat().st_size,
                                      found.suffix.lstrip(".").upper() or "文件",
                                      display.rsplit("/", 1)[0] + "/" + ref.file))
    return attachments


def _attachment_refused(file: ItemFile, i: int, name: str) -> bool:
    """Whether the ``i``-th attachment, ``name``, may not be published (a problem said so)."""
    path, display = file.path, file.display
    line = file.line("attachments", i)
    refused = attachment_guard.problem(path, name, file.ctx.repo.content)
    if refused is None and not (path.parent / name).is_file():
        refused = f"附件文件“{name}”不存在（应放在 {repo_dir(display)} 目录下）"
    if refused is None:
        return False
    file.problems.add(display, line, "附件", refused)
    file.ok = False
    return True


def check_references(file: ItemFile) -> None:
    """目录 and 发布机构 of an item whose other fields are wrong, so both are fixed in one
    round (a bad date would otherwise hide a bad 目录 until it is fixed)."""
    data = file.source.front.data
    if not isinstance(data, dict):  # front matter that is no mapping is reported as such
        return
    ctx = file.ctx
    reported = {p.field for p in file.problems.items if p.file == file.display}
    checks: tuple[tuple[str, Callable[[str], object], Callable[[str], str]], ...] = (
        ("category", lambda v: v in ctx.categories or _category_by_name(v, ctx.categories),
         lambda v: _unknown_category(v, ctx.categories)),
        ("agency", lambda v: v in ctx.agencies, lambda v: _unknown_agency(v, ctx.catalog)))
    for name, known, message in checks:
        label = LABELS.get(name, name)
        written = label if label in data else name
        value = data.get(written)
        if isinstance(value, str) and value.strip() and label not in reported and not known(value.strip()):
            file.problems.add(file.display, file.source.front.line_of((written,)), label, message(value.strip()))
    _check_raw_rest(file, data, reported)


def _check_raw_rest(file: ItemFile, data: dict, reported: set[str | None]) -> None:
    """索引号, review record and attachments as written, for a file whose other fields are wrong."""
    def raw(name: str) -> object:
        return data.get(name, data.get(LABELS.get(name, name)))

    written_id = raw("id")
    if isinstance(written_id, str) and LABELS["id"] not in reported \
            and file.ctx.id_pattern.fullmatch(written_id.strip()) is None:
        file.error("id", _id_format_message(file, written_id.strip())
                   + "：新条目请用 gongkai new 生成，它会分配下一个未用的索引号")
    if LABELS["review"] not in reported and LABELS["draft"] not in reported and raw("review") is None \
            and not _is_true(raw("draft")):
        _unreviewed(file)
    attachments = raw("attachments")
    if isinstance(attachments, list) and not any((p.field or "").startswith(LABELS["attachments"]) for p in
                                                 file.problems.items if p.field):
        for i, entry in enumerate(attachments):
            name = entry.get("文件", entry.get("file")) if isinstance(entry, dict) else None
            if isinstance(name, str) and name.strip():
                _attachment_refused(file, i, name)


def _unknown_agency(text: str, catalog: Catalog) -> str:
    return (f"发布机构“{text}”未在 catalog/agencies.yml 中定义；可用："
            + "、".join(a.name for a in catalog.agencies))


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
        return message + "；可用（代码或栏目名称均可）：" + "、".join(
            f"{c.code}（{c.name}）" for c in categories.values())
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
    """Field -> the line it is written on (``line_of(key(...))``, without the calls)."""
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


