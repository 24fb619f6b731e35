"""Accessibility in a real browser: axe-core, keyboard, screen-reader structure, 长者版.

axe-core comes bundled in the axe-playwright-python wheel and is injected into
the page under test; nothing is fetched. Pages are served on loopback under
/xxgk/; the ``open_tab`` fixture also fails a test on any foreign request,
console error, pop-up or dialog.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_fixtures import DESKTOP, ELDER_KEY, PHONE

#: pages axe must pass: one line per page. "{item}" is a document with a body
#: table and related links, found in the sample.
AXE_PAGES = [
    "",                          # home
    "guide/",                    # 政府信息公开指南
    "catalogue/",                # 法定主动公开内容
    "catalogue/gfxwj/",          # a category with a document list
    "{item}",                    # a document page
    "agency/cgj/",               # an agency: contacts, document list, pager
    "annual/",                   # 政府信息公开年报: the list of years
    "annual/2025/",              # the latest finished year's report: the big tables
    "annual/2025/statistics/",   # charts: each needs a text alternative
    "apply/",                    # 依申请公开
    "accessibility/",            # 无障碍说明
    "search/?q=低保",            # search results with facets and highlights
]
#: what fails the build (axe impact levels)
BLOCKING = {"serious", "critical"}

FOCUSABLE = ("a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), "
             "select, textarea, [tabindex]:not([tabindex='-1'])")


@pytest.fixture(scope="module")
def item_url(built_site: Path) -> str:
    """A document page with a Markdown table in its body and related links."""
    for path in sorted(built_site.glob("items/*/*/index.html")):
        html = path.read_text("utf-8")
        if "<table>" in html and "gk-related" in html:
            return path.parent.relative_to(built_site).as_posix() + "/"
    pytest.fail("the sample has no document with a body table and related links")


@pytest.fixture(scope="module")
def wide_item_url(built_site: Path) -> str:
    """The document whose body table has the most columns: it overflows a phone."""
    pages = sorted(built_site.glob("items/*/*/index.html"))
    widest = max(pages, key=lambda p: p.read_text("utf-8").count('<th scope="col">'))
    return widest.parent.relative_to(built_site).as_posix() + "/"


def _resolve(url: str, item_url: str, built_site: Path) -> str:
    url = url.format(item=item_url)
    if not (built_site / url.split("?")[0] / "index.html").exists():
        pytest.fail(f"/{url} is not in the built site")
    return url


def _axe(page, **options) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, options=options or None).response["violations"]


def _describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — "
                     + ", ".join(str(n["target"]) for n in v["nodes"][:3]) for v in violations)


@pytest.mark.parametrize("url", AXE_PAGES)
def test_axe_finds_no_serious_violation_and_tables_and_charts_are_described(
        page, served_site, built_site, item_url, url):
    """axe-core finds nothing serious or critical. Beyond axe (one page visit, two
    checks): every table header cell has a scope; every image has alt text; every
    chart (svg/canvas) in the content is named or is decoration hidden from
    screen readers."""
    page.goto(served_site + _resolve(url, item_url, built_site))
    if url.startswith("search/"):  # results are rendered in the page: check them, not a spinner
        page.wait_for_selector("#gk-search[data-state=done]")
        assert page.locator(".gk-hit").count() >= 1
    violations = [v for v in _axe(page) if v["impact"] in BLOCKING]
    assert violations == [], _describe(violations)
    _check_described(page, url)


@pytest.mark.parametrize("url", ["", "{item}"])
def test_axe_on_a_phone_in_elder_mode(open_tab, served_site, built_site, wide_item_url, url):
    """Large text on a narrow screen: tables scroll inside a keyboard-reachable region."""
    page = open_tab(viewport=PHONE, elder=True).page
    page.goto(served_site + _resolve(url, wide_item_url, built_site))
    page.wait_for_load_state("load")
    violations = [v for v in _axe(page) if v["impact"] in BLOCKING]
    assert violations == [], _describe(violations)
    if url:  # the wide table really is a named, focusable scrolling region
        assert page.locator("[role=region][tabindex='0'][aria-label] table").count() >= 1


@pytest.mark.parametrize("url", ["", "catalogue/gfxwj/", "{item}", "annual/2025/statistics/"])
def test_elder_mode_meets_enhanced_contrast(open_tab, served_site, built_site, item_url, url):
    """长者版 is high contrast: every text passes WCAG's 7:1 (AAA), not just 4.5:1."""
    page = open_tab(elder=True).page
    page.goto(served_site + _resolve(url, item_url, built_site))
    assert page.evaluate("document.documentElement.classList.contains('gk-elder')")
    violations = _axe(page, runOnly={"type": "rule", "values": ["color-contrast-enhanced"]})
    assert violations == [], _describe(violations)


def test_enhanced_contrast_check_catches_grey_text(open_tab, served_site):
    """Counter-check for the test above: grey text in 长者版 fails (3.4:1: enough for large text under AA, not AAA)."""
    page = open_tab(elder=True).page
    page.goto(served_site)
    page.evaluate("""() => { const p = document.createElement('p'); p.id = 'gk-grey';
        p.textContent = '灰色文字'; p.style.color = '#8a8a8a';
        document.querySelector('article').append(p); }""")
    violations = _axe(page, runOnly={"type": "rule", "values": ["color-contrast-enhanced"]})
    assert [n["target"] for v in violations for n in v["nodes"]] == [["#gk-grey"]]


def _check_described(page, url: str) -> None:
    headers = page.locator("article th")
    without = page.locator("article th:not([scope])")
    if url == "{item}":
        assert page.locator("article table:not(.gk-meta) th").count() > 0
    assert without.count() == 0, [without.nth(i).inner_text() for i in range(without.count())]
    for value in {headers.nth(i).get_attribute("scope") for i in range(headers.count())}:
        assert value in ("col", "row", "colgroup", "rowgroup")

    unnamed = page.evaluate("""() => {
        const bad = [];
        for (const img of document.querySelectorAll('article img'))
            if (!img.hasAttribute('alt')) bad.push('img ' + img.src);
        for (const el of document.querySelectorAll('article svg, article canvas')) {
            if (el.closest('[aria-hidden="true"]')) continue;
            const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
            const labelled = ids.length && ids.every(id => {
                const ref = document.getElementById(id); return ref && ref.textContent.trim(); });
            const named = (el.getAttribute('aria-label') || '').trim() || labelled
                || (el.tagName === 'svg' && el.querySelector(':scope > title'))
                || (el.tagName === 'CANVAS' && el.textContent.trim());
            if (!named) bad.push(el.tagName + ' ' + (el.id || el.className.baseVal || el.className));
        }
        return bad;
    }""")
    assert unnamed == []
    if "statistics" in url:  # the charts are there, and named
        assert page.locator("article svg[role=img][aria-labelledby], article svg[role=img][aria-label]").count() >= 1


def _tab_through(page, limit: int = 400) -> list[dict]:
    """Press Tab until focus comes back round; return what had focus each time."""
    stops: list[dict] = []
    outside = 0
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const style = getComputedStyle(el);
            return {key: el.dataset.gkKey || el.outerHTML.slice(0, 120), text: (el.innerText || '').trim().slice(0, 30),
                    outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                    shadow: style.boxShadow};
        }""")
        if info is None:  # focus left the page (browser UI); the next Tab comes back
            outside += 1
            if outside > 2:
                break
            continue
        if stops and info["key"] == stops[0]["key"]:
            break
        stops.append(info)
    return stops


@pytest.mark.parametrize("url", ["", "{item}", "annual/2025/statistics/"])
def test_keyboard_reaches_every_control_with_visible_focus(page, served_site, built_site,
                                                           item_url, url):
    page.goto(served_site + _resolve(url, item_url, built_site))
    page.wait_for_load_state("load")
    visible = page.evaluate(f"""() => [...document.querySelectorAll({FOCUSABLE!r})]
        .filter(el => el.getClientRects().length && !el.closest('[hidden]')
                && getComputedStyle(el).visibility !== 'hidden')
        .map((el, i) => {{ el.dataset.gkKey = 'k' + i; return [el.dataset.gkKey, el.outerHTML.slice(0, 120)]; }})""")
    stops = _tab_through(page)
    reached = {s["key"] for s in stops}
    missed = [html for key, html in visible if key not in reached]
    assert missed == []
    assert stops[0]["text"] == "跳到主要内容"
    assert "长者版" in stops[1]["text"]
    no_ring = [s["text"] or s["key"] for s in stops
               if not (s["outline"] != "none" and s["width"] >= 2) and s["shadow"] == "none"]
    assert no_ring == []


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_keyboard_on_a_phone_never_loses_focus_off_screen(open_tab, served_site, elder):
    """At 360 px the navigation lives in a drawer: closed, it takes no focus; the
    menu button opens it from the keyboard; Escape closes it again."""
    page = open_tab(viewport=PHONE, elder=elder).page
    page.goto(served_site + "catalogue/")
    page.wait_for_load_state("load")
    stops = []
    for _ in range(12):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("""() => { const el = document.activeElement;
            const r = el.getBoundingClientRect();
            return {text: (el.getAttribute('aria-label') || el.innerText || '').trim(),
                    left: r.left, right: r.right, width: r.width}; }"""))
    off_screen = [s["text"] for s in stops
                  if s["width"] == 0 or s["right"] <= 0 or s["left"] >= PHONE["width"]]
    assert off_screen == []
    assert [s["text"][:3] for s in stops[:4]] == ["跳到主", "长者版", "无障碍", "导航菜"]

    menu = page.get_by_role("button", name="导航菜单")
    menu.focus()
    assert menu.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")
    annual = page.locator(".md-sidebar--primary").get_by_role("link", name="政府信息公开年报")
    for _ in range(10):
        if page.evaluate("document.activeElement.textContent.trim()") == "政府信息公开年报":
            break
        page.keyboard.press("Tab")
    assert annual.evaluate("el => el === document.activeElement")
    page.wait_for_timeout(400)  # the drawer slides in
    assert annual.evaluate("el => el.getBoundingClientRect().left >= 0")
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "导航菜单"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.startswith(served_site)


def test_skip_link_moves_focus_to_the_content(page, served_site, item_url):
    page.goto(served_site + item_url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    assert page.locator(".gk-skip").is_visible()  # shown once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "gk-main"
    page.keyboard.press("Tab")  # the next stop is inside the article, past header and bar
    assert page.evaluate("!!document.activeElement.closest('article')")


def _body_text_metrics(page) -> dict:
    return page.evaluate("""() => {
        const ps = [...document.querySelectorAll('article p')].filter(p => p.getClientRects().length);
        const [a, b] = ps.filter((p, i) => ps[i + 1] && p.nextElementSibling === ps[i + 1]);
        const s = getComputedStyle(a);
        const line = parseFloat(s.lineHeight);
        const bA = a.getBoundingClientRect(), bB = a.nextElementSibling.getBoundingClientRect();
        return {font: parseFloat(s.fontSize), line, gap: bB.top - bA.bottom};
    }""")


def test_elder_mode_switch_is_remembered_across_pages(open_tab, served_site, item_url):
    tab = open_tab()
    page = tab.page
    page.goto(served_site)
    toggle = page.get_by_role("button", name="长者版")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.evaluate(f"localStorage.getItem('{ELDER_KEY}')") == "1"

    with page.expect_navigation():  # a link, not a reload: the next page remembers
        page.get_by_role("link", name="法定主动公开内容").first.click()
    assert page.evaluate("document.documentElement.classList.contains('gk-elder')")
    assert page.get_by_role("button", name="长者版").get_attribute("aria-pressed") == "true"
    page.goto(served_site + item_url)
    assert page.get_by_role("button", name="长者版").get_attribute("aria-pressed") == "true"

    # switched off by keyboard alone, and stays off
    page.get_by_role("button", name="长者版").focus()
    page.keyboard.press("Enter")
    assert not page.evaluate("document.documentElement.classList.contains('gk-elder')")
    page.goto(served_site)
    assert page.get_by_role("button", name="长者版").get_attribute("aria-pressed") == "false"
    assert tab.log.popups == [] and tab.log.dialogs == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_elder_mode_text_size_and_spacing(open_tab, served_site, item_url, viewport):
    """适老化: main text at least 18 pt (24 px), line spacing at least 1.3, and the
    step from one paragraph to the next at least 1.3 line spacings."""
    standard = open_tab(viewport=viewport).page
    standard.goto(served_site + item_url)
    before = _body_text_metrics(standard)
    elder = open_tab(viewport=viewport, elder=True).page
    elder.goto(served_site + item_url)
    after = _body_text_metrics(elder)

    assert before["font"] < 24 <= after["font"]
    assert after["line"] >= 1.3 * after["font"]
    assert after["line"] + after["gap"] >= 1.3 * after["line"]
    # the larger text still fits: the catalogue box needs no sideways scrolling
    assert elder.evaluate("""() => { const w = document.querySelector('.gk-meta').parentElement;
        return w.scrollWidth <= w.clientWidth; }""")
    # tables and crumbs grow too, not just paragraphs
    for selector in ("article table:not(.gk-meta) td", ".gk-meta td", ".gk-crumbs"):
        size = elder.evaluate(f"parseFloat(getComputedStyle(document.querySelector({selector!r})).fontSize)")
        assert size >= 24, selector


def test_every_page_offers_elder_mode_and_accessibility_help(built_site):
    pages = sorted(built_site.glob("**/index.html"))
    assert len(pages) > 50
    missing = [p.relative_to(built_site).as_posix() for p in pages
               if 'id="gk-elder-toggle"' not in (html := p.read_text("utf-8"))
               or "无障碍说明</a>" not in html or 'href="#gk-main"' not in html]
    assert missing == []
    help_page = (built_site / "accessibility" / "index.html").read_text("utf-8")
    for text in ("<h1>无障碍说明</h1>", "长者版", "Tab", "0571-65000000"):  # phone: catalog/site.yml
        assert text in help_page
