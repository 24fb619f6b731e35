"""Every page carries a Content-Security-Policy that lets its own scripts run and nothing else.

The sample site, served on loopback: search still answers and the 长者版 switch still works
under the policy (each page firing no ``securitypolicyviolation`` event is walked in
test_browser_payloads.py, on the sample with payloads in its names). Then a
site whose item body carries an inline handler and an inline script, built with the HTML judge
switched off (a test-only switch): the page's policy alone keeps both from running.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from urllib.parse import quote

import pytest
from conftest import QuietHandler, copy_project, mkdocs_build

from gongkai.guards.markup import TEST_SWITCH_OFF

#: collects every violation the page reports, from the first script on
WATCH = ("window.__csp = [];"
         "document.addEventListener('securitypolicyviolation', e =>"
         " window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sample));")
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def _policy(html: str) -> dict[str, list[str]]:
    match = META.search(html)
    assert match, "no CSP <meta>"
    return {d.split()[0]: d.split()[1:] for d in match.group(1).split("; ")}


def test_every_page_has_a_strict_policy_before_any_script(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 150
    for path in pages:
        html = path.read_text(encoding="utf-8")
        policy = _policy(html)
        assert html.index("Content-Security-Policy") < html.index("<script"), path
        assert policy["default-src"] == ["'none'"] and policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
        assert policy["img-src"] == ["'self'", "data:"] and policy["style-src"] == ["'self'"]
        scripts = policy["script-src"]
        assert scripts[:2] == ["'self'", "'report-sample'"], path
        assert len(scripts) > 2 and all(s.startswith("'sha256-") for s in scripts[2:]), path
        assert "'unsafe-inline'" not in str(policy) and "'unsafe-eval'" not in str(policy)


# That no page fires a violation is proved on every page of the sample with payloads in its
# names (test_browser_payloads.test_no_payload_runs_and_no_page_violates_its_policy): one walk
# of every page in Chromium, not two.


def test_search_and_the_elder_switch_work_under_the_policy(served_site, open_tab):
    tab = open_tab()
    tab.page.add_init_script(WATCH)
    tab.page.goto(f"{served_site}search/?q={quote('宅基地')}")
    tab.page.wait_for_selector("#gk-search[data-state=done]")
    assert tab.page.locator(".gk-hit").count() > 0
    tab.page.click("#gk-elder-toggle")
    assert tab.page.evaluate("document.documentElement.classList.contains('gk-elder')")
    tab.page.goto(f"{served_site}guide/")  # the choice follows the visitor, set from <head>
    assert tab.page.evaluate("document.documentElement.classList.contains('gk-elder')")
    assert tab.page.evaluate("window.__csp") == []


PLANTED = ('<p>附表见下。</p>\n\n<img src="data:," alt="" onerror="window.gkPwned = (window.gkPwned || 0) + 1">\n\n'
           '<script>window.gkPwned = (window.gkPwned || 0) + 10</script>\n')


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("csp-payload")
    # the planted item alone: its page, under the sample's templates and policy, is what is opened
    project = copy_project(root / "p", with_content=False)
    (project / "content" / "zfb" / "2025").mkdir(parents=True)
    (project / "content" / "zfb" / "2025" / "payload-csp.md").write_text(
        "---\n索引号: 002501001/2025-00990\n标题: 关于附表的说明\n发布机构: 002501001\n目录: qtwj\n"
        "成文日期: 2025-03-01\n发布日期: 2025-03-02\n主题词: [综合政务]\n"
        "审查:\n  审查人: 王丽\n  审查日期: 2025-03-02\n  审查结果: 同意公开\n---\n" + PLANTED,
        encoding="utf-8")
    out = root / "docroot" / "xxgk"
    with pytest.MonkeyPatch.context() as env:
        env.setenv(TEST_SWITCH_OFF, "1")
        mkdocs_build(project, out)
    handler = functools.partial(QuietHandler, directory=str(root / "docroot"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}/xxgk/"
    server.shutdown()


def test_a_planted_handler_is_blocked_by_the_policy_alone(payload_site, open_tab):
    out, base = payload_site
    page = next(p for p in out.rglob("*.html") if "gkPwned" in p.read_text(encoding="utf-8"))
    html = page.read_text(encoding="utf-8")
    assert 'onerror="window.gkPwned' in html and "<script>window.gkPwned" in html  # the judge was off
    tab = open_tab()
    tab.log.expected = True  # the blocked handler and script are reported as console errors
    tab.page.add_init_script(WATCH)
    # the broken image's error event fires after load; the violation report is the event to wait for
    with tab.page.expect_console_message(lambda m: "inline event handler" in m.text):
        tab.page.goto(base + page.relative_to(out).parent.as_posix() + "/")
    tab.page.wait_for_function("() => window.__csp.length >= 2")
    assert tab.page.evaluate("window.gkPwned") is None
    violations = tab.page.evaluate("window.__csp")
    # the handler and the script, each quoted (the report's sample is its first 40 characters),
    # and nothing else on the page
    assert sorted(violations) == ["script-src-attr inline window.gkPwned = (window.gkPwned || 0) +",
                                  "script-src-elem inline window.gkPwned = (window.gkPwned || 0) +"]
