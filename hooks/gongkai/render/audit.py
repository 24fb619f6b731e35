"""The optional self-inspection pages of the site (``audit_page: true`` in catalog/site.yml).

Off by default: whether to publish its self-inspection is the agency's call.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gongkai.audit.findings import SiteTargets, run_audit
from gongkai.audit.report import render_markdown
from gongkai.model import Site
from gongkai.render.pages import Page, PageAt, Renderer, StaticFile, Target, page_url
from gongkai.urls import relative

AUDIT_URL = "audit/"


def audit_years(site: Site) -> list[int]:
    # a preview shows items scheduled for a later year too: no year is audited before it begins
    years = {i.published.year for i in site.public_items if i.published.year <= site.build_date.year}
    return sorted(years, reverse=True)


def audit_targets(site: Site) -> Iterator[Target]:
    """What ``audit_pages`` produces, without running the audit."""
    if not site.settings.audit_page:
        return
    yield PageAt(AUDIT_URL + "index.md")
    for year in audit_years(site):
        yield PageAt(f"{AUDIT_URL}{year}/index.md")


def audit_pages(site: Site, renderer: Renderer, targets: SiteTargets) -> Iterable[Page | StaticFile]:
    """``targets``: everything else the site publishes (``outputs.site_targets``)."""
    if not site.settings.audit_page:
        return
    years = audit_years(site)
    yield renderer.render("audit_index.md.j2", AUDIT_URL + "index.md", "政府信息公开工作自查",
                          years=years)
    for year in years:
        src = f"{AUDIT_URL}{year}/index.md"
        here = page_url(src)

        def linker(item_id: str, here: str = here) -> str | None:
            item = site.by_id.get(item_id)
            return None if item is None else relative(item.url, here)

        body = render_markdown(run_audit(site, year, targets), site, linker)
        yield renderer.render("audit.md.j2", src, f"{year} 年度政府信息公开工作自查", body=body,
                              year=year)
