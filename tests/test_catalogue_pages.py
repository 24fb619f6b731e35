"""The standard catalogue as a visitor sees it: category, agency, year, theme and library lists."""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import BUILD_DATE, ROOT, copy_project, mkdocs_build
from sitehtml import anchors, article, listed_rows, page_html, resolve

from gongkai.pipeline import load_site

PER_PAGE = 3  # small, so most lists of the sample span several pages


@pytest.fixture(scope="module")
def sample():
    return load_site(ROOT, dt.date.fromisoformat(BUILD_DATE))


@pytest.fixture(scope="module")
def exported(built_site) -> list[dict]:
    return json.loads((built_site / "catalogue.json").read_text(encoding="utf-8"))["items"]


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory) -> Path:
    """The sample site with items_per_page: 3."""
    project = copy_project(tmp_path_factory.mktemp("paged") / "p")
    site_yml = project / "catalog" / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    site_yml.write_text(re.sub(r"^items_per_page: .*$", f"items_per_page: {PER_PAGE}", text, flags=re.M),
                        encoding="utf-8")
    out = project / "site"
    mkdocs_build(project, out)
    return out


@functools.cache
def _codes_under(code: str) -> frozenset[str]:
    """Codes of a category and its descendants, read from catalog/categories.yml itself."""
    def walk(nodes, inside):
        for node in nodes:
            here = inside or node["code"] == code
            if here:
                found.add(node["code"])
            walk(node.get("children", []), here)
    found: set[str] = set()
    walk(yaml.safe_load((ROOT / "catalog/categories.yml").read_text(encoding="utf-8"))["categories"], False)
    return frozenset(found)


def _newest_first(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (r["published"], r["id"]), reverse=True)


@pytest.mark.parametrize("site_fixture", ["built_site", "paged_site"])
def test_each_category_page_lists_exactly_its_items_newest_first(request, site_fixture, sample, exported):
    site = request.getfixturevalue(site_fixture)
    for code in sample.category_by_code:
        codes = _codes_under(code)
        expected = _newest_first([r for r in exported if r["category"] in codes])
        rows, pages = listed_rows(site, f"catalogue/{code}/")
        assert [i for i, _ in rows] == [r["id"] for r in expected], code
        assert [u for _, u in rows] == [r["url"] for r in expected], code
        per_page = PER_PAGE if site_fixture == "paged_site" else sample.settings.items_per_page
        assert len(pages) == max(1, math.ceil(len(expected) / per_page)), code


def test_pagination_shows_every_item_exactly_once_at_stable_urls(paged_site, exported):
    code = "zcwj"
    rows, pages = listed_rows(paged_site, f"catalogue/{code}/")
    assert len(rows) == len(set(rows)) > PER_PAGE * 3
    assert pages == [f"catalogue/{code}/"] + [f"catalogue/{code}/page/{n}/" for n in range(2, len(pages) + 1)]
    last = article(page_html(paged_site, pages[-1]))
    assert f"第 {len(pages)} / {len(pages)} 页，共 {len(rows)} 条" in last
    assert "下一页" not in last and "上一页" in last
    assert not (paged_site / f"catalogue/{code}/page/1").exists()  # page 1 is the category URL itself
    assert not (paged_site / f"catalogue/{code}/page/{len(pages) + 1}").exists()
    # every page number is reachable from the first page's bar or its neighbours
    numbers = {a["href"] for a, text in anchors(article(page_html(paged_site, pages[1]))) if text.isdigit()}
    assert "../../" in numbers  # page 2 links back to page 1 at the category URL


def test_tree_shows_item_counts_that_match_the_export(built_site, sample, exported):
    html = article(page_html(built_site, "catalogue/"))
    shown = dict(re.findall(r'<a href="([^"]+)">[^<]+</a> <span class="gk-count">（(\d+)）</span>', html))
    for code in sample.category_by_code:
        expected = sum(r["category"] in _codes_under(code) for r in exported)
        assert shown[f"{code}/"] == str(expected), code
    assert f"共 {len(exported)} 条" in html


def test_agency_year_and_theme_pages_partition_the_catalogue(paged_site, sample, exported):
    agencies = yaml.safe_load((ROOT / "catalog/agencies.yml").read_text(encoding="utf-8"))["agencies"]
    for agency in agencies:
        rows, _ = listed_rows(paged_site, f"agency/{agency['slug']}/")
        assert [i for i, _ in rows] == [r["id"] for r in exported if r["agency_code"] == agency["code"]]
        html = article(page_html(paged_site, f"agency/{agency['slug']}/"))
        assert agency["phone"] in html and agency["address"] in html
    years = sorted({r["published"][:4] for r in exported}, reverse=True)
    index = article(page_html(paged_site, "year/"))
    linked = [resolve("year/", a["href"]) for a, _ in anchors(index)]
    assert [u for u in linked if u.startswith("year/")] == [f"year/{y}/" for y in years]
    for year in years:
        rows, _ = listed_rows(paged_site, f"year/{year}/")
        assert [i for i, _ in rows] == [r["id"] for r in exported if r["published"].startswith(year)]
    topics = [t["name"] for t in yaml.safe_load((ROOT / "catalog/topics.yml").read_text(encoding="utf-8"))["topics"]]
    aliases = {a: t["name"] for t in yaml.safe_load((ROOT / "catalog/topics.yml").read_text(encoding="utf-8"))["topics"]
               for a in t.get("aliases", [])}
    seen = 0
    for n, theme in enumerate(topics, start=1):
        expected = [r["id"] for r in exported
                    if r["topic"] and aliases.get(r["topic"].split("\\")[0], r["topic"].split("\\")[0]) == theme]
        if not expected:
            assert not (paged_site / f"topic/{n:02d}").exists()
            continue
        rows, _ = listed_rows(paged_site, f"topic/{n:02d}/")
        assert [i for i, _ in rows] == expected, theme
        seen += len(expected)
    assert seen == sum(1 for r in exported if r["topic"])


def test_library_narrows_to_documents_in_force(paged_site, exported):
    rows_all, _ = listed_rows(paged_site, "library/")
    rows_in_force, _ = listed_rows(paged_site, "library/in-force/")
    rows_old, _ = listed_rows(paged_site, "library/not-in-force/")
    library = [r for r in exported if r["category"] in ("gz", "gfxwj")]
    assert [i for i, _ in rows_all] == [r["id"] for r in library]
    assert [i for i, _ in rows_in_force] == [r["id"] for r in library if r["status"] == "有效"]
    assert [i for i, _ in rows_old] == [r["id"] for r in library if r["status"] != "有效"]
    assert rows_old and rows_in_force  # the sample has both, or the filter proves nothing
    html = article(page_html(paged_site, "library/in-force/"))
    assert f'<strong aria-current="page">现行有效（{len(rows_in_force)}）</strong>' in html
    assert f"全部（{len(library)}）" in html


def test_empty_category_says_so_and_is_a_build_warning(tmp_path, sample):
    project = copy_project(tmp_path / "p")
    leaf = next(c for c in sample.category_by_code.values()
                if not c.children and len(sample.items_in(c)) == 1)
    only = sample.items_in(leaf)[0]
    (project / only.source).unlink()
    for other in sample.items:  # nothing may still point at the removed item
        if only.id in (other.interprets, other.superseded_by):
            pytest.skip("the chosen item is referenced")
    # built without --strict (which stops on any warning) to see the page as well
    project_yml = project / "mkdocs.yml"
    project_yml.write_text(project_yml.read_text(encoding="utf-8").replace("strict: true", "strict: false"),
                           encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project_yml), "-d", str(tmp_path / "s2")],
        cwd=project, env=dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    line = next(n for n, ln in enumerate((ROOT / "catalog/categories.yml").read_text(encoding="utf-8")
                                        .splitlines(), 1) if ln.strip() == f"- code: {leaf.code}")
    assert (f"catalog/categories.yml:{line}: 警告: 目录: 栏目“{leaf.name}”（{leaf.code}）没有已公开的信息"
            in result.stderr)
    html = article(page_html(tmp_path / "s2", leaf.url))
    assert "本栏目暂无公开信息。" in html and "gk-list" not in html
    tree = article(page_html(tmp_path / "s2", "catalogue/"))
    assert f'{leaf.name}</a> <span class="gk-count">（0）</span>' in tree
