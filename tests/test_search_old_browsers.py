"""The search page never goes blank (issue 30): in a browser without fetch or URLSearchParams,
or one that cannot parse a script, the page shows the query and what to do instead."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

QUERY = "低保怎么申请"
MESSAGE = "您的浏览器无法运行本站搜索"


def assert_message_and_query(page, base: str) -> None:
    status = page.locator("#gk-search-status")
    assert status.is_visible()
    assert MESSAGE in status.inner_text()
    link = status.locator("a", has_text="法定主动公开内容")
    assert link.get_attribute("href") == "../catalogue/"
    assert page.input_value("#gk-q") == QUERY
    assert page.locator(".gk-hit").count() == 0


def test_without_fetch_and_urlsearchparams(page, served_site):
    page.add_init_script("delete window.fetch; delete window.URLSearchParams;")
    page.goto(f"{served_site}search/?q={quote(QUERY)}")
    page.wait_for_selector("#gk-search[data-state=error]", state="attached")
    assert_message_and_query(page, served_site)


@pytest.mark.parametrize("script", ["engine.js", "search.js", "tokens.js"])
def test_a_script_the_browser_cannot_parse(tab, served_site, script):
    """An engine older than the script (here: a syntax error in it) runs nothing of it."""
    tab.log.expected = True  # the SyntaxError is the point
    page = tab.page
    # pages load the content-hashed copy (gongkai.deploy.fingerprint): engine.1a2b3c4d.js
    stem = script.removesuffix(".js")
    page.route(re.compile(rf"/assets/search/{stem}(\.[0-9a-f]{{8}})?\.js(\?.*)?$"), lambda route: route.fulfill(
        status=200, content_type="text/javascript", body="(function () { var o = {[k]: ; })();"))
    page.goto(f"{served_site}search/?q={quote(QUERY)}", wait_until="load")
    assert any("SyntaxError" in e or "Unexpected" in e for e in tab.log.console_errors), tab.log.console_errors
    assert_message_and_query(page, served_site)


def test_without_urlsearchparams_the_search_still_runs(page, served_site):
    """Chrome 42–48 have fetch but no URLSearchParams: the page reads its URL itself."""
    page.add_init_script("delete window.URLSearchParams;")
    page.goto(f"{served_site}search/?q={quote(QUERY)}&sort=date")
    page.wait_for_selector("#gk-search[data-state=done]")
    assert page.locator(".gk-hit").count() > 0
    assert "找到" in page.inner_text("#gk-search-status")
    assert MESSAGE not in page.inner_text("#gk-search-status")
    # the links the page writes keep the query: relevance order again
    page.locator("#gk-search-sort a", has_text="相关度").click()
    page.wait_for_selector("#gk-search[data-state=done]")
    assert "sort=" not in page.url and page.input_value("#gk-q") == QUERY
