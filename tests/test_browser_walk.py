"""What a citizen does in a real browser: walk the site, read it on a phone, print it.

The sample site is served on loopback under /xxgk/; the ``open_tab`` fixture
fails any test whose pages request another host, log a console error, get an
HTTP error, open a pop-up or a dialog.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_fixtures import PHONE

#: the pages a phone reader must be able to read without scrolling sideways
KEY_PAGES = ["", "guide/", "rules/", "catalogue/", "catalogue/zcwj/", "catalogue/gfxwj/",
             "catalogue/zcjd/", "agency/cgj/", "library/", "annual/", "annual/2025/",
             "annual/2025/statistics/", "apply/", "accessibility/"]
#: the page citizens print: the latest finished year's annual report
ANNUAL_REPORT = "annual/2025/"

SIDEWAYS = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def follow(page, link) -> None:
    """Click a link as a visitor does and wait for the next page to load."""
    with page.expect_navigation():
        link.click()


def _item_pages(built_site: Path) -> list[str]:
    return sorted(p.parent.relative_to(built_site).as_posix() + "/"
                  for p in built_site.glob("items/*/*/index.html"))


@pytest.fixture(scope="module")
def phone_pages(built_site) -> list[str]:
    """Key pages plus the items most likely to be wide: long titles, body tables."""
    items = _item_pages(built_site)
    with_tables = [u for u in items if "<table>" in (built_site / u / "index.html").read_text("utf-8")]
    longest = max(items, key=lambda u: len((built_site / u / "index.html").read_text("utf-8")))
    return KEY_PAGES + with_tables[:3] + [longest]


def test_walk_home_to_a_related_item_and_back(page, page_log, served_site):
    page.goto(served_site)
    assert page.locator("h1").first.inner_text() == "青禾县人民政府信息公开"

    follow(page, page.get_by_role("link", name="法定主动公开内容").first)
    assert page.url == served_site + "catalogue/"
    assert page.locator("h1").inner_text() == "法定主动公开内容"

    follow(page, page.locator("article").get_by_role("link", name="行政规范性文件", exact=True))
    assert page.url == served_site + "catalogue/gfxwj/"
    rows = page.locator("table.gk-list tbody tr")
    assert rows.count() >= 1

    # the first document in the list that has a 政策解读 linked to it
    for index in range(rows.count()):
        page.goto(served_site + "catalogue/gfxwj/")
        link = page.locator("table.gk-list tbody tr").nth(index).get_by_role("link")
        title = link.inner_text()
        follow(page, link)
        assert page.locator("article h1").inner_text() == title
        interpretation = page.locator(".gk-related li", has_text="政策解读：").get_by_role("link")
        if interpretation.count():
            break
    else:
        pytest.fail("no 行政规范性文件 in the sample links to a 政策解读")
    document_url = page.url
    interpretation_title = interpretation.first.inner_text()
    follow(page, interpretation.first)
    assert page.locator("article h1").inner_text() == interpretation_title
    assert page.locator(".gk-meta").get_by_text(interpretation_title).count() == 1

    # … and the interpretation links back to the document it explains
    follow(page, page.locator(".gk-related li", has_text="解读的文件（原文）").get_by_role("link"))
    assert page.url == document_url
    assert page.locator("article h1").inner_text() == title

    # the crumbs lead home again
    follow(page, page.locator(".gk-crumbs").get_by_role("link", name="首页"))
    assert page.url == served_site
    assert page_log.requests and not page_log.foreign_requests
    assert not page_log.console_errors


def test_search_from_the_header_and_open_a_result(open_tab, served_site):
    """On a phone: type in the header box, read the results, open one."""
    page = open_tab(viewport=PHONE).page
    page.goto(served_site + "catalogue/")
    page.fill("#gk-header-q", "低保")
    with page.expect_navigation():
        page.press("#gk-header-q", "Enter")
    page.wait_for_selector("#gk-search[data-state=done]")
    assert page.url.startswith(served_site + "search/?q=")
    width, client = page.evaluate(SIDEWAYS)
    assert width <= client, f"search results scroll sideways on a phone: {width} > {client}"
    marks = page.locator(".gk-hit").first.locator("mark")
    assert "低保" in marks.all_inner_texts()  # the hit shows where the word was found
    first = page.locator(".gk-hit__title a").first
    title = first.inner_text()
    follow(page, first)
    assert page.url.startswith(served_site + "items/")
    assert page.locator("article h1").inner_text() == title


def test_a_foreign_request_is_caught(open_tab, served_site):
    """The guard itself: a page that pulls a font from another host is reported."""
    tab = open_tab()
    tab.log.expected = True
    tab.page.goto(served_site)
    with tab.page.expect_request("https://fonts.googleapis.com/**"):  # the event, not a time
        tab.page.evaluate("""() => { const l = document.createElement('link'); l.rel = 'stylesheet';
            l.href = 'https://fonts.googleapis.com/css?family=Roboto'; document.head.append(l); }""")
    assert tab.log.foreign_requests == ["https://fonts.googleapis.com/css?family=Roboto"]
    assert any("fonts.googleapis.com" in p for p in tab.log.problems())


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_no_page_scrolls_sideways_on_a_phone(open_tab, served_site, phone_pages, elder):
    tab = open_tab(viewport=PHONE, elder=elder)
    wide = {}
    for url in phone_pages:
        tab.page.goto(served_site + url)
        scroll_width, client_width = tab.page.evaluate(SIDEWAYS)
        assert client_width == PHONE["width"]
        if scroll_width > client_width:
            wide[url] = scroll_width
    assert wide == {}, f"pages wider than {PHONE['width']} px"


def test_print_the_annual_report_to_pdf(page, served_site):
    """A citizen prints the annual report to PDF: text and tables, no site chrome."""
    url = ANNUAL_REPORT
    page.goto(served_site + url)
    title = page.title()
    page.emulate_media(media="print")
    for chrome in (".md-header", ".gk-a11y-bar", ".md-sidebar--primary", ".md-footer"):
        assert not page.locator(chrome).first.is_visible(), f"{chrome} is printed"
    assert page.locator("article h1").is_visible()
    tables = page.locator("article table")
    assert tables.count() >= 4  # 二's tables, 三 and 四
    assert all(tables.nth(i).is_visible() for i in range(tables.count()))
    # on A4 paper (less margins) no table is cut off inside a scrolling box
    page.set_viewport_size({"width": 700, "height": 1000})
    clipped = page.evaluate("""() => [...document.querySelectorAll('article table')]
        .filter(t => { for (let el = t.parentElement; el && el.tagName !== 'ARTICLE'; el = el.parentElement)
                           if (el.scrollWidth > el.clientWidth + 1) return true;
                       return false; })
        .map(t => t.caption ? t.caption.textContent : t.className)""")
    assert clipped == []

    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages >= 2  # six sections and four tables do not fit on one sheet
    # the PDF carries the page's title, so a saved file says what it is
    match = re.search(rb"/Title\s*<FEFF([0-9A-F]+)>", pdf)
    assert match, "PDF has no title"
    assert bytes.fromhex(match[1].decode()).decode("utf-16-be") == title
