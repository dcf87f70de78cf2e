"""The demo's commission at work: its snapshots over eight quarters, last quarter's update check
and the notice issued from it, whose findings landed in two hospitals' ledgers and one of them
came back answered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from disclosure.models import Commission, CommissionNotice, ComplianceSnapshot, Finding
from disclosure.rules.commissions import NoticeState
from disclosure.rules.rectification import FindingSource, FindingState
from disclosure.selectors.commissions import sites_of_area
from disclosure.selectors.ranking import ranking
from home.demo_commission import CITY_COMMISSION, HOSPITALS
from home.demo_notices import TREND_QUARTERS, last_quarter

pytestmark = pytest.mark.django_db

SECOND, TCM = HOSPITALS


@pytest.fixture
def city(db) -> Commission:
    return Commission.objects.get(name=CITY_COMMISSION)


def test_last_quarters_notice_was_issued_from_an_update_check_of_that_quarter(city):
    notice = CommissionNotice.objects.get(commission=city)
    start, end = last_quarter(timezone.localdate())
    assert notice.state == NoticeState.ISSUED
    assert (notice.period_start, notice.period_end) == (start, end)
    assert start <= notice.update_check.taken_on <= notice.issued_on <= end
    assert notice.update_check.snapshots.count() == 3
    assert notice.issued_by.username == "commission"


def test_its_findings_are_in_the_two_hospitals_ledgers_and_one_came_back(city):
    notice = CommissionNotice.objects.get(commission=city)
    lines = {line.site.site_name: line.finding for line in notice.lines.select_related("site")}
    assert set(lines) == {SECOND.name, TCM.name}
    for finding in lines.values():
        assert finding.source == FindingSource.COMMISSION
        assert finding.raised_on == notice.issued_on
        assert Finding.objects.filter(pk=finding.pk, site__site_name=finding.site.site_name)
    answered, open_ = lines[SECOND.name], lines[TCM.name]
    assert answered.state == FindingState.DONE and answered.response
    assert answered.answered_by.username == "office-2"
    assert open_.state == FindingState.OPEN and not open_.response


def test_the_commission_sees_the_answer_on_its_notice(client, city):
    notice = CommissionNotice.objects.get(commission=city)
    client.force_login(get_user_model().objects.get(username="commission-reader"))
    page = client.get(f"/admin/disclosure/commission/{city.pk}/notices/{notice.pk}/")
    assert page.status_code == 200
    answered = notice.lines.get(site__site_name=SECOND.name).finding
    assert answered.response in page.content.decode()


def test_snapshots_at_each_quarters_end_give_the_trend_and_a_past_ranking(city):
    site_ids = list(sites_of_area(city.pk).values_list("pk", flat=True))
    days = set(
        ComplianceSnapshot.objects.filter(update_check=None, site__in=site_ids).values_list(
            "taken_on", flat=True
        )
    )
    _start, end = last_quarter(timezone.localdate())
    assert end in days and timezone.localdate() in days
    assert len(days) == TREND_QUARTERS + 1
    past = ranking(site_ids=site_ids, on=end)
    assert len(past.rows) == 3
    assert not any(row.live for row in past.rows)
    assert end - dt.timedelta(days=1) not in days
