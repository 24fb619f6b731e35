"""Issue 18's search features in headless Chromium on the sample site: partial
matches, synonyms, typos, pinyin, filters in the URL, what each result is,
as-you-type suggestions, the 360 px 长者版, and author text shown as text."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from browser_fixtures import PHONE
from conftest import copy_project, mkdocs_build


def search(page, base: str, query: str, extra: str = "") -> list[str]:
    page.goto(f"{base}search/?q={quote(query)}{extra}")
    page.wait_for_selector("#gk-search[data-state=done]")
    return page.eval_on_selector_all(".gk-hit", "els => els.map(e => e.dataset.id)")


def test_no_dead_end_partial_matches_are_ranked_and_said(page, served_site):
    ids = search(page, served_site, "养老保险缴费标准")  # no document holds 费标
    assert ids[0] == "002501001/2025-00014"  # 缴费档次和补贴标准
    assert page.get_attribute("#gk-search", "data-match") == "partial"
    assert page.inner_text("#gk-search-status").startswith("未找到完全匹配的结果，以下是部分匹配")
    # 扶贫 + 资金 (issue 30): a synonym group's word inside a phrase is a word of its own, so the
    # 乡村振兴 funds' policy and its 解读 are found in full, no longer partly
    ids = search(page, served_site, "扶贫资金")
    assert {"002501002/2025-00002", "002501002/2025-00003"} <= set(ids[:4])
    assert page.get_attribute("#gk-search", "data-match") == "all"
    # separate words: every word required, each a phrase
    assert search(page, served_site, "宅基地 审批结果")[:2] == ["002501004/2026-00003", "002501004/2024-00003"]
    assert page.get_attribute("#gk-search", "data-match") == "all"


def test_synonyms_are_expanded_and_the_expansion_is_shown(page, served_site):
    ids = search(page, served_site, "低保")
    assert "002501004/2025-00004" in ids
    assert "同时搜索了“低保”的同义词：“最低生活保障”" in page.inner_text("#gk-search-notes")
    assert page.locator(".gk-hit mark", has_text="最低生活保障").count() > 0


def test_typos_get_the_nearest_word(page, served_site):
    ids = search(page, served_site, "燃汽安全")  # nothing holds even part of it
    assert "002501003/2025-00005" in ids
    assert "以下是“燃气安全”的结果" in page.inner_text("#gk-search-notes")
    search(page, served_site, "宅基第")  # partly found: results, and the correction offered as a link
    link = page.locator(".gk-search__dym a")
    assert link.inner_text() == "宅基地"
    link.click()
    page.wait_for_selector("#gk-search[data-state=done]")
    assert page.get_attribute("#gk-search", "data-match") == "all"
    assert "q=%E5%AE%85%E5%9F%BA%E5%9C%B0" in page.url


@pytest.mark.parametrize("query", ["fupin", "fu pin", "fúpín", "fp"])
def test_pinyin_finds_titles(page, served_site, query):
    assert "002501002/2026-00004" in search(page, served_site, query)[:10]
    assert "拼音" in page.inner_text("#gk-search-notes")


def test_a_chinese_query_fetches_only_its_own_index_files(page, served_site):
    search(page, served_site, "宅基地")
    files = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    index = {re.sub(r"\?.*", "", f.split("/search/idx/")[1]) for f in files if "/search/idx/" in f}
    # every file but meta.json sits in the index version's folder
    assert index and all(re.fullmatch(r"meta\.json|[0-9a-f]{12}/(t/\d+|d/\d+|a/\d+)\.json", f)
                         for f in index), index


def test_results_say_what_they_are(page, served_site):
    ids = search(page, served_site, "报名登记表")
    first = page.locator(".gk-hit").first
    assert ids[0] == "items/002501003/2024-00005/报名登记表填写说明.txt"
    assert first.locator(".gk-hit__kind").inner_text() == "附件"
    assert "所属：青禾县城市管理局2024年公开招聘编外城管协管员公告" in first.inner_text()
    # the attachment itself is served at the link's address, as the page resolves it (fetched,
    # not opened: a browser showing a text file asks the host's root for /favicon.ico, which is
    # no part of the site, and whether that 404 comes before the next page is a matter of timing)
    href = first.locator(".gk-hit__title a").evaluate("a => a.href")
    served = page.request.get(href)
    assert served.ok and served.text().startswith("青禾县城市管理局2024年公开招聘编外城管协管员报名登记表")
    search(page, served_site, "年报")
    assert page.locator(".gk-hit__kind").first.inner_text() == "年报"
    search(page, served_site, "政府信息公开指南")
    assert page.locator(".gk-hit").first.get_attribute("data-id") == "guide/"
    assert page.locator(".gk-hit__kind").first.inner_text() == "公开指南"


def test_filters_title_only_date_range_and_theme_live_in_the_url(page, served_site):
    everywhere = search(page, served_site, "公示")
    titles_only = search(page, served_site, "公示", "&scope=title")
    assert 0 < len(titles_only) and page.is_checked("#gk-scope-title")
    total = int(page.inner_text("#gk-search-status").split("找到 ")[1].split(" ")[0])
    assert total < int(len(everywhere) and 35)
    for title in page.eval_on_selector_all(".gk-hit__title", "els => els.map(e => e.textContent)"):
        assert "公示" in title
    search(page, served_site, "公示", "&from=2025-01-01&to=2025-12-31")
    assert page.input_value("#gk-from") == "2025-01-01"
    dates = page.eval_on_selector_all(".gk-hit time", "els => els.map(e => e.getAttribute('datetime'))")
    assert dates and all(d.startswith("2025-") for d in dates)
    # the form carries the switches: submitting keeps them in the URL
    page.check("#gk-scope-title")
    page.click(".gk-search__row button")
    page.wait_for_selector("#gk-search[data-state=done]")
    assert "scope=title" in page.url and "from=2025-01-01" in page.url
    search(page, served_site, "公示")
    facet = page.locator(".gk-facet", has=page.locator("h2", has_text="主题分类"))
    link = facet.locator("a").first
    name = link.inner_text().split(" (")[0]
    count = int(link.inner_text().split("(")[1].rstrip(")"))
    link.click()
    page.wait_for_selector("#gk-search[data-state=done]")
    assert "topic=" in page.url and page.locator(".gk-hit").count() == min(count, 10)
    assert name


def test_as_you_type_suggestions(page, served_site):
    search(page, served_site, "")
    page.fill("#gk-q", "宅基")
    page.wait_for_function("() => document.querySelectorAll('#gk-suggest option').length > 0")  # a function: a string would be eval'd, which the page's CSP forbids
    options = page.eval_on_selector_all("#gk-suggest option", "els => els.map(e => e.value)")
    assert "宅基地" in options
    assert all("宅基" in o for o in options)


def test_elder_mode_search_page_does_not_scroll_sideways_at_360px(open_tab, served_site):
    page = open_tab(viewport=PHONE, elder=True).page
    for q in ["青政办发〔2026〕4号", "扶贫资金", "报名登记表"]:
        page.goto(f"{served_site}search/?q={quote(q)}")
        page.wait_for_selector("#gk-search[data-state=done]")
        assert page.evaluate("document.documentElement.classList.contains('gk-elder')")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (q, width)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The sample with an item titled as an HTML injection, built and served."""
    import functools
    import http.server
    import shutil
    import threading

    from conftest import SUB_PATH, QuietHandler

    tmp = tmp_path_factory.mktemp("hostile")
    project = copy_project(tmp / "p")
    source = project / "content/zfb/2026/00001.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(re.sub(r"^标题: .*$", '标题: "<img src=x onerror=alert(1)>县级预算公开说明"', text,
                             count=1, flags=re.M), encoding="utf-8")
    mkdocs_build(project, tmp / "docroot" / SUB_PATH.strip("/"))
    handler = functools.partial(QuietHandler, directory=str(tmp / "docroot"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    server.shutdown()
    shutil.rmtree(tmp, ignore_errors=True)


def test_author_text_in_results_is_shown_as_text(page, hostile_site):
    ids = search(page, hostile_site, "县级预算公开说明")
    assert ids[0] == "002501001/2026-00001"
    title = page.locator(".gk-hit__title").first
    assert title.inner_text() == "<img src=x onerror=alert(1)>县级预算公开说明"
    assert page.locator(".gk-search img").count() == 0
    # and as-you-type suggestions, which show titles too
    page.fill("#gk-q", "<img")
    page.wait_for_function("() => document.querySelectorAll('#gk-suggest option').length > 0")  # a function: a string would be eval'd, which the page's CSP forbids
    assert page.locator("#gk-suggest option").first.get_attribute("value").startswith("<img src=x")
    assert page.locator(".gk-search img").count() == 0
