"""Everything a build writes, gathered from the model in one place.

Each contributor takes the validated ``Site`` (and the shared ``Renderer``)
and returns pages and files. Adding an output (feeds, search index, annual
report …) means adding a contributor here; the MkDocs adapter never changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from . import column, exports, feeds, listings, sitemap
from .accessibility import accessibility_page
from .annual_pages import annual_outputs
from .audit_page import audit_pages
from .model import Site
from .pages import Page, Renderer, StaticFile

Contributor = Callable[[Site, Renderer], Iterable[Page | StaticFile]]
#: runs after every contributor and sees all their pages (the sitemaps list what exists)
Finisher = Callable[[Site, Renderer, list[Page]], Iterable[Page | StaticFile]]


def _core(site: Site, renderer: Renderer) -> Iterable[Page | StaticFile]:
    yield from renderer.pages()
    yield from renderer.static_files()


CONTRIBUTORS: list[Contributor] = [_core, listings.contribute, column.contribute,
                                   exports.contribute, feeds.contribute, audit_pages, annual_outputs,
                                   accessibility_page]
FINISHERS: list[Finisher] = [column.finish, sitemap.finish]


@dataclass
class Outputs:
    pages: list[Page] = field(default_factory=list)
    files: list[StaticFile] = field(default_factory=list)


def render_site(site: Site, site_url: str | None = None) -> Outputs:
    """``site_url``: the published site's absolute address, for feeds and sitemap.xml."""
    renderer = Renderer(site, site_url)
    out = Outputs()
    for contributor in CONTRIBUTORS:
        for output in contributor(site, renderer):
            (out.pages if isinstance(output, Page) else out.files).append(output)
    for finisher in FINISHERS:
        for output in list(finisher(site, renderer, list(out.pages))):
            (out.pages if isinstance(output, Page) else out.files).append(output)
    return out
