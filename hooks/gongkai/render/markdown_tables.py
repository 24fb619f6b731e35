"""Markdown extension: header cells of Markdown tables say what they head.

Item bodies often carry tables (standards, lists of recipients). Python-Markdown
writes their header row as bare ``<th>``; screen readers then have to guess
whether a header belongs to a column or a row. Markdown tables only have a
header row, so every header cell gets ``scope="col"``, as the generated tables
already have. Tables written as raw HTML are the author's and stay as written.

Listed under ``markdown_extensions`` in mkdocs.yml as ``gongkai.render.markdown_tables``.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor


class _ScopeHeaders(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for head in root.iter("thead"):
            for cell in head.iter("th"):
                cell.attrib.setdefault("scope", "col")


class TableScopeExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_ScopeHeaders(md), "gongkai_table_scope", 5)


def makeExtension(**kwargs) -> TableScopeExtension:
    return TableScopeExtension(**kwargs)
