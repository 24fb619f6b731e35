"""The render shortcuts (listing rows and links written in Python) give the Markdown the
templates and ``urls.relative`` gave, character for character, on hostile input too."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import jinja2

from gongkai.render.pages import item_rows, linker
from gongkai.urls import relative

#: the row loop and badge macro as ``_macros.j2`` wrote them before the shortcut
_OLD_ROWS = """{% macro status_badge(item) %}
<span class="gk-status gk-status--{{ 'valid' if item.in_force else 'invalid' }}">{{ item.status }}</span>
{%- endmacro %}
<tbody>
{% for item in items %}
<tr><td class="gk-id">{{ item.id }}</td><td><a href="{{ link(item.url) }}">{{ item.title }}</a></td><td>{{ item.doc_number or "" }}</td><td><time datetime="{{ item.published | date }}">{{ item.published | date }}</time></td><td>{{ status_badge(item) }}</td></tr>
{% endfor %}
</tbody>"""

_NEW_ROWS = "<tbody>\n{{ item_rows(items, link) }}</tbody>"

_HOSTILE = ["", "a", "通知", "<b>", "&amp;", "\"'", "<script>alert(1)</script>", "A & B < C > D", "﻿\u200b", "\n"]


@dataclass
class _Row:
    id: str
    url: str
    title: str
    doc_number: str | None
    published: dt.date | None
    in_force: bool
    status: str


def _env() -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["date"] = lambda d: d.isoformat() if d else ""
    env.globals["item_rows"] = item_rows
    return env


def test_listing_rows_are_the_templates_rows_for_any_text():
    rnd = random.Random(7)
    env = _env()
    old, new = env.from_string(_OLD_ROWS), env.from_string(_NEW_ROWS)
    for round_ in range(300):
        items = [_Row(rnd.choice(_HOSTILE) + str(i), f"items/{rnd.choice(_HOSTILE)}/{i}/", rnd.choice(_HOSTILE),
                      rnd.choice([None, *_HOSTILE]), rnd.choice([None, dt.date(2024, 1, 2)]),
                      rnd.random() < 0.5, rnd.choice(["现行有效", "已废止", *_HOSTILE]))
                 for i in range(rnd.randint(0, 4))]
        link = linker(rnd.choice(["catalogue/x/", "items/a/b/", "", "a&b/"]))
        assert new.render(items=items, link=link) == old.render(items=items, link=link), round_


def test_links_are_relative_s_for_any_page_and_target():
    parts = ["items", "catalogue", "a", "2024-001", ".", "..", "", "x.y", "feed.xml", "通知", "a b"]
    rnd = random.Random(1)
    for _ in range(50_000):
        url = "/".join(rnd.choice(parts) for _ in range(rnd.randint(0, 4))) + rnd.choice(["/", ""])
        url = "/" * (rnd.random() < 0.1) + url
        target = "/" * (rnd.random() < 0.1) + "/".join(rnd.choice(parts) for _ in range(rnd.randint(0, 4)))
        target += rnd.choice(["/", ""])
        assert linker(url)(target) == relative(target, url), (url, target)
