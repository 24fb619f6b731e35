"""Publication guards: personal numbers and unsafe HTML, in everything published.

``site_loader`` runs them on every item (front matter, body, attachments) and
on the other Markdown pages under ``content/``, so ``gongkai check`` and the
build fail alike; ``review_diff`` runs them to show reviewers what a change
brings in, including numbers let through by a written exception.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Literal

from gongkai.guards import html as html_guard
from gongkai.guards import pii
from gongkai.guards.markup import BodyJudge, precheck
from gongkai.problems import Problem, Problems
from gongkai.read.source import MarkdownSource, SourceError, read_markdown, read_text
from gongkai.read.strict_yaml import Path as YamlPath
from gongkai.schema.front_matter import ALIASES, LABELS, FrontMatter

TEXT_ATTACHMENTS = (".csv", ".tsv", ".txt", ".md", ".json", ".xml")
HTML_ATTACHMENTS = (".html", ".htm", ".xhtml", ".svg")
SPREADSHEETS = (".xlsx", ".xlsm")
DOCUMENTS = (".docx",)
BODY = "正文"
#: attachments whose text the guards can read; anything else needs a person's eyes
SCANNED = TEXT_ATTACHMENTS + HTML_ATTACHMENTS + SPREADSHEETS + DOCUMENTS


@dataclass(frozen=True, slots=True)
class GuardFinding:
    file: str
    line: int | None
    field: str | None
    message: str
    kind: Literal["personal", "html"]
    number: str | None = None  # personal findings: the normalised number
    exempt: str | None = None  # the written reason, when an exception lets it through

    def problem(self) -> Problem:
        return Problem(self.file, self.line, self.field, self.message)


def publishable(fm: FrontMatter | None) -> bool:
    """Drafts and items not 主动公开 never reach an output; an invalid item fails anyway."""
    return fm is None or (not fm.draft and fm.disclosure == "主动公开")


def check_item(source: MarkdownSource, fm: FrontMatter | None, path: Path, display: str,
               problems: Problems, today: dt.date | None = None, judge: BodyJudge | None = None) -> None:
    if not publishable(fm):
        return
    for finding in item_findings(source, fm, path, display, today, judge):
        if finding.exempt is None:
            problems.extend([finding.problem()])


def item_findings(source: MarkdownSource, fm: FrontMatter | None, path: Path, display: str,
                  today: dt.date | None = None, judge: BodyJudge | None = None) -> list[GuardFinding]:
    """Every finding in an item and its attachments, exempted ones marked. Without ``judge``
    the body's HTML is not judged here (the build judges what MkDocs converted instead)."""
    found: list[GuardFinding] = []
    data = source.front.data
    # the exception lists the very numbers it lets through
    scanned = {k: v for k, v in data.items() if k not in _EXCEPTION_KEYS} \
        if isinstance(data, dict) else data
    texts: list[str] = []
    _texts(scanned, texts)
    # One test over all fields together: nearly every item has no number at all,
    # and only then is it worth walking the fields one by one.
    if texts and pii.may_contain("\n".join(texts)):
        for key_path, value in _strings(scanned, ()):
            top = ALIASES[""].get(str(key_path[0]), str(key_path[0])) if key_path else None
            line = source.front.line_of(key_path)
            for f in pii.scan(value, today):
                found.append(_personal(display, line, LABELS.get(top, top) if top else None, f))
    found.extend(text_findings(source.body, display, source.body_line, BODY, today, markdown=True,
                               judge=judge))
    if fm is not None:
        for ref in fm.attachments:
            file = path.parent / ref.file
            if "/" in ref.file or "\\" in ref.file or not file.is_file():
                continue  # the loader reports the reference itself
            found.extend(attachment_findings(file, _sibling(display, ref.file), today))
        if fm.personal_data_exception is not None:
            allowed = {pii.normalise(n) for n in fm.personal_data_exception.numbers}
            reason = fm.personal_data_exception.reason
            found = [replace(f, exempt=reason) if f.number in allowed else f for f in found]
    return found


def _sibling(display: str, name: str) -> str:
    return (display.rsplit("/", 1)[0] + "/" + name) if "/" in display else name


_EXCEPTION_KEYS = frozenset({"personal_data_exception", LABELS["personal_data_exception"]})


def _texts(data: Any, out: list[str]) -> None:
    """Every string in ``data``, in the order ``_strings`` yields them."""
    if isinstance(data, str):
        out.append(data)
        return
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    for value in values:
        if isinstance(value, str):  # most values: no call
            out.append(value)
        elif isinstance(value, (dict, list)):
            _texts(value, out)


def _strings(data: Any, path: YamlPath) -> Iterator[tuple[YamlPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, path + (i,))


def _personal(file: str, line: int | None, field: str | None, f: pii.Finding) -> GuardFinding:
    return GuardFinding(file, line, field, f.message(), "personal", f.number)


def text_findings(text: str, file: str, first_line: int, field: str | None,
                  today: dt.date | None = None, markdown: bool = False,
                  html: bool = False, judge: BodyJudge | None = None) -> list[GuardFinding]:
    """Findings in a text whose first line is line ``first_line`` of ``file``. Markdown is
    judged by the HTML it converts to (``judge``); Markdown too slow to convert is refused
    with or without one."""
    out = [_personal(file, first_line + f.line - 1, field, f) for f in pii.scan(text, today)]
    if markdown:
        if judge is not None:
            out += markup_findings(text, file, first_line, field, judge)
        elif (slow := precheck(text)) is not None:
            out.append(GuardFinding(file, first_line + slow[0], field, slow[1], "html"))
    elif html:
        out += [GuardFinding(file, first_line + h.line - 1, field, h.message, "html")
                for h in html_guard.scan_html(text)]
    return out


def markup_findings(text: str, file: str, first_line: int, field: str | None,
                    judge: BodyJudge) -> list[GuardFinding]:
    """What the build would refuse in the HTML that Markdown ``text`` converts to."""
    return [GuardFinding(file, first_line + f.line, field, f.message, "html") for f in judge.findings(text)]


def attachment_findings(file: Path, display: str, today: dt.date | None = None) -> list[GuardFinding]:
    suffix = file.suffix.lower()
    if suffix in TEXT_ATTACHMENTS or suffix in HTML_ATTACHMENTS:
        text = _decode(file.read_bytes())
        if text is None:
            return []
        return text_findings(text, display, 1, None, today, html=suffix in HTML_ATTACHMENTS)
    if suffix in SPREADSHEETS:
        return _spreadsheet(file, display, today)
    if suffix in DOCUMENTS:
        return _document(file, display, today)
    return []


def _decode(data: bytes) -> str | None:
    """CSV exported from Excel on Chinese Windows is GB18030, not UTF-8."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _cell_text(value: Any) -> str:
    # A number typed into Excel is stored as one: 13812345678 comes back as an int.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _spreadsheet(file: Path, display: str, today: dt.date | None) -> list[GuardFinding]:
    import openpyxl  # imported here: only sites with spreadsheets pay for it

    out: list[GuardFinding] = []
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # a corrupt upload must stop the build, not crash it
        return [GuardFinding(display, None, None, f"无法读取 Excel 文件，不能检查其中的个人信息：{exc}",
                             "personal")]
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    text = _cell_text(cell.value)
                    if not text:
                        continue
                    where = f"工作表“{sheet.title}”{cell.coordinate}"
                    out += [_personal(display, cell.row, where, f) for f in pii.scan(text, today)]
    finally:
        book.close()
    return out


def _document(file: Path, display: str, today: dt.date | None) -> list[GuardFinding]:
    import docx  # python-docx; imported here for the same reason

    try:
        document = docx.Document(str(file))
    except Exception as exc:
        return [GuardFinding(display, None, None, f"无法读取 Word 文件，不能检查其中的个人信息：{exc}",
                             "personal")]
    out: list[GuardFinding] = []
    for i, paragraph in enumerate(document.paragraphs, 1):
        out += [_personal(display, None, f"第 {i} 段", f) for f in pii.scan(paragraph.text, today)]
    for t, table in enumerate(document.tables, 1):
        for r, row in enumerate(table.rows, 1):
            for c, cell in enumerate(row.cells, 1):
                where = f"表格 {t} 第 {r} 行第 {c} 列"
                out += [_personal(display, None, where, f) for f in pii.scan(cell.text, today)]
    for s, section in enumerate(document.sections, 1):
        for part, name in ((section.header, "页眉"), (section.footer, "页脚")):
            for paragraph in part.paragraphs:
                out += [_personal(display, None, name, f) for f in pii.scan(paragraph.text, today)]
    return out


def check_pages(pages: Iterable[tuple[Path, str]], problems: Problems,
                today: dt.date | None = None, judge: BodyJudge | None = None,
                filled_later: tuple[str, ...] = ()) -> None:
    """Markdown under content/ that is not an item (guide, rules, annual reports), as
    (path, display) pairs from ``site_loader.Repository.markdown_files``. Files under a
    folder in ``filled_later`` become HTML only after placeholders are filled: whoever
    fills them judges the result."""
    for path, display in pages:
        try:
            text = read_text(path, display)
        except SourceError:
            continue  # whoever loads the page reports the encoding
        page_judge = None if display.startswith(filled_later) else judge
        body, body_line = text, 1
        if page_judge is not None:
            try:
                source = read_markdown(path, display)
            except SourceError:
                pass  # no front matter: the whole file is the body
            else:
                body, body_line = source.body, source.body_line
        found = text_findings(text, display, 1, None, today, markdown=True)  # personal numbers
        if page_judge is not None:
            found += markup_findings(body, display, body_line, None, page_judge)
        problems.extend(f.problem() for f in found)
