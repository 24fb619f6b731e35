"""The web editor at /admin/ of the built site: Decap CMS from the pinned npm package, served from
the site's own host, in Chinese, and not one request to another host."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import re
import shutil
import threading
import urllib.request

import pytest
from conftest import ROOT, copy_project, mkdocs_build
from sitekit import gongkai

PACKAGE = ROOT / "cms/node_modules/decap-cms"
CMS = "cms: {backend: forgejo, repo: qinghe/xxgk, base_url: https://git.qinghe.example.gov.cn}\n"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def admin_site(tmp_path):
    """A built copy of the sample with the web editor switched on."""
    assert (PACKAGE / "dist/decap-cms.js").is_file(), "the web editor is not installed: run `make cms`"
    project = copy_project(tmp_path / "p")
    with (project / "catalog/site.yml").open("a", encoding="utf-8") as fh:
        fh.write(CMS)
    shutil.copytree(PACKAGE, project / "cms/node_modules/decap-cms", ignore=shutil.ignore_patterns("*.map"))
    assert gongkai("cms-config", str(project)).returncode == 0
    out = tmp_path / "site"
    mkdocs_build(project, out)
    return out


@pytest.mark.build
def test_the_bundle_and_its_licence_are_published_beside_the_generated_configuration(admin_site):
    assert (admin_site / "admin/decap-cms.js").read_bytes() == (PACKAGE / "dist/decap-cms.js").read_bytes()
    assert "decap-cms 3.16.3: MIT licence" in (admin_site / "admin/LICENSE.txt").read_text(encoding="utf-8")
    assert (admin_site / "admin/decap-cms.js.LICENSE.txt").is_file()
    chunks = {p.name for p in (PACKAGE / "dist").glob("[0-9]*.decap-cms.js")}
    assert chunks and chunks <= {p.name for p in (admin_site / "admin").iterdir()}
    assert not list((admin_site / "admin").glob("*.map"))
    page = (admin_site / "admin/index.html").read_text(encoding="utf-8")
    assert '<script src="decap-cms.js"></script>' in page and "青禾县人民政府信息公开" in page
    assert "青禾县乡村振兴局" in (admin_site / "admin/config.yml").read_text(encoding="utf-8")


@pytest.mark.build
def test_the_preview_script_has_the_item_pages_metadata_labels_and_a_content_hashed_name(admin_site):
    page = (admin_site / "admin/index.html").read_text(encoding="utf-8")
    name = re.search(r'<script src="(preview\.([0-9a-f]{8})\.js)"></script>\n<script src="decap-cms\.js">', page)
    assert name, page
    script = (admin_site / "admin" / name.group(1)).read_bytes()
    assert hashlib.sha256(script).hexdigest()[:8] == name.group(2)
    layout = json.loads(re.search(rb"\}\)\((\{.*\})\);\s*$", script, re.S).group(1))
    item_page = admin_site / "items/002501001/2024-00001/index.html"
    table = re.search(r'<table class="gk-meta">(.*?)</table>', item_page.read_text(encoding="utf-8"), re.S).group(1)
    rows = [re.findall(r'<th scope="row">([^<]+)</th>', row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    assert [[cell["label"] for cell in row] for row in layout["rows"]] == rows
    assert layout["draft_notice"] == "草稿，仅预览可见：发布的网站上没有此页"
    assert {"xczx", "zfb"} <= set(layout["collections"]) and "all-items" not in layout["collections"]


@pytest.mark.build
def test_admin_opens_in_chinese_without_any_request_to_another_host(admin_site, open_tab):
    server = _serve_with_test_backend(admin_site)
    try:
        tab = open_tab()
        tab.page.goto(f"http://127.0.0.1:{server.server_address[1]}/admin/")
        tab.page.get_by_role("button", name="登录").click()
        tab.page.get_by_text("青禾县乡村振兴局").first.wait_for()
        tab.page.get_by_text("青禾县乡村振兴局").first.click()
        tab.page.get_by_role("link", name="条目").click()  # a new item's form, from the generated fields
        for label in ("索引号", "发文字号", "主题分类", "解读对象", "附件"):
            tab.page.get_by_text(label).first.wait_for()
        assert tab.log.foreign_requests == []
    finally:
        server.shutdown()


def _serve_with_test_backend(admin_site):
    """The built site on a loopback server, the configuration switched to Decap's in-memory
    backend: the forms and preview from the generated configuration, without a forge."""
    config = admin_site / "admin/config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^backend:\n(?:  .*\n)+", "backend:\n  name: test-repo\n", text),
                      encoding="utf-8")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(admin_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.build
def test_the_preview_shows_the_item_as_its_page_does_with_the_draft_banner(admin_site, open_tab):
    server = _serve_with_test_backend(admin_site)
    try:
        tab = open_tab()
        tab.page.goto(f"http://127.0.0.1:{server.server_address[1]}/admin/#/collections/xczx/new")
        tab.page.get_by_role("button", name="登录").click()
        title = tab.page.get_by_label("标题", exact=True)
        title.fill("青禾县乡村振兴局关于预览的通知")
        tab.page.get_by_label("索引号", exact=True).fill("002501002/2026-00099")
        tab.page.get_by_label("发文字号 (可选)", exact=True).fill("青乡振发〔2026〕9号")
        frame = tab.page.frame_locator("#preview-pane")
        box = frame.locator("table.gk-meta")
        box.locator("caption", has_text="信息索引").wait_for()
        # the item page's own box: its labels, in its order, filled from the form
        rows = box.locator("tr")
        assert rows.nth(0).locator("th").all_inner_texts() == ["索引号", "主题分类"]
        assert rows.nth(0).locator("td").first.inner_text() == "002501002/2026-00099"
        assert box.locator("th", has_text="发布机构").locator("xpath=following-sibling::td[1]").inner_text() \
            == "青禾县乡村振兴局"
        assert box.locator("th", has_text="发文字号").locator("xpath=following-sibling::td[1]").inner_text() \
            == "青乡振发〔2026〕9号"
        assert box.locator(".gk-status--valid").inner_text() == "有效"
        assert frame.locator("h1").inner_text() == "青禾县乡村振兴局关于预览的通知"
        # in the site's own stylesheets: gongkai.css draws the box's header cells
        assert frame.locator("link[rel=stylesheet][href*='assets/gongkai']").count() >= 1
        assert box.locator("th").first.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
        banner = frame.locator(".gk-preview-notice")
        assert banner.count() == 0
        tab.page.get_by_label("草稿 (可选)", exact=True).click()
        banner.wait_for()
        assert banner.inner_text() == "草稿，仅预览可见：发布的网站上没有此页"
        assert tab.log.foreign_requests == []
    finally:
        server.shutdown()


@pytest.mark.build
def test_behind_nginx_admin_has_its_own_policy_and_runs_without_a_violation(admin_site, tmp_path, open_tab):
    """/admin/ gets the policy Decap needs (eval for its schema compiler, inline styles, the
    forge of site.yml), the rest of the site keeps its strict one, and Decap, behind the real
    nginx with that policy, opens a form and its preview without one violation."""
    from nginx_server import Nginx

    docroot = tmp_path / "served"
    shutil.copytree(admin_site, docroot)
    server = Nginx(tmp_path)
    conf = tmp_path / "gongkai.conf"
    made = gongkai("serve-config", "nginx", "--site", str(docroot), "--prefix", "/xxgk/",
                   "--listen", server.listen, "-o", str(conf))
    assert made.returncode == 0, made.stderr
    config = docroot / "admin/config.yml"  # the browser then uses Decap's in-memory backend
    config.write_text(re.sub(r"(?m)^backend:\n(?:  .*\n)+", "backend:\n  name: test-repo\n",
                             config.read_text(encoding="utf-8")), encoding="utf-8")
    server.start(conf)
    try:
        def headers(path):
            with urllib.request.urlopen(f"http://{server.listen}{path}") as response:
                return response.headers

        def directives(policy):
            return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}

        admin = directives(headers("/xxgk/admin/")["Content-Security-Policy"])
        assert "'unsafe-eval'" in admin["script-src"] and "'unsafe-inline'" in admin["style-src"]
        assert admin["connect-src"] == ["'self'", "blob:", "https://git.qinghe.example.gov.cn"]
        assert admin["default-src"] == ["'none'"] and admin["frame-ancestors"] == ["'self'"]
        site = directives(headers("/xxgk/")["Content-Security-Policy"])
        assert "'unsafe-eval'" not in site["script-src"] and site["style-src"] == ["'self'"]
        assert site["connect-src"] == ["'self'"]
        assert "Content-Security-Policy" not in headers("/xxgk/admin/decap-cms.js")

        tab = open_tab()
        tab.page.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation',"
            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI), true);")
        tab.page.goto(f"http://{server.listen}/xxgk/admin/#/collections/xczx/new")
        tab.page.get_by_role("button", name="登录").click()
        tab.page.get_by_label("标题", exact=True).fill("青禾县乡村振兴局关于策略的通知")
        frame = tab.page.frame_locator("#preview-pane")
        frame.locator("table.gk-meta").wait_for()
        assert frame.locator("h1").inner_text() == "青禾县乡村振兴局关于策略的通知"
        assert tab.page.evaluate("window.__csp") == []
        assert tab.log.foreign_requests == []
    finally:
        server.stop()
