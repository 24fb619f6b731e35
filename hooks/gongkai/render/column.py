"""The disclosure column's standing pages: 指南, 制度 and 依申请公开.

The guide is generated from catalog/ data (the catalogue tree, the agencies'
contacts), so it can never disagree with the columns it describes. 依申请公开 offers
the application form as a DOCX generated from the same data (apply_form.py). The 年报
sub-column (annual/) is rendered elsewhere; this module only links to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gongkai.model import Site
from gongkai.render import apply_form, page_tags
from gongkai.render.pages import FileAt, Origin, Page, PageAt, Renderer, StaticFile, Target, src_of

APPLY, RULES, HOME, GUIDE = "apply/index.md", "rules/index.md", "index.md", "guide/index.md"


def contribute(site: Site, renderer: Renderer) -> Iterable[Page | StaticFile]:
    yield renderer.render("apply.md.j2", APPLY, "依申请公开", form_url=apply_form.URL)
    yield apply_form.form_file(site)
    yield renderer.render("rules.md.j2", RULES, "政府信息公开制度", rules=site.rules)
    for doc in site.rules:
        yield renderer.render("rule.md.j2", src_of(doc.url), doc.title, doc=doc,
                              origin=Origin(doc.source, ((doc.body_line, doc.body),)),
                              tags=page_tags.document_tags("政府信息公开制度", doc.title, doc.published,
                                                           site.settings.owner))


def targets(site: Site) -> Iterator[Target]:
    """What ``contribute`` produces; the form is named, not built (python-docx is slow)."""
    yield PageAt(APPLY)
    yield FileAt(apply_form.URL)
    yield PageAt(RULES)
    for doc in site.rules:
        yield PageAt(src_of(doc.url))


def finish_targets(site: Site, page_urls: list[str]) -> Iterator[Target]:
    """What ``finish`` produces, whatever the other pages are."""
    yield PageAt(HOME)
    yield PageAt(GUIDE)


def finish(site: Site, renderer: Renderer, pages: list[Page]) -> Iterable[Page]:
    """The home and the guide link every sub-column, so they run once all pages exist: a
    sub-column another module has not produced (annual/) is shown unlinked, never broken."""
    available = {p.url for p in pages} | {"guide/"}
    yield renderer.home(available)
    yield renderer.render("guide.md.j2", GUIDE, "政府信息公开指南",
                          categories=list(site.category_by_code.values()), available=available)
