"""Outputs declare their URLs: what ``gongkai check``, the audit and the link check take as
every link target (``outputs.site_targets``, read from the model without rendering) is what
the build publishes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from sitekit import item, write

from gongkai.model import Site
from gongkai.pipeline import load_site
from gongkai.problems import Problems
from gongkai.render import outputs, sitemap
from gongkai.render.pages import Page, Renderer, StaticFile

BUILD_DATE = dt.date(2026, 11, 26)
SITE_URL = "https://www.qinghe.example.gov.cn/xxgk/"


def rendered_targets(site: Site) -> tuple[set[str], set[str]]:
    """Every page URL and every file of a full render, but the files written in the
    background (search index, feeds, exports), which were never link targets."""
    out = outputs.render_site(site, SITE_URL)
    renderer = Renderer(site, SITE_URL)
    background = {f.src_uri for contribute in outputs.DETACHABLE for f in contribute(site, renderer)}
    pages = [p.url for p in out.pages]
    assert len(pages) == len(set(pages)), "a page is rendered twice"
    return set(pages), {f.src_uri for f in out.files} - background


def test_declared_targets_are_the_pages_and_files_of_the_built_sample(built_site):
    site = load_site(ROOT, BUILD_DATE, Problems())
    declared = outputs.site_targets(site)
    built_pages = {p.parent.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")}
    assert declared.pages == {"" if p == "." else p + "/" for p in built_pages}
    missing = sorted(f for f in declared.files if not (built_site / f).is_file())
    assert missing == []
    rendered_pages, rendered_files = rendered_targets(site)
    assert (declared.pages, declared.files) == (rendered_pages, rendered_files)


def unusual(tmp_path: Path, preview: bool) -> Path:
    """The sample with two items a listing page, the audit pages on, and items that are not
    published (draft, embargoed; unreviewed: only a preview may load one), items without a
    theme, one with an attachment."""
    root = tmp_path / "site"
    shutil.copytree(ROOT / "catalog", root / "catalog")
    shutil.copytree(ROOT / "content", root / "content")
    settings = root / "catalog" / "site.yml"
    text = settings.read_text(encoding="utf-8")
    for old, new in (("items_per_page: 20", "items_per_page: 2"),
                     ("audit_page: false", "audit_page: true")):
        assert old in text
        text = text.replace(old, new)
    settings.write_text(text, encoding="utf-8")
    write(root, "zfb/2026/00901.md", item("002501001/2026-00901", "草稿：尚未发布的通知",
                                         "2026-10-09", "2026-10-08", extra="草稿: true\n"))
    if preview:
        write(root, "zfb/2026/00902.md", item("002501001/2026-00902", "尚未审查的通知",
                                             "2026-10-10", "2026-10-09", review=False))
    write(root, "zfb/2026/00903.md", item("002501001/2026-00903", "定于明年发布的通知",
                                         "2027-01-05", "2026-11-20"))
    write(root, "zfb/2026/00904.md", item("002501001/2026-00904", "未标注主题分类的通知",
                                         "2026-10-12", "2026-10-11", category="tzgg"))
    write(root, "zfb/2026/00905.md", item(
        "002501001/2026-00905", "附有名单的通知", "2026-10-13", "2026-10-12",
        extra="附件:\n  - 文件: 名单（第一批）.csv\n    名称: 名单\n",
        body="名单见[附件](名单（第一批）.csv)。\n"))
    write(root, "zfb/2026/名单（第一批）.csv", "单位,人数\r\n城关街道,12\r\n")
    return root


@pytest.mark.parametrize("preview", [False, True], ids=["published", "preview"])
def test_declared_targets_equal_the_rendered_ones_on_an_unusual_site(tmp_path, monkeypatch, preview):
    monkeypatch.setattr(sitemap, "MAX_URLS", 40)  # so sitemap.xml becomes an index of parts
    site = load_site(unusual(tmp_path, preview), BUILD_DATE, Problems(), preview=preview)
    declared = outputs.site_targets(site)
    pages, files = rendered_targets(site)
    assert declared.pages == pages
    assert declared.files == files
    assert {"audit/", "year/2026/page/2/", "sitemap-2.xml"} <= declared.pages | declared.files
    for draft in ("items/002501001/2026-00901/", "items/002501001/2026-00902/"):
        assert (draft in declared.pages) is preview  # the preview shows them; a build never does
    # scheduled for 2027: the preview shows it (with its banner), a build before that day never
    assert ("items/002501001/2026-00903/" in declared.pages) is preview
    assert "items/002501001/2026-00905/名单（第一批）.csv" in declared.files


def test_an_output_without_a_declaration_is_rendered_to_learn_its_targets(monkeypatch):
    def later(site: Site, renderer: Renderer):
        yield Page("notices/index.md", "公告", "# 公告\n")
        yield StaticFile("notices/list.csv", content=b"")

    monkeypatch.setattr(outputs, "CONTRIBUTORS", outputs.CONTRIBUTORS + [later])
    site = load_site(ROOT, BUILD_DATE, Problems())
    declared = outputs.site_targets(site)
    assert "notices/" in declared.pages and "notices/list.csv" in declared.files
    assert (declared.pages, declared.files) == rendered_targets(site)
