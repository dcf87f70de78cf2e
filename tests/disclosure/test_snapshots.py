"""Compliance snapshots and update checks: an institution's standing recorded with the figures
of its own reports, once a day, and frozen by a commission's update check (网页更新检查)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus
from wagtail.models import Site

from disclosure.models import (
    CatalogItemPage,
    Commission,
    CommissionNotice,
    ComplianceSnapshot,
    Finding,
    UpdateCheck,
    UpdateCheckItem,
)
from disclosure.rules.commissions import CommissionLevel
from disclosure.rules.deadlines import ComplianceStatus, urgency
from disclosure.rules.rectification import UNFINISHED
from disclosure.selectors.compliance import counts_by_institution, item_compliance
from disclosure.selectors.inspections import site_items
from disclosure.selectors.rectification import finding_rows
from disclosure.services.commissions import ensure_commission_groups
from disclosure.services.snapshots import take_snapshots, take_update_check
from disclosure.tasks import take_snapshots_task
from home.demo import DEMO_PASSWORD

from ..growth import add_institutions


@pytest.fixture(autouse=True)
def _without_the_demo_commissions_records(db):
    """The demo's commission has taken snapshots and an update check of its own; these tests
    take theirs from nothing."""
    CommissionNotice.objects.update(update_check=None)
    ComplianceSnapshot.objects.all().delete()
    UpdateCheckItem.objects.all().delete()
    UpdateCheck.objects.all().delete()


def make_commission(name: str, sites, *, level=CommissionLevel.MUNICIPAL) -> Commission:
    commission = ensure_commission_groups(
        commission=Commission.objects.create(name=name, level=level)
    )
    commission.institutions.set(sites)
    return commission


def member(commission: Commission, username: str, *, assessor: bool = False):
    account = get_user_model().objects.create_user(username, password=DEMO_PASSWORD)
    group = commission.assessors_group if assessor else commission.readers_group
    account.groups.add(group)
    return account


def own_counts(site: Site, today: dt.date):
    """What the institution's own overdue report counts for it on ``today``."""
    (counts,) = counts_by_institution(
        item_compliance(items=site_items(site), today=today, summaries=True)
    )
    return counts


def test_a_snapshot_records_the_figures_of_the_institutions_own_reports(demo_site):
    today = timezone.localdate()

    (snapshot,) = take_snapshots(site_ids=[demo_site.pk], today=today)

    counts = own_counts(demo_site, today)
    assert (
        snapshot.items,
        snapshot.on_time,
        snapshot.due_soon,
        snapshot.overdue,
        snapshot.never_published,
        snapshot.no_schedule,
    ) == (
        counts.total,
        counts.on_time,
        counts.due_soon,
        counts.overdue,
        counts.missing,
        counts.no_schedule,
    )
    findings = finding_rows(
        Finding.objects.filter(site=demo_site, state__in=UNFINISHED), today=today
    )
    assert snapshot.open_findings == len(findings)
    assert snapshot.overdue_findings == sum(row.overdue for row in findings)
    assert snapshot.institution_name == "示范市人民医院"
    assert snapshot.annual_report_year == today.year - 1


def test_a_second_run_on_the_same_day_replaces_that_days_snapshot(demo_site, fresh_site):
    today = timezone.localdate()
    take_snapshots(today=today)
    take_snapshots(today=today)
    take_snapshots(today=today - dt.timedelta(days=1))

    daily = ComplianceSnapshot.objects.filter(update_check__isnull=True)
    assert daily.filter(taken_on=today).count() == Site.objects.count()
    assert daily.filter(taken_on=today, site=demo_site).count() == 1
    assert daily.filter(taken_on=today - dt.timedelta(days=1)).count() == Site.objects.count()


def queries_of(action) -> int:
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


def test_taking_snapshots_costs_the_same_queries_for_3_and_30_institutions(db):
    today = timezone.localdate()
    add_institutions(3, prefix="few")
    take_snapshots(today=today)  # warm the per-process caches
    at_three = queries_of(lambda: take_snapshots(today=today))
    add_institutions(27, prefix="many")

    at_thirty = queries_of(lambda: take_snapshots(today=today))

    assert ComplianceSnapshot.objects.filter(taken_on=today).count() == Site.objects.count()
    assert at_thirty <= at_three


def test_the_command_records_each_institution_and_can_run_twice(demo_site):
    out = io.StringIO()
    call_command("take_snapshots", "--date", "2026-03-31", stdout=out)
    call_command("take_snapshots", "--date", "2026-03-31", stdout=out)

    assert "示范市人民医院" in out.getvalue()
    assert ComplianceSnapshot.objects.filter(taken_on=dt.date(2026, 3, 31)).count() == (
        Site.objects.count()
    )


def test_the_task_records_the_days_snapshots(demo_site):
    result = take_snapshots_task.enqueue(today="2026-06-30")

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"snapshots": Site.objects.count()}
    assert ComplianceSnapshot.objects.filter(taken_on=dt.date(2026, 6, 30), site=demo_site).exists()


def test_an_update_check_freezes_every_column_of_the_area_in_the_reports_order(
    demo_site, fresh_site_item
):
    fresh_site_item("内科")
    commission = make_commission("测试市卫生健康委员会", [demo_site])
    reader = member(commission, "test-reader")
    today = timezone.localdate()

    check = take_update_check(commission=commission, user=reader, today=today)

    rows = sorted(
        item_compliance(items=site_items(demo_site), today=today, summaries=True),
        key=lambda row: urgency(
            status=row.deadline.status, due=row.deadline.due, path=row.item.path
        ),
    )
    frozen = list(check.items.all())
    assert [(c.item_id, c.status, c.due) for c in frozen] == [
        (row.item.pk, row.deadline.status, row.deadline.due) for row in rows
    ]
    assert {c.site_id for c in frozen} == {demo_site.pk}  # the other institution is not in the area
    (snapshot,) = check.snapshots.all()
    assert snapshot.site_id == demo_site.pk
    assert snapshot.overdue == sum(row.deadline.status == ComplianceStatus.OVERDUE for row in rows)
    # The check's snapshot is its own: the day's daily snapshot is neither made nor replaced.
    assert not ComplianceSnapshot.objects.filter(update_check__isnull=True).exists()


def test_the_frozen_check_stays_when_a_column_is_renamed_later(demo_site):
    commission = make_commission("测试市卫生健康委员会", [demo_site])
    check = take_update_check(commission=commission, user=member(commission, "reader"))
    missing = check.items.filter(status=ComplianceStatus.MISSING).first()
    assert missing is not None

    CatalogItemPage.objects.filter(pk=missing.item_id).update(title="改过的栏目")

    assert (
        UpdateCheckItem.objects.get(pk=missing.pk).item_title == missing.item_title != "改过的栏目"
    )


@pytest.mark.parametrize("username", ["office", "supervisor", "other-commission"])
def test_only_a_member_of_the_commission_takes_its_update_check(demo_site, username):
    commission = make_commission("测试市卫生健康委员会", [demo_site])
    other = make_commission("另一市卫生健康委员会", [])
    if username == "other-commission":
        account = member(other, username)
    else:
        account = get_user_model().objects.get(username=username)

    with pytest.raises(PermissionDenied):
        take_update_check(commission=commission, user=account)
    assert not commission.update_checks.exists()
