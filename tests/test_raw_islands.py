"""Generated HTML is spliced in after Markdown conversion, unchanged."""

from __future__ import annotations

import markdown
import pytest

from gongkai.render.pages import RAW_CLOSE, RAW_OPEN, join_raw, split_raw


def test_islands_survive_markdown_and_the_markdown_around_them_is_converted():
    html_part = '<table class="gk-meta"><tr><th scope="row">索引号</th><td>*not emphasis*</td></tr></table>'
    source = f"{RAW_OPEN}\n{html_part}\n{RAW_CLOSE}\n\n正文 **加粗**\n\n{RAW_OPEN}\n<p>尾</p>\n{RAW_CLOSE}\n"
    text, islands = split_raw(source, "7")
    assert html_part not in text and len(islands) == 2
    out = join_raw(markdown.markdown(text), islands)
    assert html_part in out  # byte for byte: Markdown never saw it
    assert "<strong>加粗</strong>" in out and out.index(html_part) < out.index("加粗") < out.index("<p>尾</p>")


def test_a_lost_placeholder_is_an_error_not_a_silent_gap():
    text, islands = split_raw(f"{RAW_OPEN}\n<div>x</div>\n{RAW_CLOSE}\n", "1")
    with pytest.raises(ValueError, match="lost"):
        join_raw("<p>something else</p>", islands)
