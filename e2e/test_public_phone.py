"""The public side on a phone (390×844, standard and large text): search results before the
filters, wide tables that scroll inside a labelled region, dates that never break, and an
item's publications one tap away from the top of its page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .conftest import PHONE, screenshot

PRICE_ITEM = "/xxgk/医保价格收费/医疗服务项目价格/"
SIZES = pytest.mark.parametrize("large_text", [False, True], ids=["standard", "large-text"])


def _set_text_size(phone: Page, large_text: bool) -> None:
    if large_text:
        phone.goto("/text-size/large/?next=/")
        expect(phone.locator("html")).to_have_class("dc-large-text")


def _shot(phone: Page, name: str, large_text: bool) -> None:
    size = "large" if large_text else "standard"
    screenshot(phone, f"public_phone_{name}_{size}", full_page=False)


def _no_sideways_scroll(phone: Page) -> None:
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{phone.url} scrolls sideways by {overflow}px"


@SIZES
def test_search_results_come_before_the_filters(phone: Page, large_text):
    _set_text_size(phone, large_text)
    phone.goto("/search/?q=收费")
    results = phone.locator(".dc-results__entry")
    filters = phone.locator("details.dc-search-filters")
    expect(results.first).to_be_visible()
    # The first result shows on the first screen; the filters wait, folded, below the list.
    first_box = results.first.bounding_box()
    assert first_box["y"] < PHONE["height"]
    assert filters.bounding_box()["y"] > results.last.bounding_box()["y"]
    expect(filters).not_to_have_attribute("open", "")
    expect(phone.locator("#id_category")).to_be_hidden()
    # The category named by the word comes first, the price lists are found.
    expect(results.first.locator("h3")).to_have_text("医保价格收费")
    expect(phone.locator(".dc-results__title", has_text="药品价格").first).to_be_attached()
    _no_sideways_scroll(phone)
    _shot(phone, "search", large_text)

    # Keyboard order follows: the search button, the results, then the filters.
    phone.locator(".dc-search-form button[type=submit]").focus()
    phone.keyboard.press("Tab")
    focused = phone.evaluate("document.activeElement.closest('.dc-results') !== null")
    assert focused, "Tab from the search button should reach the first result"

    # Unfolded, a filter narrows the same search (its fields belong to the search form).
    filters.locator("summary").click()
    phone.select_option("#id_category", label="医保价格收费")
    filters.get_by_role("button", name="应用筛选").click()
    expect(phone).to_have_url(re.compile(r"q=.*category=\d+"))
    expect(phone.locator("details.dc-search-filters")).to_have_attribute("open", "")
    expect(phone.locator(".dc-results__entry").first).to_be_visible()


def _first_publication_with_a_table(phone: Page) -> None:
    phone.goto(PRICE_ITEM)
    phone.locator(".dc-publications__title").first.click()
    expect(phone.locator(".dc-body table")).to_be_attached()


@SIZES
def test_a_wide_table_scrolls_inside_a_labelled_focusable_region(phone: Page, large_text):
    _set_text_size(phone, large_text)
    _first_publication_with_a_table(phone)
    region = phone.locator(".dc-body .dc-table-scroll")
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_attribute("tabindex", "0")
    assert region.get_attribute("aria-label")
    widths = region.evaluate("node => [node.scrollWidth, node.clientWidth]")
    assert widths[0] > widths[1], f"the price table fits ({widths}): nothing to scroll"
    # The visitor is told; the page itself does not scroll sideways.
    expect(region.locator(".dc-table-scroll__hint")).to_be_visible()
    expect(region.locator(".dc-table-scroll__hint")).to_have_text("左右滑动查看更多")
    _no_sideways_scroll(phone)
    # A keyboard scrolls it too.
    region.focus()
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("node => node.scrollLeft > 0", arg=region.element_handle())
    _shot(phone, "table", large_text)


def test_the_hint_shows_only_where_a_table_overflows(phone: Page):
    """The recruitment positions (three columns) fit a phone: no hint, nothing to scroll."""
    phone.goto("/api/disclosure/v1/publications/?kind=recruitment&limit=1")
    url = phone.evaluate("JSON.parse(document.body.innerText).items[0].url")
    phone.goto(urlsplit(url).path)
    region = phone.locator(".dc-table-scroll", has=phone.locator("table.dc-table"))
    expect(region).to_have_attribute("aria-label", "招聘岗位")
    scroll_width, client_width = region.evaluate("node => [node.scrollWidth, node.clientWidth]")
    if scroll_width > client_width:
        pytest.skip("the positions table overflows at this font size")
    expect(region.locator(".dc-table-scroll__hint")).to_be_hidden()


@SIZES
def test_dates_never_break_and_the_publications_are_one_tap_away(phone: Page, large_text):
    _set_text_size(phone, large_text)
    phone.goto(PRICE_ITEM)
    # The link to the publications shows on the first screen, above the item's facts.
    jump = phone.get_by_role("link", name="本栏目公开信息")
    expect(jump).to_be_visible()
    assert jump.bounding_box()["y"] < PHONE["height"]
    assert jump.inner_text().startswith("本栏目公开信息（")

    # The table of periods scrolls in its own region; no date in it is broken over two lines.
    dates = phone.locator(".dc-item-periods time")
    assert dates.count() > 4
    lines = dates.evaluate_all(
        "nodes => nodes.map(node => [node.textContent, node.getClientRects().length])"
    )
    broken = [text for text, rects in lines if rects != 1]
    assert not broken, f"dates broken over lines: {broken}"
    heights = dates.evaluate_all("nodes => nodes.map(node => node.getBoundingClientRect().height)")
    line_height = phone.locator(".dc-item-periods td").first.evaluate(
        "node => parseFloat(getComputedStyle(node).lineHeight)"
    )
    assert max(heights) <= line_height * 1.2
    _no_sideways_scroll(phone)

    jump.click()
    heading = phone.locator("#dc-publications-heading")
    expect(heading).to_be_in_viewport()
    expect(phone.locator(".dc-publications__entry").first).to_be_in_viewport()
    _shot(phone, "item", large_text)
