"""What a change to a catalog file changes, key by key.

Read with the strict YAML reader the loader uses (no anchors, no tags), so a file
the build refuses is said to be unreadable here too (its problem is in the report).
Entries of a list are matched by what names them (``code``, ``slug``, ``user``,
``name``, ``correct``), so inserting one agency does not look like changing all.
For categories, the items a change moves (a category renamed, moved under another
parent or removed) are listed by 索引号.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from gongkai.read import strict_yaml

#: keys that name an entry of a list, in order of preference
_ID_KEYS = ("code", "slug", "user", "name", "correct")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
#: how many 索引号 a category change lists before counting the rest
ITEMS_SHOWN = 20


def read(data: bytes | None) -> Any:
    """The YAML document's data; None when absent; raises ValueError when unreadable."""
    if data is None:
        return None
    try:
        return strict_yaml.load(data.decode("utf-8")).data
    except (UnicodeDecodeError, strict_yaml.YamlError) as exc:
        raise ValueError(str(exc)) from None


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + "、".join(_scalar(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _bag(value: Any) -> Counter:
    if isinstance(value, Counter):
        return value
    return Counter() if value is None else Counter([_scalar(value)])


def _id_key(items: list) -> str | None:
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for key in _ID_KEYS:
        values = [i.get(key) for i in items]
        if all(isinstance(v, (str, int)) for v in values) and len(set(map(str, values))) == len(values):
            return key
    return None


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Path -> value; a list of named entries by name, a row of numbers as one value, any
    other list as a multiset (the order of 同义词 or 机关代字 means nothing)."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out or {prefix: {}}
    if isinstance(data, list):
        if data and all(_NUMBER.fullmatch(_scalar(v)) for v in data):
            return {prefix: data}  # a row of figures: its order is its meaning
        key = _id_key(data)
        if key is None:
            return {prefix: Counter(_scalar(v) for v in data)}
        out = {}
        for entry in data:
            out.update(flatten(entry, f"{prefix}[{entry[key]}]"))
        return out
    return {prefix: data}


def key_changes(old: Any, new: Any) -> list[str]:
    """One line per changed key: ``键 a.b：旧 → 新``, ``新增…``, ``删除…``."""
    a, b = flatten(old) if old is not None else {}, flatten(new) if new is not None else {}
    out = []
    for path in list(a) + [p for p in b if p not in a]:
        before, after = a.get(path), b.get(path)
        if isinstance(before, Counter) or isinstance(after, Counter):
            gone, came = _bag(before) - _bag(after), _bag(after) - _bag(before)
            parts = [f"新增 {v}" for v in came.elements()] + [f"删除 {v}" for v in gone.elements()]
            if parts:
                out.append(f"{path or '（整个文件）'}：" + "；".join(parts))
        elif path not in a:
            out.append(f"新增 {path}：{_scalar(after)}")
        elif path not in b:
            out.append(f"删除 {path}（原为 {_scalar(before)}）")
        elif _scalar(before) != _scalar(after):
            out.append(f"{path}：{_scalar(before)} → {_scalar(after)}")
    return out


def category_moves(old_paths: dict[str, str], new_paths: dict[str, str],
                   items_by_category: dict[str, list[str]]) -> list[str]:
    """For each category whose place or name changed: which items move with it.

    ``*_paths``: code -> "政策文件 › 规章"; ``items_by_category``: code -> 索引号 of the
    items filed under it on either side."""
    out = []
    for code in list(old_paths) + [c for c in new_paths if c not in old_paths]:
        before, after = old_paths.get(code), new_paths.get(code)
        if before == after:
            continue
        ids = sorted(items_by_category.get(code, []))
        shown = "、".join(ids[:ITEMS_SHOWN]) + (f" 等 {len(ids)} 条" if len(ids) > ITEMS_SHOWN else "")
        moved = f"，其中的 {len(ids)} 个条目随之变动：{shown}" if ids else "，没有条目在其中"
        if before is None:
            out.append(f"新增目录 {code}（{after}）{moved}")
        elif after is None:
            out.append(f"删除目录 {code}（原为 {before}）{moved}")
        else:
            out.append(f"目录 {code} 由“{before}”改为“{after}”{moved}")
    return out
