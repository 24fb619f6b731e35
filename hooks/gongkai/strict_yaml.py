"""A YAML reader that never guesses types.

PyYAML's resolver turns ``010`` into 8, ``12:30`` into 750 and ``no`` into
False, and keeps the last of two duplicate keys without a word. Here every
scalar stays a string (the schema decides what it means), duplicate keys and
tags are errors, and every value remembers the line it was written on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

try:  # the C composer is several times faster on large catalogues
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Composes without guessing plain scalars' types: every value stays a string
    anyway, and skipping PyYAML's (Python) implicit resolvers saves a fifth of
    the loading time of a large site. Explicit tags are still reported."""

    yaml_implicit_resolvers: dict = {}

    def resolve(self, kind, value, implicit):  # what BaseResolver returns with no resolvers
        if kind is yaml.ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node, current_index):  # no path resolvers either
        pass

    def ascend_resolver(self):
        pass

Path = tuple[str | int, ...]

_NULLS = {"", "~", "null", "Null", "NULL"}
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
}


class YamlError(Exception):
    def __init__(self, line: int | None, message: str, path: Path = ()):
        self.line = line
        self.message = message
        self.path = path
        super().__init__(f"{line}: {message}")


@dataclass(frozen=True, slots=True)
class Document:
    data: Any
    lines: dict[Path, int]

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest written ancestor."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def load(text: str, first_line: int = 1) -> Document:
    """Parse ``text``; line numbers are counted from ``first_line``."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else None
        raise YamlError(line, _describe_yaml_error(exc)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors carry no mark
        raise YamlError(None, f"YAML 格式错误：{exc}") from None
    lines: dict[Path, int] = {}
    if node is None:
        return Document({}, lines)
    data = _convert(node, (), lines, first_line)
    return Document(data, lines)


def _describe_yaml_error(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    hints = {
        "mapping values are not allowed here": "此处不能出现冒号“:”；值里含冒号时请用引号括起来",
        "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请改用空格",
        "could not find expected ':'": "缺少冒号“:”，应写成“键: 值”",
        "found undefined alias": "引用了未定义的锚点",
        "expected <block end>, but found '<block sequence start>'": "列表缩进不一致",
        "expected <block end>, but found '-'": "列表缩进不一致",
    }
    for key, hint in hints.items():
        if problem.startswith(key):
            return f"YAML 格式错误：{hint}"
    if "found unexpected end of stream" in problem or "while scanning a quoted scalar" in str(exc):
        return "YAML 格式错误：引号没有闭合"
    return f"YAML 格式错误：{problem or exc}"


def _convert(node: yaml.Node, path: Path, lines: dict[Path, int], first_line: int) -> Any:
    line = node.start_mark.line + first_line
    lines[path] = line
    tag = node.tag
    if tag.startswith("!") or (tag.startswith("tag:yaml.org,2002:") and tag not in _STANDARD_TAGS):
        raise YamlError(line, f"不支持 YAML 标签 {tag}", path)
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.value in _NULLS:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_convert(child, path + (i,), lines, first_line) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + first_line
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(key_line, "键必须是文本", path)
            key = key_node.value
            if key in result:
                first = lines.get(path + (key,))
                raise YamlError(key_line, f"重复的键“{key}”（第 {first} 行已经写过）", path + (key,))
            result[key] = _convert(value_node, path + (key,), lines, first_line)
            lines[path + (key,)] = key_line
        return result
    raise YamlError(line, "无法识别的 YAML 结构", path)  # pragma: no cover
