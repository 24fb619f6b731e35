"""The web editor at /admin/ of the built site: Decap CMS from the pinned npm package, served from
the site's own host, in Chinese, and not one request to another host."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading

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
def test_admin_opens_in_chinese_without_any_request_to_another_host(admin_site, open_tab):
    # Decap's in-memory backend: the forms from the generated configuration, without a forge
    config = admin_site / "admin/config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^backend:\n(?:  .*\n)+", "backend:\n  name: test-repo\n", text),
                      encoding="utf-8")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(admin_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
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
