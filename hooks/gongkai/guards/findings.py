"""Publication guards: personal numbers and unsafe HTML, in everything published.

``load.loader`` runs them on every item (front matter, body, attachments) and
on the other Markdown pages under ``content/``, so ``gongkai check`` and the
build fail alike; ``review.diff`` runs them to show reviewers what a change
brings in, including numbers let through by a written exception.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from gongkai.guards import attachments as attachment_guard
from gongkai.guards import body_policy, csv_cells, pii, reader
from gongkai.guards import html as html_guard
from gongkai.guards import unicode_policy as unicode_guard
from gongkai.guards import wording as wording_guard
from gongkai.guards.markup import BodyJudge, precheck
from gongkai.problems import Problem, Problems
from gongkai.read import extract
from gongkai.read.source import MarkdownSource, SourceError, read_markdown, read_text
from gongkai.read.strict_yaml import KeyPath
from gongkai.schema.front_matter import ALIASES, LABELS, FrontMatter, ManualReview
from gongkai.text import plain_text

BODY = "正文"
#: attachments whose text the guards can read; anything else needs a person's eyes
SCANNED = tuple(sorted(extract.READABLE))


@dataclass(frozen=True, slots=True)
class GuardFinding:
    file: str
    line: int | None
    field: str | None
    message: str
    kind: Literal["personal", "html", "unscanned", "oversize", "wording", "unicode"]
    number: str | None = None  # personal findings: the normalised number
    exempt: str | None = None  # the written reason, when an exception lets it through

    def problem(self) -> Problem:
        return Problem(self.file, self.line, self.field, self.message)


def publishable(fm: FrontMatter | None) -> bool:
    """Drafts and items not 主动公开 never reach an output; an invalid item fails anyway."""
    return fm is None or (not fm.draft and fm.disclosure == "主动公开")


def check_item(source: MarkdownSource, fm: FrontMatter | None, path: Path, display: str,
               problems: Problems, today: dt.date | None = None,
               words: wording_guard.Lexicon | None = None, judge: BodyJudge | None = None) -> None:
    if not publishable(fm):
        return
    for finding in item_findings(source, fm, path, display, today, words, judge):
        if finding.exempt is None:
            problems.extend([finding.problem()])


def item_findings(source: MarkdownSource, fm: FrontMatter | None, path: Path, display: str,
                  today: dt.date | None = None,
                  words: wording_guard.Lexicon | None = None,
                  judge: BodyJudge | None = None) -> list[GuardFinding]:
    """Every finding in an item and its attachments, exempted ones marked. ``words``: the
    wording list with the agency's own words (the built-in list without). Without ``judge``
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
    found += _field_readings(source, scanned, display, today, {f.number for f in found if f.number})
    found += [GuardFinding(display, line, field, message, "unicode")
              for line, field, message in unicode_guard.item_hits(source)]
    found += [GuardFinding(display, line, field, message, "wording")
              for line, field, message in wording_guard.item_hits(source, words)]
    if fm is not None:
        key = "attachments" if isinstance(data, dict) and "attachments" in data else LABELS["attachments"]
        for i, ref in enumerate(fm.attachments):
            file = path.parent / ref.file
            if attachment_guard.problem(path, ref.file, None) is not None or not file.is_file():
                continue  # the loader reports the reference itself
            found.extend(attachment_findings(file, _sibling(display, ref.file), today,
                                             ref.manual_review, display,
                                             source.front.line_of((key, i))))
        if fm.personal_data_exception is not None:
            allowed = {pii.normalise(n) for n in fm.personal_data_exception.numbers}
            reason = fm.personal_data_exception.reason
            found = [replace(f, exempt=reason) if f.number in allowed else f for f in found]
    return found


def _field_readings(source: MarkdownSource, data: Any, display: str, today: dt.date | None,
                    known: set[str]) -> list[GuardFinding]:
    """Numbers a reader sees in the front matter's values once invisible characters, look-alikes
    and other digits are read as a reader reads them (``reader.fold``), and in the body's plain
    text (the search index holds it; the automatic summary in listings, feeds and open data is
    its beginning)."""
    texts: list[str] = []
    _texts(data, texts)
    # the body as plain text: the search index holds it whole, and the automatic summary
    # (listings, feeds, open data) is its beginning
    summary = plain_text(source.body)
    texts.append(summary)
    if not texts or not pii.may_contain(reader.fold("\n".join(texts))):
        return []
    found: list[GuardFinding] = []
    for key_path, value in _strings(data, ()):
        top = ALIASES[""].get(str(key_path[0]), str(key_path[0])) if key_path else None
        field = LABELS.get(top, top) if top else None
        for f in reader.scan_text(value, today):
            if f.number not in known:
                known.add(f.number)
                found.append(GuardFinding(display, source.front.line_of(key_path), field,
                                          f.message() + reader.reader_note("text"), "personal", f.number))
    if summary is not None:
        for f in reader.scan_text(summary, today):
            if f.number not in known:
                at = reader.locate(f.number, source.body)
                found.append(GuardFinding(
                    display, source.body_line + (at or 0), BODY,
                    f.message() + "：正文转为纯文本后（自动生成的内容概述、搜索索引）会出现完整号码"
                    + ("" if at is not None else "（未能对应到正文中的具体行）"), "personal", f.number))
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


def _strings(data: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
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
                  html: bool = False, judge: BodyJudge | None = None,
                  policy: bool = True) -> list[GuardFinding]:
    """Findings in a text whose first line is line ``first_line`` of ``file``. Markdown is
    judged by the HTML it converts to (``judge``); Markdown too slow to convert is refused
    with or without one, and so is a body that imitates the page's title or the system's
    notices (``policy``: the text is a body, not a whole file with front matter)."""
    out = [_personal(file, first_line + f.line - 1, field, f) for f in pii.scan(text, today)]
    if markdown:
        if judge is not None:
            out += markup_findings(text, file, first_line, field, judge, today)  # precheck first, then convert
        elif (slow := precheck(text)) is not None:
            out.append(GuardFinding(file, first_line + slow[0], field, slow[1], "html"))
        if policy:
            out += [GuardFinding(file, first_line + line, field, message, "html")
                    for line, message in body_policy.findings(text)]
    elif html:
        out += [GuardFinding(file, first_line + h.line - 1, field, h.message, "html")
                for h in html_guard.scan_html(text)]
    return out


def markup_findings(text: str, file: str, first_line: int, field: str | None,
                    judge: BodyJudge, today: dt.date | None = None) -> list[GuardFinding]:
    """What the build would refuse in the HTML that Markdown ``text`` converts to: HTML the
    sanitizer would change, and personal numbers a reader gets from it that the source scan
    does not see (``reader``)."""
    found = [GuardFinding(file, first_line + f.line, field, f.message, "html") for f in judge.findings(text)]
    return found + reader_findings(text, file, first_line, field, judge, today)


def reader_findings(text: str, file: str, first_line: int, field: str | None, judge: BodyJudge,
                    today: dt.date | None = None) -> list[GuardFinding]:
    """Personal numbers in what a reader gets from Markdown ``text`` converted as the build
    converts it, placed on the source line where their digits are written."""
    if not reader.may_show_number(text) or precheck(text) is not None:
        return []
    try:
        html = judge.html(text)
    except Exception:  # the judge reports a converter crash as a finding of its own
        return []
    known = {f.number for f in pii.scan(text, today)}
    out: list[GuardFinding] = []
    for seen in reader.scan_html(html, today):
        f = seen.finding
        if f.number in known:
            continue
        known.add(f.number)
        at = reader.locate(f.number, text)
        note = reader.reader_note(seen.where) + ("" if at is not None else "（未能对应到具体行，请在全文中查找）")
        out.append(GuardFinding(file, first_line + (at or 0), field, f.message() + note, "personal", f.number))
    return out


def attachment_findings(file: Path, display: str, today: dt.date | None = None,
                        review: ManualReview | None = None, item: str | None = None,
                        line: int | None = None) -> list[GuardFinding]:
    """Personal numbers in the text of attachment ``file`` (shown as ``display``).

    An attachment whose text cannot be read completely is a finding of its own, reported on
    the item's 附件 line (``item``, ``line``) and let through only by a written ``review``;
    what was read of it is scanned all the same. One over a limit is refused outright.
    """
    extracted = extract.attachment_text(file)
    name = file.name
    if extracted.refused is not None:
        # over a limit: no person can vouch for what the guard could not even open
        return [GuardFinding(item or display, line, "附件",
                             f"附件“{name}”超出检查限额（{extracted.refused}），不能发布；"
                             "请拆分、精简或另存为普通格式后重新上传", "oversize")]
    out: list[GuardFinding] = []
    if not extracted.readable:
        message = (f"附件“{name}”无法自动检查个人信息：{extracted.unreadable}。请审查人逐页查看，"
                   f"确认无未脱敏的身份证号、手机号、银行卡号后，在该附件下写明"
                   f"“人工审查: {{审查人: 姓名, 理由: 已逐页核对……}}”")
        exempt = None if review is None else f"附件“{name}”经人工审查（{review.reviewer}）：{review.reason}"
        out.append(GuardFinding(item or display, line, "附件", message, "unscanned", exempt=exempt))
    seen: set[tuple] = set()
    for passage in extracted.passages:
        for offset, chunk in _chunks(passage.text):
            # read as a reader reads it: the search index publishes this text
            folded = reader.fold(chunk)
            if not pii.may_contain(folded) and not any(c in folded for c in "/|,\u3001:;~\\"):
                continue
            for f in reader.scan_text(chunk, today):
                at = (passage.line + offset + f.line - 1) if passage.line is not None else None
                key = (f.number, at, passage.where)
                if key not in seen:  # a text box is stored twice (Word's fallback for old readers)
                    seen.add(key)
                    out.append(_personal(display, at, passage.where, f))
    if file.suffix.lower() == ".csv":
        out += _formula_findings(file, display)
    return out


def _formula_findings(file: Path, display: str) -> list[GuardFinding]:
    """Cells a spreadsheet would run (``guards.csv_cells``), named by row and column."""
    try:
        data = file.read_bytes()  # within the attachment size limit: extraction read it whole
    except OSError:
        return []
    cells, total = csv_cells.formula_cells(data)
    out = [GuardFinding(display, c.line, f"第 {c.column} 列", c.message(file.name), "html") for c in cells]
    if total > len(cells):
        out.append(GuardFinding(display, None, None, f"附件“{file.name}”另有 {total - len(cells)} 个单元格"
                                "以 =、+、-、@ 等开头，同样会被当作公式：请一并修改", "html"))
    return out


#: characters handed to the personal-number scan at once: its cost grows faster than the text
CHUNK = 32_768
_OVERLAP = 128  # longer than any number with its separators


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """``text`` in pieces of at most about ``CHUNK`` characters with the number of lines
    before each; cut at line ends (no number spans one), else overlapping."""
    if len(text) <= CHUNK:
        yield 0, text
        return
    start = lines = 0
    while start < len(text):
        end = min(start + CHUNK, len(text))
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut > start:
                end = cut + 1
                yield lines, text[start:end]
                lines += text.count("\n", start, end)
                start = end
                continue
            yield lines, text[start:end + _OVERLAP]
            lines += text.count("\n", start, end)
            start = end
            continue
        yield lines, text[start:end]
        return


def check_pages(pages: Iterable[tuple[Path, str]], problems: Problems,
                today: dt.date | None = None, words: wording_guard.Lexicon | None = None,
                judge: BodyJudge | None = None, filled_later: tuple[str, ...] = ()) -> None:
    """Markdown under content/ that is not an item (guide, rules, annual reports), as
    (path, display) pairs from ``load.loader.Repository.markdown_files``. Files under a
    folder in ``filled_later`` become HTML only after placeholders are filled: whoever
    fills them judges the result."""
    for path, display in pages:
        try:
            text = read_text(path, display)
        except SourceError:
            continue  # whoever loads the page reports the encoding
        page_judge = None if display.startswith(filled_later) else judge
        body, body_line = text, 1
        try:
            source = read_markdown(path, display)
        except SourceError:
            pass  # no front matter: the whole file is the body
        else:
            body, body_line = source.body, source.body_line
        found = text_findings(text, display, 1, None, today, markdown=True, policy=False)  # personal numbers
        found += [GuardFinding(display, body_line + line, None, message, "html")
                  for line, message in body_policy.findings(body)]
        if page_judge is not None:
            found += markup_findings(body, display, body_line, None, page_judge, today)
        problems.extend(f.problem() for f in found)
        problems.extend(Problem(display, h.line, None, h.message)
                        for h in (words or wording_guard.BUILT_IN).scan(text, marks=True))


#: catalog files that are read as text (and so may be published in part)
CATALOG_TEXT = (".yml", ".yaml", ".csv", ".md", ".txt", ".json")


def check_catalog(folder: Path, rel, problems: Problems, parsed: dict[str, Any] | None = None,
                  skip: Iterable[str] = (), today: dt.date | None = None) -> None:
    """Personal numbers in every text file under ``catalog/`` (agencies' phones and heads, the
    site settings, the yearly figures and registers), as ``file:line``.

    ``parsed``: display path -> the ``strict_yaml`` document already read, whose string values
    are scanned too (a YAML escape such as ``"\\u0031…"`` only shows its digits once parsed).
    ``skip``: display paths of generated files (the field reference quotes an example number).
    """
    skipped = set(skip)
    for path in _catalog_files(folder):
        display = rel(path)
        if display in skipped:
            continue
        if path.is_symlink():
            problems.add(display, None, None, "是符号链接：catalog/ 中只能放普通文件（链接可能把其他文件的内容发布出去）")
            continue
        try:
            text = read_text(path, display)
        except SourceError:
            continue  # whoever loads the file reports the encoding
        found = text_findings(text, display, 1, None, today)
        known = {(f.line, f.number) for f in found}
        found += [_personal(display, f.line, None, f) for f in reader.scan_text(text, today)
                  if (f.line, f.number) not in known]
        doc = (parsed or {}).get(display)
        if doc is not None and pii.may_contain(reader.fold("\n".join(_all_strings(doc.data)))):
            lines = {(f.line, f.number) for f in found}
            for key_path, value in _strings(doc.data, ()):
                line = doc.line_of(key_path)
                field = ".".join(str(k) for k in key_path) or None
                for f in reader.scan_text(value, today):
                    if (line, f.number) not in lines:
                        lines.add((line, f.number))
                        found.append(_personal(display, line, field, f))
        if doc is not None:
            found += [GuardFinding(display, doc.line_of(key_path), ".".join(str(k) for k in key_path), m, "unicode")
                      for key_path, value in _strings(doc.data, ())
                      if key_path and key_path[-1] in _NAME_KEYS for m in unicode_guard.name_hits(value)]
        problems.extend(f.problem() for f in found)


#: catalog keys whose values are names shown as they are (agencies, categories, topics)
_NAME_KEYS = frozenset({"name", "short_name", "名称", "title", "owner"})


def _all_strings(data: Any) -> list[str]:
    out: list[str] = []
    _texts(data, out)
    return out


def _catalog_files(folder: Path) -> list[Path]:
    out: list[Path] = []
    for top, dirs, files in os.walk(folder):  # never into linked folders
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += [Path(top) / name for name in sorted(files)
                if not name.startswith(".") and name.lower().endswith(CATALOG_TEXT)]
    return out
