"""A site full of script payloads in every text field: it builds, and no page runs any of them.

Titles (plain and written with YAML escapes), catalog names (a category, an agency, the site
title) are allowed to contain ``<``: each page must show them as text. Headless Chromium
opens every page that mentions a payload; the ``open_tab`` fixture fails the test on any
dialog (``alert``), console error or request to another host. The body payloads, which must
stop the build instead, are in test_markup_guard.py.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading

import pytest
from conftest import QuietHandler, copy_project, mkdocs_build
from test_csp_browser import WATCH

TITLES = {
    "plain": "关于<script>alert('title')</script>的通知",
    "escapes": "关于<img src=x onerror=alert('escape')>的通知",
    "title-tag": "关于</title><script>alert('htmltitle')</script>的通知",
    "comment": "关于<!-- 隐藏 --><svg onload=alert('svg')>的通知",
}
#: how each title is written in YAML: the second with \x3c escapes a scanner of the source misses
YAML_TITLES = {
    "plain": '"关于<script>alert(\'title\')</script>的通知"',
    "escapes": '"关于\\x3cimg src=x onerror=alert(\'escape\')\\x3e的通知"',
    "title-tag": "'关于</title><script>alert(''htmltitle'')</script>的通知'",
    "comment": "'关于<!-- 隐藏 --><svg onload=alert(''svg'')>的通知'",
}
SITE_TITLE = "青禾县<script>alert('site')</script>信息公开"
CATEGORY = "其他文件<img src=x onerror=alert('category')>"
AGENCY = "青禾县人民政府办公室<svg onload=alert('agency')>"


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("payloads")
    project = copy_project(root / "p")
    catalog = project / "catalog"
    _replace(catalog / "site.yml", "title: 青禾县人民政府信息公开", f'title: "{SITE_TITLE}"')
    _replace(catalog / "categories.yml", "name: 其他文件", f'name: "{CATEGORY}"')
    _replace(catalog / "agencies.yml", "    name: 青禾县人民政府办公室", f'    name: "{AGENCY}"')
    for path in (project / "content").rglob("*.md"):  # items name the agency by its code instead
        text = path.read_text(encoding="utf-8")
        fixed = re.sub(r"^(发布机构|agency): 青禾县人民政府办公室$", r"\1: 002501001", text, flags=re.M)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
    for n, (key, title) in enumerate(YAML_TITLES.items(), 1):
        (project / "content" / "zfb" / "2025" / f"payload-{key}.md").write_text(
            f"---\n索引号: 002501001/2025-{950 + n:05d}\n标题: {title}\n发布机构: 002501001\n目录: qtwj\n"
            "成文日期: 2025-03-01\n发布日期: 2025-03-02\n主题词: [综合政务]\n"
            "审查:\n  审查人: 王丽\n  审查日期: 2025-03-02\n  审查结果: 同意公开\n---\n正文。\n",
            encoding="utf-8")
    out = root / "docroot" / "xxgk"
    mkdocs_build(project, out)
    handler = functools.partial(QuietHandler, directory=str(root / "docroot"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}/xxgk/"
    server.shutdown()


def test_no_payload_runs_and_no_page_violates_its_policy(payload_site, open_tab):
    """Every page of the site, which is the sample's pages (same templates, same bodies) plus the
    payload items: none runs a payload, and none fires a Content-Security-Policy violation (this
    walk is also test_csp_browser's: one walk of every page serves both)."""
    out, base = payload_site
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert len(pages) > 150
    # the site title is on every page: each one carries a payload
    assert all("alert(" in (out / p).read_text(encoding="utf-8") for p in pages)
    tab = open_tab()
    tab.page.add_init_script(WATCH)
    for page in pages:
        tab.page.goto(base + page.removesuffix("index.html"), wait_until="load")
        assert tab.page.evaluate("window.__csp") == [], page
    # the search page renders titles from the index in the browser
    tab.page.goto(base + "search/?q=" + "关于", wait_until="load")
    tab.page.wait_for_selector(".gk-hit", timeout=15000)
    assert "alert('title')" in tab.page.locator("body").inner_text()
    # open_tab fails the test if any page raised a dialog, an error or a foreign request
    assert tab.log.dialogs == []


def test_titles_are_shown_as_text(payload_site, open_tab):
    out, base = payload_site
    tab = open_tab()
    for n, key in enumerate(TITLES, 1):
        tab.page.goto(base + f"items/002501001/2025-{950 + n:05d}/", wait_until="load")
        assert tab.page.title().startswith(TITLES[key])  # <title>, as text
        assert tab.page.locator("article h1").first.inner_text() == TITLES[key]
        header = tab.page.locator(".md-header__topic").last.inner_text()
        assert TITLES[key] in header
        assert tab.page.locator("article script, article img[onerror], article svg").count() == 0
    tab.page.goto(base, wait_until="load")
    assert SITE_TITLE in tab.page.locator("body").inner_text()


def test_catalog_names_are_shown_as_text(payload_site, open_tab):
    out, base = payload_site
    text = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "<img src=x onerror=alert('category')>" not in text
    assert "<svg onload=alert('agency')>" not in text
    assert "<script>alert('site')" not in text
    tab = open_tab()
    tab.page.goto(base + "catalogue/", wait_until="load")
    assert CATEGORY in tab.page.locator("article").inner_text()
    assert re.search(r"<script>alert\(", (out / "feed.xml").read_text(encoding="utf-8")) is None
