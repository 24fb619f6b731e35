"""The text of an imported item: front matter as an editor would write it, then the body."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

#: a value that YAML reads back as the same string without quotes
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`~][^:#\n]*(?<![\s:])$")


def scalar(value: str) -> str:
    """A YAML scalar that reads back as ``value`` (strict_yaml keeps every scalar a string)."""
    if _PLAIN.match(value) and value not in ("null", "Null", "NULL", "~"):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def flow_list(values: list[str]) -> str:
    return "[" + ", ".join(v if re.fullmatch(r"[^\s,\[\]{}:#'\"&*!|>%@`]+", v) else scalar(v)
                           for v in values) + "]"


@dataclass
class ItemFields:
    id: str
    title: str
    agency: str
    category: str
    created: dt.date
    published: dt.date
    doc_number: str | None = None
    status: str | None = None  # written only when the export says it
    repealed: dt.date | None = None
    superseded_by: str | None = None
    topic: str | None = None
    keywords: list[str] = field(default_factory=list)
    summary: str | None = None
    disclosure: str | None = None
    audience: str | None = None
    channels: list[str] = field(default_factory=list)
    old_id: str | None = None
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (file, title)
    inferred: dict[str, str] = field(default_factory=dict)  # "created"/"published" -> the note beside it


def _dated(label: str, day: dt.date, note: str | None) -> str:
    """A date line; one the import filled in says so, so it is never taken for the original's."""
    return f"{label}: {day.isoformat()}" + (f"          # {note}" if note else "")


def render(f: ItemFields, body: str, provenance: str, reviewer: str, draft_note: str | None = None) -> str:
    """``draft_note``: write the item as a draft, with why beside 草稿."""
    lines = ["---", f"# {provenance}", f"索引号: {scalar(f.id)}"]
    if f.old_id:
        lines.append(f"原索引号: {scalar(f.old_id)}          # 旧系统的索引号，只作记录")
    lines += [f"标题: {scalar(f.title)}", f"发布机构: {scalar(f.agency)}", f"目录: {f.category}",
              _dated("成文日期", f.created, f.inferred.get("created")),
              _dated("发布日期", f.published, f.inferred.get("published"))]
    if f.doc_number:
        lines.append(f"发文字号: {scalar(f.doc_number)}")
    if f.status:
        lines.append(f"有效性: {f.status}")
    if f.repealed:
        lines.append(f"废止日期: {f.repealed.isoformat()}")
    if f.superseded_by:
        lines.append(f"替代文件: {scalar(f.superseded_by)}")
    if f.topic:
        lines.append(f"主题分类: {scalar(f.topic)}")
    if f.keywords:
        lines.append(f"主题词: {flow_list(f.keywords)}")
    if f.summary:
        lines.append(f"内容概述: {scalar(f.summary)}")
    if f.disclosure:
        lines.append(f"公开方式: {scalar(f.disclosure)}")
    if f.audience:
        lines.append(f"公开范围: {scalar(f.audience)}")
    if f.channels:
        lines.append(f"公开载体: {flow_list(f.channels)}")
    if f.attachments:
        lines.append("附件:")
        for file, title in f.attachments:
            lines.append(f"  - 文件: {scalar(file)}")
            if title and title != file:
                lines.append(f"    名称: {scalar(title)}")
    lines += ["审查:                       # 原系统发布时已经审查；导入时记录如下",
              f"  审查人: {scalar(reviewer)}", f"  审查日期: {f.published.isoformat()}",
              "  审查结果: 同意公开", "历史导入: true"]
    if draft_note:
        lines.append(f"草稿: true                   # {draft_note}")
    lines += ["---", ""]
    return "\n".join(lines) + body
