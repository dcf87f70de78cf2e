"""The rectification ledger (整改台账): numbering, due dates on the working-day calendar, who
answers, verifies and releases a finding, its admin screens and its export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from disclosure.models import (
    CalendarDay,
    CalendarDayKind,
    Department,
    Finding,
    InstitutionSettings,
    ReminderKind,
    ReminderLog,
)
from disclosure.rules.rectification import OVERDUE_LABEL, FindingSource, FindingState
from disclosure.selectors.rectification import LedgerAccess, finding_rows
from disclosure.services import rectification as ledger
from disclosure.services.departments import ensure_office_group
from disclosure.services.reminders import send_reminders
from disclosure.views.dashboard import LedgerPanel
from home.demo import DEMO_PASSWORD


def user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def medical(demo_site) -> Department:
    return Department.objects.get(site=demo_site, name="医务科")


@pytest.fixture
def raise_one(demo_site, medical):
    def make(**overrides) -> Finding:
        values = {
            "site": demo_site,
            "user": user("office"),
            "source": FindingSource.THIRD_PARTY,
            "source_detail": "第三方评估机构 2026 年报告",
            "department": medical,
            "problem": "医疗质量安全信息未按季度更新",
            "measure": "补发第三季度医疗质量安全信息",
            "working_days": 10,
        }
        values.update(overrides)
        return ledger.raise_finding(**values)

    return make


@pytest.fixture
def national_day_2025(db):
    """The 2025 National Day holidays and their make-up working days (调休), as published."""
    for day in range(1, 9):
        CalendarDay.objects.get_or_create(
            day=dt.date(2025, 10, day),
            defaults={"kind": CalendarDayKind.HOLIDAY, "name": "国庆节、中秋节"},
        )
    for day in (dt.date(2025, 9, 28), dt.date(2025, 10, 11)):
        CalendarDay.objects.get_or_create(
            day=day, defaults={"kind": CalendarDayKind.MAKEUP_WORKDAY, "name": "国庆节、中秋节"}
        )


@pytest.fixture
def other_office(fresh_site):
    """The disclosure office of a second institution."""
    group = ensure_office_group(site=fresh_site)
    account = get_user_model().objects.create_user("other-office", password=DEMO_PASSWORD)
    account.groups.add(group)
    return account


# Services -----------------------------------------------------------------------------------


def last_number(site, year: int) -> int:
    """The highest sequence of the institution's findings numbered in ``year`` (0 if none)."""
    numbers = Finding.objects.filter(site=site, number__startswith=f"ZG{year}-")
    return max((int(number[-3:]) for number in numbers.values_list("number", flat=True)), default=0)


def test_findings_are_numbered_in_the_year(raise_one, demo_site):
    # The demo's findings of this year come first; none is numbered in the next.
    year = timezone.localdate().year
    taken = last_number(demo_site, year)
    assert last_number(demo_site, year + 1) == 0

    first = raise_one(today=dt.date(year, 3, 2))
    second = raise_one(today=dt.date(year, 3, 3))
    next_year = raise_one(today=dt.date(year + 1, 1, 4))

    assert (first.number, second.number, next_year.number) == (
        f"ZG{year}-{taken + 1:03d}",
        f"ZG{year}-{taken + 2:03d}",
        f"ZG{year + 1}-001",
    )


def test_the_due_date_counts_working_days_across_national_day_and_its_makeup_days(
    raise_one, national_day_2025
):
    # Raised on 30 September: 1–8 October are holidays; Saturday 11 October is worked (调休).
    finding = raise_one(working_days=3, today=dt.date(2025, 9, 30))
    (row,) = finding_rows([finding], today=dt.date(2025, 10, 1))
    assert row.due == dt.date(2025, 10, 11)

    # Friday 26 September: Sunday the 28th is a make-up working day.
    friday = raise_one(working_days=1, today=dt.date(2025, 9, 26))
    (row,) = finding_rows([friday], today=dt.date(2025, 9, 26))
    assert row.due == dt.date(2025, 9, 28)


def test_an_unfinished_finding_past_its_due_date_shows_overdue(raise_one):
    finding = raise_one(working_days=None, due_date=timezone.localdate())
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    (row,) = finding_rows([finding], today=tomorrow)

    assert row.overdue and row.state_label == str(OVERDUE_LABEL)


def test_only_the_office_raises_a_finding(raise_one):
    with pytest.raises(PermissionDenied):
        raise_one(user=user("medical-head"))
    with pytest.raises(PermissionDenied):
        raise_one(user=user("supervisor"))


def test_a_finding_needs_a_time_limit(raise_one):
    with pytest.raises(ValidationError) as refused:
        raise_one(working_days=None)
    assert "working_days" in refused.value.message_dict


def test_the_department_answers_and_the_office_verifies(raise_one):
    finding = raise_one()

    finding = ledger.answer_finding(
        finding, user=user("medical-editor"), response="已补发", done=True
    )
    assert finding.state == FindingState.DONE
    finding = ledger.verify_finding(finding, user=user("office"), accepted=True)

    assert finding.state == FindingState.VERIFIED
    assert finding.verified_by == user("office")


def test_another_department_cannot_answer(raise_one):
    finding = raise_one()
    with pytest.raises(PermissionDenied):
        ledger.answer_finding(finding, user=user("pharmacy-head"), response="x", done=True)


def test_a_supervisor_cannot_answer_or_verify(raise_one):
    finding = raise_one()
    with pytest.raises(PermissionDenied):
        ledger.answer_finding(finding, user=user("supervisor"), response="x", done=True)
    finding = ledger.answer_finding(finding, user=user("medical-head"), response="x", done=True)
    with pytest.raises(PermissionDenied):
        ledger.verify_finding(finding, user=user("supervisor"), accepted=True)


def test_the_department_cannot_verify_its_own_answer(raise_one):
    finding = ledger.answer_finding(
        raise_one(), user=user("medical-head"), response="已补发", done=True
    )
    with pytest.raises(PermissionDenied):
        ledger.verify_finding(finding, user=user("medical-head"), accepted=True)


def test_release_requires_public_wording(raise_one):
    finding = raise_one()
    with pytest.raises(ValidationError) as refused:
        ledger.release_finding(finding, user=user("office"), released=True, public_problem="x")
    assert set(refused.value.message_dict) == {"public_measure", "public_progress"}


def test_release_refuses_personal_information(raise_one):
    finding = raise_one()
    with pytest.raises(ValidationError) as refused:
        ledger.release_finding(
            finding,
            user=user("office"),
            released=True,
            public_problem="患者张三投诉，电话 13812345678",
            public_measure="已整改",
            public_progress="已完成",
        )
    assert "public_problem" in refused.value.message_dict
    finding.refresh_from_db()
    assert not finding.released


def test_only_the_office_releases(raise_one):
    with pytest.raises(PermissionDenied):
        ledger.release_finding(
            raise_one(),
            user=user("medical-head"),
            released=True,
            public_problem="a",
            public_measure="b",
            public_progress="c",
        )


# Admin screens ------------------------------------------------------------------------------


def test_the_department_of_the_finding_answers_it_on_its_page(client, login, raise_one):
    finding = raise_one()
    login("medical-editor")
    url = reverse("disclosure_admin:finding", args=[finding.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "answer" in page.context["forms"] and "verify" not in page.context["forms"]

    response = client.post(
        url, {"action": "answer", "answer-response": "已补发第三季度信息", "answer-done": "on"}
    )

    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.state == FindingState.DONE
    assert finding.response == "已补发第三季度信息"


def test_another_department_gets_404_on_the_finding(client, login, raise_one):
    finding = raise_one()
    login("pharmacy-head")
    assert client.get(reverse("disclosure_admin:finding", args=[finding.pk])).status_code == 404
    listed = client.get(reverse("disclosure_admin:ledger")).context["object_list"]
    assert finding.pk not in [line.finding.pk for line in listed]


def test_a_supervisor_reads_but_gets_no_form(client, login, raise_one):
    finding = raise_one()
    login("supervisor")
    url = reverse("disclosure_admin:finding", args=[finding.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["forms"] == {}
    refused = client.post(url, {"action": "answer", "answer-response": "x", "answer-done": "on"})
    # Wagtail turns the refusal into a redirect to the dashboard with its message.
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN and not finding.response


def test_another_institution_sees_nothing(client, raise_one, other_office):
    finding = raise_one()
    client.force_login(other_office)
    assert client.get(reverse("disclosure_admin:finding", args=[finding.pk])).status_code == 404
    assert client.get(reverse("disclosure_admin:ledger")).context["object_list"] == []


def test_the_office_verifies_on_the_page(client, login, raise_one):
    finding = ledger.answer_finding(
        raise_one(), user=user("medical-head"), response="已补发", done=True
    )
    login("office")
    url = reverse("disclosure_admin:finding", args=[finding.pk])

    client.post(url, {"action": "verify", "verify-accepted": "yes", "verify-note": ""})

    finding.refresh_from_db()
    assert finding.state == FindingState.VERIFIED


def test_a_refused_release_shows_the_refusal_on_its_field(client, login, raise_one):
    finding = raise_one()
    login("office")
    response = client.post(
        reverse("disclosure_admin:finding", args=[finding.pk]),
        {
            "action": "release",
            "release-released": "on",
            "release-public_problem": "身份证号 110101199003078515 的患者投诉",
            "release-public_measure": "整改",
            "release-public_progress": "",
        },
    )
    assert response.status_code == 400
    form = response.context["forms"]["release"]
    assert form.errors["public_problem"] and form.errors["public_progress"]


def test_the_office_enters_a_finding_with_working_days(client, login, medical, demo_site):
    login("office")
    response = client.post(
        reverse("disclosure_admin:finding_create"),
        {
            "institution": demo_site.pk,
            "source": FindingSource.SUPERVISOR,
            "department": medical.pk,
            "problem": "院务公开栏内容陈旧",
            "measure": "更新公开栏",
            "working_days": "5",
        },
    )
    finding = Finding.objects.get(problem="院务公开栏内容陈旧")
    assert response.status_code == 302
    assert finding.working_days == 5 and finding.created_by == user("office")


def test_a_department_may_not_open_the_finding_form(db, client, login):
    login("medical-head")
    response = client.get(reverse("disclosure_admin:finding_create"))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_the_state_filter_finds_overdue_findings(client, login, raise_one):
    late = raise_one(working_days=None, due_date=timezone.localdate())
    Finding.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    on_time = raise_one()
    login("office")

    rows = client.get(reverse("disclosure_admin:ledger"), {"state": "overdue"}).context[
        "object_list"
    ]

    # The demo's overdue findings are listed too; every row listed is overdue.
    mine = {late.pk, on_time.pk}
    assert [line.finding.pk for line in rows if line.finding.pk in mine] == [late.pk]
    assert all(line.row.overdue for line in rows)


def test_the_ledger_exports_in_the_usual_layout(client, login, raise_one):
    raise_one()
    login("office")
    response = client.get(reverse("disclosure_admin:ledger"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.values)
    # 序号, 问题来源, 存在问题, 整改措施, 责任科室, 整改时限, 完成情况 once translated.
    assert list(rows[0]) == [
        gettext(heading)
        for heading in (
            "No.",
            "Source of the problem",
            "Problem found",
            "Rectification measure",
            "Responsible department",
            "Time limit",
            "Progress",
        )
    ]
    assert rows[1][0] == 1
    assert rows[1][1] == f"{FindingSource.THIRD_PARTY.label}（第三方评估机构 2026 年报告）"
    assert rows[1][2] == "医疗质量安全信息未按季度更新"
    assert rows[1][4] == "医务科"


def test_overdue_findings_appear_in_the_overdue_report(client, login, raise_one):
    def overdue_in_report(username: str) -> list[int]:
        login(username)
        response = client.get(reverse("disclosure_admin:overdue_report"))
        return [row.finding.pk for row in response.context["overdue_findings"]]

    # The demo has overdue findings of its own (the pharmacy's among them).
    medical_before = overdue_in_report("medical-head")
    pharmacy_before = overdue_in_report("pharmacy-head")
    assert pharmacy_before

    late = raise_one(working_days=None, due_date=timezone.localdate())
    Finding.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=3))

    medical = overdue_in_report("medical-head")
    assert sorted(medical) == sorted([*medical_before, late.pk])
    login("medical-head")
    assert late.number in client.get(reverse("disclosure_admin:overdue_report")).content.decode()
    assert overdue_in_report("pharmacy-head") == pharmacy_before


def test_the_dashboard_shows_open_findings_by_department(client, login, raise_one, demo_site):
    # The demo's leader, in the institution's leadership group; the demo has open findings.
    leader = user("leader")
    leadership = InstitutionSettings.objects.get(site=demo_site).leadership_group
    assert leader.groups.filter(pk=leadership.pk).exists()

    def by_department() -> dict[str, tuple[int, int]]:
        context = LedgerPanel(leader, LedgerAccess.of(leader)).get_context_data()
        return {row.department: (row.open, row.overdue) for _name, row in context["departments"]}

    def own(username: str) -> tuple[int, int]:
        account = user(username)
        context = LedgerPanel(account, LedgerAccess.of(account)).get_context_data()
        return (context["open"], context["overdue"])

    departments_before = by_department()
    medical_before, pharmacy_before = own("medical-editor"), own("pharmacy-editor")

    raise_one()
    client.force_login(leader)
    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert 'id="disclosure-ledger' in page and "医务科" in page
    open_before, overdue_before = departments_before.get("医务科", (0, 0))
    assert by_department() == {**departments_before, "医务科": (open_before + 1, overdue_before)}

    login("medical-editor")
    assert 'id="disclosure-ledger' in client.get(reverse("wagtailadmin_home")).content.decode()
    assert own("medical-editor") == (medical_before[0] + 1, medical_before[1])
    assert own("pharmacy-editor") == pharmacy_before


# Reminders ----------------------------------------------------------------------------------


@pytest.fixture
def overdue_since_march_3(raise_one):
    """Raised Monday 2 March 2026, due Tuesday 3 March (no holiday in March 2026)."""
    return raise_one(working_days=None, due_date=dt.date(2026, 3, 3), today=dt.date(2026, 3, 2))


def finding_mail(kind: str) -> list:
    return list(ReminderLog.objects.filter(kind=kind).order_by("sent_on"))


def test_an_overdue_finding_reminds_the_department_heads_daily(overdue_since_march_3):
    send_reminders(today=dt.date(2026, 3, 5), escalate_after=3)
    send_reminders(today=dt.date(2026, 3, 5), escalate_after=3)  # the same day: nothing new
    send_reminders(today=dt.date(2026, 3, 6), escalate_after=3)

    digests = finding_mail(ReminderKind.FINDING_DIGEST)
    assert [log.sent_on for log in digests] == [dt.date(2026, 3, 5), dt.date(2026, 3, 6)]
    assert digests[0].recipients == "medical-head@hospital.example"
    assert [log.items[0]["number"] for log in digests] == [overdue_since_march_3.number] * 2
    message = next(m for m in mail.outbox if overdue_since_march_3.number in m.body)
    assert message.to == ["medical-head@hospital.example"]
    # Two and three working days overdue: not yet the office's.
    assert finding_mail(ReminderKind.FINDING_ESCALATION) == []


def test_a_long_overdue_finding_escalates_to_the_office_and_the_leadership(
    overdue_since_march_3, demo_site
):
    # The demo's leadership group (院领导) already holds its leader; a second member joins it.
    leaders = InstitutionSettings.objects.get(site=demo_site).leadership_group
    get_user_model().objects.create_user(
        "president", email="president@hospital.example"
    ).groups.add(leaders)

    # Tuesday 10 March: five working days after the due date, more than three.
    send_reminders(today=dt.date(2026, 3, 10), escalate_after=3)

    (escalation,) = finding_mail(ReminderKind.FINDING_ESCALATION)
    assert escalation.site == demo_site
    assert escalation.recipients.split(", ") == [
        "leader@hospital.example",
        "office-deputy@hospital.example",
        "office@hospital.example",
        "president@hospital.example",
    ]
    (entry,) = [e for e in escalation.items if e["id"] == overdue_since_march_3.pk]
    assert entry["working_days_overdue"] == 5


def test_a_verified_finding_reminds_nobody(overdue_since_march_3):
    finding = ledger.answer_finding(
        overdue_since_march_3, user=user("medical-head"), response="已完成", done=True
    )
    ledger.verify_finding(finding, user=user("office"), accepted=True)
    send_reminders(today=dt.date(2026, 3, 10), escalate_after=3)
    assert finding_mail(ReminderKind.FINDING_DIGEST) == []
