"""The review diff as a pull-request comment (Markdown) or as JSON for tools."""

from __future__ import annotations

import dataclasses
import html
import re
from typing import Any

from gongkai.problems import Problem
from gongkai.review.diff import VISIBILITY_LABELS, ItemChange, Review

#: the first line of every comment, so a pipeline can find and update its own
MARKER = "<!-- gongkai-diff -->"


#: characters that make Markdown (or the HTML a forge allows in it) out of text
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # never at a line start, so not # - + >


def _text(text: object) -> str:
    """Author text shown as text in the comment: ``<!--`` would hide the rest of the comment,
    ``[x](…)`` or ``**`` would turn into markup."""
    s = html.escape(str(text if text is not None else ""), quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", s.replace("\r", " ").replace("\n", " "))


def _cell(text: str | None) -> str:
    return _text(text or "")


def _code(text: str) -> str:
    return "`" + str(text).replace("`", "ˋ").replace("\n", " ") + "`"


def _fence(lines: list[str], kind: str) -> list[str]:
    """Lines in a code block: shown as written, and no line can close the block early."""
    return ["```" + kind, *(line.replace("```", "ˋˋˋ") for line in lines), "```"]


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
                    f"| {_visibility(vis, c.published)} |")
    return rows


def markdown(r: Review) -> str:
    added, changed, removed = r.of("added"), r.of("changed"), r.of("removed")
    published = [c for c in r.changes if c.newly_public]
    withdrawn = [c for c in r.changes if c.withdrawn]
    errors = r.blocking_total
    out = [MARKER, f"## 信息公开变更报告：{_text(r.base)} → {_text(_short(r.head))}", ""]
    out.append(f"本次变更：新增 {len(added)} 条、修改 {len(changed)} 条、删除 {len(removed)} 条；"
               f"合并后新公开 {len(published)} 条，撤下 {len(withdrawn)} 条。")
    out.append("")
    out.append(f"**❌ 有 {errors} 个问题必须在合并前解决。**" if errors else "**✅ 没有发现必须解决的问题。**")
    out += _problems_section(r)
    if added:
        out += ["", f"### 新增条目（{len(added)}）", *_table(added, "after")]
        for c in added:
            out += _added(c)
    if changed:
        out += ["", f"### 修改的条目（{len(changed)}）"]
        for c in changed:
            out += _changed(c)
    if removed:
        out += ["", f"### 删除的条目（{len(removed)}）", *_table(removed, "before")]
    if r.fixed:
        out += ["", f"本次变更还解决了 {r.fixed} 个原有问题。"]
    if not r.changes and not r.introduced and not r.blocking:
        out += ["", "条目没有变化。"]
    return "\n".join(out) + "\n"


def _problems_section(r: Review) -> list[str]:
    """What blocks the merge, the guards' notes, and the problems this change brings."""
    out: list[str] = []
    if r.blocking:
        out += ["", f"### 必须处理（{len(r.blocking)}）", *(_problem(p) for p in r.blocking)]
    if r.guard_notes:
        out += ["", "### 个人信息与网页安全"]
        for n in r.guard_notes:
            if n.exempt is None:
                out.append(f"- ❌ {_where(n.file, n.line, n.field)}{_text(n.message)}")
            else:
                out.append(f"- ⚠️ 例外放行 {_where(n.file, n.line, n.field)}{_text(n.message.split('：')[0])}。"
                           f"理由：{_text(n.exempt)}")
    errors_in = [p for p in r.introduced if p.severity == "error"]
    warnings_in = [p for p in r.introduced if p.severity != "error"]
    if errors_in:
        out += ["", f"### 本次引入的错误（{len(errors_in)}）", *(_problem(p) for p in errors_in)]
    if r.notes or warnings_in:
        out += ["", "### 请审查人留意", *(_problem(p) for p in r.notes + warnings_in)]
    return out


def _added(c: ItemChange) -> list[str]:
    out = ["", f"#### {_text(c.id)} {_text(c.title)}", f"- 文件：`{c.file.replace('`', 'ˋ')}`"]
    out += [f"- {_text(f.label)}：{_text(f.new)}" for f in c.details]
    out += [f"- {_text(a)}" for a in c.attachments]
    if c.body:
        out += ["", "<details><summary>正文</summary>", "", *_fence(c.body, "markdown"), "",
                "</details>"]
    return out


def _changed(c: ItemChange) -> list[str]:
    out = ["", f"#### {_text(c.id)} {_text(c.title)}"]
    if c.old_file:
        out.append(f"- 文件：{_code(c.old_file)} → {_code(c.file)}")
    if c.before != c.after:
        out.append(f"- 状态：{_visibility(c.before, None)} → **{_visibility(c.after, c.published)}**")
    for f in c.fields:
        old = _text(f.old) if f.old is not None else "（无）"
        new = _text(f.new) if f.new is not None else "（删除）"
        emphasis = "**" if f.field in ("status", "repealed", "published", "id") else ""
        out.append(f"- {_text(f.label)}：{old} → {emphasis}{new}{emphasis}")
    out += [f"- {_text(a)}" for a in c.attachments]
    for name, lines in c.attachment_diffs.items():
        out += ["", f"<details><summary>附件 {_text(name)} 的改动</summary>", "",
                *_fence(lines, "diff"), "", "</details>"]
    if c.body_diff:
        more = f"（另有 {c.body_more} 行改动未显示）" if c.body_more else ""
        out += ["", f"<details><summary>正文改动{more}</summary>", "",
                *_fence(c.body_diff, "diff"), "", "</details>"]
    return out


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
        },
        "changes": [
            {
                "kind": c.kind, "id": c.id, "title": c.title, "file": c.file, "old_file": c.old_file,
                "before": c.before, "after": c.after, "published": c.published, "category": c.category,
                "fields": [dataclasses.asdict(f) for f in c.fields],
                "body_diff": c.body_diff, "body_more": c.body_more, "attachments": c.attachments,
                "attachment_diffs": c.attachment_diffs,
                "details": [dataclasses.asdict(f) for f in c.details], "body": c.body,
            }
            for c in r.changes
        ],
        "blocking": problems(r.blocking),
        "notes": problems(r.notes),
        "introduced": problems(r.introduced),
        "fixed": r.fixed,
        "guards": [dataclasses.asdict(n) for n in r.guard_notes],
    }
