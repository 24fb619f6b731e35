"""A 公文 in Word (.docx) as a draft item: ``gongkai new --from`` and ``gongkai import-docx``.

The layout is GB/T 9704-2012's: the 发文机关标志 (``…文件``) on top, the 发文字号 on the line
under it, the title, the body with its numbered headings (一、 （一） 1.), and the 成文日期 at
the end, often in Chinese numerals (二〇二五年三月五日). python-docx reads the paragraphs for
that; mammoth turns the document into HTML (tables, lists, images) which ``html_md`` makes
Markdown. A field that is not found is left empty with a comment for the editor.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.author.importer import existing, item_text
from gongkai.author.importer.files import safe_name
from gongkai.author.importer.html_md import html_to_markdown
from gongkai.author.importer.values import ValueProblem, chinese_date, parse_date
from gongkai.author.new import item_name, next_id
from gongkai.load.loader import Repository, load_catalog, today_in_china
from gongkai.problems import Problems
from gongkai.schema.catalog import Agency
from gongkai.schema.doc_number import normalize as normalize_doc_number

_NUMBER_LINE = re.compile(r"^\S{1,20}?\s*[〔\[［(（【]\s*\d{2,4}\s*[〕\]］)）】]\s*第?\s*\d+\s*号$|^\S+令第\d+号$")
_DATE_LINE = re.compile(r"^[（(]?\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|"
                        r"[〇○零一二三四五六七八九]{4}\s*年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*[）)]?$")
_MARK = re.compile(r"^(?P<organ>.+?)\s*文\s*件$")
_HEAD = 8  # the 发文机关标志, the number and the title sit in the first paragraphs
_TAIL = 8  # the date in the last ones (before any 抄送 lines)


class DocxError(Exception):
    pass


@dataclass
class DocxDraft:
    title: str | None
    doc_number: str | None
    created: dt.date | None
    organ: str | None  # from the 发文机关标志
    body: str
    images: list[tuple[str, bytes]] = field(default_factory=list)  # (name, bytes)


def _regular(path: Path) -> None:
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        raise DocxError(f"{path.name}: 无法读取：{exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise DocxError(f"{path.name}: 不是普通文件（符号链接等不读取）")


def read_docx(path: Path) -> DocxDraft:
    import docx
    import mammoth

    _regular(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # a corrupt upload is the editor's to fix, not a traceback
        raise DocxError(f"{path.name}: 无法读取 Word 文件：{exc}") from None
    texts = [p.text.strip() for p in document.paragraphs]
    styles = [(p.style.name if p.style is not None else "") for p in document.paragraphs]
    lines = [(t, s) for t, s in zip(texts, styles, strict=False) if t]
    head = [t for t, _ in lines[:_HEAD]]
    organ = next((m["organ"] for t in head[:3] if (m := _MARK.match(t))), None)
    number_line = next((t for t in head if _NUMBER_LINE.match(re.sub(r"\s+", "", t))), None)
    doc_number = normalize_doc_number(number_line) if number_line else None
    if doc_number is None and number_line and re.search(r"令第\d+号$", number_line):
        doc_number = number_line.replace(" ", "")
    title = (document.core_properties.title or "").strip() or None
    skip = {t for t in (number_line,) if t}
    if organ:
        skip.add(next(t for t in head[:3] if _MARK.match(t)))
    if title is None:
        title = next((t for t, s in lines[:_HEAD] if s.lower() in ("title", "标题") or s.lower() == "heading 1"), None)
    if title is None and number_line is not None:
        after = head[head.index(number_line) + 1:]
        title = next((t for t in after if not t.endswith(("：", ":"))), None)
    if title is None:
        title = next((t for t in head if t not in skip and not t.endswith(("：", ":"))), None)
    if title:
        skip.add(title)
    created = None
    for t in reversed([t for t, _ in lines[-_TAIL:]]):
        if _DATE_LINE.match(t):
            inner = re.sub(r"^[（(]|[）)]$", "", t.strip()).strip()
            created = chinese_date(inner)
            if created is None:
                try:
                    created = parse_date(inner)
                except ValueProblem:
                    created = None
            if created is not None:
                break
    images: list[tuple[str, bytes]] = []

    def image(img):
        with img.open() as data:
            content = data.read()
        ext = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}.get(img.content_type, "bin")
        name = f"图片{len(images) + 1}.{ext}"
        images.append((name, content))
        return {"src": name, "alt": (img.alt_text or "").strip()}

    with path.open("rb") as fh:
        html = mammoth.convert_to_html(fh, convert_image=mammoth.images.img_element(image)).value
    names = {n for n, _ in images}
    body = html_to_markdown(_drop_head(html, skip), lambda url, is_image: url if (
        url in names or re.match(r"^(https?:|mailto:)", url)) else None)
    return DocxDraft(title, doc_number, created, organ, body, images)


def _drop_head(html: str, skip: set[str]) -> str:
    """The body without the 发文机关标志, the number and the title (they are fields now)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for el in list(soup.find_all(recursive=False))[:_HEAD]:
        if el.get_text(strip=True) in skip:
            el.decompose()
    return str(soup)


@dataclass(frozen=True, slots=True)
class DocxItem:
    path: Path
    id: str
    missing: tuple[str, ...]


def create_from_docx(root: Path, source: Path, agency_key: str | None, category: str | None,
                     index: existing.SiteIndex | None = None, folder: bool = False) -> DocxItem:
    """``folder``: the item as ``<serial>/index.md`` with its pictures beside it (same names,
    so the same URLs) instead of ``<serial>.md`` with them in the year folder."""
    repo = Repository(root)
    problems = Problems()
    catalog = load_catalog(repo, problems)
    if catalog is None:
        raise DocxError("\n".join(p.format() for p in problems.sorted()))
    draft = read_docx(source)
    agency = _agency(catalog.agencies, agency_key, draft)
    codes = {c.code: c.code for r in catalog.categories for c in r.walk()} \
        | {c.name: c.code for r in catalog.categories for c in r.walk()}
    if category is not None and category not in codes:
        raise DocxError(f"目录“{category}”未在 catalog/categories.yml 中定义；可用：" + "、".join(sorted(set(codes.values()))))
    pattern = re.compile(catalog.settings.id_pattern)
    index = index or existing.scan(repo, pattern, [agency.code])
    if draft.title and any(title == draft.title for title, _ in index.by_title):
        found = next(f for (t, _), f in index.by_title.items() if t == draft.title)
        raise DocxError(f"{source.name}: 已有同名条目 {found}（标题“{draft.title}”），没有重复创建")
    day = draft.created or today_in_china()
    item_id = next_id(index.used, pattern, catalog.settings.id_format, agency, day.year)
    allocated = pattern.fullmatch(item_id)
    if allocated is None:  # the two settings disagree; nothing checks them against each other
        raise DocxError(f"catalog/site.yml: 按 id_format（索引号模板）生成的索引号“{item_id}”不符合 "
                        "id_pattern（索引号格式）：请让两者一致")
    seq = allocated["seq"]
    year_dir = repo.content / agency.slug / str(day.year)
    path = year_dir / item_name(seq, folder)
    other = year_dir / item_name(seq, not folder)
    if other.exists():
        raise DocxError(f"{repo.rel(other)} 已存在，没有新建。请检查该文件的索引号")
    attachments = [(f"{seq}-{safe_name(name)}", content) for name, content in draft.images]
    body = draft.body
    for (name, _), (new, _) in zip(draft.images, attachments, strict=False):
        body = body.replace(f"]({name})", f"]({new})")
    text, missing = render(item_id, agency, codes.get(category) if category else None, draft, day,
                           [n for n, _ in attachments], source.name, body)
    beside = path.parent
    beside.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        for name, content in attachments:
            with (beside / name).open("xb") as fh:
                fh.write(content)
            written.append(beside / name)
        with path.open("x", encoding="utf-8") as fh:  # "x": fail rather than overwrite
            fh.write(text)
    except FileExistsError as exc:
        for w in written:
            w.unlink(missing_ok=True)
        raise DocxError(f"{repo.rel(Path(exc.filename))} 已存在，没有覆盖") from None
    index.remember(item_id, None, draft.title or "", day.isoformat(), repo.rel(path))
    return DocxItem(path, item_id, missing)


def _agency(agencies: list[Agency], key: str | None, draft: DocxDraft) -> Agency:
    by_key = {a.name: a for a in agencies} | {a.code: a for a in agencies} | {a.slug: a for a in agencies}
    if key is not None:
        if key not in by_key:
            raise DocxError(f"发布机构“{key}”未在 catalog/agencies.yml 中定义；可用："
                            + "、".join(f"{a.name}（{a.slug}）" for a in agencies))
        return by_key[key]
    if draft.doc_number:
        for a in agencies:
            if any(draft.doc_number.startswith(p) for p in a.doc_prefixes):
                return a
    if draft.organ and draft.organ in by_key:
        return by_key[draft.organ]
    raise DocxError("无法从 Word 文件（发文机关标志、发文字号）识别发布机构：请用 --agency 指定")


_ASK = "# 请填写：未能从 Word 文件中识别"


def render(item_id: str, agency: Agency, category: str | None, draft: DocxDraft, day: dt.date,
           attachments: list[str], source: str, body: str) -> tuple[str, tuple[str, ...]]:
    missing = []

    def line(label: str, value: str | None, comment: str) -> str:
        if value:
            return f"{label}: {value}          # {comment}"
        if label == "发布日期":  # not a thing the Word file could say: no "未能识别"
            return f"{label}:          # 请填写；{comment}"
        missing.append(label)
        return f"{label}:          {_ASK}；{comment}"

    created = draft.created.isoformat() if draft.created else None
    lines = ["---", f"# 由 gongkai new --from 从 {item_text.scalar(source)} 生成；“请填写”的字段填好后才能通过检查。",
             f"索引号: {item_id}          # 自动分配：全站唯一，不要修改，删除后也不再复用",
             line("标题", item_text.scalar(draft.title) if draft.title else None, "信息名称，与正式文件标题一致"),
             f"发布机构: {agency.name}     # catalog/agencies.yml 中的机构名称或代码",
             line("目录", category, "catalog/categories.yml 中的目录代码"),
             line("成文日期", created, "文件签发日期，YYYY-MM-DD"),
             # the day it goes public is the editor's to say: the signing date would back-date it
             line("发布日期", None, "公开日期 YYYY-MM-DD，不早于成文日期；晚于构建日期时到那天才公开")]
    if draft.doc_number:
        lines.append(f"发文字号: {item_text.scalar(draft.doc_number)}    # 从版头识别，请核对")
    else:
        lines.append(f"# 发文字号: {agency.doc_prefixes[0] if agency.doc_prefixes else '某发'}〔{day.year}〕1号"
                     "    # 未能从版头识别：有发文字号时去掉行首的“# ”并填写")
    lines += ["有效性: 有效                        # 有效、失效、废止或已修订",
              "主题词: []                          # 关键词列表，如 [政务公开, 工作要点]"]
    if attachments:
        lines.append("附件:                               # Word 文件中的图片")
        lines += [f"  - 文件: {item_text.scalar(n)}" for n in attachments]
    lines += ["# 审查:                             # 保密审查记录：发布前必须填写，结果为“同意公开”才会发布",
              "#   审查人: 某某", f"#   审查日期: {created or day.isoformat()}", "#   审查结果: 同意公开",
              "草稿: true                          # 审查同意后改为 false 才会发布", "---", ""]
    return "\n".join(lines) + (body or "（正文为空：请从 Word 文件中补充。）\n"), tuple(missing)
