"""Everything a build writes, gathered from the model in one place.

Each contributor takes the validated ``Site`` (and the shared ``Renderer``)
and returns pages and files. Adding an output (feeds, search index, annual
report …) means adding a contributor here; the MkDocs adapter never changes.
Each also declares, from the model alone, which pages and files it will produce
(``DECLARED``): ``gongkai check``, the audit and the link check learn every link
target from those without rendering a page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from gongkai.audit.findings import SiteTargets, link_findings
from gongkai.model import Site
from gongkai.problems import Problem
from gongkai.render import admin, column, exports, feeds, leaks, listings, sitemap
from gongkai.render.accessibility import accessibility_page, accessibility_targets
from gongkai.render.annual import annual_outputs, annual_targets
from gongkai.render.audit import audit_pages, audit_targets
from gongkai.render.build_cache import Verdicts
from gongkai.render.memo import PageMemo
from gongkai.render.pages import Page, PageAt, Renderer, StaticFile, Target, core_targets, src_of
from gongkai.render.search import index_files, search_page, search_targets

Contributor = Callable[[Site, Renderer], Iterable[Page | StaticFile]]
#: runs after every contributor and sees all their pages (the sitemaps list what exists)
Finisher = Callable[[Site, Renderer, list[Page]], Iterable[Page | StaticFile]]
#: what a contributor will produce, read from the model alone: nothing is rendered
Declaration = Callable[[Site], Iterable[Target]]
#: what a finisher will produce over the pages declared before it (their URLs)
FinisherDeclaration = Callable[[Site, list[str]], Iterable[Target]]


def _core(site: Site, renderer: Renderer) -> Iterable[Page | StaticFile]:
    yield from renderer.pages()
    yield from renderer.static_files()


def _audit(site: Site, renderer: Renderer) -> Iterable[Page | StaticFile]:
    if site.settings.audit_page:
        yield from audit_pages(site, renderer, site_targets(site))


CONTRIBUTORS: list[Contributor] = [_core, listings.contribute, column.contribute,
                                   _audit, annual_outputs,
                                   accessibility_page, search_page, admin.contribute]
#: contributors of files that no page reads: a generator may run these in a second process
#: while it converts pages (``background.FileJob``); ``render_site`` runs them unless told not to
DETACHABLE: list[Contributor] = [exports.contribute, feeds.contribute, index_files]
FINISHERS: list[Finisher] = [column.finish, sitemap.finish]
#: files over every page that no page reads: with ``detach`` the caller writes them too
#: (``render_detached(..., pages)``); they read the pages' ``src_uri`` and ``title`` only
#: (a build hands them over without their Markdown)
LATE_FILES: list[Finisher] = [sitemap.files]
#: files written late or in the background that a theme ships too (Material's sitemap.xml):
#: a generator must drop its own, or copy it over ours
LATE_NAMES = frozenset({"sitemap.xml"})

#: each contributor's declaration; ``tests/test_declared_targets.py`` holds them equal to what
#: is rendered. A contributor without one is rendered by ``site_targets`` to learn its outputs
#: (correct, only slower), so an output can be added before its declaration is written.
DECLARED: dict[Contributor, Declaration] = {
    _core: core_targets, listings.contribute: listings.targets, column.contribute: column.targets,
    _audit: audit_targets, annual_outputs: annual_targets,
    accessibility_page: accessibility_targets, search_page: search_targets,
    admin.contribute: admin.targets,
}
DECLARED_FINISHERS: dict[Finisher, FinisherDeclaration] = {
    column.finish: column.finish_targets, sitemap.finish: sitemap.finish_targets,
    sitemap.files: sitemap.file_targets,
}


@dataclass
class Outputs:
    pages: list[Page] = field(default_factory=list)
    files: list[StaticFile] = field(default_factory=list)

    def add(self, outputs: Iterable[Page | StaticFile]) -> None:
        for output in outputs:
            if isinstance(output, Page):
                self.pages.append(output)
            else:
                self.files.append(output)


class Interrupted(Exception):
    """``render_site`` was told to stop (a preview whose editor saved again meanwhile)."""


def render_site(site: Site, site_url: str | None = None, detach: bool = False,
                memo: PageMemo | None = None, stop: Callable[[], bool] | None = None,
                verdicts: Verdicts | None = None) -> Outputs:
    """``site_url``: the published site's absolute address, for feeds and sitemap.xml.

    ``detach``: leave out the ``DETACHABLE`` files; the caller writes them with ``render_detached``.
    ``memo``: reuse the pages of the last render whose context is unchanged (the preview).
    ``stop``: asked between contributors; when it says so, ``Interrupted`` is raised.
    ``verdicts``: the build cache's clean verdicts on generated files (``build_cache``).
    """
    renderer = Renderer(site, site_url, memo)
    out = Outputs()
    for contributor in CONTRIBUTORS + ([] if detach else DETACHABLE):
        if stop is not None and stop():
            raise Interrupted
        out.add(contributor(site, renderer))
    for finisher in FINISHERS:
        out.add(list(finisher(site, renderer, list(out.pages))))
    if not detach:
        out.files += _late(site, renderer, out.pages)
    if memo is not None:
        memo.retain({p.src_uri for p in out.pages})
    out.files = leaks.screened(site, out.files, verdicts)  # personal numbers a reader would get
    return out


def render_detached(site: Site, site_url: str | None = None,
                    pages: list[Page] | Callable[[], list[Page]] | None = None,
                    verdicts: Verdicts | None = None) -> Iterator[StaticFile]:
    """The files ``render_site(detach=True)`` left out; ``pages``: the pages it produced, or
    how to get them once the ``DETACHABLE`` files are made (these need the model alone, so a
    build starts them before its pages are rendered)."""
    renderer = Renderer(site, site_url)
    for contributor in DETACHABLE:
        for output in contributor(site, renderer):
            if not isinstance(output, StaticFile):
                raise TypeError(f"{contributor.__name__} may only produce files, not {output!r}")
            yield from leaks.screen(site, [output], verdicts)
    if callable(pages):
        pages = pages()
    if pages is not None:
        yield from leaks.screen(site, _late(site, renderer, pages), verdicts)


def _late(site: Site, renderer: Renderer, pages: list[Page]) -> list[StaticFile]:
    out = []
    for finisher in LATE_FILES:
        for output in finisher(site, renderer, list(pages)):
            if not isinstance(output, StaticFile):
                raise TypeError(f"{finisher.__name__} may only produce files, not {output!r}")
            out.append(output)
    return out


def site_targets(site: Site) -> SiteTargets:
    """Every page and file the site publishes but the ``DETACHABLE`` files (a link to them is
    not broken), as the contributors declare them: nothing is rendered."""
    pages: list[str] = []  # in order: a finisher is given the pages declared before it
    files: set[str] = set()
    renderer: Renderer | None = None

    def add(targets: Iterable[Target | Page | StaticFile]) -> None:
        for target in targets:
            if isinstance(target, PageAt | Page):
                pages.append(target.url)
            else:
                files.add(target.src_uri)

    for contributor in CONTRIBUTORS:
        declared = DECLARED.get(contributor)
        if declared is not None:
            add(declared(site))
        else:
            renderer = renderer or Renderer(site)
            add(contributor(site, renderer))
    for finisher in FINISHERS + LATE_FILES:
        declared_late = DECLARED_FINISHERS.get(finisher)
        if declared_late is not None:
            add(declared_late(site, list(pages)))
        else:
            renderer = renderer or Renderer(site)
            add(finisher(site, renderer, [Page(src_of(url), "", "") for url in pages]))
    return SiteTargets(set(pages), files)


def link_problems(site: Site, rendered: Outputs | None = None) -> list[Problem]:
    """Links and images in public items that lead nowhere on the built site, as errors on the
    item's source line: what would otherwise stop ``mkdocs build --strict`` with an English
    warning naming a generated page. ``rendered`` (the build's own outputs) saves rendering
    the site again; the files a build writes in the background are not among them, so a
    link found broken there is looked at again against everything the site publishes."""
    targets = (SiteTargets({p.url for p in rendered.pages}, {f.src_uri for f in rendered.files})
               if rendered is not None else site_targets(site))
    found = link_findings(site, targets)
    if found and rendered is not None:
        found = link_findings(site, site_targets(site))
    return [Problem(f.file, f.line, "正文", f.message) for f in found]
