"""Unsafe HTML in HTML/SVG attachments (bodies: test_markup_guard.py), fatal to check and build."""

from __future__ import annotations

import shutil

import pytest
from conftest import mkdocs_build_here
from sitekit import ROOT, gongkai, item, make_site, write

from gongkai.guards.html import scan_html


@pytest.mark.parametrize("html, expected", [
    ("<script>alert(1)</script>", "含有 <script> 标签"),
    ("<SCRIPT src=x.js></SCRIPT>", "含有 <script> 标签"),
    ('<iframe src="https://example.org/"></iframe>', "含有 <iframe> 标签"),
    ('<object data="x.swf"></object>', "含有 <object> 标签"),
    ('<embed src="x.swf">', "含有 <embed> 标签"),
    ('<img src="a.png" onerror="alert(1)">', "<img> 标签带有事件处理属性 onerror"),
    ("<p ONCLICK='x()'>点击</p>", "<p> 标签带有事件处理属性 onclick"),
    ('<a href="javascript:alert(1)">链接</a>', "<a> 标签的 href 使用了 javascript: 地址"),
    ('<a href=" JaVaScRiPt:alert(1)">链接</a>', "<a> 标签的 href 使用了 javascript: 地址"),
    ('<a href="jav&#x09;ascript:alert(1)">链接</a>', "<a> 标签的 href 使用了 javascript: 地址"),
    ('<a href="&#106;avascript:alert(1)">链接</a>', "<a> 标签的 href 使用了 javascript: 地址"),
    ('<form action="javascript:x()"></form>', "<form> 标签的 action 使用了 javascript: 地址"),
    ('<meta http-equiv="refresh" content="0;url=https://example.org/">', "含有自动跳转"),
])
def test_unsafe_html_is_found(html, expected):
    found = scan_html(f"<div>\n{html}\n</div>")
    assert [f.line for f in found] == [2]
    assert found[0].message.startswith(expected)


def test_svg_attachment_with_script_is_refused(tmp_path):
    site = make_site(tmp_path, {"zfb/map.md": item(extra="附件:\n  - 文件: 位置图.svg\n")})
    write(site, "zfb/位置图.svg", '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script>\n</svg>\n')
    result = gongkai("check", str(site), "--date", "2026-11-26")
    assert result.returncode == 1
    # SVG is never an attachment (a browser runs it as a page): refused before its content matters
    assert "content/zfb/map.md:9: 附件: 附件“位置图.svg”是 .svg 文件：浏览器会把它当作网页打开" in result.stdout


def test_the_build_fails_too(tmp_path):
    site = make_site(tmp_path / "site", {
        "zfb/notice.md": item(body='<iframe src="https://example.org/"></iframe>\n'),
    })
    shutil.copy(ROOT / "mkdocs.yml", site / "mkdocs.yml")
    for name in ("hooks", "overrides"):
        shutil.copytree(ROOT / name, site / name, ignore=shutil.ignore_patterns("__pycache__"))
    built, messages = mkdocs_build_here(site, tmp_path / "out")
    assert not built
    assert "content/zfb/notice.md:13: 正文: 含有 <iframe> 标签（内嵌页面）" in messages
    assert not (tmp_path / "out" / "items").exists()
