"""Everything a build writes, gathered from the model in one place.

Each contributor takes the validated ``Site`` (and the shared ``Renderer``)
and returns pages and files. Adding an output (feeds, search index, annual
report …) means adding a contributor here; the MkDocs adapter never changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from . import column, exports, feeds, listings, sitemap
from .accessibility import accessibility_page
from .annual_pages import annual_outputs
from .audit_page import audit_pages
from .model import Site
from .pages import Page, Renderer, StaticFile
from .search_index import contribute_files as _search_files, contribute_page as _search_page

Contributor = Callable[[Site, Renderer], Iterable[Page | StaticFile]]
#: runs after every contributor and sees all their pages (the sitemaps list what exists)
Finisher = Callable[[Site, Renderer, list[Page]], Iterable[Page | StaticFile]]


def _core(site: Site, renderer: Renderer) -> Iterable[Page | StaticFile]:
    yield from renderer.pages()
    yield from renderer.static_files()


CONTRIBUTORS: list[Contributor] = [_core, listings.contribute, column.contribute,
                                   audit_pages, annual_outputs,
                                   accessibility_page, _search_page]
#: contributors of files that no page reads: a generator may run these in a second process
#: while it converts pages (``background.FileJob``); ``render_site`` runs them unless told not to
DETACHABLE: list[Contributor] = [exports.contribute, feeds.contribute, _search_files]
FINISHERS: list[Finisher] = [column.finish, sitemap.finish]


@dataclass
class Outputs:
    pages: list[Page] = field(default_factory=list)
    files: list[StaticFile] = field(default_factory=list)


def render_site(site: Site, site_url: str | None = None, detach: bool = False) -> Outputs:
    """``site_url``: the published site's absolute address, for feeds and sitemap.xml.

    ``detach``: leave out the ``DETACHABLE`` files; the caller writes them with ``render_detached``.
    """
    renderer = Renderer(site, site_url)
    out = Outputs()
    for contributor in CONTRIBUTORS + ([] if detach else DETACHABLE):
        for output in contributor(site, renderer):
            (out.pages if isinstance(output, Page) else out.files).append(output)
    for finisher in FINISHERS:
        for output in list(finisher(site, renderer, list(out.pages))):
            (out.pages if isinstance(output, Page) else out.files).append(output)
    return out


def render_detached(site: Site, site_url: str | None = None) -> Iterator[StaticFile]:
    renderer = Renderer(site, site_url)
    for contributor in DETACHABLE:
        for output in contributor(site, renderer):
            if not isinstance(output, StaticFile):
                raise TypeError(f"{contributor.__name__} may only produce files, not {output!r}")
            yield output
