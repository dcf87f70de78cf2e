"""What a visitor does on the public site, in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import DEMO_PASSWORD, screenshot

VALID_ID = "11010519491231002X"
STAFF_ONLY_ITEM = "/xxgk/院务公开/药械采购计划/"


def test_a_visitor_submits_a_request_and_tracks_it(page: Page):
    page.goto("/xxgk/ysq/")
    page.locator("main").get_by_role("link", name=re.compile("申请")).first.click()
    page.select_option("#id_applicant_type", "natural_person")
    page.fill("#id_name", "李四")
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_id_number", VALID_ID)
    page.fill("#id_phone", "13912345678")
    page.fill("#id_email", "lisi@example.com")
    page.fill("#id_description", "2025年度医疗服务项目价格调整的依据文件。")
    page.fill("#id_purpose", "自身生活需要")
    page.select_option("#id_provision_form", "email")
    page.select_option("#id_delivery", "email")
    page.locator("form.dc-form button[type=submit]").click()

    expect(page.locator("h1")).to_contain_text("已收到")
    number = page.locator(".dc-receipt__number").inner_text()
    code = page.locator(".dc-receipt__code").inner_text()
    assert re.fullmatch(r"YSQ-\d{4}-\d{6}", number)

    page.get_by_role("link", name="办理进度查询").click()
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#dc-case-heading")).to_have_text(number)
    expect(page.locator("main")).to_contain_text("登记")


def test_a_wrong_lookup_code_finds_nothing(page: Page):
    page.goto("/xxgk/ysq/track/")
    page.fill("#id_number", "YSQ-2026-000001")
    page.fill("#id_code", "AAAAAAAA")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("alert")).to_be_visible()


def test_a_staff_only_page_asks_for_login_and_shows_to_staff(page: Page):
    page.goto(STAFF_ONLY_ITEM)
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    expect(page.locator("input[type=password]")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("药械采购计划")

    page.fill("#id_username", "medical-editor")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("药械采购计划")


def test_search_finds_a_word_inside_chinese_text_and_marks_it(page: Page):
    page.goto("/")
    page.fill("#site-search-q", "招标公告")
    page.keyboard.press("Enter")
    expect(page.locator("#dc-results-heading")).to_contain_text("招标公告")
    first = page.locator(".dc-results__entry").first
    expect(first.locator("mark").first).to_have_text("招标公告")
    first.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text("招标公告")


def test_the_traditional_switch_renders_the_site_in_traditional_characters(page: Page):
    page.goto("/search/?q=收费")
    page.locator(".script-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(page.locator("#dc-results-heading")).to_contain_text("收費")
    page.fill("#id_q", "招標公告")
    page.locator(".dc-search-form button[type=submit]").click()
    expect(page.locator(".dc-results__entry").first.locator("mark").first).to_have_text("招標公告")
    screenshot(page, "public_search_traditional", full_page=False)
    page.locator(".script-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")


def test_the_public_site_fits_a_phone(phone: Page):
    for path in ("/", "/xxgk/", "/xxgk/ysq/", "/search/?q=价格"):
        phone.goto(path)
        expect(phone.locator("main")).to_be_visible()
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        if path == "/xxgk/":
            screenshot(phone, "public_phone_catalog", full_page=False)
