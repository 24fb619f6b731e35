"""What a change publishes, changes and withdraws, and what is wrong with it.

Both sides are read with the same loader the build uses. Items are compared
by 索引号 on their front matter as written (keys turned into English), so an
item that no longer validates still shows what changed instead of looking
withdrawn. Reporting lives in ``diff_report``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.guards import findings as guards
from gongkai.guards import pii
from gongkai.guards.markup import BodyJudge
from gongkai.load.loader import Repository, load_catalog, today_in_china
from gongkai.load.validation import validate
from gongkai.pipeline import load_site
from gongkai.problems import Problem, Problems, ValidationFailed
from gongkai.read.markdown_setup import markdown_setup
from gongkai.read.source import MarkdownSource, SourceError, read_markdown, read_text
from gongkai.render.outputs import link_problems
from gongkai.review.git import GitSite
from gongkai.schema.front_matter import ALIASES, LABELS, FrontMatter, _bool, parse_date

#: how many changed body lines a report shows per item
BODY_DIFF_LINES = 12

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
    try:
        site = load_site(root, today, problems)
        problems.extend(link_problems(site))  # what the build would refuse, as check says it
    except ValidationFailed:
        pass  # the problems are what the report needs
    repo = Repository(root)
    catalog = load_catalog(repo, Problems())
    names = ({c.code: c.name for r in catalog.categories for c in r.walk()} if catalog else {})
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
    return Snapshot(label, root, items, problems.sorted(), names)


# --- the comparison -------------------------------------------------------------------------

@dataclass
class FieldChange:
    field: str  # English key
    label: str  # Chinese label
    old: str | None
    new: str | None


@dataclass
class ItemChange:
    kind: str  # "added" | "changed" | "removed"
    id: str
    title: str
    file: str
    old_file: str | None = None
    before: str | None = None  # visibility
    after: str | None = None
    published: str | None = None
    category: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    body_diff: list[str] = field(default_factory=list)
    body_more: int = 0
    attachments: list[str] = field(default_factory=list)  # human lines
    #: a new item shown in full: every field as written (label, value), and its body
    details: list[FieldChange] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    #: a text attachment replaced: file name -> its changed lines (unified diff, redacted)
    attachment_diffs: dict[str, list[str]] = field(default_factory=dict)

    @property
    def withdrawn(self) -> bool:
        """Visible before, not after: citizens lose a page (an invalid item fails the build instead)."""
        return self.before == "public" and self.after not in ("public", "invalid")

    @property
    def newly_public(self) -> bool:
        return self.after == "public" and self.before != "public"


@dataclass
class GuardNote:
    file: str
    line: int | None
    field: str | None
    message: str
    exempt: str | None  # the written reason of an exception


@dataclass
class Review:
    base: str
    head: str
    changes: list[ItemChange]
    blocking: list[Problem]  # must be fixed before merging
    notes: list[Problem]  # worth a reviewer's look
    introduced: list[Problem]  # check problems the change brings in
    fixed: int  # check problems the change resolves
    guard_notes: list[GuardNote]

    @property
    def ok(self) -> bool:
        return not self.blocking and not any(p.severity == "error" for p in self.introduced) \
            and not any(n.exempt is None for n in self.guard_notes)

    @property
    def blocking_total(self) -> int:
        """Every problem that must be solved before merging, counted once."""
        return len(self.blocking) + sum(p.severity == "error" for p in self.introduced) \
            + sum(n.exempt is None for n in self.guard_notes)

    def of(self, kind: str) -> list[ItemChange]:
        return [c for c in self.changes if c.kind == kind]


def _render(value: Any, level: str = "") -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "、".join(_render(v, level) or "" for v in value)
    if isinstance(value, dict):
        labels = {en: zh for zh, en in ALIASES.get(level, {}).items()}
        return "，".join(f"{labels.get(k, k)}: {_render(v)}" for k, v in value.items())
    return json.dumps(value, ensure_ascii=False)


_FIELD_ORDER = list(FrontMatter.model_fields)


def _field_changes(old: dict, new: dict, names_old: dict, names_new: dict) -> list[FieldChange]:
    keys = sorted(set(old) | set(new), key=lambda k: (_FIELD_ORDER.index(k) if k in _FIELD_ORDER
                                                      else len(_FIELD_ORDER), str(k)))
    out = []
    for key in keys:
        a, b = old.get(key), new.get(key)
        if json.dumps(a, sort_keys=True, ensure_ascii=False) == json.dumps(b, sort_keys=True,
                                                                           ensure_ascii=False):
            continue
        level = key if key in ALIASES else ""
        ra, rb = _render(_or_default(key, a), level), _render(_or_default(key, b), level)
        if key == "category":
            ra = f"{ra}（{names_old[ra]}）" if ra in names_old else ra
            rb = f"{rb}（{names_new[rb]}）" if rb in names_new else rb
        out.append(FieldChange(key, LABELS.get(key, key), _redact(ra), _redact(rb)))
    return out


def _or_default(key: str, value: Any) -> Any:
    """An omitted key means its default (有效性 omitted is 有效), so show that."""
    info = FrontMatter.model_fields.get(key)
    if value is not None or info is None or info.is_required():
        return value
    default = info.default_factory() if info.default_factory is not None else info.default
    if isinstance(default, bool):
        return "true" if default else "false"
    return default if isinstance(default, (str, list)) and default else None


def _body_diff(old: str, new: str) -> tuple[list[str], int]:
    lines = [line for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
             if not line.startswith(("---", "+++", "@@"))]
    return [pii.redact(line) for line in lines[:BODY_DIFF_LINES]], max(0, len(lines) - BODY_DIFF_LINES)


def _redact(text: str | None) -> str | None:
    """A reviewer's comment must not repeat the number a guard warns about."""
    return None if text is None else pii.redact(text)


def _attachment_changes(old: dict[str, str], new: dict[str, str]) -> list[str]:
    out = [f"新增附件 {n}" for n in new if n not in old]
    out += [f"删除附件 {n}" for n in old if n not in new]
    out += [f"附件 {n} 的内容已更换" for n in new if n in old and old[n] != new[n]]
    return out


#: attachments read as text to show how they changed
TEXT_ATTACHMENTS = (".txt", ".csv", ".md", ".json", ".xml", ".html", ".htm")
#: how many changed lines of an attachment a report shows
ATTACHMENT_DIFF_LINES = 20


def _attachment_diffs(old: RawItem, new: RawItem) -> dict[str, list[str]]:
    """A replaced text attachment's changed lines (a reviewer sees what changed, not only
    that it did); personal numbers are masked as in the body diff."""
    out = {}
    for name, digest in new.attachments.items():
        if old.attachments.get(name) in (None, digest) or not name.lower().endswith(TEXT_ATTACHMENTS):
            continue
        texts = []
        for item in (old, new):
            try:
                texts.append(read_text(item.path.parent / name, name))
            except (OSError, SourceError):
                texts.append(None)
        if None in texts:
            continue
        lines = [line for line in difflib.unified_diff(texts[0].splitlines(), texts[1].splitlines(),
                                                       lineterm="", n=0)
                 if not line.startswith(("---", "+++", "@@"))]
        more = len(lines) - ATTACHMENT_DIFF_LINES
        out[name] = [pii.redact(line) for line in lines[:ATTACHMENT_DIFF_LINES]] \
            + ([f"（另有 {more} 行改动未显示）"] if more > 0 else [])
    return out


def _key(p: Problem) -> tuple:
    # lines move when an editor adds a line above, so they do not identify a problem
    return (p.file, p.field, p.message, p.severity)


def compare(base: Snapshot, head: Snapshot, added_on: dict[str, dt.date],
            renames: dict[str, str], used_before: dict[str, str]) -> Review:
    """``added_on``: id -> the date the change adds that item (for back-dating);
    ``used_before``: id -> the title it had in history, for added ids used before."""
    changes: list[ItemChange] = []
    blocking: list[Problem] = []
    notes: list[Problem] = []
    head_by_file = {i.file: i for i in head.items.values()}
    claimed: set[str] = set()  # head ids explained as a changed 索引号

    # A file that survives (in place or moved) under another 索引号 changed its number.
    for old in base.items.values():
        new = head_by_file.get(renames.get(old.file, old.file))
        if new is None and old.id not in head.items:
            same_title = [i for i in head.items.values()
                          if i.id not in base.items and i.title and i.title == old.title]
            new = same_title[0] if len(same_title) == 1 else None
        if new is not None and new.id != old.id and new.id not in base.items:
            claimed.add(new.id)
            blocking.append(Problem(new.file, new.source.front.line_of(_key_of(new, "id")), "索引号",
                                    f"索引号由“{old.id}”改为“{new.id}”：索引号一经使用不得修改，"
                                    "请改回原索引号"))

    for item_id, new in head.items.items():
        old = base.items.get(item_id)
        if old is None:
            if item_id in claimed:
                continue
            change = ItemChange("added", item_id, new.title, new.file, after=new.visibility,
                                published=_render(new.fields.get("published")),
                                category=_category(new, head.category_names))
            change.details = _field_changes({}, new.fields, {}, head.category_names)
            change.body = [pii.redact(line) for line in new.body.rstrip("\n").splitlines()]
            change.attachments = _attachment_changes({}, new.attachments)
            changes.append(change)
            if item_id in used_before and used_before[item_id] == new.title:
                # it was online before under this 发布日期, so the date is not back-dated
                notes.append(Problem(new.file, None, "索引号",
                                     f"恢复了以前删除的条目“{new.title}”（{item_id}）", "warning"))
                continue
            if item_id in used_before:
                earlier = f"（原为“{used_before[item_id]}”）" if used_before[item_id] else ""
                blocking.append(Problem(new.file, new.source.front.line_of(_key_of(new, "id")), "索引号",
                                        f"索引号“{item_id}”以前用过{earlier}，后来被删除："
                                        "索引号不得复用，请另编新号"))
            _back_dated(new, added_on.get(item_id), blocking)
            continue
        change = ItemChange("changed", item_id, new.title, new.file,
                            old_file=old.file if old.file != new.file else None,
                            before=old.visibility, after=new.visibility,
                            published=_render(new.fields.get("published")),
                            category=_category(new, head.category_names))
        change.fields = _field_changes(old.fields, new.fields, base.category_names, head.category_names)
        change.body_diff, change.body_more = _body_diff(old.body, new.body)
        change.attachments = _attachment_changes(old.attachments, new.attachments)
        change.attachment_diffs = _attachment_diffs(old, new)
        if _another_document(old, new, renames):
            blocking.append(Problem(new.file, new.source.front.line_of(_key_of(new, "id")), "索引号",
                                    f"索引号“{item_id}”原属 {old.file}（{old.title}），现被另一份文件使用："
                                    "索引号不得复用，请另编新号"))
        if old.visibility == "public" and any(f.field == "published" for f in change.fields):
            notes.append(Problem(new.file, new.source.front.line_of(_key_of(new, "published")), "发布日期",
                                 f"已公开条目的发布日期由 {_render(old.fields.get('published'))} 改为 "
                                 f"{_render(new.fields.get('published'))}：发布日期应是实际公开的日期，"
                                 "只在更正笔误时修改", "warning"))
        if change.fields or change.body_diff or change.attachments or change.old_file:
            changes.append(change)

    for item_id, old in base.items.items():
        if item_id in head.items:
            continue
        renamed_to = head_by_file.get(renames.get(old.file, old.file))
        if renamed_to is not None and renamed_to.id in claimed:
            continue
        if any(i.id in claimed and i.title == old.title for i in head.items.values()):
            continue
        changes.append(ItemChange("removed", item_id, old.title, old.file, before=old.visibility,
                                  published=_render(old.fields.get("published")),
                                  category=_category(old, base.category_names)))
        if old.visibility == "public":
            notes.append(Problem(old.file, None, None,
                                 f"删除了已公开的条目“{old.title}”（{item_id}）：网页将消失。"
                                 "文件不再有效时，通常应把有效性改为废止或失效并保留网页", "warning"))

    for change in changes:
        if change.kind == "removed":
            continue
        item = head.items[change.id]
        old_attachments = base.items[change.id].attachments if change.kind == "changed" else {}
        for name, digest in item.attachments.items():
            if old_attachments.get(name) != digest and not name.lower().endswith(guards.SCANNED):
                notes.append(Problem(_sibling(item.file, name), None, None,
                                     "这个附件的内容无法自动检查个人信息（能读取文字的只有 PDF、OFD、Word、WPS、Excel、CSV、TXT、ZIP），"
                                     "请审查人打开核对是否含有未脱敏的身份证号、手机号、银行卡号", "warning"))

    guard_notes = []
    shown: set[tuple] = set()
    setup = markdown_setup(head.root)
    judge = BodyJudge(setup.extensions, setup.configs)  # bodies judged as the build will
    for change in changes:
        if change.kind == "removed":
            continue
        item = head.items[change.id]
        if not guards.publishable(item.fm):
            continue
        for f in guards.item_findings(item.source, item.fm, item.path, item.file, judge=judge):
            guard_notes.append(GuardNote(f.file, f.line, f.field, f.message, f.exempt))
            shown.add(_key(f.problem()))

    before = Counter(_key(p) for p in base.problems)
    introduced = []
    for p in head.problems:
        k = _key(p)
        if before[k] > 0:
            before[k] -= 1
        elif k not in shown:
            introduced.append(p)
    still = Counter(_key(p) for p in head.problems)
    fixed = sum(max(0, n - still[k]) for k, n in Counter(_key(p) for p in base.problems).items())
    return Review(base.label, head.label, changes, blocking, notes, introduced, fixed, guard_notes)


def _sibling(file: str, name: str) -> str:
    return file.rsplit("/", 1)[0] + "/" + name if "/" in file else name


def _another_document(old: RawItem, new: RawItem, renames: dict[str, str]) -> bool:
    """Whether a 索引号 now names a different document, not the same one edited.

    Any one of title, 成文日期, 发文字号 or file may be corrected on its own;
    a new title together with another signing date, another 发文字号 or a
    file git does not see as moved is another document.
    """
    def differs(key: str) -> bool:
        a, b = old.fields.get(key), new.fields.get(key)
        return a is not None and b is not None and a != b

    if old.title == new.title:
        return False
    moved_unseen = old.file != new.file and renames.get(old.file) != new.file
    return differs("created") or differs("doc_number") or moved_unseen


def _category(item: RawItem, names: dict[str, str]) -> str | None:
    code = _render(item.fields.get("category"))
    return f"{names[code]}（{code}）" if code in names else code


def _key_of(item: RawItem, name: str) -> tuple[str]:
    data = item.source.front.data
    return (name,) if name in data else (LABELS.get(name, name),)


def _imported(item: RawItem) -> bool:
    """历史导入 as the schema reads it, even when another field is invalid."""
    if item.fm is not None:
        return item.fm.imported
    try:
        return _bool(item.fields.get("imported", "false"))
    except Exception:
        return False


def _back_dated(item: RawItem, added: dt.date | None, blocking: list[Problem]) -> None:
    """Inspectors treat a 发布日期 earlier than the day it went online as falsified."""
    if added is None or _imported(item):
        return
    try:
        published = parse_date(item.fields.get("published"))
    except Exception:
        return  # the schema reports a malformed date
    if published < added:
        blocking.append(Problem(
            item.file, item.source.front.line_of(_key_of(item, "published")), "发布日期",
            f"新增条目的发布日期 {published} 早于它加入仓库的日期 {added}，属于倒签（检查中按造假处理）："
            f"请把发布日期改为实际公开的日期；如果是从旧网站迁移的历史信息，请写 历史导入: true"))


# --- git ----------------------------------------------------------------------------------------

def review(root: Path, base_rev: str, head_rev: str | None = None,
           today: dt.date | None = None) -> Review:
    """Compare ``base_rev`` with ``head_rev`` (None: the work tree at ``root``)."""
    today = today or today_in_china()
    git = GitSite.at(root)
    base_sha = git.resolve(base_rev)
    head_sha = git.resolve(head_rev) if head_rev else None
    with tempfile.TemporaryDirectory(prefix="gongkai-diff-") as tmp:
        base = load_snapshot(git.export(base_sha, Path(tmp) / "base"), today, base_rev)
        if head_sha:
            head_root = git.export(head_sha, Path(tmp) / "head")
            head = load_snapshot(head_root, today, head_sha)  # a commit id: "工作区" is the work tree
        else:
            head = load_snapshot(git.root, today, "工作区")
        added = [i for i in head.items if i not in base.items]
        added_on: dict[str, dt.date] = {}
        for item_id in added:
            if head_sha is None:
                added_on[item_id] = today
            else:
                first = git.first_commit_touching(base_sha, head_sha, head.items[item_id].file)
                added_on[item_id] = git.commit_date(first or head_sha)
        used = {i: t for i in added if (t := git.earlier_title(base_sha, i)) is not None}
        result = compare(base, head, added_on, git.renames(base_sha, head_sha), used)
        # the snapshots' files vanish with the temporary folder; drop what points there
        for snapshot in (base, head):
            snapshot.items.clear()
    return result

