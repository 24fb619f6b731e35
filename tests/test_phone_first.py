"""Phone-first pages (issue 30): on a 360×640 phone an item's title and date are on the first
screen, in the normal layout and in 长者版, and a category shows its items before its
标准目录要素 table."""

from __future__ import annotations

import pytest

PHONE = {"width": 360, "height": 640}
ITEM = "items/002501001/2025-00014/"  # the sample's longest title (44 characters)


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_an_items_title_and_date_are_on_the_first_screen(open_tab, served_site, elder):
    page = open_tab(viewport=PHONE, elder=elder).page
    page.goto(served_site + ITEM)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.classList.contains('gk-elder')") == elder
    for selector in [".gk-item-top > h1", ".gk-byline time"]:
        box = page.locator(selector).bounding_box()
        assert box is not None and box["height"] > 0, selector
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], (selector, box)
    byline = page.inner_text(".gk-byline")
    assert "青禾县人民政府办公室" in byline and "2025-11-28" in byline
    # the 信息索引 box follows the title, label and value side by side
    meta = page.locator("table.gk-meta").bounding_box()
    assert meta["y"] > page.locator(".gk-item-top > h1").bounding_box()["y"]
    th = page.locator("table.gk-meta th", has_text="索引号").bounding_box()
    td = page.locator("table.gk-meta td", has_text="002501001/2025-00014").bounding_box()
    assert abs(th["y"] - td["y"]) < 2 and td["x"] > th["x"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_a_categorys_items_come_before_its_catalogue_table(open_tab, served_site, elder):
    page = open_tab(viewport=PHONE, elder=elder).page
    page.goto(served_site + "catalogue/zcwj/")
    page.wait_for_load_state("load")
    first_item = page.locator("table.gk-list tbody tr").first.bounding_box()
    elements = page.locator("table.gk-elements").bounding_box()
    assert first_item["y"] < elements["y"]
    if not elder:
        assert first_item["y"] < PHONE["height"]


def test_the_desktop_keeps_the_index_box_above_the_title(open_tab, served_site):
    page = open_tab().page
    page.goto(served_site + ITEM)
    assert page.locator("table.gk-meta").bounding_box()["y"] < page.locator(".gk-item-top > h1").bounding_box()["y"]
    assert not page.locator(".gk-byline").is_visible()
