"""The supervisor (纪检监察) in a browser: from the dashboard to the catalog overview, the review
queue and a draft under its band; everything in Chinese, nothing offered that a supervisor
cannot do, and axe finds no serious violation."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from .conftest import screenshot
from .test_accessibility import _violations
from .test_admin_language import READ_SCREEN, latin_runs

REPORT_TITLE = "年信息公开工作年度报告"
ACTIONS = ("/edit/", "/publish/", "/unpublish/", "/workflow/action/", "/delete/")


def _send_the_report_for_review(as_user) -> None:
    """院办's editor submits this year's annual report, a draft in the demo (unless an earlier
    test of the session did)."""
    editor = as_user("hospital-office-editor")
    editor.goto("/admin/disclosure/supervision/drafts/")  # refused: back to the dashboard
    editor.goto("/admin/pages/search/?q=" + REPORT_TITLE)
    drafts = editor.locator("main a[href*='/edit/']", has_text=REPORT_TITLE)
    for href in drafts.evaluate_all("links => links.map(link => link.getAttribute('href'))"):
        editor.goto(href)
        if editor.locator("button[name=action-submit]").count():
            editor.get_by_role("button", name="更多动作").click()
            editor.locator("button[name=action-submit]").click()
            expect(editor.locator(".messages")).to_contain_text("提交进行审核")
            return


def _read(page: Page) -> dict:
    """What a screen says, checked as the person sees it."""
    page.wait_for_load_state("networkidle")
    main = page.locator("main")
    links = main.locator("a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    return {
        "latin": latin_runs(page.evaluate(READ_SCREEN)),
        "actions": [href for href in links if href and any(a in href for a in ACTIONS)],
        "forms": main.locator("form[method=post]").count(),
        "axe": _violations(page),
    }


def test_the_supervisor_reads_the_catalog_the_review_queue_and_a_draft(as_user):
    supervisor = as_user("supervisor")
    supervisor.goto("/admin/disclosure/supervision/in-review/")
    if not supervisor.locator("main tbody tr", has_text=REPORT_TITLE).count():
        _send_the_report_for_review(as_user)
    seen = {}

    supervisor.goto("/admin/")
    panel = supervisor.locator("#disclosure-supervision-section")
    expect(panel).to_contain_text("监督（只读）")
    panel.get_by_role("link", name="目录总览").click()
    expect(supervisor.locator("h1")).to_contain_text("目录总览")
    expect(supervisor.locator("main")).to_contain_text("药品价格")
    expect(supervisor.locator("main")).to_contain_text("职工")  # audiences by their labels
    seen["catalog"] = _read(supervisor)

    supervisor.locator("main nav").get_by_role("link", name="审核中").click()
    expect(supervisor.locator("h1")).to_contain_text("审核中")
    # This year's report (the report test of the session may have sent another year's too).
    row = supervisor.locator("main tbody tr", has_text=REPORT_TITLE).first
    expect(row).to_contain_text("院办 编辑")  # who submitted it, by name
    expect(row).to_contain_text("个工作日")  # and for how long
    seen["in review"] = _read(supervisor)
    screenshot(supervisor, "admin-supervisor-in-review", full_page=False)

    supervisor.locator("main nav").get_by_role("link", name="草稿").click()
    expect(supervisor.locator("h1")).to_contain_text("草稿")
    seen["drafts"] = _read(supervisor)
    supervisor.locator("main tbody tr", has_text=REPORT_TITLE).first.get_by_role(
        "link", name=REPORT_TITLE
    ).click()
    band = supervisor.get_by_role("alert").first
    expect(band).to_contain_text("草稿（未审核，未公开）")
    expect(band).to_be_in_viewport()
    # Red, whatever the page below it: its stylesheet loads under the admin's and the public
    # site's Content-Security-Policy alike.
    assert band.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(164, 22, 26)"
    assert supervisor.title().startswith("【草稿】")
    screenshot(supervisor, "admin-supervisor-draft", full_page=False)
    draft = _read(supervisor)
    seen["draft"] = {"latin": draft["latin"], "axe": draft["axe"]}

    assert {name: screen["latin"] for name, screen in seen.items() if screen["latin"]} == {}
    offered = {name: s.get("actions") for name, s in seen.items() if s.get("actions")}
    assert offered == {}
    forms = {name: screen.get("forms") for name, screen in seen.items() if screen.get("forms")}
    assert forms == {}
    found = {name: screen["axe"] for name, screen in seen.items() if screen["axe"]}
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
