"""The 无障碍说明 page: how to read the site by keyboard, screen reader or in 长者版.

Every page links here from the accessibility bar (overrides/main.html), so a
visitor who needs help finds it in one step from anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gongkai.model import Site
from gongkai.render import page_tags
from gongkai.render.pages import Page, PageAt, Renderer, Target

#: where the page lives; overrides/main.html links to the same URL
URL = "accessibility/"


def accessibility_targets(site: Site) -> Iterator[Target]:
    yield PageAt(URL + "index.md")


def accessibility_page(site: Site, renderer: Renderer) -> Iterable[Page]:
    yield renderer.render("accessibility.md.j2", URL + "index.md", "无障碍说明",
        tags=page_tags.column_tags("无障碍说明", "本站的无障碍设计和长者版说明", ["无障碍说明"], page_tags.OTHER))
