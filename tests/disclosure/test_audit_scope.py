"""Whose audit entries the records of Wagtail's own objects are: a document is its institution's
(the one whose document collection holds it), an account and its API tokens the institution
whose staff it is. Another institution's office reads none of them in Reports → 审计记录 or its
export, nor the entries recorded before they were filed under an institution; the working-day
calendar stays shared by all."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.log_actions import log
from wagtail.models import APIToken, Collection

from disclosure.models import AuditEntry, AuditScope, CalendarDay, Department
from disclosure.services import audit as audit_service
from disclosure.services.departments import (
    ensure_department,
    ensure_office_group,
    institution_collection,
)

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/disclosure-audit/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# What hospital 1 keeps to itself: a staff-only attachment, a clerk's account and its token.
BONUS_SHEET = "职工奖金明细（内部）"
BONUS_SHEET_REVISED = "职工奖金明细（内部·修订）"
CLERK = "bonus-clerk"
INTEGRATION = "绩效系统对接"  # the API token's label


def _as(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _report(client: Client) -> str:
    """The report's rows and its CSV export, as the reader gets them."""
    rows = client.get(f"{REPORT}results/")
    export = client.get(f"{REPORT}?export=csv")
    assert rows.status_code == export.status_code == 200
    return rows.content.decode() + b"".join(export.streaming_content).decode("utf-8-sig")


@pytest.fixture
def second_hospital(fresh_site, django_user_model):
    """Another hospital on the same instance, with its own disclosure office member."""
    office = django_user_model.objects.create_user("other-office")
    office.groups.add(ensure_office_group(site=fresh_site))
    return fresh_site


@pytest.fixture
def clerk(demo_site, django_user_model):
    """An editor of the demo hospital's 财务科."""
    user = django_user_model.objects.create_user(CLERK, email="clerk@example.com")
    user.groups.add(Department.objects.get(site=demo_site, name="财务科").editors_group)
    return user


def _upload_and_edit_bonus_sheet(demo_site) -> None:
    """The demo's office files the sheet in its institution's collection, then retitles it."""
    office = _as("office")
    collection = institution_collection(demo_site)
    office.post(
        "/admin/documents/add/",
        {
            "title": BONUS_SHEET,
            "file": SimpleUploadedFile("bonus.pdf", PDF),
            "collection": collection.pk,
        },
    )
    document = get_document_model().objects.get(title=BONUS_SHEET)
    response = office.post(
        f"/admin/documents/edit/{document.pk}/",
        {"title": BONUS_SHEET_REVISED, "collection": collection.pk},
    )
    assert response.status_code == 302


def _edit_account_and_make_token(user) -> None:
    """A superuser edits the clerk's account and gives it an API token, in the admin."""
    admin = _as("admin")
    response = admin.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {
            "username": user.username,
            "email": user.email,
            "first_name": "奖金",
            "last_name": "专员",
            "is_active": "on",
            "groups": list(user.groups.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    response = admin.post(
        reverse("wagtailusers_api_tokens:add"), {"name": INTEGRATION, "user": user.pk}
    )
    assert response.status_code == 200  # the page that shows the token once


@pytest.fixture
def hospital_records(demo_site, second_hospital, clerk):
    _upload_and_edit_bonus_sheet(demo_site)
    _edit_account_and_make_token(clerk)
    return APIToken.objects.get(name=INTEGRATION)


def test_the_documents_accounts_and_tokens_entries_are_their_institutions(
    hospital_records, demo_site
):
    token = hospital_records
    for model, object_id in (
        (get_document_model(), get_document_model().objects.get(title=BONUS_SHEET_REVISED).pk),
        (get_user_model(), token.user_id),
        (APIToken, token.pk),
    ):
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(object_id)
        )
        assert entries.exists() and {entry.site_id for entry in entries} == {demo_site.pk}


@pytest.mark.parametrize("reader", ["office", "supervisor"])
def test_the_institutions_office_and_supervisor_read_its_documents_accounts_and_tokens(
    hospital_records, reader
):
    shown = _report(_as(reader))
    for text in (BONUS_SHEET, BONUS_SHEET_REVISED, CLERK, INTEGRATION, hospital_records.prefix):
        assert text in shown, text


def test_another_institutions_office_reads_none_of_them(hospital_records):
    shown = _report(_as("other-office"))
    for text in ("职工奖金明细", CLERK, INTEGRATION, hospital_records.prefix):
        assert text not in shown, text


def test_the_working_day_calendar_stays_shared_by_every_institution(second_hospital):
    calendar = ContentType.objects.get_for_model(CalendarDay)
    rows = _as("other-office").get(f"{REPORT}results/", {"content_type": calendar.pk})
    assert rows.context["object_list"]
    assert {entry.site_id for entry in rows.context["object_list"]} == {None}


def test_an_entry_recorded_before_documents_had_an_institution_is_for_superusers_only(
    demo_site, second_hospital, monkeypatch
):
    # As the trail was indexed until now: Wagtail's objects belonged to no institution.
    with monkeypatch.context() as old_code:
        old_code.setattr(audit_service, "scope_of", lambda instance: AuditScope())
        _upload_and_edit_bonus_sheet(demo_site)
    assert set(
        AuditEntry.objects.filter(object_repr__startswith="职工奖金明细").values_list(
            "site_id", flat=True
        )
    ) == {None}
    assert "职工奖金明细" not in _report(_as("other-office"))
    assert BONUS_SHEET in _report(_as("admin"))


def test_a_document_in_the_root_collection_is_no_institutions(demo_site, second_hospital):
    admin = _as("admin")
    admin.post(
        "/admin/documents/add/",
        {
            "title": BONUS_SHEET,
            "file": SimpleUploadedFile("bonus.pdf", PDF),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert AuditEntry.objects.get(object_repr=BONUS_SHEET).site_id is None
    assert BONUS_SHEET not in _report(_as("other-office"))
    assert BONUS_SHEET not in _report(_as("office"))


def test_a_document_in_a_collection_within_the_institutions_is_the_institutions(
    demo_site, second_hospital
):
    archive = institution_collection(demo_site).add_child(name="财务档案")
    admin = _as("admin")
    admin.post(
        "/admin/documents/add/",
        {
            "title": BONUS_SHEET,
            "file": SimpleUploadedFile("bonus.pdf", PDF),
            "collection": archive.pk,
        },
    )
    assert AuditEntry.objects.get(object_repr=BONUS_SHEET).site_id == demo_site.pk
    assert BONUS_SHEET in _report(_as("office"))
    assert BONUS_SHEET not in _report(_as("other-office"))


def test_an_account_serving_both_institutions_is_listed_for_each(
    hospital_records, clerk, second_hospital
):
    clerk.groups.add(ensure_department(site=second_hospital, name="财务科").editors_group)
    shown = _report(_as("other-office"))
    assert CLERK in shown and INTEGRATION in shown
    assert "职工奖金明细" not in shown  # the demo's documents stay the demo's
    assert CLERK in _report(_as("office"))


def test_a_department_groups_entries_are_its_institutions(demo_site, second_hospital):
    group = Department.objects.get(site=demo_site, name="医务科").editors_group
    # What Wagtail's group screens record when a superuser changes a group.
    log(group, "wagtail.edit", user=get_user_model().objects.get(username="admin"))
    assert group.name not in _report(_as("other-office"))
    assert group.name in _report(_as("office"))


def test_check_audit_passes_after_these_records(hospital_records):
    out = io.StringIO()
    call_command("check_audit", stdout=out, stderr=io.StringIO())
    assert "entries" in out.getvalue() or "条" in out.getvalue()
