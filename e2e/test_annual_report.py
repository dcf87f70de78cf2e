"""The annual report on disclosure work (信息公开工作年度报告): 院办 generates a draft from the
records, a table that does not add up keeps it from review until it is fixed; and the public
sees last year's report with its charts, tables and PDF."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from .conftest import SCREENSHOTS, screenshot

REPORT_ITEM = "信息公开工作年度报告"
TABLE_THREE = "三、收到和处理政府信息公开申请情况"
TABLE_THREE_FIRST_ROW = "一、本年新收政府信息公开申请数量"
# The demo is built around today where the hospital is: last year's report is live, this year's
# a draft, and the year before last holds only a hand-typed publication (no generated report).
TODAY = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
LAST_YEAR, YEAR_BEFORE_LAST = TODAY.year - 1, TODAY.year - 2


def in_review_queue(reviewer: Page, title: str):
    """The rows of ``title`` in the dashboard's queue of pages awaiting the reviewer."""
    reviewer.goto("/admin/")
    return reviewer.locator("tr", has_text=title)


def submit_for_review(editor: Page) -> None:
    editor.get_by_role("button", name="更多动作").click()
    submit = editor.locator("button[name=action-submit]")
    expect(submit).to_contain_text("公开信息审核")
    submit.click()


def test_the_office_generates_a_report_fixes_a_failing_check_and_submits_it(as_user):
    editor = as_user("hospital-office-editor")
    editor.goto("/admin/disclosure/annual-reports/generate/")
    editor.select_option("#id_item", label=REPORT_ITEM)
    editor.fill("#id_year", str(YEAR_BEFORE_LAST))
    editor.get_by_role("button", name="生成草稿").click()

    editor.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    edit_url = editor.url
    title = editor.locator("#id_title").input_value()
    assert str(YEAR_BEFORE_LAST) in title
    expect(editor.locator(".messages")).to_contain_text("草稿")
    expect(editor.get_by_role("heading", name=TABLE_THREE)).to_be_visible()
    expect(editor.get_by_text(TABLE_THREE_FIRST_ROW).first).to_be_visible()

    # 四: two reconsiderations upheld, but a total of one.
    editor.fill("#id_appeal_review_upheld", "2")
    editor.fill("#id_appeal_review_total", "1")
    submit_for_review(editor)
    error = editor.locator("[data-contentpath=appeal_review_total] .w-field__errors")
    expect(error).to_contain_text("四 · 行政复议 · 总计")
    expect(editor).to_have_url(edit_url)  # still in the editor, nothing submitted
    screenshot(editor, "admin_annual_report_check_fails", full_page=False)
    head = as_user("hospital-office-head")
    expect(in_review_queue(head, title)).to_have_count(0)

    editor.fill("#id_appeal_review_total", "2")
    submit_for_review(editor)
    expect(editor.locator(".messages")).to_contain_text("提交进行审核")
    expect(in_review_queue(head, title)).to_have_count(1)


def test_the_published_report_shows_its_charts_and_tables(page: Page):
    page.goto("/")
    page.get_by_role("link", name="信息公开", exact=True).first.click()
    page.locator("main").get_by_role("link", name=REPORT_ITEM, exact=True).click()
    page.locator("main").get_by_role("link", name=re.compile(f"{LAST_YEAR}.*报告")).click()

    expect(page.locator("h1")).to_contain_text(str(LAST_YEAR))
    charts = page.locator("figure.dc-chart > svg")
    expect(charts).to_have_count(3)
    for chart in charts.all():
        expect(chart).to_be_visible()
    expect(page.get_by_role("heading", name=TABLE_THREE)).to_be_visible()
    expect(page.get_by_text(TABLE_THREE_FIRST_ROW).first).to_be_visible()

    pdf_link = page.locator("main").get_by_role("link", name="下载PDF版")
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # The top of the report down to its first chart (docs/screenshots/public-annual-report.png);
    # the fixture takes the whole page, some 6,000 pixels high, at the end.
    legend = page.locator("figure.dc-chart .dc-chart-legend").first
    bottom = legend.evaluate("legend => legend.getBoundingClientRect().bottom + window.scrollY")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / "public_annual_report.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": 1280, "height": bottom + 24},
    )
