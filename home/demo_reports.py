"""The demo's annual reports (信息公开工作年度报告): last year's generated from the records,
approved and published in January; this year's generated as a draft, for the office to finish.
The report before those stays the hand-typed publication it was (``DemoBuilder.periodic``)."""

from __future__ import annotations

import datetime as dt

from disclosure.models import AnnualReportPage, CatalogItemPage, DisclosureIndexPage
from disclosure.services.annual_report import generate_draft
from disclosure.services.moderation import FULL_CHECKLIST, approve, submit_for_review

from .demo_review import HEAD_APPROVED, OFFICE_APPROVED, SUBMITTED, clock

REPORT_ITEM = "信息公开工作年度报告"
#: Last year's report is drafted on this day of January and published on the next working days.
DRAFTED, PUBLISHED = (1, 12), (1, 20)

APPEALS = {
    "review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
    "suit_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
    "suit_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
}
PROBLEMS = (
    "一是部分科室对更新时限把握不准，个别月度价格信息更新滞后；二是依申请公开答复文书格式"
    "有待统一。\n下一步，本院将把目录事项更新情况纳入科室月度考核，按月开展栏目巡查，并"
    "统一答复文书模板。"
)
OTHER_MATTERS = "本年度未收取信息处理费。"


def load_demo_reports(
    *, index: DisclosureIndexPage, editor, head, office, anchor: dt.date
) -> list[AnnualReportPage]:
    """Does nothing when the item already holds generated reports."""
    item = CatalogItemPage.objects.descendant_of(index).filter(title=REPORT_ITEM).first()
    if item is None or AnnualReportPage.objects.child_of(item).exists():
        return []
    reports = []
    last_year = anchor.year - 1
    published_on = dt.date(anchor.year, *PUBLISHED)
    if anchor >= published_on:
        drafted_on = dt.date(anchor.year, *DRAFTED)
        with clock(drafted_on, SUBMITTED):
            report = generate_draft(item=item, year=last_year, user=editor, today=drafted_on)
            completed = _complete(report, editor)
        with clock(published_on, SUBMITTED):
            # What is submitted is saved as a revision: the completed draft, not the generated one.
            submit_for_review(page=completed, user=editor)
        with clock(published_on, HEAD_APPROVED):
            approve(page=report, user=head)
        with clock(published_on, OFFICE_APPROVED):
            approve(page=report, user=office, checklist=FULL_CHECKLIST)
        reports.append(report)
        year = anchor.year
    else:
        year = last_year
    with clock(anchor, SUBMITTED):
        reports.append(generate_draft(item=item, year=year, user=editor, today=anchor))
    return reports


def _complete(report: AnnualReportPage, editor) -> AnnualReportPage:
    """What the office types: table 四 and sections 五 and 六."""
    draft = report.get_latest_revision_as_object()
    draft.appeals = APPEALS
    draft.problems = PROBLEMS
    draft.other_matters = OTHER_MATTERS
    draft.summary = f"{report.year}年度信息公开工作情况：主动公开、依申请公开、复议诉讼及改进措施。"
    draft.save_revision(user=editor)
    return draft
