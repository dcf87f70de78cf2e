"""The monthly patrol and the rectification ledger in the browser: the disclosure office runs a
patrol, enters the dead link it finds in the ledger, the department (院办) answers it, the office
verifies it and releases it in public wording, and the public ledger (整改台账) shows it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import screenshot

DEAD_LINK_PAGE = "投诉处理流程（"  # the demo's revised procedure links to rules since deleted
MEASURE = "删除指向已废止办法的失效链接，改为引用现行文件。"
RESPONSE = "已删除失效链接，并在正文中注明现行办法的文号。"
PUBLIC_PROBLEM = "投诉处理流程页面存在失效链接。"
PUBLIC_MEASURE = "删除失效链接，改为引用现行文件。"
PUBLIC_PROGRESS = "已整改完成。"


def _finding_number(page: Page) -> str:
    heading = page.get_by_role("heading", level=1).inner_text()
    return re.search(r"ZG\d{4}-\d{3}", heading).group(0)


def test_a_dead_link_found_on_patrol_is_fixed_verified_and_shown_on_the_public_ledger(
    as_user, page
):
    office = as_user("office")
    office.goto("/admin/disclosure/patrols/")
    office.get_by_role("button", name="立即巡查").click()
    expect(office).to_have_url(re.compile(r"/admin/disclosure/patrols/\d+/$"))

    # The dead link is among the problems; the office enters it in the ledger.
    problem = (
        office.locator("tr")
        .filter(has_text=DEAD_LINK_PAGE)
        .filter(has=office.get_by_role("link", name="列入整改台账"))
    )
    expect(problem.first).to_be_visible()
    screenshot(office, "patrol-problems")
    problem.first.get_by_role("link", name="列入整改台账").click()
    expect(office.get_by_role("textbox", name="存在问题")).not_to_have_value("")
    office.get_by_role("combobox", name="责任科室").select_option(label="院办")
    office.get_by_role("textbox", name="整改措施").fill(MEASURE)
    office.get_by_label("整改时限（工作日）").fill("5")
    office.get_by_role("button", name="录入台账").click()
    expect(office).to_have_url(re.compile(r"/admin/disclosure/ledger/\d+/$"))
    finding_url = office.url
    number = _finding_number(office)
    expect(office.locator("dl")).to_contain_text("院办")

    # The department answers it: done, for the office to verify.
    head = as_user("hospital-office-head")
    head.goto(finding_url)
    head.get_by_role("textbox", name="整改情况").fill(RESPONSE)
    head.get_by_label("已完成，提交核验").check()
    head.get_by_role("button", name="保存").first.click()
    expect(head.locator("dl")).to_contain_text(RESPONSE)
    expect(head.locator("dl")).to_contain_text("已完成，待核验")

    # The office verifies it and releases it in public wording.
    office.goto(finding_url)
    office.get_by_label("核验通过：整改已完成").check()
    office.locator("form").filter(has=office.get_by_label("核验通过：整改已完成")).get_by_role(
        "button", name="保存"
    ).click()
    expect(office.locator("dl")).to_contain_text("已核验")
    release = office.locator("form").filter(has=office.get_by_label("在公开整改台账中公布"))
    release.get_by_label("在公开整改台账中公布").check()
    release.get_by_label("存在问题（公开表述）").fill(PUBLIC_PROBLEM)
    release.get_by_label("整改措施（公开表述）").fill(PUBLIC_MEASURE)
    release.get_by_label("完成情况（公开表述）").fill(PUBLIC_PROGRESS)
    release.get_by_role("button", name="保存").click()
    expect(office.locator("dl")).to_contain_text("是")
    screenshot(office, "ledger-finding-verified")

    # The public ledger shows it in its public wording only.
    page.goto("/xxgk/zgtz/")
    row = page.locator("tr").filter(has_text=PUBLIC_PROBLEM)
    expect(row).to_contain_text(PUBLIC_MEASURE)
    expect(row).to_contain_text(PUBLIC_PROGRESS)
    expect(row).to_contain_text("院办")
    expect(page.locator("main")).not_to_contain_text(MEASURE)
    expect(page.locator("main")).not_to_contain_text(RESPONSE)
    expect(page.locator("main")).not_to_contain_text(number)
    screenshot(page, "public-ledger")
