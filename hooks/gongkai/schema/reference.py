"""The editors' field reference, generated from the schema itself.

Every front-matter key, its Chinese label, type, default and example come from
``schema.front_matter.FrontMatter`` (pydantic ``model_fields`` and ``json_schema_extra``),
so the reference cannot drift from what the validator accepts. ``gongkai
fields`` writes it to ``catalog/FIELDS.md``; a test fails when the committed
copy is stale.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from gongkai.schema import front_matter as schema

OUTPUT = Path("catalog") / "FIELDS.md"

_KINDS = {
    schema._text: "文本",
    schema.parse_date: "日期（YYYY-MM-DD）",
    schema._bool: "是否（true / false）",
    schema._text_list: "列表（[甲, 乙] 或用顿号、逗号分隔）",
    schema._channels: "列表，每项为：" + "、".join(schema.vocab.CHANNELS),
    schema._doc_number: "发文字号（机关代字〔年份〕序号号）",
}


def _kind(annotation: Any, metadata: Sequence[Any] = ()) -> tuple[str, type[BaseModel] | None]:
    """A human description of a field's type, and the nested model if there is one.

    pydantic moves the validators of ``Annotated`` fields into ``metadata``; inside
    ``X | None`` they stay on the annotation.
    """
    for func in [m.func for m in metadata if isinstance(m, BeforeValidator)]:
        if hasattr(func, "options"):
            return "可选值：" + "、".join(func.options), None
        if func in _KINDS:
            return _KINDS[func], None
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _kind(args[0])
    if origin is list:
        inner, model = _kind(typing.get_args(annotation)[0])
        return (f"列表，每项为映射（见“{_title(model)}”）" if model else f"列表（{inner}）"), model
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"映射（见“{_title(annotation)}”）", annotation
    if typing.get_origin(annotation) is typing.Annotated:
        return _kind(typing.get_args(annotation)[0], list(annotation.__metadata__))
    return "文本", None


def _title(model: type[BaseModel] | None) -> str:
    if model is None:
        return ""
    owner = next(info for info in _all_fields() if _kind_model(info.annotation) is model)
    return _extra(owner, "zh")


def _extra(info: FieldInfo, key: str, default: str = "") -> str:
    """The ``zh`` label or ``example`` that ``front_matter._field`` stores on every field."""
    extra = info.json_schema_extra
    return str(extra.get(key, default)) if isinstance(extra, dict) else default


def _kind_model(annotation: Any) -> type[BaseModel] | None:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(annotation):
            found = _kind_model(arg)
            if found is not None:
                return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _all_fields() -> list[FieldInfo]:
    """Every field of the front matter and of the models nested in it, at any depth."""
    fields: list[FieldInfo] = []
    models: list[type[BaseModel]] = [schema.FrontMatter]
    while models:
        model = models.pop(0)
        for info in model.model_fields.values():
            fields.append(info)
            inner = _kind_model(info.annotation)
            if inner is not None and inner not in models:
                models.append(inner)
    return fields


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "必填"
    value = info.get_default(call_default_factory=True)
    if value is None or value is PydanticUndefined:
        return "可不写"
    if isinstance(value, bool):
        return "默认 " + ("true" if value else "false")
    if isinstance(value, list):
        return "默认 " + ("[" + ", ".join(value) + "]" if value else "空")
    return f"默认 {value}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(model: type[BaseModel]) -> tuple[list[str], list[type[BaseModel]]]:
    rows = ["| 中文字段名 | 英文字段名 | 类型 | 必填/默认 | 示例 | 说明 |",
            "|---|---|---|---|---|---|"]
    nested = []
    for name, info in model.model_fields.items():
        kind, inner = _kind(info.annotation, info.metadata)
        if inner is not None:
            nested.append(inner)
        example = "见下文" if inner is not None else f"`{_extra(info, 'example')}`"
        rows.append(f"| {_extra(info, 'zh', name)} | `{name}` | {_cell(kind)} | {_default(info)} "
                    f"| {_cell(example)} | {_cell(info.description or '')} |")
    return rows, nested


def _example(model: type[BaseModel], indent: str = "") -> list[str]:
    lines = []
    for name, info in model.model_fields.items():
        inner = _kind_model(info.annotation)
        if inner is not None and model is not schema.FrontMatter and not info.is_required():
            continue  # an optional block inside a block (人工审查) is shown in its own table
        if inner is not None:
            lines.append(f"{indent}{_extra(info, 'zh')}:")
            sub = _example(inner, indent + "  ")
            if typing.get_origin(info.annotation) is list:
                sub = [indent + "  - " + sub[0].lstrip()] + ["  " + s for s in sub[1:]]
            lines += sub
        elif info.is_required() or model is not schema.FrontMatter or name in _SHOWN_OPTIONAL:
            lines.append(f"{indent}{_extra(info, 'zh')}: {_extra(info, 'example')}")
    return lines


#: optional keys the example shows, beyond the required ones
_SHOWN_OPTIONAL = ("doc_number", "topic", "keywords", "review", "attachments")


def render() -> str:
    out = [
        "# 条目字段参考",
        "",
        "<!-- 本文件由 `gongkai fields` 根据 hooks/gongkai/schema/front_matter.py 生成，请勿手工修改。 -->",
        "",
        "每个条目是 `content/` 下的一个 Markdown 文件，开头是 YAML 头信息（两行 `---` 之间）。",
        "字段名可以写中文，也可以写英文，两者等价；所有值都按文本读取，日期写成 YYYY-MM-DD。",
        "",
        "## 示例",
        "",
        "```yaml",
        "---",
        *_example(schema.FrontMatter),
        "---",
        "```",
        "",
        "## 条目字段",
        "",
    ]
    rows, nested = _table(schema.FrontMatter)
    out += rows
    seen: list[type[BaseModel]] = []
    while nested:
        model = nested.pop(0)
        if model in seen:
            continue
        seen.append(model)
        rows, more = _table(model)
        out += ["", f"## {_title(model)}", "", *rows]
        nested += more
    return "\n".join(out) + "\n"


def write(root: Path) -> Path:
    path = root / OUTPUT
    path.write_text(render(), encoding="utf-8")
    return path
