"""The demo's self-inspection, patrol and ledger: what a visitor to the demo is promised."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from disclosure.models import ChecklistTemplate, Inspection, InstitutionSettings, Patrol
from disclosure.rules.inspections import FULL_MARKS, InspectionKind, InspectionState
from disclosure.rules.rectification import OVERDUE, FindingState, ProblemKind
from disclosure.selectors.rectification import finding_rows, findings_visible_to
from home.demo_inspections import TEMPLATE_NAME

pytestmark = pytest.mark.django_db


def test_the_example_checklist_is_shared_and_adds_up_to_100():
    template = ChecklistTemplate.objects.get(name=TEMPLATE_NAME)
    assert template.site_id is None and template.is_example
    assert template.total_points() == FULL_MARKS
    sections = list(template.sections.values_list("title", flat=True))
    assert sections == [
        "组织领导",
        "制度建设",
        "公开内容",
        "公开时限",
        "公开渠道",
        "公开范围与效果",
    ]
    items = [item for section in template.sections.all() for item in section.items.all()]
    assert len(items) == 30
    assert {item.measure for item in items if item.measure} == {
        "on_time_rate",
        "no_overdue",
        "annual_report",
        "requests_on_time",
        "findings_on_time",
    }


def test_last_years_self_inspection_is_signed_off_by_the_leadership_and_published(demo_site):
    inspection = Inspection.objects.get(site=demo_site, kind=InspectionKind.SELF)
    assert inspection.state == InspectionState.SIGNED_OFF and inspection.score_published
    assert inspection.period_end.year == inspection.signed_off_at.year - 1
    leadership = InstitutionSettings.for_site(demo_site).leadership_group
    assert leadership.name == "院领导"
    assert inspection.signed_off_by.username == "leader"
    assert inspection.signed_off_by.groups.filter(pk=leadership.pk).exists()
    assert inspection.submitted_by.username == "office"
    assert 0 < inspection.total() < FULL_MARKS


def test_last_months_patrol_found_the_broken_link(demo_site):
    patrol = Patrol.objects.get(site=demo_site)
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    assert (patrol.patrolled_on.year, patrol.patrolled_on.month) == (
        last_month.year,
        last_month.month,
    )
    broken = patrol.problems.get(kind=ProblemKind.BROKEN_LINK)
    assert broken.page_title.startswith("投诉处理流程")
    assert broken.finding.state == FindingState.OPEN  # entered in the ledger
    assert patrol.standings.exists()
    assert patrol.report is not None and not patrol.report.live  # a draft for review


def test_the_third_party_evaluation_left_findings_in_every_state(demo_site):
    evaluation = Inspection.objects.get(site=demo_site, kind=InspectionKind.THIRD_PARTY)
    assert evaluation.evaluator
    office = evaluation.created_by
    rows = finding_rows(findings_visible_to(office).filter(inspection=evaluation))
    states = {row.state for row in rows}
    assert {FindingState.VERIFIED, FindingState.DONE, FindingState.IN_PROGRESS, OVERDUE} <= states
    assert any(row.finding.state == FindingState.OPEN and row.overdue for row in rows)
    released = [row for row in rows if row.finding.released]
    assert 2 <= len(released) < len(rows)
    assert all(row.finding.public_problem for row in released)
