"""The disclosure column home, its 指南/制度/依申请公开 pages, and the rules files' strictness."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from conftest import BUILD_DATE, ROOT
from itemfactory import new_repo, problems_for, write
from sitehtml import anchors, article, page_html, resolve

from gongkai.pipeline import load_site
from gongkai.render import outputs
from gongkai.render.pages import Page


@pytest.fixture(scope="module")
def sample():
    return load_site(ROOT, dt.date.fromisoformat(BUILD_DATE))


def links(site, url):
    return {resolve(url, a["href"]): text for a, text in anchors(article(page_html(site, url)))}


def test_home_offers_the_four_sub_columns_and_the_application_entry(built_site):
    home = article(page_html(built_site, ""))
    found = links(built_site, "")
    for url, name in (("guide/", "政府信息公开指南"), ("rules/", "政府信息公开制度"),
                      ("catalogue/", "法定主动公开内容"), ("apply/", "依申请公开")):
        assert url in found and name in found[url], url
    assert "政府信息公开年报" in home  # shown even before the annual reports exist …
    if (built_site / "annual" / "index.html").exists():
        assert "政府信息公开年报" in found["annual/"]
    else:
        assert "annual/" not in found  # … but never as a broken link


def test_annual_sub_column_is_linked_once_a_module_renders_it(sample, monkeypatch):
    def annual(site, renderer):
        yield Page("annual/index.md", "政府信息公开年报", "# 年报\n")
    monkeypatch.setattr(outputs, "CONTRIBUTORS", outputs.CONTRIBUTORS + [annual])
    out = outputs.render_site(sample, "https://example.gov.cn/xxgk/")
    home = next(p for p in out.pages if p.src_uri == "index.md").markdown
    guide = next(p for p in out.pages if p.src_uri == "guide/index.md").markdown
    assert '<a href="annual/"><strong>政府信息公开年报</strong>' in home
    assert 'href="../annual/"' in guide


def test_guide_is_generated_from_the_catalogue_and_agency_data(built_site, sample):
    html = article(page_html(built_site, "guide/"))
    targets = links(built_site, "guide/")
    for category in sample.category_by_code.values():
        assert targets.get(category.url) == category.name
        if category.basis:
            assert category.basis in html
    agencies = yaml.safe_load((ROOT / "catalog/agencies.yml").read_text(encoding="utf-8"))["agencies"]
    for agency in agencies:
        for key in ("name", "address", "phone", "email", "hours"):
            assert agency[key] in html, (agency["name"], key)
    assert "20 个工作日" in html and "7 个工作日" in html  # 第二十六条 and the short limits
    for short in (c for c in sample.category_by_code.values() if c.time_limit < 20):
        assert f"“{short.name}”" in html[html.index("（三）公开时限"):]
    assert "apply/" in targets and "catalogue.csv" in targets


def test_application_page_says_how_to_apply_and_where(built_site, sample):
    html = article(page_html(built_site, "apply/"))
    assert "第二十九条" in html and "20 个工作日" in html and "补正" in html
    for agency in sample.agencies:
        assert agency.name in html and agency.phone in html


def test_rules_column_lists_each_rules_document(built_site, sample):
    assert sample.rules
    index = links(built_site, "rules/")
    for doc in sample.rules:
        assert index.get(doc.url) == doc.title
        html = article(page_html(built_site, doc.url))
        assert f"<h1>{doc.title}</h1>" in html
        assert "<strong>第一条</strong>" in html  # the Markdown body is rendered, not shown raw
        assert "**" not in html


def test_rules_files_are_read_as_strictly_as_items(tmp_path):
    root = new_repo(tmp_path)
    write(root, "pages/rules/gbk.md", "---\n标题: 保密审查制度\n---\n正文".encode("gb18030"))
    write(root, "pages/rules/no-title.md", "---\n发布日期: 2024-13-01\n---\n正文\n")
    write(root, "pages/rules/Bad_Name.md", "---\n标题: 制度\n---\n")
    found = {(p.file, p.line, p.field): p.message for p in problems_for(root)}
    assert any(f == "content/pages/rules/gbk.md" and "不是 UTF-8 编码" in m for (f, _, _), m in found.items())
    assert found[("content/pages/rules/no-title.md", 2, "发布日期")] == "日期“2024-13-01”不存在"
    assert any(f == "content/pages/rules/no-title.md" and fld == "标题" for f, _, fld in found)
    assert any(f == "content/pages/rules/Bad_Name.md" and "小写字母" in m for (f, _, _), m in found.items())


def test_empty_rules_column_is_a_warning(tmp_path):
    root = new_repo(tmp_path)
    found = [p for p in problems_for(root) if p.file == "content/pages/rules"]
    assert [p.severity for p in found] == ["warning"] and "政府信息公开制度" in found[0].message
