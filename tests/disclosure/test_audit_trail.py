"""The audit trail: who did what is recorded for every model, kept, checked and readable."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models.deletion import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from simple_history.models import registered_models
from wagtail.models import Page, PageLogEntry, Revision, TaskState

from disclosure.models import (
    ActingHead,
    Attestation,
    AuditEntry,
    CalendarDay,
    CalendarYear,
    ChangeEvent,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    Commission,
    CommissionNotice,
    ConfidentialityReview,
    Consultation,
    Department,
    DisclosureRequest,
    EmergencyPublication,
    Evidence,
    Finding,
    Inspection,
    InspectionScore,
    InstitutionSettings,
    NoticeFinding,
    Patrol,
    PatrolProblem,
    Placement,
    PriceChange,
    PriceListPage,
    PriceListVersion,
    PublicationPage,
    ReminderLog,
    RequestFile,
    UpdateCheck,
)
from disclosure.models.notices import Notice, NoticeTemplate
from disclosure.rules.notices import NoticeKind
from disclosure.rules.requests import CaseAction
from disclosure.services import commission_notices
from disclosure.services.audit import verify
from disclosure.services.compliance import record_attestation, record_change
from disclosure.services.inspections import (
    add_evidence,
    new_template_version,
    score_item,
    sign_off,
    start_inspection,
)
from disclosure.services.inspections import submit as submit_inspection
from disclosure.services.moderation import confirm_emergency, emergency_publish
from disclosure.services.notices import issue as issue_notice
from disclosure.services.notices import save_template
from disclosure.services.price_import import import_price_list
from disclosure.services.rectification import (
    add_finding_evidence,
    add_patrol_problem,
    answer_finding,
    raise_finding,
    run_patrol,
)
from disclosure.services.reminders import send_reminders
from disclosure.services.requests import perform, submit
from home.models import HomePage

from .price_lists import FIRST, SECOND, new_price_list, new_version, publish_version

pytestmark = pytest.mark.django_db

ITEM = "专家出诊信息"  # owned by 医务科


def _form_data(form) -> dict:
    """The data a browser would post back for an unchanged admin form."""
    data = {}
    for name, _field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data


def _draft(item, title="2026年12月专家出诊信息", owner=None):
    page = PublicationPage(title=title, publication_date="2026-11-20", owner=owner, live=False)
    item.add_child(instance=page)
    page.save_revision(user=owner)
    return page


# History with the acting user on every plugin model -----------------------------------------


def _admin_create(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_every_plugin_model_records_who_acted(
    client, login, demo_site, demo_item, django_user_model, publish_reviewed
):
    admin = login("admin")
    department = Department.objects.get(site=demo_site, name="医务科")
    users = django_user_model.objects
    checked = {}

    _admin_create(
        client,
        "/admin/disclosure/department/create/",
        {"site": demo_site.pk, "name": "营养科", "sort_order": 20},
    )
    checked[Department] = Department.objects.get(name="营养科")
    _admin_create(
        client,
        "/admin/disclosure/actinghead/create/",
        {
            "department": department.pk,
            "user": users.get(username="medical-editor").pk,
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-10",
            "reason": "负责人休假",
        },
    )
    checked[ActingHead] = ActingHead.objects.get(reason="负责人休假")
    _admin_create(
        client,
        "/admin/disclosure/calendarday/create/",
        {"day": "2031-10-01", "kind": "holiday", "name": "国庆节"},
    )
    checked[CalendarDay] = CalendarDay.objects.get(day="2031-10-01")
    _admin_create(client, "/admin/disclosure/calendaryear/create/", {"year": 2031})
    checked[CalendarYear] = CalendarYear.objects.get(year=2031)
    settings_url = reverse(
        "wagtailsettings:edit", args=["disclosure", "institutionsettings", demo_site.pk]
    )
    data = _form_data(client.get(settings_url).context["form"])
    _admin_create(client, settings_url, {**data, "full_name": "示范市人民医院（总院）"})
    checked[InstitutionSettings] = InstitutionSettings.for_site(demo_site)
    for model, instance in checked.items():
        record = model.history.filter(**{model._meta.pk.attname: instance.pk}).latest(
            "history_date"
        )
        assert record.history_user == admin, model

    # Records made through the plugin's services carry the user who made them.
    item = demo_item(ITEM)
    editor = users.get(username="medical-editor")
    attestation = record_attestation(item=item, user=editor, note="核对无变化")
    change = record_change(
        item=item, user=editor, changed_on=dt.date(2026, 11, 20), description="新增专家"
    )
    for instance in (attestation, change):
        assert instance.history.get().history_user == editor
    checked[Attestation], checked[ChangeEvent] = attestation, change
    # A price list's import, in the name of the editor who ran it.
    finance_editor = users.get(username="finance-editor")
    price_list = PriceListPage(
        title="审计用价格表", publication_date="2026-12-01", owner=finance_editor, live=False
    )
    demo_item("医疗服务项目价格").add_child(instance=price_list)
    version = import_price_list(
        page=price_list,
        user=finance_editor,
        table=[
            ["项目编码", "项目名称", "计价单位", "价格"],
            ["110200001", "普通门诊诊查费", "次", "10"],
        ],
        effective_date=dt.date(2026, 12, 1),
    )
    assert {record.history_user for record in version.history.all()} == {finance_editor}
    checked[PriceListVersion] = version

    page = publish_reviewed(_draft(item, owner=editor))
    review = ConfidentialityReview.objects.get(task_state__revision=page.live_revision)
    assert review.history.get().history_user == users.get(username="office")
    checked[ConfidentialityReview] = review
    # Where the office approved it and where it went live, in the name of the office, whose
    # approval published it.
    placements = Placement.objects.filter(page=page)
    assert {placement.cause for placement in placements} == {
        Placement.Cause.APPROVED,
        Placement.Cause.PUBLISHED,
    }
    for placement in placements:
        assert placement.recorded_by == placement.history.get().history_user == review.reviewer
    checked[Placement] = placements[0]

    office, head = users.get(username="office"), users.get(username="medical-head")
    urgent = _draft(item, title="紧急停诊通知", owner=editor)
    emergency = emergency_publish(page=urgent, user=office, reason="突发停电")
    confirm_emergency(emergency=emergency, user=head, comment="同意")
    assert [r.history_user for r in emergency.history.order_by("history_date")] == [office, head]
    checked[EmergencyPublication] = emergency

    # Reminders are sent by the system: no user, and the command named as the reason.
    send_reminders(
        today=PublicationPage.objects.order_by("-publication_date").first().publication_date
    )
    reminder = ReminderLog.objects.first()
    assert reminder is not None
    assert reminder.history.get().history_user is None
    assert reminder.history.get().history_change_reason == "send_reminders"
    checked[ReminderLog] = reminder

    # A request from the public carries no user; each handling step names its handler.
    submitted = submit(
        DisclosureRequest,
        site=demo_site,
        values={
            "applicant_type": "natural_person",
            "name": "张三",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": "13912345678",
            "description": "2025年度门诊收费标准调整的文件。",
            "purpose": "自身生活需要",
            "provision_form": "paper",
            "delivery": "in_person",
        },
        files=[SimpleUploadedFile("申请.pdf", b"%PDF-1.4\n%%EOF\n")],
        acknowledge=False,
    )
    assert submitted.case.history.get().history_user is None
    handled = perform(submitted.case, action=CaseAction.ACCEPT, user=office, note="受理")
    assert handled.history.latest("history_date").history_user == office
    checked[DisclosureRequest], checked[RequestFile] = handled, handled.files.get()
    # A notice issued on it, and the template it came from as the office edited it.
    notice = issue_notice(handled, kind=NoticeKind.CORRECTION, user=office)
    assert notice.history.get().history_user == office
    template = NoticeTemplate.objects.get(site=demo_site, kind=NoticeKind.CORRECTION)
    save_template(template, user=office, title=template.title, body=template.body + "\n")
    checked[Notice], checked[NoticeTemplate] = notice, template
    question = submit(
        Consultation,
        site=demo_site,
        values={"name": "李四", "phone": "13812345678", "email": "", "question": "几点挂号？"},
        acknowledge=False,
    ).case
    checked[Consultation] = perform(
        question, action=CaseAction.ANSWER, user=office, note="已答复", values={"reply": "8点"}
    )

    # Self-inspection, the patrol and the ledger, each write through its service.
    deputy = users.get(username="office-deputy")
    template = ChecklistTemplate(name="审计用评估表")
    template.save()
    section = ChecklistSection(template=template, title="公开内容")
    section.save()
    ChecklistItem(section=section, code="1", text="按时更新", points=100).save()
    template = new_template_version(template, user=admin)
    checked[ChecklistTemplate] = template
    checked[ChecklistSection] = template.sections.get()
    checked[ChecklistItem] = checked[ChecklistSection].items.get()
    inspection = start_inspection(
        site=demo_site,
        template=template,
        kind="self",
        title="2026年自查",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        user=office,
    )
    score = score_item(inspection.scores.get(), user=office, value="100")
    checked[InspectionScore] = score
    add_evidence(score, user=office, url="https://hospital.example/xxgk/")
    checked[Inspection] = sign_off(submit_inspection(inspection, user=office), user=deputy)
    patrol = run_patrol(site=demo_site, user=office)
    checked[Patrol] = patrol
    problem = add_patrol_problem(patrol, user=office, detail="首页公告栏目图片无法显示")
    checked[PatrolProblem] = problem
    finding = raise_finding(
        site=demo_site,
        user=office,
        source="patrol",
        department=department,
        problem=problem.detail,
        measure="更换图片",
        working_days=5,
        patrol_problem=problem,
    )
    checked[Finding] = answer_finding(
        finding, user=users.get(username="medical-head"), response="已更换", done=True
    )
    checked[Evidence] = add_finding_evidence(
        finding, user=office, url="https://hospital.example/xxgk/notice/"
    )

    # A health commission, kept by the administrators; what it changes in its area (an update
    # check, a notice and its findings for institutions) names its member.
    _admin_create(
        client,
        "/admin/disclosure/commission/create/",
        {"name": "审计市卫生健康委员会", "level": "municipal", "institutions": [demo_site.pk]},
    )
    city = Commission.objects.get(name="审计市卫生健康委员会")
    _admin_create(
        client,
        "/admin/disclosure/commission/create/",
        {"name": "审计省卫生健康委员会", "level": "provincial", "oversees": [city.pk]},
    )
    province = Commission.objects.get(name="审计省卫生健康委员会")
    for commission in (city, province):
        assert commission.history.latest("history_date").history_user == admin
    checked[Commission] = city
    # A change of its institutions or of the commissions it oversees is a row of the
    # commission's own history (which the trail holds), with the m2m rows hanging from it.
    m2m_changes = {
        Commission.institutions.through: (city, "institutions", "site_id", demo_site.pk),
        Commission.oversees.through: (province, "oversees", "to_commission_id", city.pk),
    }
    for through, (commission, field, column, target) in m2m_changes.items():
        record = commission.history.filter(history_type="~").latest("history_date")
        assert record.history_user == admin
        assert list(getattr(record, field).values_list(column, flat=True)) == [target]
        checked[through] = commission
    member = users.create_user("audit-commission")
    member.groups.add(city.readers_group)
    update_check = UpdateCheck(commission=city, taken_on=dt.date(2026, 12, 1), taken_by=member)
    update_check._history_user = member
    update_check.save()
    checked[UpdateCheck] = update_check
    notice = commission_notices.create_notice(
        commission=city,
        user=member,
        title="审计用通报",
        period_start=dt.date(2026, 7, 1),
        period_end=dt.date(2026, 9, 30),
        text="现予以通报。",
        update_check=update_check,
    )
    line = commission_notices.add_line(
        notice,
        user=member,
        site=demo_site,
        department=department,
        problem="栏目更新不及时",
        measure="按时更新",
        working_days=10,
    )
    checked[CommissionNotice] = commission_notices.issue_notice(notice, user=member)
    checked[NoticeFinding] = NoticeFinding.objects.get(pk=line.pk)
    for model in (UpdateCheck, CommissionNotice, NoticeFinding):
        assert checked[model].history.latest("history_date").history_user == member, model

    # A price list's new version goes live: its publication and each price change it records
    # name the office member whose approval published it.
    price_list = new_price_list(demo_item("医疗服务项目价格"), slug="audit-prices")
    publish_version(price_list, new_version(price_list, FIRST, effective_date=dt.date(2026, 10, 1)))
    second = new_version(price_list, SECOND, effective_date=dt.date(2026, 11, 1))
    publish_version(price_list, second)
    office = users.get(username="office")
    checked[PriceListVersion] = second
    checked[PriceChange] = PriceChange.objects.filter(version=second).first()
    for model in (PriceListVersion, PriceChange):
        assert checked[model].history.latest("history_date").history_user == office, model

    # Every history-tracked model of the plugin is covered here, and each row is in the trail.
    plugin_models = {m for m in registered_models.values() if m._meta.app_label == "disclosure"}
    assert plugin_models == set(checked)
    for model, instance in checked.items():
        if model in m2m_changes:
            model, instance = Commission, m2m_changes[model][0]
        entry = AuditEntry.objects.filter(
            source_model=model.history.model._meta.label_lower, object_id=str(instance.pk)
        ).latest("pk")
        record = model.history.filter(**{model._meta.pk.attname: instance.pk}).latest(
            "history_date"
        )
        assert entry.user_id == (record.history_user.pk if record.history_user else None)


# Append-only --------------------------------------------------------------------------------


def test_history_rows_log_entries_and_audit_entries_cannot_be_changed_or_deleted(demo_site):
    department = Department.objects.get(site=demo_site, name="医务科")
    department.phone = "0000-1234"
    department.save()
    record = department.history.latest("history_date")
    record.name = "改名"
    with pytest.raises(PermissionDenied), transaction.atomic():
        record.save()
    with pytest.raises(ProtectedError), transaction.atomic():
        record.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        department.history.all().delete()

    log_entry = PageLogEntry.objects.first()
    with pytest.raises(ProtectedError), transaction.atomic():
        log_entry.delete()
    entry = AuditEntry.objects.first()
    entry.comment = "rewritten"
    with pytest.raises(PermissionDenied), transaction.atomic():
        entry.save()
    with pytest.raises(PermissionDenied), transaction.atomic():
        entry.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert department.history.count() >= 2


def test_no_screen_edits_or_deletes_history(client, login):
    login("admin")
    # The Django admin has no history models registered, and the audit screens only read.
    assert client.get("/django-admin/disclosure/historicaldepartment/").status_code == 404
    assert client.get("/django-admin/disclosure/auditentry/").status_code == 404
    assert client.post(reverse("disclosure_admin:audit_report")).status_code == 405


def test_only_the_office_reverts_and_the_revert_is_recorded(client, login, demo_site):
    department = Department.objects.get(site=demo_site, name="医务科")
    original_phone = department.phone
    department.phone = "0000-9999"
    department.save()
    first = department.history.order_by("history_date", "history_id").first()
    history_url = reverse(
        "disclosure_admin:model_history", args=["disclosure", "department", department.pk]
    )
    revert_url = reverse(
        "disclosure_admin:model_revert",
        args=["disclosure", "department", department.pk, first.history_id],
    )

    for username in ("supervisor", "medical-head"):
        login(username)
        assert client.get(history_url).status_code == 200
        assert "Put back this version" not in client.get(history_url).content.decode()
        client.post(revert_url)
        department.refresh_from_db()
        assert department.phone == "0000-9999", username
    login("finance-editor")  # another department: cannot even read it
    assert client.get(history_url).status_code == 302

    office = login("office")
    before = department.history.count()
    response = client.post(revert_url)
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.phone == original_phone
    latest = department.history.latest("history_date")
    assert department.history.count() == before + 1
    assert latest.history_user == office
    assert "revert" in latest.history_change_reason
    entry = AuditEntry.objects.filter(source_model="disclosure.historicaldepartment").latest("pk")
    assert entry.username == "office" and "revert" in entry.comment


# Revisions and approvals are kept ------------------------------------------------------------


def test_purge_revisions_keeps_every_disclosure_revision_and_approval(
    demo_item, demo_site, publish_reviewed, django_user_model
):
    editor = django_user_model.objects.get(username="medical-editor")
    page = publish_reviewed(_draft(demo_item(ITEM), owner=editor))
    page.title = "2026年12月专家出诊信息（修订）"
    page.save_revision(user=editor)
    page.save_revision(user=editor)
    # A plain (non-disclosure) page, as control: its old revisions do get purged.
    home = demo_site.root_page.add_child(instance=HomePage(title="临时页", slug="temp-home"))
    for _ in range(3):
        home.save_revision()
    disclosure_ids = list(
        Revision.objects.filter(content_type__app_label="disclosure").values_list("pk", flat=True)
    )
    approvals = TaskState.objects.filter(revision_id__in=disclosure_ids).count()
    assert approvals > 0

    call_command("purge_revisions", stdout=io.StringIO())

    assert Revision.objects.filter(pk__in=disclosure_ids).count() == len(disclosure_ids)
    assert TaskState.objects.filter(revision_id__in=disclosure_ids).count() == approvals
    assert Revision.objects.filter(object_id=str(home.pk)).count() == 1


def test_a_disclosure_page_on_the_record_is_not_deleted(client, login, demo_item, publish_reviewed):
    page = publish_reviewed(_draft(demo_item(ITEM)))
    with pytest.raises(ProtectedError), transaction.atomic():
        page.delete()
    login("admin")
    response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    assert response.status_code == 302
    assert Page.objects.filter(pk=page.pk).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("unpublish" in m or "撤销发布" in m or "取消发布" in m for m in messages), messages

    # A draft never submitted is not on the record and may be deleted.
    draft = _draft(demo_item(ITEM), title="草稿")
    draft.delete()
    assert not Page.objects.filter(pk=draft.pk).exists()


def test_a_published_revisions_content_cannot_be_rewritten(demo_item, publish_reviewed):
    page = publish_reviewed(_draft(demo_item(ITEM)))
    revision = page.live_revision
    revision.content["title"] = "篡改"
    with pytest.raises(PermissionDenied), transaction.atomic():
        revision.save()


# check_audit ----------------------------------------------------------------------------------


def test_check_audit_passes_on_the_demo():
    out = io.StringIO()
    call_command("check_audit", stdout=out, stderr=io.StringIO())
    assert "entries" in out.getvalue() or "条" in out.getvalue()


def _check_audit_errors() -> str:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_audit", stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def test_check_audit_names_a_page_live_without_its_approvals(demo_item):
    page = PublicationPage.objects.child_of(demo_item(ITEM)).live().first()
    unapproved = page.save_revision()  # never reviewed
    Page.objects.filter(pk=page.pk).update(live_revision=unapproved)
    errors = _check_audit_errors()
    assert "unapproved-live-revision" in errors
    assert page.title in errors


def test_check_audit_finds_rewritten_history_and_revisions(demo_item, demo_site):
    department = Department.objects.get(site=demo_site, name="医务科")
    record = department.history.first()
    type(record).objects.filter(pk=record.pk).update(name="伪造")  # bypasses every guard
    page = PublicationPage.objects.child_of(demo_item(ITEM)).live().first()
    Revision.objects.filter(pk=page.live_revision_id).update(content={"title": "篡改"})
    errors = _check_audit_errors()
    assert f"disclosure.historicaldepartment row {record.pk} was altered" in errors
    assert f"revision {page.live_revision_id}" in errors and page.title in errors


def test_check_audit_names_an_item_open_to_readers_it_was_not_approved_for(demo_item):
    item = demo_item("大额资金使用")  # approved as staff-only (职工)
    type(item).objects.filter(pk=item.pk).update(audience="public")  # behind every guard
    item.view_restrictions.all().delete()
    errors = _check_audit_errors()
    assert "unapproved-audience" in errors and item.title in errors


def test_check_audit_names_a_staff_only_item_left_without_its_restriction(demo_item):
    item = demo_item("大额资金使用")
    item.view_restrictions.all().delete()
    assert "staff-only-unrestricted" in _check_audit_errors()


def test_check_audit_names_a_rewritten_publication_time(demo_item):
    page = PublicationPage.objects.child_of(demo_item(ITEM)).live().first()
    earlier = page.first_published_at - dt.timedelta(days=30)
    Page.objects.filter(pk=page.pk).update(first_published_at=earlier)
    errors = _check_audit_errors()
    assert "publication-time-altered" in errors and page.title in errors


def test_check_audit_finds_a_deleted_audit_entry():
    verify()  # seal everything first
    entry = AuditEntry.objects.order_by("seq")[5]
    AuditEntry.objects.filter(pk=entry.pk)._raw_delete(connection.alias)
    errors = _check_audit_errors()
    assert "chain-gap" in errors


# The report -----------------------------------------------------------------------------------


REPORT = "/admin/reports/disclosure-audit/"


def _rows(client, query=""):
    response = client.get(f"{REPORT}results/{query}")
    assert response.status_code == 200
    return response.context["object_list"]


def test_the_report_filters(client, login, demo_site, django_user_model):
    login("office")
    medical = Department.objects.get(site=demo_site, name="医务科")
    rows = _rows(client, f"?department={medical.pk}")
    assert rows and all(row.department_id == medical.pk for row in rows)
    head = django_user_model.objects.get(username="medical-head")
    rows = _rows(client, f"?user={head.pk}&action=wagtail.workflow.approve")
    assert rows and all(
        r.user_id == head.pk and r.action == "wagtail.workflow.approve" for r in rows
    )
    rows = _rows(client, "?object_repr=药品价格")
    assert rows and all("药品价格" in row.object_repr for row in rows)
    rows = _rows(client, "?timestamp_from=2025-01-01&timestamp_to=2025-01-31")
    assert rows
    assert all(
        dt.date(2024, 12, 31) <= row.timestamp.date() <= dt.date(2025, 1, 31) for row in rows
    )
    rows = _rows(client, f"?site={demo_site.pk}")
    assert rows and all(row.site_id == demo_site.pk for row in rows)


def test_who_reads_the_report(client, login, demo_site, django_user_model):
    assert client.get(REPORT).status_code == 302  # anonymous: to the login page
    login("supervisor")
    assert len(_rows(client)) == 50
    login("medical-editor")
    medical = Department.objects.get(site=demo_site, name="医务科")
    rows = _rows(client)
    assert rows and {row.department_id for row in rows} == {medical.pk}
    content = client.get(REPORT).content.decode()
    assert "财务科" not in content  # no other department in the rows or the filters
    nobody = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(nobody)
    assert client.get(REPORT).status_code == 302
    assert AuditEntry.objects.exists()


def test_the_report_exports(client, login):
    login("office")
    response = client.get(f"{REPORT}?export=csv&object_repr=药品价格")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) > 10
    shown = rows[0].index("对象")
    assert all("药品价格" in row[shown] for row in rows[1:])
    response = client.get(f"{REPORT}?export=xlsx&object_repr=药品价格")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == len(rows)
    assert values[1][shown] == rows[1][shown]


def test_the_report_query_count_does_not_grow(client, login, demo_item, django_user_model):
    login("office")
    client.get(REPORT)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(REPORT).status_code == 200
        return len(queries)

    before = count()
    editor = django_user_model.objects.get(username="medical-editor")
    item = demo_item(ITEM)
    for n in range(60):
        record_attestation(item=item, user=editor, note=f"巡查 {n}")
    assert count() == before


# Timeline and "what did the public see" ------------------------------------------------------


def test_the_item_timeline_shows_approvals_with_comments(client, login, demo_item):
    item = demo_item("药品价格")
    login("supervisor")
    response = client.get(reverse("disclosure_admin:item_timeline", args=[item.pk]))
    assert response.status_code == 200
    events = response.context["events"]
    actions = {event.entry.action for event in events}
    assert {"wagtail.publish", "wagtail.workflow.approve", "wagtail.workflow.start"} <= actions
    assert any(event.review for event in events)  # the office's checklist is shown
    assert {p.status for p in response.context["periods"]} >= {"on_time"}
    login("finance-editor")  # 药品价格 belongs to 药学部
    assert client.get(reverse("disclosure_admin:item_timeline", args=[item.pk])).status_code == 302


def test_what_the_public_saw_on_a_date(client, login, demo_item):
    item = demo_item("药品价格")
    login("supervisor")
    url = reverse("disclosure_admin:page_as_of", args=[item.pk])
    rows = client.get(url, {"at": "2025-06-01 12:00"}).context["rows"]
    live = {row.page.title for row in rows if row.revision}
    assert "2025年4月药品价格" in live
    assert not any("2026年" in title for title in live)  # not yet published then
    revision_row = next(row for row in rows if row.page.title == "2025年4月药品价格")
    response = client.get(
        reverse("disclosure_admin:revision", args=[revision_row.page.pk, revision_row.revision.pk])
    )
    assert response.status_code == 200
    assert "2025年4月药品价格" in response.content.decode()
