"""Reading one item file: its front matter validated against the schema, its body and
attachments guarded, then checked against the catalog (``item_fields``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from gongkai.guards import findings as guards
from gongkai.load.body_style import check_body
from gongkai.load.cache import Reference, Sketch
from gongkai.load.context import LoadContext
from gongkai.load.item_fields import ItemFile, build_item, check_references
from gongkai.load.validation import read_and_validate
from gongkai.model import Item, UnbuiltBody
from gongkai.problems import Problem, Problems
from gongkai.schema.front_matter import LABELS, FrontMatter

ItemRead = tuple[Item | None, tuple[Problem, ...], int | None, Sketch | None]


def read_item(ctx: LoadContext, path: Path, display: str) -> ItemRead:
    """One item file read, validated and guarded: (item or None, its problems, 索引号 line,
    and for a file that is no item what it says about other items).

    The file's problems are its own (not ``ctx.problems``) so a preview can keep them with
    the file and report them again while the file is unchanged."""
    problems = Problems()
    source, fm = read_and_validate(path, display, FrontMatter, problems)
    _explain_empty_id(problems)
    if source is None:
        return None, tuple(problems.items), None, None
    guards.check_item(source, fm, path, display, problems, words=ctx.catalog.wording,
                      judge=ctx.options.judge)
    check_body(source.body, source.body_line, display, problems)
    file = ItemFile(ctx, source, path, display, problems)
    if fm is None:
        check_references(file)
        return None, tuple(problems.items), file.line("id"), sketch(file)
    item = build_item(file, fm)
    return item, tuple(problems.items), file.line("id"), None if item is not None else sketch(file)


#: a 索引号 left empty is what the web form writes on purpose: the review pipeline numbers it
_LEFT_EMPTY = ("不能为空", "缺少必填字段")
_ASSIGNED_LATER = "：新条目的索引号留空即可，合并请求的审核流水线会分配下一个未用的索引号（在本地可运行 gongkai assign-index）"


def _explain_empty_id(problems: Problems) -> None:
    problems.items[:] = [replace(p, message=p.message + _ASSIGNED_LATER)
                         if p.field == LABELS["id"] and p.message in _LEFT_EMPTY else p for p in problems.items]


def sketch(file: ItemFile) -> Sketch | None:
    """The 索引号 and references of a file as written, when they are text."""
    data = file.source.front.data
    if not isinstance(data, dict):
        return None

    def written(name: str) -> str | None:
        value = data.get(name, data.get(LABELS.get(name, name)))
        return value.strip() if isinstance(value, str) and value.strip() else None

    references = tuple(Reference(name, LABELS.get(name, name), target, file.line(name))
                       for name in ("interprets", "superseded_by")
                       if (target := written(name)) is not None)
    item_id = written("id")
    listed = data.get("attachments", data.get(LABELS["attachments"]))
    names = tuple(str(entry.get("file", entry.get(LABELS["file"], ""))) for entry in listed
                  if isinstance(entry, dict)) if isinstance(listed, list) else ()
    body = None if item_id is None else UnbuiltBody(file.display, file.source.body, file.source.body_line,
                                                    item_id, names)
    return Sketch(item_id, file.line("id"), references, file.renumber, body)
