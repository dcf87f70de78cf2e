"""Each role's daily path, as the user guide (Help → 使用指南) tells it, asserting what the person
sees at each step; the guide's screenshots are taken here.

``UPDATE_GUIDE=1 make e2e PYTEST_ARGS=e2e/test_user_guide.py`` (``make guide-images``) writes
them into the plugin's static files (``disclosure/static/disclosure/guide/``), where the
guides show them; otherwise they go with the other screenshots, so that a run never changes
the checkout.
"""

from __future__ import annotations

import os
import re

from playwright.sync_api import Page, expect

from .conftest import ROOT, SCREENSHOTS
from .test_accessibility import _violations
from .test_editorial_cycle import ITEM_ID, act_on, draft_and_submit, new_title, review_row

GUIDE_IMAGES = (
    ROOT / "disclosure" / "static" / "disclosure" / "guide"
    if os.environ.get("UPDATE_GUIDE")
    else SCREENSHOTS / "guide"
)
CATEGORY = "服务内容与流程"
ITEM = "重点学科与特色专科"


def guide_shot(page: Page, name: str) -> None:
    GUIDE_IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(GUIDE_IMAGES / f"{name}.jpg"), type="jpeg", quality=70)


def open_category(editor: Page) -> None:
    editor.goto("/admin/pages/")
    if not editor.get_by_role("link", name=CATEGORY).count():
        editor.get_by_role("link", name="信息公开").first.click()  # from the site's home
    editor.get_by_role("link", name=CATEGORY).first.click()


def test_the_editor_head_and_office_daily_path(as_user, pdf):
    editor = as_user("medical-editor")
    expect(editor.locator("#disclosure-department-deadlines-section")).to_be_visible()
    guide_shot(editor, "editor-dashboard")

    # The catalog: a category and an item open by their names, items show whose and when due.
    open_category(editor)
    table = editor.locator("table.listing")
    expect(table.locator("thead")).to_contain_text("责任科室")
    expect(table.locator("thead")).to_contain_text("下次更新期限")
    expect(table.locator("tr", has_text=ITEM)).to_contain_text("医务科")
    guide_shot(editor, "editor-explorer")
    table.get_by_role("link", name=ITEM).first.click()
    expect(editor).to_have_url(re.compile(f"/admin/pages/{ITEM_ID}/$"))

    returned, approved = new_title(), new_title()
    draft_and_submit(editor, returned, pdf)
    guide_shot(editor, "editor-new-publication")
    draft_and_submit(editor, approved, pdf)

    head = as_user("medical-head")
    row = review_row(head, returned)
    expect(row).to_have_count(1)
    guide_shot(head, "head-queue")
    act_on(row, "退回修改")
    dialog = head.locator(".modal").filter(has=head.locator("textarea")).first
    dialog.locator("textarea").fill("请补充各专科的床位数。")
    with head.expect_navigation():
        dialog.locator("button[type=submit]").click()
    expect(head.locator(".messages")).to_contain_text(f"已将“{returned}”退回修改")

    act_on(review_row(head, approved), "审核通过")
    head.wait_for_load_state("networkidle")
    expect(head.locator(".messages")).to_contain_text(f"“{approved}”已审核通过，已转交下一步")
    guide_shot(head, "head-confirmed")

    editor.goto("/admin/")
    editor.locator("#disclosure-returned-pages-section").get_by_role("link", name=returned).click()
    expect(editor.locator(".messages")).to_contain_text("请补充各专科的床位数。")
    guide_shot(editor, "editor-returned")

    office = as_user("office")
    act_on(review_row(office, approved), "审核通过")
    dialog = office.locator(".modal").filter(has=office.locator("input[type=checkbox]")).first
    expect(dialog).to_contain_text("科室审核意见")
    for checkbox in dialog.locator("input[type=checkbox]").all():
        checkbox.check()
    dialog.locator("#dc-department-review").scroll_into_view_if_needed()
    guide_shot(office, "office-checklist")
    with office.expect_navigation():
        dialog.locator("button[type=submit]").click()
    expect(office.locator(".messages")).to_contain_text(f"“{approved}”已审核通过并已公开")


def test_the_office_and_supervisor_reports(as_user):
    office = as_user("office")
    office.goto("/admin/reports/disclosure-overdue/")
    # The report's own table (overdue rectification findings are listed above it).
    expect(office.locator("#listing-results table.listing")).to_contain_text("医务科")
    guide_shot(office, "office-overdue")
    office.goto("/admin/disclosure/requests/")
    expect(office.locator("h1")).to_be_visible()
    guide_shot(office, "office-requests")

    supervisor = as_user("supervisor")
    supervisor.goto("/admin/disclosure/supervision/catalog/")
    expect(supervisor.locator("main")).to_contain_text(ITEM)
    expect(supervisor.get_by_role("link", name="编辑")).to_have_count(0)
    guide_shot(supervisor, "supervisor-overview")
    supervisor.goto("/admin/reports/disclosure-audit/")
    expect(supervisor.locator("table").first).to_be_visible()
    guide_shot(supervisor, "supervisor-audit")
    supervisor.goto(f"/admin/disclosure/items/{ITEM_ID}/timeline/")
    expect(supervisor.locator("main")).to_contain_text(f"时间线：{ITEM}")
    guide_shot(supervisor, "supervisor-timeline")

    supervisor.get_by_role("button", name="帮助").click()
    supervisor.get_by_role("link", name="纪检监察使用指南").click()
    expect(supervisor.locator("h1")).to_have_text("纪检监察使用指南")
    expect(supervisor.locator("figure img").first).to_be_visible()


def test_the_guide_and_the_catalog_explorer_pass_axe(as_user):
    editor = as_user("medical-editor")
    found = {}
    for screen in ("/admin/disclosure/guide/", f"/admin/pages/{ITEM_ID}/", CATEGORY):
        if screen == CATEGORY:
            open_category(editor)
        else:
            editor.goto(screen)
        if violations := _violations(editor):
            found[screen] = violations
    assert found == {}
