"""The editors' field reference, generated from the schema itself.

Every front-matter key, its Chinese label, type, default and example come from
``schema.FrontMatter`` (pydantic ``model_fields`` and ``json_schema_extra``),
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

from gongkai.schema import catalog as catalog_schema
from gongkai.schema import front_matter as schema

OUTPUT = Path("catalog") / "FIELDS.md"

_KINDS = {
    schema.parse_text: "文本",
    schema.parse_date: "日期（YYYY-MM-DD）",
    schema.parse_bool: "是否（true / false）",
    schema.parse_text_list: "列表（[甲, 乙] 或用顿号、逗号分隔）",
    schema.parse_channels: "列表，每项为：" + "、".join(schema.vocab.CHANNELS),
    schema.parse_doc_number: "发文字号（机关代字〔年份〕序号号）",
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
    return owner.json_schema_extra["zh"]


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


def _all_fields():
    """Every field of the front matter and of the models nested in it, at any depth."""
    fields = []
    models: list[type[BaseModel]] = [schema.FrontMatter]
    while models:
        model = models.pop(0)
        for info in model.model_fields.values():
            fields.append(info)
            inner = _kind_model(info.annotation)
            if inner is not None and inner not in models:
                models.append(inner)
    return fields


def _default(info) -> str:
    if info.is_required():
        return "必填"
    if info.default_factory is not None:
        value = info.default_factory()
    else:
        value = info.default
    if value is None or value is PydanticUndefined:
        return "可不写"
    if isinstance(value, bool):
        return "默认 " + ("true" if value else "false")
    if isinstance(value, list):
        return "默认 " + ("[" + ", ".join(value) + "]" if value else "空")
    return f"默认 {value}"


def _extra(info: FieldInfo) -> dict[str, Any]:
    """A field's label and example (``front_matter.field`` always gives a mapping)."""
    extra = info.json_schema_extra
    return extra if isinstance(extra, dict) else {}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


_HEAD = ["| 中文字段名 | 英文字段名 | 类型 | 必填/默认 | 示例 | 说明 |", "|---|---|---|---|---|---|"]


def _people_rows() -> list[str]:
    """The catalog keys that say who may do what (``agencies.yml`` and ``site.yml``)."""
    rows = ["| 文件 | 英文字段名 | 中文含义 | 类型 | 示例 | 说明 |", "|---|---|---|---|---|---|"]
    keys = (("catalog/agencies.yml（每个机构）", catalog_schema.Agency, ("editors", "reviewers")),
            ("catalog/site.yml", catalog_schema.SiteSettings, ("publishers", "go_live")))
    for file, model, names in keys:
        for name in names:
            info = model.model_fields[name]
            extra = _extra(info)
            kind = "日期（YYYY-MM-DD）" if name == "go_live" else "列表，每项为映射（见“人员”）"
            rows.append(f"| {file} | `{name}` | {extra.get('zh', name)} | {kind} | `{_cell(extra['example'])}` "
                        f"| {_cell(info.description or '')} |")
    rows += ["", "### 人员", "", *_HEAD]
    for name, info in catalog_schema.Person.model_fields.items():
        extra = _extra(info)
        rows.append(f"| {extra['zh']} | `{name}` | 文本 | 必填 | `{extra['example']}` | {_cell(info.description or '')} |")
    return rows


def _table(model: type[BaseModel]) -> tuple[list[str], list[type[BaseModel]]]:
    rows = list(_HEAD)
    nested = []
    for name, info in model.model_fields.items():
        extra = _extra(info)
        kind, inner = _kind(info.annotation, info.metadata)
        if inner is not None:
            nested.append(inner)
        example = extra.get("example", "")
        example = "见下文" if inner is not None else f"`{example}`"
        rows.append(f"| {extra.get('zh', name)} | `{name}` | {_cell(kind)} | {_default(info)} "
                    f"| {_cell(example)} | {_cell(info.description or '')} |")
    return rows, nested


def _example(model: type[BaseModel], indent: str = "") -> list[str]:
    lines = []
    for name, info in model.model_fields.items():
        extra = _extra(info)
        inner = _kind_model(info.annotation)
        if inner is not None and model is not schema.FrontMatter and not info.is_required():
            continue  # an optional block inside a block (人工审查) is shown in its own table
        if inner is not None:
            lines.append(f"{indent}{extra['zh']}:")
            sub = _example(inner, indent + "  ")
            if typing.get_origin(info.annotation) is list:
                sub = [indent + "  - " + sub[0].lstrip()] + ["  " + s for s in sub[1:]]
            lines += sub
        elif info.is_required() or model is not schema.FrontMatter or name in _SHOWN_OPTIONAL:
            lines.append(f"{indent}{extra['zh']}: {extra['example']}")
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
    out += ["", "## 编辑、审查人、发布人和上线日期", "",
            "谁可以做什么写在目录定义中：条目的“发布机构”必须是它所在文件夹 `content/<简称代码>/` 的机构，"
            "“审查人”必须是该机构登记的审查人之一的姓名。改动人员后运行 `gongkai codeowners`，"
            "提交生成的 CODEOWNERS 文件（`gongkai check` 检查它们是否最新）。", "", *_people_rows()]
    return "\n".join(out) + "\n"


def write(root: Path) -> Path:
    path = root / OUTPUT
    path.write_text(render(), encoding="utf-8")
    return path
