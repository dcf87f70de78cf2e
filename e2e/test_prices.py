"""Price lists in the browser: the lobby screen pages through a list by itself, and a phone
finds a price by its pinyin initials.

The list is written into the server's database by a script (the rows as the import leaves
them, taken live through the usual review), under the demo's 医疗服务项目价格 item, whether or
not the demo brings lists of its own."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from .conftest import PHONE, ROOT, SERVER_ENV, screenshot

PREPARE = """
import django
django.setup()
from wagtail.models import Site
from disclosure.models import CatalogItemPage, PriceListPage
from tests.disclosure.price_lists import SERVICES, filler_services, publish_price_list, service_row

site = Site.objects.get(is_default_site=True)
item = CatalogItemPage.objects.descendant_of(site.root_page).get(title="医疗服务项目价格")
page = PriceListPage.objects.child_of(item).filter(slug="e2e-prices").first()
if page is None:
    rows = [service_row(*values) for values in SERVICES] + filler_services(20)
    title = "医疗服务项目价格（浏览器测试）"
    page = publish_price_list(item, rows=rows, slug="e2e-prices", title=title)
print(page.relative_url(site))
"""


@pytest.fixture(scope="module")
def price_list(base_url) -> str:
    """The address of a live list of 27 services (7 real names, 20 fillers)."""
    if not SERVER_ENV:
        pytest.skip("E2E_BASE_URL: the server's database is not ours to write")
    done = subprocess.run(
        [sys.executable, "-c", PREPARE],
        cwd=ROOT,
        env=SERVER_ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_the_lobby_screen_pages_through_the_list_by_itself(page: Page, price_list):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{price_list}screen/?rows=10&interval=2")
    indicator = page.locator("[data-screen-page]")
    expect(indicator).to_have_attribute("data-page-number", "1")
    expect(indicator).to_have_text(re.compile(r"\b1\s*/\s*3\b"))
    expect(page.locator(".dc-screen__table tbody th").first).to_have_text("血常规")
    # No key pressed, no click: the next screenful comes by itself, then the one after.
    expect(indicator).to_have_attribute("data-page-number", "2", timeout=10_000)
    expect(indicator).to_have_text(re.compile(r"\b2\s*/\s*3\b"))
    expect(page.locator(".dc-screen__table tbody th").first).not_to_have_text("血常规")
    expect(indicator).to_have_attribute("data-page-number", "3", timeout=10_000)
    expect(page.locator(".dc-screen__version")).to_contain_text("X医保发〔2026〕12号")
    screenshot(page, "prices_lobby_screen", full_page=False)


def test_a_phone_finds_a_price_by_its_pinyin_initials(phone: Page, price_list):
    phone.goto(price_list)
    phone.fill("#dc-prices-q", "tqfs")
    phone.locator(".dc-prices__form .dc-search-form__row button[type=submit]").click()
    phone.wait_for_url(re.compile(r"[?&]q=tqfs"))
    cards = phone.locator(".dc-prices__table tbody tr")
    expect(cards).to_have_count(1)
    expect(cards.first.locator("th")).to_have_text("调强放射治疗")
    expect(cards.first.locator(".dc-prices__price")).to_have_text("2100.00")
    # A card, not a table squeezed sideways: the header row is hidden, nothing scrolls sideways.
    expect(phone.locator(".dc-prices__table thead")).to_have_css("position", "absolute")
    expect(cards.first.locator(".dc-prices__blank").first).to_be_hidden()  # no 项目内涵 to show
    card = cards.first.bounding_box()
    assert card["width"] <= PHONE["width"]
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    cards.first.scroll_into_view_if_needed()
    screenshot(phone, "prices_phone_search", full_page=False)


def test_the_kiosk_is_searched_with_its_own_keys_and_starts_again_when_left(page: Page, price_list):
    page.set_viewport_size({"width": 1080, "height": 1920})
    page.goto(f"{price_list}kiosk/?idle=5")
    for key in "XCG":
        page.locator(".dc-kiosk__key", has_text=re.compile(f"^{key}$")).click()
    expect(page.locator("[data-kiosk-query]")).to_have_text("XCG")
    expect(page.locator(".dc-screen__table tbody th").first).to_have_text("血常规")
    screenshot(page, "prices_kiosk", full_page=False)
    # Nobody touches it for five seconds: back to the empty query.
    expect(page.locator("[data-kiosk-query]")).to_have_text("", timeout=10_000)
    assert page.url.endswith("kiosk/?idle=5")
