"""No layout shift (issue 30): nothing on screen moves once shown, on a phone and a desktop,
in both modes: not when gongkai-a11y.js shows the 长者版 button or the menu button, not when
the search results arrive (their room is kept from the first paint)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from browser_fixtures import DESKTOP

PHONE = {"width": 360, "height": 640}
#: Lighthouse shows CLS to three decimals: below this it reports 0 (a date field's own inner
#: parts sometimes settle by a pixel in 长者版, 0.0001); the shifts fixed were 0.01 to 0.37
ZERO = 0.001
#: every layout-shift entry of the page, from its start (buffered), with what moved
RECORD = """window.gkShifts = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) {
    if (!e.hadRecentInput) window.gkShifts.push([e.value, e.sources.map(function (s) {
      return (s.node ? (s.node.id || s.node.className || s.node.nodeName) : "?") + " " +
        JSON.stringify(s.previousRect) + " -> " + JSON.stringify(s.currentRect); })]);
  });
}).observe({type: "layout-shift", buffered: true});"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_pages_do_not_shift(open_tab, served_site, viewport, elder):
    page = open_tab(viewport=viewport, elder=elder).page
    page.add_init_script(RECORD)
    for path in ["", "items/002501001/2025-00007/", "catalogue/zcwj/"]:
        page.goto(served_site + path, wait_until="load")
        assert total(page) < ZERO, (path, page.evaluate("window.gkShifts"))
    page.goto(f"{served_site}search/?q={quote('低保')}")
    page.wait_for_selector("#gk-search[data-state=done]")
    assert page.locator(".gk-hit").count() > 0
    assert total(page) < ZERO, page.evaluate("window.gkShifts")


def total(page) -> float:
    return page.evaluate("window.gkShifts.reduce(function (s, e) { return s + e[0]; }, 0)")


def test_the_check_sees_a_shift(open_tab, served_site):
    """The recorder is not blind: a block pushed in above the content is a shift."""
    page = open_tab(viewport=PHONE).page
    page.add_init_script(RECORD)
    page.goto(served_site, wait_until="load")
    page.evaluate("""new Promise(function (done) {
        var p = document.createElement("p"); p.style.height = "200px";
        document.querySelector(".md-content").prepend(p);
        requestAnimationFrame(function () { requestAnimationFrame(done); }); })""")
    page.wait_for_function("window.gkShifts.length > 0")
