"""Accessibility of every public page type: axe-core (from the npm registry) run in the browser,
no serious or critical violation; and the main flows by keyboard alone."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def _api_path(base_url: str, query: str) -> str:
    """The path of the first publication the disclosure API lists for ``query``."""
    with urllib.request.urlopen(f"{base_url}/api/disclosure/v1/{query}", timeout=10) as answer:  # noqa: S310
        item = json.load(answer)["items"][0]
    return urllib.parse.urlsplit(item["url"]).path


@pytest.fixture(scope="module")
def public_pages(base_url) -> dict[str, str]:
    """One URL of each public page type of the demo hospital."""
    pages = {
        "home": "/",
        "disclosure index": "/xxgk/",
        "category": "/xxgk/医保价格收费/",
        "catalog item": "/xxgk/医保价格收费/收费依据与费用查询/",
        "request centre": "/xxgk/ysq/",
        "request form": "/xxgk/ysq/request/",
        "consultation form": "/xxgk/ysq/consultation/",
        "tracking": "/xxgk/ysq/track/",
        "search results": "/search/?q=价格",
        "search, nothing found": "/search/?q=不存在的词语",
    }
    for kind in ("general", "procurement", "recruitment", "policy", "annual_report"):
        pages[f"{kind} publication"] = _api_path(base_url, f"publications/?kind={kind}&limit=1")
    return pages


def _violations(page: Page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: npm ci --prefix e2e (make e2e does)")
    # Evaluated, not added as a <script> tag: the public site's Content-Security-Policy
    # refuses inline scripts, as it should.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("large_text", [False, True], ids=["standard", "large-text"])
def test_no_public_page_type_has_a_serious_accessibility_violation(
    page: Page, public_pages, large_text
):
    if large_text:
        page.goto("/text-size/large/?next=/")
    found = {}
    for name, path in public_pages.items():
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        if violations := _violations(page):
            found[name] = violations
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_search_works_by_keyboard_alone(page: Page):
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.locator(".skip-link")).to_be_focused()
    search_box = page.locator("#site-search-q")
    for _ in range(10):
        if search_box.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(search_box).to_be_focused()
    page.keyboard.type("招标公告")
    page.keyboard.press("Enter")
    expect(page.locator("#dc-results-heading")).to_contain_text("招标公告")


def test_a_consultation_can_be_sent_by_keyboard_alone(page: Page):
    page.goto("/xxgk/ysq/consultation/")
    first = page.locator("form.dc-form :is(input, select, textarea):visible").first
    first.focus()
    filled = page.evaluate(
        """() => [...document.querySelectorAll('form.dc-form :is(input, select, textarea)')]
              .filter(e => e.offsetParent !== null && e.type !== 'hidden' && e.tabIndex >= 0)
              .map(e => [e.name, e.tagName, e.required])"""
    )
    values = {
        "name": "王五",
        "phone": "13912345678",
        "email": "wangwu@example.com",
        "question": "请问门诊收费标准在哪里可以查到？谢谢。",
    }
    for name, tag, _required in filled:
        focused = page.evaluate("() => document.activeElement.name")
        assert focused == name, f"Tab order reached {focused!r} where {name!r} was expected"
        if tag == "SELECT":
            page.keyboard.press("ArrowDown")
        elif name in values:
            page.keyboard.type(values[name])
        page.keyboard.press("Tab")
    expect(page.locator("form.dc-form button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".dc-receipt__number")).to_contain_text("ZX-")


def test_tracking_works_by_keyboard_alone(page: Page):
    page.goto("/xxgk/ysq/track/")
    page.locator("#id_number").focus()
    page.keyboard.type("YSQ-2026-000001")
    page.keyboard.press("Tab")
    expect(page.locator("#id_code")).to_be_focused()
    page.keyboard.type("AAAAAAAA")
    page.keyboard.press("Tab")
    expect(page.locator("form.dc-form button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("查询编号")
