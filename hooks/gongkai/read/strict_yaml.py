"""A YAML reader that never guesses types.

PyYAML's resolver turns ``010`` into 8, ``12:30`` into 750 and ``no`` into
False, and keeps the last of two duplicate keys without a word. Here every
scalar stays a string (the schema decides what it means), duplicate keys and
tags are errors, and every value remembers the line it was written on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:  # typed as the C loader, the one that runs; the Python fallback has the same methods
    from yaml import CSafeLoader as _BaseLoader
else:
    try:  # the C composer is several times faster on large catalogues
        from yaml import CSafeLoader as _BaseLoader
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        from yaml import SafeLoader as _BaseLoader


class _Loader(_BaseLoader):
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

#: the keys and list indexes from a document's root to one of its values
KeyPath = tuple[str | int, ...]

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
    def __init__(self, line: int | None, message: str, path: KeyPath = (), refused: bool = False):
        self.line = line
        self.message = message
        self.path = path
        #: a refusal of something YAML allows (a reference, a tag, a size): the message is
        #: final, not a parse error whose likely slip is still to be found
        self.refused = refused
        super().__init__(f"{line}: {message}")


@dataclass(frozen=True, slots=True)
class Document:
    data: Any
    lines: dict[KeyPath, int]

    def line_of(self, path: KeyPath) -> int | None:
        """The line of ``path``, or of its nearest written ancestor."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def load(text: str, first_line: int = 1) -> Document:
    """Parse ``text``; line numbers are counted from ``first_line``."""
    simple = _load_simple(text, first_line)
    return simple if simple is not None else _load_yaml(text, first_line)


def _load_yaml(text: str, first_line: int = 1) -> Document:
    try:
        _refuse_references(text, first_line)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else None
        raise YamlError(line, _describe_yaml_error(exc)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors carry no mark
        raise YamlError(None, f"YAML 格式错误：{exc}") from None
    lines: dict[KeyPath, int] = {}
    if node is None:
        return Document({}, lines)
    data = _convert(node, (), lines, first_line)
    return Document(data, lines)


#: no front matter or catalog file comes near these; beyond them a file is refused before it
#: is composed (a YAML "billion laughs" needs anchors, which are refused anyway)
MAX_YAML_CHARS = 5_000_000
MAX_DEPTH = 20
MAX_SCALAR_CHARS = 100_000


def _refuse_references(text: str, first_line: int) -> None:
    """Anchors (&a), aliases (*a) and tags (!x) are errors: nothing here needs them, and an
    alias that refers to itself or to many others makes a tiny file unbounded."""
    if len(text) > MAX_YAML_CHARS:
        raise YamlError(first_line, f"YAML 内容超过 {MAX_YAML_CHARS:,} 个字符：文件过大", refused=True)
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = first_line + (event.start_mark.line if event.start_mark is not None else 0)
        if isinstance(event, yaml.AliasEvent):
            raise YamlError(line, f"不支持 YAML 引用“*{event.anchor}”：请把内容直接写出来", refused=True)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlError(line, f"不支持 YAML 锚点“&{anchor}”：请删去锚点，把内容直接写出来", refused=True)
        tag = getattr(event, "tag", None)
        if tag is not None:  # the parser sets it only for a tag written in the text
            raise YamlError(line, f"不支持 YAML 标签 {tag}：请删去标签", refused=True)
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlError(line, f"YAML 嵌套超过 {MAX_DEPTH} 层：请简化结构", refused=True)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_SCALAR_CHARS:
            raise YamlError(line, f"一个值超过 {MAX_SCALAR_CHARS:,} 个字符：内容过长", refused=True)


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


def _convert(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], first_line: int) -> Any:
    line = node.start_mark.line + first_line
    lines[path] = line
    tag = node.tag
    if tag.startswith("!") or (tag.startswith("tag:yaml.org,2002:") and tag not in _STANDARD_TAGS):
        raise YamlError(line, f"不支持 YAML 标签 {tag}", path)
    if isinstance(node, yaml.ScalarNode):
        if not node.style and node.value in _NULLS:  # plain: None from PyYAML, "" from its C composer
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


# --- the common case without PyYAML ---------------------------------------------------------
#
# Front matter is nearly always the same few shapes: ``key: value`` lines, a
# nested mapping (审查), a flow list (主题词), a list of small mappings (附件).
# Composing PyYAML nodes and converting them costs more than the rest of an
# item's loading, so those shapes are read here line by line. Anything else -
# comments, tags, anchors, block scalars, multi-line scalars, repeated keys,
# unusual characters or indentation, any error - makes ``_load_simple`` give
# up (return None) and PyYAML reads the text as before: this reader only
# has to be right about valid text of the few shapes it accepts, and
# tests/test_fast_yaml.py holds it to PyYAML's data and lines on random text.

# characters PyYAML reads as plain printable text (no tabs, no CR, NEL, line or
# paragraph separators, BOM or control characters), and lines that start a
# document or end one
_NOT_SIMPLE = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    "|^(?:---|\\.\\.\\.)", re.M)
# ``key:`` or ``key: value``; a key is a short plain scalar without flow or quote characters
_ENTRY = re.compile(r"([^ \-?:,\[\]{}#&*!|>'\"%@`][^:,\[\]{}#'\"]{0,100})(?<! ):(?: +(.*[^ ]))? *")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_UNSAFE = re.compile(r"[\[\]{}:'\"]")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\["\\])*)"')
_SINGLE = re.compile(r"'((?:[^']|'')*)'")


# ``_convert`` turns plain ~, null and empty values into None (PyYAML's C composer marks plain
# scalars with style "" rather than None; both count)
_PLAIN_NULLS = _NULLS


class _NotSimple(Exception):
    pass


def _load_simple(text: str, first_line: int) -> Document | None:
    if _NOT_SIMPLE.search(text) is not None:
        return None
    rows = []
    for number, line in enumerate(text.split("\n"), first_line):
        if "#" in line:
            bare = _without_comment(line)
            if bare is None:
                return None
            line = bare
        content = line.lstrip(" ")
        if content:
            rows.append((len(line) - len(content), content, number))
    if not rows or rows[0][0] != 0:
        return None
    lines: dict[KeyPath, int] = {(): rows[0][2]}  # filled in the order _convert fills it
    try:
        data, end = _mapping(rows, 0, 0, (), lines)
    except _NotSimple:
        return None
    if end != len(rows):
        return None
    return Document(data, lines)


def _without_comment(line: str) -> str | None:
    """The line without its comment: a ``#`` at the start or after a space begins one (the
    comment lines and aligned remarks ``gongkai new`` and ``gongkai import`` write). None
    when a quote comes first: whether the ``#`` is inside it is PyYAML's to say."""
    at = line.find("#")
    while at > 0 and line[at - 1] != " ":
        at = line.find("#", at + 1)
    if at < 0:
        return line
    head = line[:at]
    if "'" in head or '"' in head:
        return None
    return head.rstrip(" ")


def _block(rows: list, i: int, indent: int, path: KeyPath, lines: dict) -> tuple[Any, int]:
    content = rows[i][1]
    if content.startswith("- "):
        return _sequence(rows, i, indent, path, lines)
    return _mapping(rows, i, indent, path, lines)


def _mapping(rows: list, i: int, indent: int, path: KeyPath, lines: dict) -> tuple[dict, int]:
    result: dict[str, Any] = {}
    n = len(rows)
    while i < n and rows[i][0] == indent:
        _, content, number = rows[i]
        m = _ENTRY.fullmatch(content)
        if m is None:
            raise _NotSimple
        key, text = m.groups()
        if key in result:
            raise _NotSimple  # PyYAML words the error
        here = path + (key,)
        lines[here] = number
        i += 1
        if text:
            first = text[0]
            if first not in _INDICATORS and ": " not in text and text[-1] != ":":
                value = None if text in _PLAIN_NULLS else text  # a plain scalar, the usual case
            elif first == '"':
                value = _double_quoted(text)
            else:
                value = _scalar_or_flow(text, here, number, lines)
        elif i < n and rows[i][0] > indent:
            value, i = _block(rows, i, rows[i][0], here, lines)
        elif i < n and rows[i][0] == indent and rows[i][1].startswith("-"):
            raise _NotSimple  # a list level with its key: valid YAML, left to PyYAML
        else:
            value = None if "" in _PLAIN_NULLS else ""
        result[key] = value
    if i < n and rows[i][0] > indent:
        raise _NotSimple  # a continuation line or odd indentation
    return result, i


def _sequence(rows: list, i: int, indent: int, path: KeyPath, lines: dict) -> tuple[list, int]:
    result: list[Any] = []
    n = len(rows)
    while i < n and rows[i][0] == indent and rows[i][1].startswith("- "):
        _, content, number = rows[i]
        rest = content[2:].lstrip(" ")
        if not rest or rest.startswith("-"):
            raise _NotSimple
        here = path + (len(result),)
        lines[here] = number
        if _ENTRY.fullmatch(rest) is not None:  # "- key: value" starts a mapping in the list
            column = indent + len(content) - len(rest)
            rows[i] = (column, rest, number)
            value, i = _mapping(rows, i, column, here, lines)
        else:
            value = _scalar_or_flow(rest.rstrip(" "), here, number, lines)
            i += 1
        result.append(value)
    if i < n and rows[i][0] > indent:
        raise _NotSimple
    return result, i


def _scalar_or_flow(text: str, path: KeyPath, number: int, lines: dict) -> Any:
    if text[0] == "[":
        if text[-1] != "]":
            raise _NotSimple
        inner = text[1:-1]
        if not inner.strip(" "):
            return []
        items = []
        for i, part in enumerate(inner.split(",")):
            part = part.strip(" ")
            if not part or part[0] in _INDICATORS or _FLOW_UNSAFE.search(part) is not None:
                raise _NotSimple
            lines[path + (i,)] = number
            items.append(None if part in _PLAIN_NULLS else part)
        return items
    return _scalar(text)


def _double_quoted(text: str) -> str:
    m = _DOUBLE.fullmatch(text)
    if m is None:
        raise _NotSimple
    inner = m.group(1)
    if "\\" not in inner:
        return inner
    # _DOUBLE let through only \\ and \" pairs; NUL cannot occur (_NOT_SIMPLE), so it can
    # stand in for an escaped backslash while the quotes are unescaped
    return inner.replace("\\\\", "\0").replace('\\"', '"').replace("\0", "\\")


def _scalar(text: str) -> str | None:
    first = text[0]
    if first == '"':
        return _double_quoted(text)
    if first == "'":
        m = _SINGLE.fullmatch(text)
        if m is None:
            raise _NotSimple
        return m.group(1).replace("''", "'")
    if first in _INDICATORS or ": " in text or text[-1] == ":":
        raise _NotSimple
    return None if text in _PLAIN_NULLS else text
