"""A listing's pager shows its page numbers apart, so no reader (and no PII scan) reads
the neighbouring numbers 118 119 120 121 122 as one ID number."""

from __future__ import annotations

import datetime as dt

from gongkai.guards import reader
from gongkai.render.pages import _env
from gongkai.render.paging import paginate


def _pager_html(total_items: int, page: int) -> str:
    pagers = paginate(list(range(total_items)), 20, "catalogue/gzdt/")
    template = _env.from_string('{% from "_macros.j2" import pager_nav %}{{ pager_nav(p, link) }}')
    return template.render(p=pagers[page - 1], link=lambda url: url)


def test_far_pages_show_numbers_a_reader_keeps_apart():
    html = _pager_html(2436, 121)  # 122 pages: 1 … 118 119 120 121 122
    text = reader.read_html(html).text
    assert "118 119 120 121 122" in " ".join(text.split()), text
    assert reader.scan_html(html, dt.date(2026, 11, 26)) == []


def test_a_card_number_of_page_numbers_is_not_read_either():
    html = _pager_html(942, 44)  # 48 pages: 1 … 41 … 48 around page 44
    assert reader.scan_html(html, dt.date(2026, 11, 26)) == []
