"""The review diff as a pull-request comment (Markdown) or as JSON for tools."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Any

from gongkai.problems import Problem
from gongkai.review import escape
from gongkai.review.content import FieldChange
from gongkai.review.diff import GuardNote, ItemChange, Review
from gongkai.review.files import KINDS, STATUS, FileChange
from gongkai.review.links import Link
from gongkai.review.records import Confirmation
from gongkai.review.snapshot import VISIBILITY_LABELS

#: the first line of every comment, so a pipeline can find and update its own
MARKER = "<!-- gongkai-diff -->"


_text = escape.text
_code = escape.code
_fence = escape.fence


def _cell(text: str | None) -> str:
    return _text(text or "")


def _where(file: str, line: int | None, field: str | None) -> str:
    where = _code(f"{file}:{line}") if line else _code(file)
    return f"{where} {_text(field)}：" if field else f"{where} "


def _problem(p: Problem) -> str:
    return f"- {_where(p.file, p.line, p.field)}{_text(p.message)}"


def _short(label: str) -> str:
    """A commit id as git shows it in short; a branch name or 工作区 as it is."""
    return label[:12] if re.fullmatch(r"[0-9a-f]{40}", label) else label


def _visibility(value: str | None, published: str | None) -> str:
    label = VISIBILITY_LABELS.get(value or "", value or "")
    return f"{label}（{published} 起）" if value == "embargoed" and published else label


def _table(changes: list[ItemChange], state: str) -> list[str]:
    rows = ["| 索引号 | 标题 | 目录 | 发布日期 | 状态 |", "|---|---|---|---|---|"]
    for c in changes:
        vis = c.after if state == "after" else c.before
        rows.append(f"| {_cell(c.id)} | {_cell(c.title)} | {_cell(c.category)} | {_cell(c.published)} "
                    f"| {_cell(_visibility(vis, c.published))} |")
    return rows


def markdown(r: Review) -> str:
    out = _summary(r) + _confirm(r.confirm) + _problems(r)
    out += _added(r.of("added")) + _changed(r.of("changed"))
    removed = r.of("removed")
    if removed:
        out += ["", f"### 删除的条目（{len(removed)}）", *_table(removed, "before")]
    out += _annual(r.annual) + _files(r.files)
    if r.fixed:
        out += ["", f"本次变更还解决了 {r.fixed} 个原有问题。"]
    if not r.changes and not r.files and not r.introduced and not r.blocking:
        out += ["", "没有任何文件变化。"]
    elif not r.changes:
        out += ["", "条目没有变化（其他文件的改动见上）。"]
    return "\n".join(out) + "\n"


def _confirm(confirm: list[Confirmation]) -> list[str]:
    """Exceptions an author cannot grant alone, first, so no reviewer misses them."""
    if not confirm:
        return []
    out = ["", f"### 需审查人确认（{len(confirm)}）",
           "以下例外只能由本机关审查人在合并请求中批准；批准前按必须解决的问题计。"]
    for c in confirm:
        out.append(f"- ❌ {_where(c.file, c.line, c.field)}{_text(c.item)}：{_text(c.what)}")
    return out


def _annual(lines: list[str]) -> list[str]:
    if not lines:
        return []
    return ["", f"### 年报登记表和年报数字（{len(lines)}）", *(f"- {_text(line)}" for line in lines)]


def _files(files: list[FileChange]) -> list[str]:
    if not files:
        return []
    out = ["", f"### 其他文件的改动（{len(files)}）"]
    for f in files:
        admin = "，**需网站管理员批准**" if f.needs_admin else ""
        mark = "⚠️ " if f.needs_admin else ""
        out.append(f"- {mark}{STATUS.get(f.status, f.status)} {_code(f.path)}：{_text(f.label)}{admin}")
        out += [f"  - {_text(line)}" for line in f.details]
        if f.diff:
            more = f"（另有 {f.more} 行改动未显示）" if f.more else ""
            out += ["", f"<details><summary>{escape.html_text(f.path)} 的改动{more}</summary>", "",
                    *_fence(f.diff, "diff"), "", "</details>", ""]
        out += _links(f.links, "  ")
    return out


def _links(links: list[Link], indent: str = "") -> list[str]:
    """Every link and image added, in full: the diff above may not show them."""
    if not links:
        return []
    return [f"{indent}- 新增的链接和图片（{len(links)}，全部列出）：",
            *(f"{indent}  - {_text(label) or '（无文字）'} → {_code(target)}" for label, target in links)]


def _summary(r: Review) -> list[str]:
    added, changed, removed = r.of("added"), r.of("changed"), r.of("removed")
    published = [c for c in r.changes if c.newly_public]
    withdrawn = [c for c in r.changes if c.withdrawn]
    errors = r.blocking_total
    out = [MARKER, f"## 信息公开变更报告：{_text(r.base)} → {_text(_short(r.head))}", ""]
    out.append(f"本次变更：新增 {len(added)} 条、修改 {len(changed)} 条、删除 {len(removed)} 条；"
               f"合并后新公开 {len(published)} 条，撤下 {len(withdrawn)} 条。")
    if r.files:
        kinds = Counter(f.kind for f in r.files)
        admin = sum(f.needs_admin for f in r.files)
        out.append(f"另有 {len(r.files)} 个其他文件改动（"
                   + "、".join(f"{KINDS[k][0]} {n} 个" for k, n in kinds.items()) + "）"
                   + (f"，其中 {admin} 个需网站管理员批准。" if admin else "。"))
    out.append("")
    out.append(f"**❌ 有 {errors} 个问题必须在合并前解决。**" if errors else "**✅ 没有发现必须解决的问题。**")
    return out


def _problems(r: Review) -> list[str]:
    out = []
    if r.blocking:
        out += ["", f"### 必须处理（{len(r.blocking)}）", *(_problem(p) for p in r.blocking)]
    if r.guard_notes:
        out += ["", "### 个人信息与网页安全", *(_guard_note(n) for n in r.guard_notes)]
    errors_in = [p for p in r.introduced if p.severity == "error"]
    warnings_in = [p for p in r.introduced if p.severity != "error"]
    if errors_in:
        out += ["", f"### 本次引入的错误（{len(errors_in)}）", *(_problem(p) for p in errors_in)]
    if r.notes or warnings_in:
        out += ["", "### 请审查人留意", *(_problem(p) for p in r.notes + warnings_in)]
    return out


def _guard_note(n: GuardNote) -> str:
    if n.exempt is None:
        return f"- ❌ {_where(n.file, n.line, n.field)}{_text(n.message)}"
    return (f"- ⚠️ 例外放行 {_where(n.file, n.line, n.field)}{_text(n.message.split('：')[0])}。"
            f"理由：{_text(n.exempt)}")


def _added(added: list[ItemChange]) -> list[str]:
    if not added:
        return []
    out = ["", f"### 新增条目（{len(added)}）", *_table(added, "after")]
    for c in added:
        out += ["", f"#### {_text(c.id)} {_text(c.title)}", f"- 文件：{_code(c.file)}"]
        out += [f"- {_text(f.label)}：{_text(f.new)}" for f in c.details]
        out += [f"- {_text(a)}" for a in c.attachments]
        if c.body:
            out += ["", "<details><summary>正文</summary>", "", *_fence(c.body, "markdown"), "",
                    "</details>"]
    return out


def _changed(changed: list[ItemChange]) -> list[str]:
    if not changed:
        return []
    out = ["", f"### 修改的条目（{len(changed)}）"]
    for c in changed:
        out += _changed_item(c)
    return out


def _changed_item(c: ItemChange) -> list[str]:
    out = ["", f"#### {_text(c.id)} {_text(c.title)}"]
    if c.old_file:
        out.append(f"- 文件：{_code(c.old_file)} → {_code(c.file)}")
    if c.before != c.after:
        out.append(f"- 状态：{_text(_visibility(c.before, None))} → **{_text(_visibility(c.after, c.published))}**")
    out += [_field_line(f) for f in c.fields]
    out += [f"- {_text(a)}" for a in c.attachments]
    for name, lines in c.attachment_diffs.items():
        out += ["", f"<details><summary>附件 {escape.html_text(name)} 的改动</summary>", "",
                *_fence(lines, "diff"), "", "</details>"]
    if c.body_diff:
        more = f"（另有 {c.body_more} 行改动未显示）" if c.body_more else ""
        out += ["", f"<details><summary>正文改动{more}</summary>", "",
                *_fence(c.body_diff, "diff"), "", "</details>"]
    if c.links:
        out.append("")
        out += _links(c.links)
    return out


def _field_line(f: FieldChange) -> str:
    old = _text(f.old) if f.old is not None else "（无）"
    new = _text(f.new) if f.new is not None else "（删除）"
    emphasis = "**" if f.field in ("status", "repealed", "published", "id") else ""
    return f"- {_text(f.label)}：{old} → {emphasis}{new}{emphasis}"


def as_json(r: Review) -> dict[str, Any]:
    def problems(ps: list[Problem]) -> list[dict]:
        return [p.as_dict() for p in ps]

    return {
        "base": r.base,
        "head": r.head,
        "ok": r.ok,
        "summary": {
            "blocking_total": r.blocking_total,
            "added": len(r.of("added")),
            "changed": len(r.of("changed")),
            "removed": len(r.of("removed")),
            "newly_public": sum(c.newly_public for c in r.changes),
            "withdrawn": sum(c.withdrawn for c in r.changes),
            "confirm": len(r.confirm),
            "files": len(r.files),
        },
        "changes": [
            {
                "kind": c.kind, "id": c.id, "title": c.title, "file": c.file, "old_file": c.old_file,
                "before": c.before, "after": c.after, "published": c.published, "category": c.category,
                "fields": [dataclasses.asdict(f) for f in c.fields],
                "body_diff": c.body_diff, "body_more": c.body_more, "attachments": c.attachments,
                "attachment_diffs": c.attachment_diffs,
                "details": [dataclasses.asdict(f) for f in c.details], "body": c.body,
                "links": [{"text": t, "target": u} for t, u in c.links],
            }
            for c in r.changes
        ],
        "blocking": problems(r.blocking),
        "notes": problems(r.notes),
        "introduced": problems(r.introduced),
        "fixed": r.fixed,
        "guards": [dataclasses.asdict(n) for n in r.guard_notes],
        "confirm": [dataclasses.asdict(c) for c in r.confirm],
        "annual": r.annual,
        "files": [{"path": f.path, "status": STATUS.get(f.status, f.status), "kind": f.kind, "label": f.label,
                   "needs_admin": f.needs_admin, "details": f.details, "diff": f.diff, "more": f.more,
                   "links": [{"text": t, "target": u} for t, u in f.links]} for f in r.files],
    }
