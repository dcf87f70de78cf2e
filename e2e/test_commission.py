"""The health commission in the browser: its member ranks the three demo hospitals, drills down
into one, and issues a notice with a finding for it; the hospital's disclosure office finds it
in its own rectification ledger and answers it, and the answer comes back on the notice."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import screenshot

HOSPITAL = "示范市人民医院"
OTHERS = ("示范市第二人民医院", "示范市中医医院")
TITLE = "关于门户网站信息公开栏目专项检查情况的通报"
PROBLEM = "行风廉政栏目部分事项未按时更新。"
MEASURE = "对照公开目录补充更新行风廉政栏目，并明确更新责任人。"
RESPONSE = "已补充更新行风廉政栏目全部事项，院办每月核对一次。"


def _rank_and_drill_down(commission: Page) -> None:
    commission.goto("/admin/disclosure/commissions/?to=ranking")
    expect(commission).to_have_url(re.compile(r"/admin/disclosure/commission/\d+/ranking/"))
    table = commission.locator("table.listing").first
    for name in (HOSPITAL, *OTHERS):
        expect(table).to_contain_text(name)
    # Sorted by overdue items, worst first, as an inspector reads it.
    commission.get_by_role("link", name="已逾期", exact=True).click()
    expect(commission).to_have_url(re.compile(r"sort=-?overdue"))
    expect(commission.get_by_role("heading", name="趋势")).to_be_visible()
    expect(commission.locator("#commission-trends svg").first).to_be_visible()
    screenshot(commission, "commission-ranking")
    table = commission.locator("table.listing").first
    table.get_by_role("link", name=HOSPITAL, exact=True).click()
    expect(commission).to_have_url(re.compile(r"/institutions/\d+/$"))
    expect(commission.get_by_role("heading", level=1)).to_contain_text(HOSPITAL)
    # Read-only: the institution's reports, nothing to change.
    main = commission.locator("main")
    expect(main.locator("form[method=post], form[method=POST]")).to_have_count(0)
    screenshot(commission, "commission-drill-down")


def _issue_notice(commission: Page) -> str:
    commission.goto("/admin/disclosure/commissions/?to=notices")
    commission.get_by_role("link", name="新建通报").click()
    commission.get_by_label("标题").fill(TITLE)
    commission.get_by_label("检查期间自").fill("2026-10-01")
    commission.get_by_label("检查期间至").fill("2026-11-30")
    commission.get_by_label("正文").fill("现将门户网站信息公开栏目专项检查情况通报如下。")
    commission.get_by_role("button", name="保存草稿").click()
    # The draft opens on its findings: one for the hospital drilled into.
    expect(commission.get_by_role("heading", level=1)).to_contain_text(TITLE)
    commission.get_by_label("机构").select_option(label=HOSPITAL)
    commission.get_by_label("责任科室").select_option(label=f"{HOSPITAL} · 院办")
    commission.get_by_label("存在问题").fill(PROBLEM)
    commission.get_by_label("整改措施").fill(MEASURE)
    commission.get_by_label("整改时限（工作日）").fill("10")
    commission.get_by_role("button", name="添加").click()
    expect(commission.locator("main")).to_contain_text(PROBLEM)

    commission.get_by_role("link", name="返回通报").click()
    notice_url = commission.url
    commission.get_by_role("link", name="印发通报").click()
    commission.get_by_role("button", name="印发通报").click()
    expect(commission).to_have_url(notice_url)
    expect(commission.locator("main")).to_contain_text("已印发")
    screenshot(commission, "commission-notice-issued")
    return notice_url


def test_the_commission_ranks_drills_down_and_issues_a_notice_the_hospital_answers(as_user):
    commission = as_user("commission")
    _rank_and_drill_down(commission)
    notice_url = _issue_notice(commission)

    # The hospital's office finds the finding in its own ledger, from the commission.
    office = as_user("office")
    office.goto("/admin/disclosure/ledger/")
    row = office.locator("tr").filter(has_text=PROBLEM)
    expect(row).to_have_count(1)
    row.get_by_role("link").first.click()
    expect(office).to_have_url(re.compile(r"/admin/disclosure/ledger/\d+/$"))
    expect(office.locator("main")).to_contain_text(TITLE)
    office.get_by_role("textbox", name="整改情况").fill(RESPONSE)
    office.get_by_label("已完成，提交核验").check()
    office.get_by_role("button", name="保存").first.click()
    expect(office.locator("dl")).to_contain_text(RESPONSE)

    # The answer comes back on the notice.
    commission.goto(notice_url)
    findings = commission.locator("tr").filter(has_text=PROBLEM)
    expect(findings).to_contain_text(RESPONSE)
    expect(findings).to_contain_text("已完成，待核验")
    screenshot(commission, "commission-notice-answered")
