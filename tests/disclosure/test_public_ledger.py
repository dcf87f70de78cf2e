"""The public rectification ledger (整改台账) shows what the office released, in public
wording, and the scores it published; nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext, pgettext

from disclosure.display import LARGE_TEXT_COOKIE, SCRIPT_COOKIE
from disclosure.models import Department, Finding, Inspection, RectificationLedgerPage
from disclosure.rules.rectification import OVERDUE_LABEL, FindingSource
from disclosure.rules.scripts import Script
from disclosure.services.rectification import raise_finding, release_finding

from .api.test_ledger import grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger_page(demo_site) -> RectificationLedgerPage:
    return RectificationLedgerPage.objects.live().descendant_of(demo_site.root_page).get()


def read(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_ledger_shows_released_findings_in_their_public_wording(client, ledger_page):
    html = read(client, ledger_page)
    released = Finding.objects.filter(site=ledger_page.get_site(), released=True)
    assert released.count() >= 3
    for finding in released:
        assert finding.public_problem in html
        assert finding.public_measure in html
        assert finding.problem not in html  # the internal wording never
        if finding.response:
            assert finding.response not in html
    # 问题来源, 存在问题, 整改措施, 责任科室, 时限, 完成情况
    for heading in ("Source", "Problem", "Measure", "Time limit", "Progress"):
        assert pgettext("ledger", heading) in html
    assert gettext("Responsible department") in html
    # An internal text naming a patient stays internal.
    assert "张某某" not in html


def test_an_unreleased_finding_is_not_on_the_ledger(client, ledger_page):
    hidden = Finding.objects.filter(site=ledger_page.get_site(), released=False).first()
    assert hidden is not None
    assert hidden.problem not in read(client, ledger_page)


def test_an_overdue_released_finding_says_so(client, ledger_page):
    html = read(client, ledger_page)
    assert f'<span class="dc-status dc-status--overdue">{OVERDUE_LABEL}</span>' in html


def test_the_published_score_is_shown_and_an_unpublished_one_is_not(client, ledger_page):
    html = read(client, ledger_page)
    published = Inspection.objects.get(score_published=True)
    assert published.title in html
    assert f"{published.total().normalize():f}" in html
    for unpublished in Inspection.objects.filter(score_published=False):
        assert unpublished.title not in html


def test_another_institutions_findings_are_absent(client, ledger_page, fresh_site):
    admin = get_user_model().objects.get(username="admin")
    department = Department.objects.create(site=fresh_site, name="外院科室")
    finding = raise_finding(
        site=fresh_site,
        user=admin,
        source=FindingSource.COMMISSION,
        department=department,
        problem="外院内部问题",
        measure="外院内部措施",
        due_date=dt.date.today() + dt.timedelta(days=30),
    )
    release_finding(
        finding,
        user=admin,
        released=True,
        public_problem="外院公开问题",
        public_measure="外院公开措施",
        public_progress="外院整改中",
    )
    html = read(client, ledger_page)
    assert "外院公开问题" not in html
    assert "外院科室" not in html


def test_releasing_a_finding_shows_it_at_once(client, ledger_page):
    """The page cache starts again when a finding changes."""
    read(client, ledger_page)
    finding = Finding.objects.filter(site=ledger_page.get_site(), released=False).first()
    office = get_user_model().objects.get(username="office")
    release_finding(
        finding,
        user=office,
        released=True,
        public_problem="新公开的整改问题",
        public_measure="新公开的整改措施",
        public_progress="整改中",
    )
    assert "新公开的整改问题" in read(client, ledger_page)


def test_the_ledger_reads_in_traditional_script_and_large_text(client, ledger_page):
    client.cookies[SCRIPT_COOKIE] = Script.TRADITIONAL.value
    client.cookies[LARGE_TEXT_COOKIE] = "1"
    html = read(client, ledger_page)
    assert "整改臺賬" in html  # 台账 in Traditional characters
    assert 'class="dc-large-text"' in html


def test_the_ledger_page_costs_the_same_queries_at_any_size(
    client, ledger_page, django_assert_max_num_queries
):
    site = ledger_page.get_site()
    grow(site, 10)
    with CaptureQueriesContext(connection) as small:
        read(client, ledger_page)
    grow(site, 80)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = read(client, ledger_page)
    assert "公开问题79" in html
