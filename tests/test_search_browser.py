"""The search page in headless Chromium, served on loopback under a sub-path:
relevance, the URL as state, facets, sort, keyboard use."""

from __future__ import annotations

import re
from urllib.parse import quote, urlparse

import pytest
import search_relevance

# ``page`` (tests/browser_fixtures.py) is a fresh desktop tab that fails the test
# on any request to another host, console error, HTTP error or pop-up.


def run_search(page, base: str, query: str, extra: str = "") -> list[str]:
    page.goto(f"{base}search/?q={quote(query)}{extra}")
    page.wait_for_selector("#gk-search[data-state=done]")
    return page.eval_on_selector_all(".gk-hit", "els => els.map(e => e.dataset.id)")


@pytest.mark.skipif(search_relevance.NODE is None, reason="node is not installed")
def test_the_page_answers_as_the_engine_does_under_node(page, served_site, built_site, tmp_path):
    """One query of each kind: the page (its fetches under the sub-path, the engine in the
    browser, the first page of ten, the match mode) shows what Node's run of the same engine.js
    ranks first, so the full relevance set under Node (test_search_relevance.py) speaks for the
    browser."""
    smoke = search_relevance.smoke_queries()
    node = {row["query"]: row for row in
            search_relevance.run_in_node(built_site, [q["query"] for q in smoke], tmp_path)}
    for q in smoke:
        ids = run_search(page, served_site, q["query"])
        assert (ids, page.get_attribute("#gk-search", "data-match")) == \
            (node[q["query"]]["ids"][:10], node[q["query"]]["mode"]), q
        if q["expect"]:
            assert set(q["expect"]) & set(ids), q  # and the answer is the right one, not just the same


def test_questions_typed_the_chinese_way_in_chromium(page, served_site):
    results = {}
    for q in search_relevance.questions():
        ids = run_search(page, served_site, q["query"])
        results[q["query"]] = (ids, page.get_attribute("#gk-search", "data-match"))
    fig = search_relevance.question_figures(results)
    print(f"\nChromium questions: top 3 {fig.top3_share:.1%} (full {fig.full_share:.1%}), misses {fig.misses}")
    search_relevance.check_question_goal(fig)
    # the question words are not what the page reports it searched for, nor highlights
    run_search(page, served_site, "低保怎么申请")
    assert "同时搜索了“低保”的同义词：“最低生活保障”" in page.inner_text("#gk-search-notes")
    marks = page.eval_on_selector_all(".gk-hit mark", "els => els.map(e => e.textContent)")
    assert marks and not any("怎么" in m for m in marks)


def test_an_agency_number_nobody_has_is_never_found(page, served_site):
    """〔2024〕6号 is 青政发's and 青乡振发's; 青城管发 has none: shown as partial, not found."""
    ids = run_search(page, served_site, "青城管发〔2024〕6号")
    status = page.inner_text("#gk-search-status")
    assert "未找到完全匹配的结果" in status and "找到 " not in status.split("（")[0]
    assert {"002501001/2024-00013", "002501002/2024-00003"} <= set(ids)
    assert run_search(page, served_site, "青政办发〔2023〕116号") == []
    assert "没有找到" in page.inner_text("#gk-search-status")
    assert run_search(page, served_site, "青政发〔2024〕6号")[0] == "002501001/2024-00013"
    assert page.inner_text("#gk-search-status").startswith("找到 ")


def test_result_shows_metadata_and_highlights(page, served_site):
    run_search(page, served_site, "青政办发[2026]4号")
    first = page.locator(".gk-hit").first
    assert first.get_attribute("data-id") == "002501001/2026-00003"
    text = first.inner_text()
    for label in ["发文字号", "青政办发〔2026〕4号", "发布机构", "青禾县人民政府办公室", "发布日期", "有效性", "有效"]:
        assert label in text
    assert first.locator(".gk-hit__meta mark").first.inner_text() == "青政办发〔2026〕4号"
    run_search(page, served_site, "公示")
    assert page.locator(".gk-hit__title mark").first.inner_text() == "公示"
    # the title links to the item page, which exists under the sub-path
    page.locator(".gk-hit__title a").first.click()
    page.wait_for_load_state()
    assert "/xxgk/items/" in page.url
    assert "公示" in page.locator("h1").first.inner_text()


def test_keyboard_only_from_the_header_box(page, served_site):
    page.goto(served_site)
    page.focus("#gk-header-q")
    page.keyboard.type("宅基地")
    page.keyboard.press("Enter")
    page.wait_for_selector("#gk-search[data-state=done]")
    assert urlparse(page.url).path == "/xxgk/search/"
    assert "q=%E5%AE%85%E5%9F%BA%E5%9C%B0" in page.url
    assert page.input_value("#gk-q") == "宅基地"
    # Tab reaches the results and facet links; Enter on the date sort link re-sorts
    page.focus("#gk-q")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "发布日期":
            break
    else:
        pytest.fail("the date sort link is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#gk-search[data-state=done]")
    assert "sort=date" in page.url
    dates = page.eval_on_selector_all(".gk-hit time", "els => els.map(e => e.getAttribute('datetime'))")
    assert len(dates) >= 5 and dates == sorted(dates, reverse=True)


def test_facets_filter_and_back_button(page, served_site):
    all_ids = run_search(page, served_site, "公示")
    status = page.inner_text("#gk-search-status")
    total = int(status.split("找到 ")[1].split(" ")[0])
    assert total > 10  # paged: ten shown
    assert len(all_ids) == 10
    link = page.locator(".gk-facet a", has_text="青禾县城关街道办事处")
    count = int(link.inner_text().split("(")[1].rstrip(")"))
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#gk-search[data-state=done]")
    assert "agency=002501004" in page.url
    hits = page.locator(".gk-hit")
    assert hits.count() == count
    for i in range(hits.count()):
        assert "青禾县城关街道办事处" in hits.nth(i).inner_text()
    assert f"找到 {count} 条结果" in page.inner_text("#gk-search-status")
    # a year facet narrows further and both filters stay in the URL, so it can be shared
    page.locator(".gk-facet a", has_text="2025年").click()
    page.wait_for_selector("#gk-search[data-state=done]")
    assert "agency=002501004" in page.url and "year=2025" in page.url
    dates = page.eval_on_selector_all(".gk-hit time", "els => els.map(e => e.getAttribute('datetime'))")
    assert dates and all(d.startswith("2025-") for d in dates)
    page.go_back()
    page.wait_for_selector("#gk-search[data-state=done]")
    assert "year=" not in page.url
    assert page.locator(".gk-hit").count() == count
    page.go_back()
    page.wait_for_selector("#gk-search[data-state=done]")
    assert page.eval_on_selector_all(".gk-hit", "els => els.map(e => e.dataset.id)") == all_ids


def test_no_result_and_empty_query_say_so(page, served_site):
    assert run_search(page, served_site, "量子计算机") == []
    assert "没有找到与“量子计算机”相符的公开信息" in page.inner_text("#gk-search-status")
    page.goto(f"{served_site}search/")
    page.wait_for_selector("#gk-search[data-state=done]")
    assert page.inner_text("#gk-search-status") == "请输入要搜索的内容。"


def test_the_index_meta_is_requested_once_from_the_head_before_the_scripts(page, served_site):
    requested = []
    page.on("request", lambda r: requested.append(urlparse(r.url).path))
    # when the search engine script ran: it is what needs meta.json
    page.add_init_script("""Object.defineProperty(window, "GongkaiSearch", {configurable: true,
        set: function (v) { window.gkEngineAt = performance.now(); this.gkEngine = v; },
        get: function () { return this.gkEngine; }});""")
    ids = run_search(page, served_site, "宅基地")
    assert ids  # the early answer is the one the search used
    metas = [p for p in requested if p.endswith("/search/idx/meta.json")]
    assert metas == ["/xxgk/search/idx/meta.json"]
    asked = page.evaluate("performance.getEntriesByType('resource')"
                          ".find(e => e.name.endsWith('/search/idx/meta.json')).startTime")
    assert asked < page.evaluate("window.gkEngineAt")


def test_the_search_runs_while_the_theme_stylesheet_is_still_loading(page, served_site):
    """On a slow link the page's stylesheets and theme scripts take longest; the query's index
    files (term shards, postings, result entries) are fetched meanwhile, not after them."""
    held, asked = [], []
    page.route("**/assets/stylesheets/main.*.css", lambda route: held.append(route))
    page.on("request", lambda r: asked.append(urlparse(r.url).path))

    def wait_for(part: str) -> None:
        for _ in range(200):
            if any(re.search(part, p) for p in asked):
                return
            page.wait_for_timeout(50)
        raise AssertionError(f"no request for {part} while the stylesheet was held: {asked}")

    page.goto(f"{served_site}search/?q={quote('宅基地')}", wait_until="commit")
    try:
        wait_for("/search/idx/[0-9a-f]{12}/t/")  # the query's term shards (in the index version's folder)
        wait_for("/search/idx/[0-9a-f]{12}/d/")  # the first results' entries
        assert held, "the stylesheet was not requested before the search began"
        # no result shown yet: the page itself is still loading (search.js has not run)
        assert page.evaluate("(document.getElementById('gk-search') || {dataset: {}}).dataset.state") is None
    finally:
        for route in held:
            route.continue_()
    page.wait_for_selector("#gk-search[data-state=done]")
    assert page.locator(".gk-hit").count() > 0
