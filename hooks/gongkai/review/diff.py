"""What a change publishes, changes and withdraws, and what is wrong with it.

Both sides are read with the same loader the build uses (``snapshot``). Items
are compared by 索引号: ``content`` says how one item's fields, body and
attachments changed, ``numbers`` what a change may not do to 索引号 and
发布日期. Reporting lives in ``report``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.guards import findings as guards
from gongkai.guards import pii
from gongkai.guards.markup import BodyJudge
from gongkai.load.loader import today_in_china
from gongkai.problems import Problem
from gongkai.read.markdown_setup import markdown_setup
from gongkai.review import annual_diff, content, numbers, records
from gongkai.review.content import FieldChange
from gongkai.review.describe import Describer
from gongkai.review.files import FileChange
from gongkai.review.git import GitSite
from gongkai.review.links import Link, added_links
from gongkai.review.numbers import Sides
from gongkai.review.records import Confirmation
from gongkai.review.snapshot import RawItem, Snapshot, load_snapshot


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
    #: links and images the body gains, every one (the body diff shows only its first lines)
    links: list[Link] = field(default_factory=list)

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
    #: exceptions only an agency reviewer may grant: listed first, blocking
    confirm: list[Confirmation] = field(default_factory=list)
    #: every changed file the item sections do not show
    files: list[FileChange] = field(default_factory=list)
    #: register rows and yearly report figures the change alters, one line each
    annual: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.blocking_total == 0

    @property
    def blocking_total(self) -> int:
        """Every problem that must be solved before merging, counted once."""
        return len(self.confirm) + len(self.blocking) + sum(p.severity == "error" for p in self.introduced) \
            + sum(n.exempt is None for n in self.guard_notes)

    def of(self, kind: str) -> list[ItemChange]:
        return [c for c in self.changes if c.kind == kind]


# --- the comparison -------------------------------------------------------------------------

def compare(base: Snapshot, head: Snapshot, received: dt.date | None,
            renames: dict[str, str], used_before: dict[str, str]) -> Review:
    """``received``: the day the forge received the change, which a new item's 发布日期 may
    not precede (never a commit date: its author sets it); ``used_before``: id -> the title
    it had in history, for added ids used before."""
    sides = Sides(base, head, renames)
    changes: list[ItemChange] = []
    blocking: list[Problem] = []
    notes: list[Problem] = []
    confirm: list[Confirmation] = []
    touched: list[RawItem] = []
    setup = markdown_setup(head.root)
    judge = BodyJudge(setup.extensions, setup.configs)  # bodies judged as the build will
    claimed = numbers.renumbered(sides, blocking)  # head ids explained as a changed 索引号
    for item_id, new in head.items.items():
        old = base.items.get(item_id)
        if old is None:
            if item_id not in claimed:
                changes.append(_added(new, head))
                numbers.check_added(new, used_before.get(item_id), received, blocking, notes)
            touched.append(new)
            confirm += records.confirmations(None, new)
            continue
        change = _changed(old, new, sides)
        change.links = added_links(judge, old.body, new.body)
        if any(f.field in ("review", "created") for f in change.fields):
            touched.append(new)  # a record is copied when it is written, not when a title is fixed
        confirm += records.confirmations(old, new)
        said, noted = numbers.check_changed(old, new, change.fields, renames)
        blocking += said
        notes += noted
        if change.fields or change.body_diff or change.attachments or change.old_file:
            changes.append(change)
    changes += _removed(sides, claimed, notes)
    notes += _unscanned_attachments(sides, changes)
    blocking += records.review_record_problems(touched, head.items)
    guard_notes, shown = _guard_notes(head, changes, judge)
    introduced, fixed = _balance(base.problems, head.problems, shown)
    annual = [pii.redact(line) for line in annual_diff.register_changes(base.root, head.root)]
    annual += annual_diff.figure_changes(base.figures, head.figures, base.report_years, head.report_years)
    return Review(base.label, head.label, changes, blocking, notes, introduced, fixed, guard_notes,
                  confirm, annual=annual)


def _added(new: RawItem, head: Snapshot) -> ItemChange:
    """A new item, shown in full."""
    change = ItemChange("added", new.id, new.title, new.file, after=new.visibility,
                        published=content.render(new.fields.get("published")),
                        category=content.category(new, head.category_names))
    change.details = content.field_changes({}, new.fields, {}, head.category_names)
    change.body = [pii.redact(line) for line in new.body.rstrip("\n").splitlines()]
    change.attachments = content.attachment_changes({}, new.attachments)
    return change


def _changed(old: RawItem, new: RawItem, sides: Sides) -> ItemChange:
    """An item on both sides (it may have changed nothing)."""
    change = ItemChange("changed", new.id, new.title, new.file,
                        old_file=old.file if old.file != new.file else None,
                        before=old.visibility, after=new.visibility,
                        published=content.render(new.fields.get("published")),
                        category=content.category(new, sides.head.category_names))
    change.fields = content.field_changes(old.fields, new.fields, sides.base.category_names,
                                          sides.head.category_names)
    change.body_diff, change.body_more = content.body_diff(old.body, new.body)
    change.attachments = content.attachment_changes(old.attachments, new.attachments)
    change.attachment_diffs = content.attachment_diffs(old, new)
    return change


def _removed(sides: Sides, claimed: set[str], notes: list[Problem]) -> list[ItemChange]:
    """Base items gone from head, except those that live on under a changed 索引号."""
    out = []
    for item_id, old in sides.base.items.items():
        if item_id in sides.head.items:
            continue
        renamed_to = sides.moved_to(old)
        if renamed_to is not None and renamed_to.id in claimed:
            continue
        if any(i.id in claimed and i.title == old.title for i in sides.head.items.values()):
            continue
        out.append(ItemChange("removed", item_id, old.title, old.file, before=old.visibility,
                              published=content.render(old.fields.get("published")),
                              category=content.category(old, sides.base.category_names)))
        if old.visibility == "public":
            notes.append(Problem(old.file, None, None,
                                 f"删除了已公开的条目“{old.title}”（{item_id}）：网页将消失。"
                                 "文件不再有效时，通常应把有效性改为废止或失效并保留网页", "warning"))
    return out


def _unscanned_attachments(sides: Sides, changes: list[ItemChange]) -> list[Problem]:
    """New or replaced attachments no guard can read: a person must look."""
    out = []
    for change in changes:
        if change.kind == "removed":
            continue
        item = sides.head.items[change.id]
        old_attachments = sides.base.items[change.id].attachments if change.kind == "changed" else {}
        for name, digest in item.attachments.items():
            if old_attachments.get(name) != digest and not name.lower().endswith(guards.SCANNED):
                out.append(Problem(_sibling(item.file, name), None, None,
                                   "这个附件的内容无法自动检查个人信息（能读取文字的只有 PDF、OFD、Word、WPS、Excel、CSV、TXT、ZIP），"
                                   "请审查人打开核对是否含有未脱敏的身份证号、手机号、银行卡号", "warning"))
    return out


def _guard_notes(head: Snapshot, changes: list[ItemChange], judge: BodyJudge
                 ) -> tuple[list[GuardNote], set[tuple]]:
    """What the publishing guards say about every added or changed item, and the keys of
    those problems (so they are not also counted as introduced)."""
    notes = []
    shown: set[tuple] = set()
    for change in changes:
        if change.kind == "removed":
            continue
        item = head.items[change.id]
        if not guards.publishable(item.fm):
            continue
        for f in guards.item_findings(item.source, item.fm, item.path, item.file, judge=judge):
            notes.append(GuardNote(f.file, f.line, f.field, f.message, f.exempt))
            shown.add(_key(f.problem()))
    return notes, shown


def _key(p: Problem) -> tuple:
    # lines move when an editor adds a line above, so they do not identify a problem
    return (p.file, p.field, p.message, p.severity)


def _balance(before: list[Problem], after: list[Problem], shown: set[tuple]) -> tuple[list[Problem], int]:
    """(problems the change brings in, how many it resolves)."""
    remaining = Counter(_key(p) for p in before)
    introduced = []
    for p in after:
        k = _key(p)
        if remaining[k] > 0:
            remaining[k] -= 1
        elif k not in shown:
            introduced.append(p)
    still = Counter(_key(p) for p in after)
    fixed = sum(max(0, n - still[k]) for k, n in Counter(_key(p) for p in before).items())
    return introduced, fixed


def _sibling(file: str, name: str) -> str:
    return file.rsplit("/", 1)[0] + "/" + name if "/" in file else name


# --- git ----------------------------------------------------------------------------------------

def review(root: Path, base_rev: str, head_rev: str | None = None,
           today: dt.date | None = None, received: dt.date | None = None) -> Review:
    """Compare ``base_rev`` with ``head_rev`` (None: the work tree at ``root``).
    ``received``: the day the forge received the change (default: today)."""
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
        used = {i: t for i in added if (t := git.earlier_title(base_sha, i)) is not None}
        result = compare(base, head, received or today, git.renames(base_sha, head_sha), used)
        result.notes += _closed_years(base, head, today)
        setup = markdown_setup(head.root)
        describer = Describer(git, base_sha, head_sha, base, head, BodyJudge(setup.extensions, setup.configs))
        result.files = describer.changes(_covered(base, head, result.changes))
        # the snapshots' files vanish with the temporary folder; drop what points there
        for snapshot in (base, head):
            snapshot.items.clear()
    return result


def _closed_years(base: Snapshot, head: Snapshot, today: dt.date) -> list[Problem]:
    """A year already over whose figures change: its report may be out already."""
    return [Problem(f"content/annual/{year}.md", None, None,
                    f"{year} 年度已经结束，年报可能已经公布：本次改动改变了其中 {n} 项数字"
                    "（见“年报登记表和年报数字”），请核实是否为更正，并在年报中说明", "warning")
            for year, n in annual_diff.closed_years_changed(base.figures, head.figures, today.year).items()]


def _covered(base: Snapshot, head: Snapshot, changes: list[ItemChange]) -> Callable[[str], bool]:
    """Site paths the item sections already show: changed items' files and attachments."""
    shown: set[str] = set()
    for change in changes:
        for snapshot, file in ((base, change.old_file or change.file), (head, change.file)):
            item = snapshot.items.get(change.id)
            shown.add(file)
            if item is not None:
                shown.add(item.file)
                shown.update(_sibling(item.file, name) for name in item.attachments)
    return shown.__contains__
