"""How an item's content changed: its fields, its body and its attachments.

What a reviewer reads is masked like every report: a personal number a guard
warns about is not repeated in the comment.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

from gongkai.guards import pii
from gongkai.read.source import SourceError, read_text
from gongkai.review.snapshot import RawItem
from gongkai.schema.front_matter import ALIASES, LABELS, FrontMatter

#: how many changed body lines a report shows per item
BODY_DIFF_LINES = 12
#: attachments read as text to show how they changed
TEXT_ATTACHMENTS = (".txt", ".csv", ".md", ".json", ".xml", ".html", ".htm")
#: how many changed lines of an attachment a report shows
ATTACHMENT_DIFF_LINES = 20


@dataclass
class FieldChange:
    field: str  # English key
    label: str  # Chinese label
    old: str | None
    new: str | None


def render(value: Any, level: str = "") -> str | None:
    """A value as written, as one line of text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "、".join(render(v, level) or "" for v in value)
    if isinstance(value, dict):
        labels = {en: zh for zh, en in ALIASES.get(level, {}).items()}
        return "，".join(f"{labels.get(k, k)}: {render(v)}" for k, v in value.items())
    return json.dumps(value, ensure_ascii=False)


def category(item: RawItem, names: dict[str, str]) -> str | None:
    code = render(item.fields.get("category"))
    return f"{names[code]}（{code}）" if code in names else code


_FIELD_ORDER = list(FrontMatter.model_fields)


def _field_order(key: str) -> tuple[int, str]:
    return (_FIELD_ORDER.index(key) if key in _FIELD_ORDER else len(_FIELD_ORDER), str(key))


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, ensure_ascii=False) == json.dumps(b, sort_keys=True,
                                                                          ensure_ascii=False)


def field_changes(old: dict, new: dict, names_old: dict, names_new: dict) -> list[FieldChange]:
    out = []
    for key in sorted(set(old) | set(new), key=_field_order):
        a, b = old.get(key), new.get(key)
        if _same(a, b):
            continue
        level = key if key in ALIASES else ""
        ra, rb = render(_or_default(key, a), level), render(_or_default(key, b), level)
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
    default = info.get_default(call_default_factory=True)
    if isinstance(default, bool):
        return "true" if default else "false"
    return default if isinstance(default, (str, list)) and default else None


def _changed_lines(old: str, new: str) -> list[str]:
    return [line for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))]


def body_diff(old: str, new: str) -> tuple[list[str], int]:
    lines = _changed_lines(old, new)
    return [pii.redact(line) for line in lines[:BODY_DIFF_LINES]], max(0, len(lines) - BODY_DIFF_LINES)


def _redact(text: str | None) -> str | None:
    """A reviewer's comment must not repeat the number a guard warns about."""
    return None if text is None else pii.redact(text)


def attachment_changes(old: dict[str, str], new: dict[str, str]) -> list[str]:
    out = [f"新增附件 {n}" for n in new if n not in old]
    out += [f"删除附件 {n}" for n in old if n not in new]
    out += [f"附件 {n} 的内容已更换" for n in new if n in old and old[n] != new[n]]
    return out


def _attachment_text(item: RawItem, name: str) -> str | None:
    try:
        return read_text(item.path.parent / name, name)
    except (OSError, SourceError):
        return None


def attachment_diffs(old: RawItem, new: RawItem) -> dict[str, list[str]]:
    """A replaced text attachment's changed lines (a reviewer sees what changed, not only
    that it did); personal numbers are masked as in the body diff."""
    out = {}
    for name, digest in new.attachments.items():
        if old.attachments.get(name) in (None, digest) or not name.lower().endswith(TEXT_ATTACHMENTS):
            continue
        before, after = _attachment_text(old, name), _attachment_text(new, name)
        if before is None or after is None:
            continue
        lines = _changed_lines(before, after)
        more = len(lines) - ATTACHMENT_DIFF_LINES
        out[name] = [pii.redact(line) for line in lines[:ATTACHMENT_DIFF_LINES]] \
            + ([f"（另有 {more} 行改动未显示）"] if more > 0 else [])
    return out
