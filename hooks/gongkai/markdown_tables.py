"""Markdown extension: header cells of Markdown tables say what they head.

Item bodies often carry tables (standards, lists of recipients). Python-Markdown
writes their header row as bare ``<th>``; screen readers then have to guess
whether a header belongs to a column or a row. This marks every header cell in
a table head ``scope="col"`` and a header cell that starts a body row
``scope="row"``, as the generated tables already do.

Listed under ``markdown_extensions`` in mkdocs.yml as ``gongkai.markdown_tables``.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor


class _ScopeHeaders(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            for section in table:
                for row in section.iter("tr"):
                    for index, cell in enumerate(row):
                        if cell.tag != "th" or "scope" in cell.attrib:
                            continue
                        in_head = section.tag == "thead"
                        cell.set("scope", "col" if in_head or index > 0 else "row")


class TableScopeExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_ScopeHeaders(md), "gongkai_table_scope", 5)


def makeExtension(**kwargs) -> TableScopeExtension:
    return TableScopeExtension(**kwargs)
