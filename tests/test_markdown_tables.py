"""Header cells of Markdown tables in item bodies say what they head."""

from __future__ import annotations

import markdown

TABLE = """\
| 项目 | 城市 | 农村 |
|---|---|---|
| 保障标准 | 1100 | 1100 |
"""


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "md_in_html", "gongkai.render.markdown_tables"])


def test_column_headers_get_scope_col():
    html = _html(TABLE)
    assert html.count('<th scope="col">') == 3
    assert "<th>" not in html


def test_raw_html_tables_stay_as_written_and_nested_markdown_is_covered():
    html = _html('<table><tbody><tr><th>合计</th><td>3</td></tr>'
                 '<tr><th scope="rowgroup">分组</th><td>1</td></tr></tbody></table>\n\n' + TABLE)
    # raw HTML is the author's business; only Markdown tables are touched
    assert "<th>合计</th>" in html and 'scope="rowgroup"' in html
    etree_html = _html('<div markdown="1">\n\n' + TABLE + '\n</div>')
    assert etree_html.count('scope="col"') == 3


def test_tables_without_header_cells_are_left_alone():
    assert "scope" not in _html("正文，没有表格。")
