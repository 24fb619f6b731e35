"""Validate parsed YAML against a pydantic model, reporting in Chinese.

Keys may be English or their Chinese label (``json_schema_extra["zh"]``).
Labels are renamed to English keys first, keeping each value's line, so a
pydantic error can be reported as ``file:line: 字段: 原因``.
"""

from __future__ import annotations

import difflib
import functools
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from gongkai.problems import Problem, Problems
from gongkai.read.source import MarkdownSource, SourceError, read_markdown
from gongkai.read.strict_yaml import Document, KeyPath

M = TypeVar("M", bound=BaseModel)


@functools.cache  # models are fixed classes; a large site validates thousands of items
def _labels(model: type[BaseModel]) -> dict[str, str]:
    """English field name -> Chinese label."""
    out = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        zh = extra.get("zh") if isinstance(extra, dict) else None
        out[name] = zh if isinstance(zh, str) else name
    return out


@functools.cache
def _by_label(model: type[BaseModel]) -> dict[str, str]:
    """Chinese label -> English field name."""
    return {zh: en for en, zh in _labels(model).items()}


@functools.cache
def _nested_fields(model: type[BaseModel]) -> dict[str, tuple[type[BaseModel], bool]]:
    """Field name -> its nested model (and whether it is a list of them), for fields that have one."""
    out = {}
    for name, info in model.model_fields.items():
        inner, is_list = _nested_model(info.annotation)
        if inner is not None:
            out[name] = (inner, is_list)
    return out


_NOT_NESTED: tuple[type[BaseModel] | None, bool] = (None, False)


def _nested_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """(model, is_list) for ``X``, ``X | None``, ``list[X]``; else (None, False)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _nested_model(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _nested_model(arg)
            if found[0] is not None:
                return found
        return None, False
    if origin is list:
        inner, _ = _nested_model(typing.get_args(annotation)[0])
        return inner, True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def labels_of(model: type[BaseModel], keys: frozenset[str]) -> set[str]:
    """The Chinese labels that ``keys`` (English names or labels as written) stand for, in the
    model and every model nested in it (a category tree nests its own model)."""
    out: set[str] = set()
    todo, seen = [model], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        out |= {zh for en, zh in _labels(current).items() if en in keys or zh in keys}
        todo += [inner for inner, _ in _nested_fields(current).values()]
    return out


class _WrittenTwice(Exception):
    pass


@functools.cache
def _optional(model: type[BaseModel]) -> frozenset[str]:
    """Fields a form may leave empty, when the model reads form input (``form_input``)."""
    if not getattr(model, "form_input", False):
        return frozenset()
    return frozenset(name for name, info in model.model_fields.items() if not info.is_required())


@functools.cache
def _form_defaults(model: type[BaseModel]) -> dict[str, str]:
    """Field name and Chinese label -> the value a form puts there before anyone types."""
    out: dict[str, str] = {}
    labels = _labels(model)
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        default = extra.get("form_default") if isinstance(extra, dict) else None
        if isinstance(default, str):
            out[name] = out[labels[name]] = default
    return out


def _blank(model: type[BaseModel] | None, value: Any) -> bool:
    """Whether a form left ``value`` unfilled: empty text, null, an empty list or mapping, or a
    mapping of ``model`` holding nothing but blanks and the values the form puts there itself
    (``审查: {审查结果: 待审查}``). Web editors write every field of the form this way (Decap
    CMS cannot leave a key out), so such a value means "not written"."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(_blank(model, v) for v in value)
    if isinstance(value, dict):
        if model is None:
            return all(_blank(None, v) for v in value.values())
        defaults = _form_defaults(model)
        by_label = _by_label(model)
        return all(_blank(_inner(model, by_label.get(str(k), str(k))), v) or defaults.get(str(k)) == v
                   for k, v in value.items())
    return False


def _inner(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    found = _nested_fields(model).get(name)
    return found[0] if found is not None else None


def _unwritten(model: type[BaseModel], name: str, value: Any) -> bool:
    """Whether an optional field's value is one a form writes for "not filled in"."""
    return name in _optional(model) and _blank(_inner(model, name), value)


def _kept(model: type[BaseModel], entries: list[Any]) -> list[int]:
    """Indexes of a list of ``model`` mappings that are not blank rows a form left behind."""
    if not getattr(model, "form_input", False):
        return list(range(len(entries)))
    return [i for i, v in enumerate(entries) if not (isinstance(v, dict) and _blank(model, v))]


def _renamed(model: type[BaseModel], data: Any) -> Any:
    """What ``_Renamer.mapping`` returns, without lines and labels; raises _WrittenTwice
    where it would report a key written twice (in English and in Chinese)."""
    if not isinstance(data, dict):
        return data
    by_label = _by_label(model)
    nested = _nested_fields(model)
    out: dict[str, Any] = {}
    key: str  # a YAML key is text (strict_yaml refuses any other)
    for key, value in data.items():
        name = by_label.get(key, key)
        if _unwritten(model, name, value):
            continue
        if name in out:
            raise _WrittenTwice
        inner, is_list = nested.get(name, _NOT_NESTED)
        if inner is not None:
            if is_list and isinstance(value, list):
                value = [_renamed(inner, value[i]) for i in _kept(inner, value)]
            elif not is_list:
                value = _renamed(inner, value)
        out[name] = value
    return out


class _Renamer:
    def __init__(self, doc: Document, file: str):
        self.doc = doc
        self.file = file
        self.lines: dict[KeyPath, int] = {}
        self.labels: dict[KeyPath, str] = {}
        self.problems: list[Problem] = []

    def mapping(self, model: type[BaseModel], data: Any, src: KeyPath, dst: KeyPath) -> Any:
        if not isinstance(data, dict):
            return data
        labels = _labels(model)
        by_label = _by_label(model)
        nested = _nested_fields(model)
        written = self.doc.lines  # every key strict_yaml read has its own line: skip line_of's walk
        out: dict[str, Any] = {}
        origin: dict[str, str] = {}
        key: str  # a YAML key is text (strict_yaml refuses any other)
        for key, value in data.items():
            name = by_label.get(key, key)
            at = src + (key,)
            line = written.get(at)
            if line is None:
                line = self.doc.line_of(at)
            here = dst + (name,)
            if _unwritten(model, name, value):  # an English key beside an empty Chinese one is fine
                continue
            if name in out:
                self.problems.append(Problem(
                    self.file, line, self._label(here, labels.get(name, name)),
                    f"同时写了“{origin[name]}”和“{key}”，它们是同一个字段，只保留一个"))
                continue
            origin[name] = key
            self.lines[here] = line or 0
            self.labels[here] = labels.get(name, key)
            inner, is_list = nested.get(name, _NOT_NESTED)
            if inner is not None:
                if is_list and isinstance(value, list):
                    kept = _kept(inner, value)
                    value = [self.mapping(inner, value[i], at + (i,), here + (j,))
                             for j, i in enumerate(kept)]
                    for j, i in enumerate(kept):
                        self.lines[here + (j,)] = self.doc.line_of(at + (i,)) or 0
                elif not is_list:
                    value = self.mapping(inner, value, at, here)
            out[name] = value
        return out

    def _label(self, path: KeyPath, last: str) -> str:
        parts = [self.labels.get(path[: i + 1], str(p)) for i, p in enumerate(path[:-1])]
        return ".".join(parts + [last]) if parts else last


def validate(model: type[M], doc: Document, file: str, base_path: KeyPath = (),
             data: Any = None, context: dict | None = None) -> tuple[M | None, list[Problem]]:
    """Validate ``data`` (default: the whole document) found at ``base_path``."""
    data = doc.data if data is None else data
    if not isinstance(data, dict):
        return None, [Problem(file, doc.line_of(base_path), None,
                              "这里应为“键: 值”形式的映射")]
    # Nearly every item is valid: validate it renamed without the line and label
    # book-keeping, which only a problem needs; on any problem start over below.
    try:
        return model.model_validate(_renamed(model, data), context=context), []
    except (_WrittenTwice, ValidationError):
        pass
    renamer = _Renamer(doc, file)
    renamed = renamer.mapping(model, data, base_path, ())
    problems = renamer.problems
    try:
        result = model.model_validate(renamed, context=context)
    except ValidationError as exc:
        problems.extend(_translate(exc, renamer, model, doc, file, base_path))
        return None, problems
    return (result if not problems else None), problems


def read_and_validate(path: Path, display: str, model: type[M], problems: Problems
                      ) -> tuple[MarkdownSource | None, M | None]:
    """Read a Markdown file's front matter and validate it; every problem goes to ``problems``."""
    try:
        source = read_markdown(path, display)
    except SourceError as exc:
        problems.extend(exc.problems)
        if exc.partial is None:
            return None, None
        # the rest of the file is still checked; a field blanked because it did not parse is
        # not also reported missing
        labels = _labels(model)
        broken = set(exc.broken) | {labels.get(k, k) for k in exc.broken} \
            | {en for en, zh in labels.items() if zh in exc.broken}
        _, found = validate(model, exc.partial.front, display)
        problems.extend(p for p in found
                        if (p.field or "").split(".")[0].split("[")[0] not in broken)
        return exc.partial, None
    front, found = validate(model, source.front, display)
    problems.extend(found)
    return source, front


def _field_label(renamer: _Renamer, loc: KeyPath) -> str:
    if not loc:
        return ""
    parts = []
    for i, part in enumerate(loc):
        label = renamer.labels.get(tuple(loc[: i + 1]))
        if isinstance(part, int):
            parts.append(f"[{part + 1}]")
        else:
            parts.append(("." if parts else "") + (label or str(part)))
    return "".join(parts)


def _line(renamer: _Renamer, doc: Document, loc: KeyPath, base_path: KeyPath) -> int | None:
    loc = tuple(loc)
    while loc:
        if renamer.lines.get(loc):
            return renamer.lines[loc]
        loc = loc[:-1]
    return doc.line_of(base_path)


def _all_keys(model: type[BaseModel]) -> list[str]:
    return [k for pair in _labels(model).items() for k in pair]


def _translate(exc: ValidationError, renamer: _Renamer, model: type[BaseModel],
               doc: Document, file: str, base_path: KeyPath) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        kind = err["type"]
        ctx = err.get("ctx") or {}
        if kind == "gongkai":
            message = err["msg"]
            if ctx.get("field"):
                loc = loc + (ctx["field"],)
                renamer.labels.setdefault(loc, _label_of(model, loc))
        elif kind == "missing":
            message = "缺少必填字段"
            renamer.labels.setdefault(loc, _label_of(model, loc))
        elif kind == "extra_forbidden":
            key = renamer.labels.get(loc, str(loc[-1]))
            parent = _model_at(model, loc[:-1])
            close = difflib.get_close_matches(key, _all_keys(parent), n=1, cutoff=0.5) if parent else []
            message = f"未知字段“{key}”" + (f"，是不是“{close[0]}”？" if close else "")
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            message = "应为“键: 值”形式的映射"
        elif kind == "list_type":
            message = "应为列表"
        elif kind in ("string_type", "str_type"):
            message = "应为一段文本"
        else:
            message = f"取值不正确：{err['msg']}"
        problems.append(Problem(file, _line(renamer, doc, loc, base_path),
                                _field_label(renamer, loc) or None, message))
    return problems


def _model_at(model: type[BaseModel], loc: KeyPath) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None
        current, _ = _nested_model(info.annotation)
    return current


def _label_of(model: type[BaseModel], loc: KeyPath) -> str:
    parent = _model_at(model, loc[:-1])
    if parent is None or not loc or isinstance(loc[-1], int):
        return str(loc[-1]) if loc else ""
    return _labels(parent).get(str(loc[-1]), str(loc[-1]))
