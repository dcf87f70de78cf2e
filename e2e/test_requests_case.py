"""The disclosure office's daily path on a request (依申请公开): open a new case from the
register, read how its due date is counted, ask the applicant for a correction (补正) and find the
补正告知书 issued with its number, printable with the institution's name."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import screenshot
from .test_accessibility import _violations
from .test_admin_language import READ_SCREEN, latin_runs

APPLICANT_MASKED = "张*"  # the newest demo request, received one working day ago
INSTITUTION = "示范市人民医院"


def test_the_office_asks_for_a_correction_and_the_notice_is_issued(as_user):
    page = as_user("office")
    page.get_by_role("button", name="依申请公开与咨询", exact=True).click()
    page.get_by_role("link", name="依申请公开", exact=True).click()
    # A demo case sent by post (not one a visitor of an earlier test sent, asking for e-mail).
    row = (
        page.locator("#listing-results tbody tr")
        .filter(has_text="登记")
        .filter(has_not_text="李四")
        .first
    )
    number = row.locator("td a").first.inner_text()
    row.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=number)).to_be_visible()

    # The due date explains itself: received, counted from, 20 working days, the due date.
    page.get_by_text("期限如何计算").click()
    explanation = page.locator("#dc-deadline-explanation")
    expect(explanation).to_contain_text("法定答复时限：20 个工作日")
    expect(explanation).to_contain_text("答复期限：")
    screenshot(page, "requests-case-deadline-explained")
    assert _violations(page) == []

    # Actions are buttons, one per action; the one chosen opens its form.
    actions = page.locator(".dc-case-actions")
    expect(actions.get_by_role("link", name="受理", exact=True)).to_be_visible()
    actions.get_by_role("link", name="告知补正", exact=True).click()
    form = page.locator("#dc-action-form")
    expect(form.get_by_role("heading", name="告知补正")).to_be_visible()
    form.get_by_label("办理说明").fill("申请内容不明确，一次性告知补正。")
    form.get_by_label("需补正事项").fill("1. 请写明所需文件的名称；\n2. 请写明时间范围。")
    form.get_by_label("申请人补正期限").fill("2099-12-31")
    form.get_by_role("button", name="告知补正").click()

    messages = page.locator(".messages")
    expect(messages).to_contain_text(f"{number}：已告知补正。")
    expect(messages).to_contain_text("已制发《政府信息公开申请补正告知书》")
    expect(messages).to_contain_text("请打印后邮寄或当面送达")  # the applicant chose the post
    # Done once, not offered again; the notice is listed with its number.
    expect(actions.get_by_role("link", name="告知补正", exact=True)).to_have_count(0)
    notices = page.locator(".dc-notice-row")
    notice = notices.filter(has_text="政府信息公开申请补正告知书")
    expect(notice).to_have_count(1)
    notice_number = notice.locator("td").first.inner_text()
    assert re.fullmatch(r"补正〔\d{4}〕\d+号", notice_number)
    screenshot(page, "requests-case-correction-notice")
    page.reload()  # without the confirmations (Wagtail's, animated in)
    assert _violations(page) == []

    with page.expect_popup() as popup:
        notice.get_by_role("link", name="打印").click()
    printed = popup.value
    expect(printed.locator(".dc-notice-institution")).to_contain_text(INSTITUTION)
    expect(printed.locator(".dc-notice-number")).to_have_text(notice_number)
    expect(printed.locator(".dc-notice-body")).to_contain_text("2. 请写明时间范围。")
    expect(printed.locator(".dc-notice-body")).to_contain_text("第三十条")
    screenshot(printed, "requests-correction-notice-print")

    # The applicant chose the post: once posted, the office records it.
    expect(notice).to_contain_text("尚未送达")
    notice.get_by_role("button", name="标记为已邮寄或已当面送达").click()
    expect(page.locator(".messages")).to_contain_text(f"{notice_number} 已记录为已送达。")
    sent = page.locator(".dc-notice-row").filter(has_text=notice_number)
    expect(sent).not_to_contain_text("尚未送达")
    expect(sent.get_by_role("button", name="标记为已邮寄或已当面送达")).to_have_count(0)


def test_an_applicant_who_lost_the_code_is_told_the_same_whatever_they_enter(page):
    page.goto("/xxgk/ysq/track/")
    page.get_by_role("link", name="忘记查询码？").click()
    expect(page.get_by_role("heading", name="忘记查询码", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("本系统不提供短信服务")
    assert _violations(page) == []
    page.get_by_label("查询编号").fill("YSQ-2026-999999")
    page.get_by_label("申请时填写的电子邮箱或电话号码").fill("nobody@example.com")
    page.get_by_role("button", name="发送新的查询码").click()
    expect(page.get_by_role("status")).to_contain_text("如果查询编号与电子邮箱相符")
    expect(page.get_by_role("link", name="返回查询")).to_be_visible()


def _first_case(page, state: str) -> str:
    """The URL of the first request of the register in ``state`` (a state code)."""
    page.goto(f"/admin/disclosure/requests/?state={state}")
    return page.locator("#listing-results tbody tr td a").first.get_attribute("href")


def test_the_notice_screens_speak_chinese_to_the_office_and_the_supervisor(as_user):
    office = as_user("office")
    answered = _first_case(office, "answered")
    office.goto(answered)
    notice = office.locator(".dc-notice-row").first
    expect(notice).to_be_visible()
    printed = notice.get_by_role("link", name="打印").get_attribute("href")
    office.goto("/admin/disclosure/notice-templates/")
    expect(office.locator("table.listing tbody tr")).to_have_count(9)
    office.get_by_role("link", name="补正告知书（第三十条）").click()
    expect(office.get_by_label("文书正文")).to_contain_text("{补正内容}")
    expect(office.locator("main")).to_contain_text("需要补正的全部事项")
    template = office.url
    english = {}
    for screen in (answered, printed, "/admin/disclosure/notice-templates/", template):
        office.goto(screen)
        if runs := latin_runs(office.evaluate(READ_SCREEN)):
            english[screen] = runs
    assert english == {}

    supervisor = as_user("supervisor")
    supervisor.goto(answered)
    expect(supervisor.locator(".dc-notice-row").first).to_be_visible()
    expect(supervisor.get_by_role("link", name="打印")).to_have_count(0)
    expect(supervisor.locator(".dc-case-actions")).to_have_count(0)
    assert latin_runs(supervisor.evaluate(READ_SCREEN)) == set()
