"""The optional self-inspection pages of the site (``audit_page: true`` in catalog/site.yml).

Off by default: whether to publish its self-inspection is the agency's call.
"""

from __future__ import annotations

from typing import Iterable

from .audit import SiteTargets, run_audit
from .audit_report import render_markdown
from .model import Site
from .pages import Page, Renderer, StaticFile, page_url, src_of
from .urls import relative

AUDIT_URL = "audit/"


def site_targets(site: Site, renderer: Renderer | None = None) -> SiteTargets:
    """Every page and file the other outputs publish (a link to them is not broken)."""
    from .outputs import CONTRIBUTORS  # outputs lists this module's contributor

    renderer = renderer or Renderer(site)
    pages: set[str] = set()
    files: set[str] = set()
    for contributor in CONTRIBUTORS:
        if contributor is audit_pages:
            continue
        for output in contributor(site, renderer):
            (pages.add(output.url) if isinstance(output, Page) else files.add(output.src_uri))
    from .outputs import FINISHERS  # the home, guide and sitemaps are rendered last
    produced = [Page(src_uri=src_of(url), title="", markdown="") for url in pages]
    for finisher in FINISHERS:
        for output in finisher(site, renderer, produced):
            (pages.add(output.url) if isinstance(output, Page) else files.add(output.src_uri))
    if site.settings.audit_page:
        pages |= {AUDIT_URL} | {f"{AUDIT_URL}{y}/" for y in audit_years(site)}
    return SiteTargets(pages, files)


def audit_years(site: Site) -> list[int]:
    years = {i.published.year for i in site.public_items}
    return sorted(years, reverse=True)


def audit_pages(site: Site, renderer: Renderer) -> Iterable[Page | StaticFile]:
    if not site.settings.audit_page:
        return
    years = audit_years(site)
    yield renderer.render("audit_index.md.j2", AUDIT_URL + "index.md", "政府信息公开工作自查",
                          years=years)
    targets = site_targets(site, renderer)
    for year in years:
        src = f"{AUDIT_URL}{year}/index.md"
        here = page_url(src)

        def linker(item_id: str, here: str = here) -> str | None:
            item = site.by_id.get(item_id)
            return None if item is None else relative(item.url, here)

        body = render_markdown(run_audit(site, year, targets), site, linker)
        yield renderer.render("audit.md.j2", src, f"{year} 年度政府信息公开工作自查", body=body,
                              year=year)
