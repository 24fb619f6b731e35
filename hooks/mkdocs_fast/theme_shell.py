"""Theme pages by filling a frame that Material renders once per page shape.

Material renders its whole frame (head, header, tabs, navigation, footer,
scripts) for every page: on a site of thousands of items that was 40 % of the
build (bench/README.md). Yet every item page at the same depth gets the same
frame and differs only in a few values: its title, content, table of contents,
skip link and canonical URL. So the theme renders each shape once with marker
values in those places (the page tags in <head> are one), and each page of that shape is the frame with its own
values put in. Material's own partial renders the table of contents per page.

A shape is trusted only after its first pages, rendered both ways, came out
byte-identical; otherwise every page of that shape goes through the theme as
usual, as do pages in the navigation, the home page and anything unusual.
``GONGKAI_THEME_SHELL=0`` turns the whole thing off (the tests compare).
"""

from __future__ import annotations

import copy
import logging
import os
import re
from typing import Any

import jinja2
from mkdocs.structure.toc import AnchorLink, TableOfContents

log = logging.getLogger("mkdocs.plugins.gongkai")

STUB_TEMPLATE = "gongkai-shell.html"
#: pages of a shape rendered both ways before the shape is trusted
VERIFY = 2

_MARK = "\ue000"  # a private-use character: never in a page we accept (checked)
_SLOT = re.compile(_MARK + r"(\w+)" + _MARK)
_SPLIT = "\ue001"
#: the per-page part of the frame, rendered with Material's own partials: the table of
#: contents in the secondary sidebar, and the skip link's target
_PER_PAGE = (
    '{% import "partials/language.html" as lang with context %}'
    '{% include "partials/toc.html" %}' + _SPLIT +
    '{% if page.toc | first is defined %}{{ (page.toc | first).url | url }}{% endif %}'
)


#: the page's own tags (<meta name=SiteName …>, rendered by gongkai): a slot, not part of the shape
TAGS_KEY = "gk_tags"
_FILLED_META = ("title", "template", TAGS_KEY)


def enabled() -> bool:
    return os.environ.get("GONGKAI_THEME_SHELL", "1").strip() != "0"


def _mark(name: str) -> str:
    return f"{_MARK}{name}{_MARK}"


class Shells:
    """The frames of one build, by shape."""

    def __init__(self, env: jinja2.Environment, in_nav: set[int]):
        self.in_nav = in_nav
        self.main = env.get_template("main.html")
        self.per_page = env.from_string(_PER_PAGE)
        self.frames: dict[tuple, list[str] | None] = {}
        self.verified: dict[tuple, int] = {}
        self.stats = {"filled": 0, "themed": 0}
        self.keys: dict[int, tuple] = {}
        self.no_toc: dict[tuple, list[str]] = {}

    # -- which pages --------------------------------------------------------------------------

    def shape(self, page) -> tuple | None:
        """What a page's frame depends on besides its own values; None: theme it as usual."""
        meta = page.meta or {}
        title = meta.get("title")
        if (id(page) in self.in_nav or page.is_homepage or not isinstance(title, str) or not title
                or page.previous_page is not None or page.next_page is not None
                or page.edit_url or not page.canonical_url or not isinstance(page.content, str)):
            return None
        tags = meta.get(TAGS_KEY, "")
        if not isinstance(tags, str):
            return None
        if any(_MARK in s or _SPLIT in s for s in (title, page.content, page.canonical_url, tags)):
            return None
        parts = page.url.strip("/").split("/")
        rest = tuple(sorted((k, repr(v)) for k, v in meta.items() if k not in _FILLED_META))
        # relative links from the theme to the site's top-level pages depend on the depth and on
        # whether the page sits under one of them
        return (parts[0], len(parts), bool(page.toc), "<h1" in page.content, rest)

    def adopt(self, page) -> bool:
        """Mark a page for the shell template if it has a shape (called once all are converted)."""
        key = self.shape(page)
        if key is None:
            return False
        self.keys[id(page)] = key
        page.meta["template"] = STUB_TEMPLATE
        return True

    # -- rendering ----------------------------------------------------------------------------

    def html(self, context: dict[str, Any], page) -> str:
        key = self.keys.get(id(page))
        if key is None or self.frames.get(key, ()) is None:
            return self._themed(context)
        if key not in self.frames:
            self.frames[key] = self._frame(context, page)
        frame = self.frames[key]
        if frame is None:
            return self._themed(context)
        if page.toc:
            toc, skip = self.per_page.render(context).split(_SPLIT)
        else:  # the same for every page of the shape
            if key not in self.no_toc:
                self.no_toc[key] = self.per_page.render(context).split(_SPLIT)
            toc, skip = self.no_toc[key]
        values = {"title": page.meta["title"], "content": page.content, "canonical": page.canonical_url,
                  "toc": toc, "skip": skip, "tags": page.meta.get(TAGS_KEY, "")}
        filled = "".join(values[part] if i % 2 else part for i, part in enumerate(frame))
        if self.verified.get(key, 0) < VERIFY:
            themed = self._themed(context)
            if themed != filled:
                at = next((i for i, (a, b) in enumerate(zip(themed, filled, strict=False)) if a != b),
                          min(len(themed), len(filled)))
                log.debug(f"gongkai: 页面外框 {key[:4]} 与逐页渲染不一致（{page.file.src_uri} 第 {at} 个字符），"
                          "此类页面逐页渲染")
                self.frames[key] = None
                return themed
            self.verified[key] = self.verified.get(key, 0) + 1
        self.stats["filled"] += 1
        return filled

    def _themed(self, context) -> str:
        self.stats["themed"] += 1
        return self.main.render(context)

    def _frame(self, context: dict[str, Any], page) -> list[str] | None:
        """The theme's output for a stand-in page with markers, split into text and slot names."""
        stand_in = copy.copy(page)
        stand_in.meta = dict(page.meta, title=_mark("title"))
        if page.meta.get(TAGS_KEY):
            stand_in.meta[TAGS_KEY] = _mark("tags")
        has_h1 = "<h1" in page.content
        # Material adds an <h1> with the title when the content has none; keep that decision
        stand_in.content = _mark("content") + (_mark("h1") + "<h1" if has_h1 else "")
        stand_in.canonical_url = _mark("canonical")
        stand_in.toc = TableOfContents([AnchorLink(_mark("toctitle"), _mark("skip"), 2)] if page.toc else [])
        ctx = dict(context)
        ctx["page"] = stand_in
        out = self.main.render(ctx)
        if has_h1:
            out = out.replace(_mark("h1") + "<h1", "", 1)
        toc, skip = self.per_page.render(ctx).split(_SPLIT)
        if out.count(toc) != 1:
            return None
        out = out.replace(toc, _mark("toc"))
        if skip:
            if out.count(skip) != 1:
                return None
            out = out.replace(skip, _mark("skip"))
        frame = _SLOT.split(out)
        names = frame[1::2]
        if not set(names) <= {"title", "content", "canonical", "toc", "skip", "tags"} \
                or _MARK in "".join(frame[::2]):
            return None
        return frame
