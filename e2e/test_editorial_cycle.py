"""The editorial cycle in the Wagtail admin: an editor drafts, the department head approves, the
disclosure office approves with its checklist, and only then is the publication on the site."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import screenshot

ITEM_ID = 24  # 重点学科与特色专科 (医务科), public
ITEM_PATH = "/xxgk/服务内容与流程/重点学科与特色专科/"
_numbers = itertools.count(1)


def new_title() -> str:
    # Unique on a demo that earlier runs wrote to, too (E2E_BASE_URL).
    return f"重点专科建设情况公示（{time.strftime('%H%M%S')}-{next(_numbers)}）"


def draft_and_submit(editor: Page, title: str, pdf: Path) -> None:
    editor.goto(f"/admin/pages/{ITEM_ID}/add_subpage/")
    editor.fill("#id_title", title)
    editor.fill("#id_summary", "本院重点专科建设情况，接受社会监督。")
    editor.click("#id_attachments-ADD")
    editor.locator("#id_attachments-FORMS").get_by_role("button", name="选择一个文档").click()
    chooser = editor.locator(".modal").filter(has=editor.locator("#tab-label-upload"))
    chooser.locator("#tab-label-upload").click()
    editor.fill("#id_document-chooser-upload-title", f"{title}附表")
    editor.set_input_files("#id_document-chooser-upload-file", str(pdf))
    chooser.locator("form:has(#id_document-chooser-upload-file) button[type=submit]").click()
    expect(editor.locator("#id_attachments-FORMS")).to_contain_text(f"{title}附表")
    editor.get_by_role("button", name="更多动作").click()
    submit = editor.locator("button[name=action-submit]")
    expect(submit).to_contain_text("公开信息审核")  # the publication review, not the item's
    submit.click()
    expect(editor.locator(".messages")).to_contain_text("已创建并提交审核")


def review_row(reviewer: Page, title: str):
    """The row of ``title`` in the dashboard's queue of pages awaiting the reviewer."""
    reviewer.wait_for_load_state("networkidle")  # an action just taken has been sent
    reviewer.goto("/admin/")
    return reviewer.locator("tr", has_text=title)


def act_on(row, action: str) -> None:
    """Choose ``action`` in the row's actions menu."""
    row.get_by_role("button", name="动作").click()
    row.get_by_text(action, exact=True).click()


def test_a_publication_goes_live_only_after_its_head_and_the_office_approve(as_user, page, pdf):
    title = new_title()
    draft_and_submit(as_user("medical-editor"), title, pdf)

    page.goto(ITEM_PATH)
    expect(page.locator("main")).not_to_contain_text(title)

    other_head = as_user("finance-head")
    expect(review_row(other_head, title)).to_have_count(0)

    head = as_user("medical-head")
    row = review_row(head, title)
    expect(row).to_have_count(1)
    act_on(row, "审核通过")
    expect(review_row(head, title)).to_have_count(0)  # no longer awaiting this head
    page.goto(ITEM_PATH)
    expect(page.locator("main")).not_to_contain_text(title)  # the office has not approved yet

    office = as_user("office")
    act_on(review_row(office, title), "审核通过")
    dialog = office.locator(".modal").filter(has=office.locator("input[type=checkbox]")).first
    expect(dialog.locator("input[type=checkbox]").first).to_be_visible()
    for checkbox in dialog.locator("input[type=checkbox]").all():
        checkbox.check()
    screenshot(office, "admin_office_checklist", full_page=False)
    with office.expect_navigation():
        dialog.locator("button[type=submit]").click()
    expect(review_row(office, title)).to_have_count(0)

    page.goto(ITEM_PATH)
    page.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.get_by_role("link", name=f"{title}附表")).to_be_visible()


def test_a_rejection_returns_the_page_with_the_comment(as_user, pdf):
    title = new_title()
    editor = as_user("medical-editor")
    draft_and_submit(editor, title, pdf)

    head = as_user("medical-head")
    act_on(review_row(head, title), "退回修改")
    dialog = head.locator(".modal").filter(has=head.locator("textarea")).first
    expect(dialog.locator("textarea")).to_be_visible()
    dialog.locator("textarea").fill("请补充各专科的床位数和年度门诊量。")
    with head.expect_navigation():
        dialog.locator("button[type=submit]").click()
    expect(review_row(head, title)).to_have_count(0)

    editor.goto("/admin/")
    # On the dashboard: returned, by whom, and why.
    returned = editor.locator("#disclosure-returned-pages-section")
    expect(returned).to_contain_text(title)
    expect(returned).to_contain_text("请补充各专科的床位数和年度门诊量。")
    editor.get_by_role("link", name=title).first.click()
    expect(editor.locator(".messages")).to_contain_text("退回修改")
    editor.locator("[data-side-panel-toggle=status]").click()  # the page's status panel
    editor.locator("[data-a11y-dialog-show=workflow-status-dialog]").click()  # 查看详情
    expect(editor.get_by_text("请补充各专科的床位数和年度门诊量。").first).to_be_visible()
    screenshot(editor, "admin_rejected_page_with_comment", full_page=False)
