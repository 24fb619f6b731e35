"""Reading one item file: its front matter validated against the schema, its body and
attachments guarded, then checked against the catalog (``item_fields``)."""

from __future__ import annotations

from pathlib import Path

from gongkai.guards import findings as guards
from gongkai.load.body_style import check_body
from gongkai.load.context import LoadContext
from gongkai.load.item_fields import ItemFile, build_item, check_references
from gongkai.load.validation import read_and_validate
from gongkai.model import Item
from gongkai.problems import Problem, Problems
from gongkai.schema.front_matter import FrontMatter


def read_item(ctx: LoadContext, path: Path, display: str
              ) -> tuple[Item | None, tuple[Problem, ...], int | None]:
    """One item file read, validated and guarded: (item or None, its problems, 索引号 line).

    The file's problems are its own (not ``ctx.problems``) so a preview can keep them with
    the file and report them again while the file is unchanged."""
    problems = Problems()
    source, fm = read_and_validate(path, display, FrontMatter, problems)
    if source is None:
        return None, tuple(problems.items), None
    guards.check_item(source, fm, path, display, problems, words=ctx.catalog.wording,
                      judge=ctx.options.judge)
    check_body(source.body, source.body_line, display, problems)
    file = ItemFile(ctx, source, path, display, problems)
    if fm is None:
        check_references(file)
        return None, tuple(problems.items), None
    item = build_item(file, fm)
    return item, tuple(problems.items), file.line("id")
