"""Everything a build writes, gathered from the model in one place.

Each contributor takes the validated ``Site`` (and the shared ``Renderer``)
and returns pages and files. Adding an output (feeds, search index, annual
report …) means adding a contributor here; the MkDocs adapter never changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from .annual_pages import annual_outputs
from .audit_page import audit_pages
from .model import Site
from .pages import Page, Renderer, StaticFile

Contributor = Callable[[Site, Renderer], Iterable[Page | StaticFile]]


def _core(site: Site, renderer: Renderer) -> Iterable[Page | StaticFile]:
    yield from renderer.pages()
    yield from renderer.static_files()


CONTRIBUTORS: list[Contributor] = [_core, audit_pages, annual_outputs]


@dataclass
class Outputs:
    pages: list[Page] = field(default_factory=list)
    files: list[StaticFile] = field(default_factory=list)


def render_site(site: Site) -> Outputs:
    renderer = Renderer(site)
    out = Outputs()
    for contributor in CONTRIBUTORS:
        for output in contributor(site, renderer):
            (out.pages if isinstance(output, Page) else out.files).append(output)
    return out
