"""The web editor's preview pane script (``admin/preview.<hash>.js``): our ES5 script in
``templates/admin_preview.js`` with the layout it needs written in: the rows of the item page's
信息索引 box, read from ``item.md.j2`` itself so the preview cannot drift from the page, the
草稿 banner's text, and the names of the collections it previews."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any

from gongkai.render.pages import PREVIEW_NOTICES
from gongkai.schema.front_matter import ALIASES, LABELS, FrontMatter

_TEMPLATES = resources.files("gongkai.render") / "templates"
_PLACEHOLDER = "})(__GK_PREVIEW__);"
_TABLE = re.compile(r'<table class="gk-meta">\s*<caption>([^<]+)</caption>(.*?)</table>', re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r'<th scope="row">([^<]+)</th><td(?: colspan="(\d+)")?>')


class PreviewLayoutError(Exception):
    """item.md.j2's metadata box no longer reads as rows of front-matter labels."""


def meta_rows(template: str) -> tuple[str, list[list[dict[str, Any]]]]:
    """The caption and rows of the item page's 信息索引 box: each cell its label (the field's
    Chinese name, which is also its key in what the form writes) and column span."""
    table = _TABLE.search(template)
    if table is None:
        raise PreviewLayoutError('item.md.j2 has no <table class="gk-meta">')
    rows = []
    for row in _ROW.findall(table.group(2)):
        cells = [{"label": label, **({"colspan": int(span)} if span else {})}
                 for label, span in _CELL.findall(row)]
        unknown = [c["label"] for c in cells if c["label"] not in ALIASES[""]]
        if not cells or unknown:
            raise PreviewLayoutError(f"item.md.j2's metadata row is not front-matter labels: {row!r}")
        rows.append(cells)
    return table.group(1), rows


def layout(collections: Sequence[str]) -> dict[str, Any]:
    caption, rows = meta_rows((_TEMPLATES / "item.md.j2").read_text(encoding="utf-8"))
    return {
        "caption": caption,
        "rows": rows,
        "title": LABELS["title"],
        "status": LABELS["status"],
        "status_default": FrontMatter.model_fields["status"].default,
        "repealed": LABELS["repealed"],
        "draft": LABELS["draft"],
        "draft_notice": PREVIEW_NOTICES["draft"],
        "body": "body",
        "site": "../",
        "collections": list(collections),
    }


def preview_script(collections: Sequence[str]) -> bytes:
    code = (_TEMPLATES / "admin_preview.js").read_text(encoding="utf-8")
    # "</" cannot end a script here, but the data is escaped as for inline use all the same
    data = json.dumps(layout(collections), ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return code.replace(_PLACEHOLDER, "})(" + data + ");", 1).encode("utf-8")
