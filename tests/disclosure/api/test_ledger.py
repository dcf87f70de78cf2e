"""The ledger and inspection endpoints: released entries and published scores for anyone, in
public wording; everything a staff token's user may read, with the internal texts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.models import (
    ChecklistTemplate,
    Department,
    Finding,
    Inspection,
    InspectionScore,
)
from disclosure.rules.inspections import InspectionKind, InspectionState
from disclosure.rules.rectification import FindingSource, FindingState
from disclosure.services.rectification import raise_finding

from .conftest import API

pytestmark = pytest.mark.django_db


def get(client, url, headers=None):
    response = client.get(url, **(headers or {}))
    return response.status_code, response.json()


def test_the_public_ledger_gives_the_released_entries_in_public_wording(client, demo_site):
    status, body = get(client, f"{API}/ledger/?limit=100")
    assert status == 200
    released = Finding.objects.filter(site=demo_site, released=True)
    assert body["count"] == released.count() > 0
    by_number = {entry["number"]: entry for entry in body["items"]}
    for finding in released:
        entry = by_number[finding.number]
        assert entry["problem"] == finding.public_problem
        assert entry["measure"] == finding.public_measure
        assert entry["progress"] == finding.public_progress
        assert entry["department"] == finding.department.name
        assert entry["source"] == finding.source
    text = str(body)
    for finding in Finding.objects.filter(site=demo_site):
        assert finding.problem not in text
    assert "overdue" in {entry["state"] for entry in body["items"]}


def test_published_scores_are_public_and_unpublished_ones_are_not(client, demo_site):
    status, body = get(client, f"{API}/inspections/scores/")
    assert status == 200
    published = Inspection.objects.get(score_published=True)
    assert [row["id"] for row in body] == [published.pk]
    assert Decimal(str(body[0]["total"])) == published.total()
    assert body[0]["kind"] == InspectionKind.SELF
    assert body[0]["institution"]


def test_anonymous_callers_get_no_staff_lists(client):
    for path in ("/ledger/findings/", "/inspections/"):
        response = client.get(f"{API}{path}")
        assert response.status_code == 401


@pytest.mark.parametrize("username", ["office", "supervisor", "leader"])
def test_staff_read_every_finding_with_the_internal_texts(client, demo_site, token_for, username):
    status, body = get(client, f"{API}/ledger/findings/?limit=100", token_for(username))
    assert status == 200
    assert body["count"] == Finding.objects.filter(site=demo_site).count()
    problems = {entry["problem"] for entry in body["items"]}
    assert Finding.objects.filter(released=False).first().problem in problems


def test_a_department_reads_only_its_own_findings(client, token_for):
    status, body = get(client, f"{API}/ledger/findings/", token_for("pharmacy-head"))
    assert status == 200
    assert body["count"] >= 1
    assert {entry["department"]["name"] for entry in body["items"]} == {"药学部"}


def test_the_findings_filter_by_the_displayed_state(client, token_for):
    status, body = get(client, f"{API}/ledger/findings/?state=overdue", token_for("office"))
    assert status == 200 and body["count"] >= 2
    assert {entry["state"] for entry in body["items"]} == {"overdue"}


def test_departments_read_no_inspections(client, token_for):
    response = client.get(f"{API}/inspections/", **token_for("medical-head"))
    assert response.status_code == 403


@pytest.mark.parametrize("username", ["office", "supervisor", "leader"])
def test_staff_read_every_inspection_with_its_score(client, demo_site, token_for, username):
    status, body = get(client, f"{API}/inspections/", token_for(username))
    assert status == 200
    assert body["count"] == Inspection.objects.filter(site=demo_site).count() == 2
    third_party = next(row for row in body["items"] if row["kind"] == "third_party")
    assert third_party["score_published"] is False
    assert Decimal(str(third_party["total"])) > 0


@pytest.fixture
def other_institution(fresh_site):
    """A second institution with a released finding and a published score of its own."""
    admin = get_user_model().objects.get(username="admin")
    department = Department.objects.create(site=fresh_site, name="外院科室")
    finding = raise_finding(
        site=fresh_site,
        user=admin,
        source=FindingSource.COMMISSION,
        department=department,
        problem="外院内部问题",
        measure="外院措施",
        due_date=dt.date.today() + dt.timedelta(days=30),
    )
    Finding.objects.filter(pk=finding.pk).update(
        released=True, public_problem="外院公开问题", public_measure="措施", public_progress="中"
    )
    Inspection.objects.create(
        site=fresh_site,
        template=ChecklistTemplate.objects.get(is_example=True),
        kind=InspectionKind.SELF,
        title="外院自查",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        state=InspectionState.SIGNED_OFF,
        score_published=True,
    )
    return fresh_site


def test_another_institution_is_neither_in_the_host_ledger_nor_in_staff_lists(
    client, token_for, other_institution
):
    _status, body = get(client, f"{API}/ledger/?limit=100")
    assert "外院公开问题" not in str(body)
    _status, body = get(client, f"{API}/ledger/?institution={other_institution.pk}")
    assert [entry["problem"] for entry in body["items"]] == ["外院公开问题"]
    for path in ("/ledger/findings/?limit=100", "/inspections/?limit=100"):
        _status, body = get(client, f"{API}{path}", token_for("office"))
        assert {row["institution_id"] for row in body["items"]} == {
            Department.objects.get(site__is_default_site=True, name="院办").site_id
        }
        assert "外院" not in str(body)


# Query counts -------------------------------------------------------------------------------


def grow(site, total):
    """Released findings and published, scored inspections up to ``total``, in bulk."""
    department = Department.objects.filter(site=site).order_by("pk").first()
    template = ChecklistTemplate.objects.get(is_example=True)
    items = [item for section in template.sections.all() for item in section.items.all()][:3]
    existing = Finding.objects.filter(site=site).count()
    Finding.objects.bulk_create(
        Finding(
            site=site,
            number=f"ZG1999-{number:03d}",
            source=FindingSource.OTHER,
            department=department,
            problem="内部",
            measure="内部",
            raised_on=dt.date(2025, 3, 1),
            working_days=10,
            state=FindingState.OPEN,
            released=True,
            public_problem=f"公开问题{number}",
            public_measure="公开措施",
            public_progress="整改中",
        )
        for number in range(existing, total)
    )
    existing = Inspection.objects.filter(site=site).count()
    inspections = Inspection.objects.bulk_create(
        Inspection(
            site=site,
            template=template,
            kind=InspectionKind.SELF,
            title=f"压测自查{number}",
            period_start=dt.date(2020, 1, 1),
            period_end=dt.date(2020, 12, 31),
            state=InspectionState.SIGNED_OFF,
            score_published=True,
        )
        for number in range(existing, total)
    )
    InspectionScore.objects.bulk_create(
        InspectionScore(inspection=inspection, item=item, score=item.points)
        for inspection in inspections
        for item in items
    )


def count(client, url, headers):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("path", "caller"),
    [
        ("/ledger/?limit=100", None),
        ("/inspections/scores/", None),
        ("/ledger/findings/?limit=100", "office"),
        ("/inspections/?limit=100", "supervisor"),
    ],
)
def test_the_lists_cost_the_same_queries_at_any_size(
    client, demo_site, token_for, django_assert_max_num_queries, path, caller
):
    headers = token_for(caller) if caller else {}
    grow(demo_site, 10)
    small = count(client, f"{API}{path}", headers)
    grow(demo_site, 60)
    with django_assert_max_num_queries(small):
        client.get(f"{API}{path}", **headers)
