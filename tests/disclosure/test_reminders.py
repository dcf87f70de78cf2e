"""Reminders: one digest per department and day, escalations to the office, never sent twice."""

import datetime as dt
import io
import re
import smtplib
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus

from disclosure.models import (
    ActingHead,
    CatalogItemPage,
    Consultation,
    Department,
    DisclosureRequest,
    Finding,
    ReminderKind,
    ReminderLog,
)
from disclosure.rules.deadlines import ComplianceStatus, urgency
from disclosure.rules.rectification import FindingState
from disclosure.rules.requests import OPEN_STATES, CaseState, Outcome
from disclosure.selectors import workdays
from disclosure.selectors.compliance import ItemCompliance, item_compliance
from disclosure.services import mail as outgoing
from disclosure.services import reminders
from disclosure.services.reminders import send_reminders
from disclosure.tasks import send_reminders_task
from home.demo import DEPARTMENTS

LATE = {ComplianceStatus.DUE_SOON, ComplianceStatus.OVERDUE, ComplianceStatus.MISSING}
PHARMACY = ["pharmacy-editor@hospital.example", "pharmacy-head@hospital.example"]
OFFICE = ["office-deputy@hospital.example", "office@hospital.example"]


@pytest.fixture
def day(demo_site) -> dt.date:
    """The 25th of next month, when the demo's drug prices (药品价格) are overdue.

    The demo's open requests and consultations are closed here, so that these tests count the
    catalog's emails only; ``test_the_office_hears_of_requests_and_consultations_due`` counts
    theirs.

    The demo publishes up to the day it is loaded, today, and leaves out the drug prices of
    last month. By the 25th of next month this month's prices are missing as well, and with a
    five-working-day limit after the month's end they are overdue, whatever day the suite runs.

    The demo's other hospitals (home/demo_commission.py) have late items and departments of
    the same names; their catalogs are taken offline and their findings closed here, so that
    these tests count the demo hospital's emails only.
    """
    CatalogItemPage.objects.exclude(department__site=demo_site).update(live=False)
    # Their rectification findings too (the commission's notice issued some).
    Finding.objects.exclude(site=demo_site).update(state=FindingState.VERIFIED)
    CatalogItemPage.objects.filter(department__site__is_default_site=True, title="药品价格").update(
        rule_working_days=5
    )
    open_requests = DisclosureRequest.objects.filter(state__in=OPEN_STATES)
    open_requests.update(state=CaseState.ARCHIVED, outcome=Outcome.OTHER)
    Consultation.objects.filter(state__in=OPEN_STATES).update(state=CaseState.ARCHIVED)
    first_of_next_month = (timezone.localdate().replace(day=28) + dt.timedelta(days=4)).replace(
        day=1
    )
    return first_of_next_month.replace(day=25)


def standing(day: dt.date) -> dict[str, ItemCompliance]:
    return {
        row.item.title: row
        for row in item_compliance(
            items=CatalogItemPage.objects.live().filter(department__site__is_default_site=True),
            today=day,
        )
    }


def drug_prices(day: dt.date) -> ItemCompliance:
    row = standing(day)["药品价格"]
    assert row.deadline.status == ComplianceStatus.OVERDUE
    return row


def emails_to(recipients: list[str]) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if sorted(message.to) == sorted(recipients)]


def finding_emails(summary) -> int:
    """The demo's overdue rectification findings get their own digests and escalation."""
    return summary.finding_digests_sent + summary.finding_escalations_sent


def test_each_department_with_late_items_gets_one_digest_to_its_editors_and_heads(day):
    late = {
        row.item.department.name for row in standing(day).values() if row.deadline.status in LATE
    }
    assert "药学部" in late

    summary = send_reminders(today=day)

    accounts = dict(DEPARTMENTS)
    expected = {
        name: [
            f"{accounts[name]}-editor@hospital.example",
            f"{accounts[name]}-head@hospital.example",
        ]
        for name in late
    }
    digests = {
        log.department.name: log
        for log in ReminderLog.objects.filter(kind=ReminderKind.DEPARTMENT_DIGEST, sent_on=day)
    }
    assert summary.digests_sent == len(late) == len(digests)
    assert {name: log.recipients.split(", ") for name, log in digests.items()} == expected
    for name, recipients in expected.items():
        (message,) = emails_to(recipients)
        assert name in message.subject
    assert emails_to(PHARMACY)[0].to == PHARMACY


def test_a_digest_names_each_item_with_its_due_date(day):
    due = drug_prices(day).deadline.due

    send_reminders(today=day)

    (message,) = emails_to(PHARMACY)
    assert "药品价格" in message.body
    assert due.isoformat() in message.body
    log = ReminderLog.objects.get(
        kind=ReminderKind.DEPARTMENT_DIGEST, sent_on=day, department__name="药学部"
    )
    assert log.items == [
        {
            "id": CatalogItemPage.objects.get(
                department__site__is_default_site=True, title="药品价格"
            ).pk,
            "title": "药品价格",
            "status": ComplianceStatus.OVERDUE,
            "due": due.isoformat(),
        }
    ]
    # Every other digest too: each late item by title, with its due date (or "—" without one).
    late_by_department: dict[str, list] = {}
    for row in standing(day).values():
        if row.deadline.status in LATE:
            late_by_department.setdefault(row.item.department.name, []).append(row)
    accounts = dict(DEPARTMENTS)
    for name, rows in late_by_department.items():
        (digest,) = emails_to(
            [f"{accounts[name]}-editor@hospital.example", f"{accounts[name]}-head@hospital.example"]
        )
        for row in rows:
            assert f"“{row.item.title}”" in digest.body
            due_text = row.deadline.due.isoformat() if row.deadline.due else "—"
            assert due_text in digest.body


def test_running_twice_on_the_same_day_sends_nothing_new(day):
    first = send_reminders(today=day, escalate_after=0)
    sent = len(mail.outbox)
    assert first.digests_sent and first.escalations_sent == 1
    assert first.finding_digests_sent and first.finding_escalations_sent == 1
    assert sent == first.digests_sent + first.escalations_sent + finding_emails(first)

    second = send_reminders(today=day, escalate_after=0)

    assert len(mail.outbox) == sent
    assert second.digests_sent == second.escalations_sent == 0
    assert finding_emails(second) == 0
    assert second.skipped_already_sent == (
        first.digests_sent + first.escalations_sent + finding_emails(first)
    )
    assert ReminderLog.objects.filter(sent_on=day).count() == sent


def test_the_next_day_sends_again(day):
    send_reminders(today=day)
    assert len(emails_to(PHARMACY)) == 1

    summary = send_reminders(today=day + dt.timedelta(days=1))

    assert summary.digests_sent >= 1
    assert summary.skipped_already_sent == 0
    assert len(emails_to(PHARMACY)) == 2


def test_a_digest_already_recorded_that_day_is_not_sent_again(day):
    """A concurrent run that committed first: its record alone keeps this run from sending."""
    ReminderLog.objects.create(
        kind=ReminderKind.DEPARTMENT_DIGEST,
        sent_on=day,
        department=Department.objects.get(site__is_default_site=True, name="药学部"),
        recipients=", ".join(PHARMACY),
    )

    summary = send_reminders(today=day)

    assert emails_to(PHARMACY) == []
    assert summary.skipped_already_sent == 1
    assert summary.digests_sent == (
        len(mail.outbox) - summary.escalations_sent - finding_emails(summary)
    )


def test_a_refused_email_is_not_recorded_and_the_next_run_sends_it(day, monkeypatch):
    real_send_mail = outgoing.send_mail

    def refuse_pharmacy(subject, body, sender, recipients):
        if recipients == PHARMACY:
            raise smtplib.SMTPRecipientsRefused(dict.fromkeys(recipients, (550, b"no")))
        return real_send_mail(subject, body, sender, recipients)

    monkeypatch.setattr(outgoing, "send_mail", refuse_pharmacy)
    failed_run = send_reminders(today=day)
    assert failed_run.failed == 1
    assert failed_run.digests_sent >= 1  # the other departments were not held back
    assert not ReminderLog.objects.filter(
        kind=ReminderKind.DEPARTMENT_DIGEST, department__name="药学部", sent_on=day
    ).exists()

    monkeypatch.setattr(outgoing, "send_mail", real_send_mail)
    retry = send_reminders(today=day)

    assert retry.digests_sent == 1
    assert retry.skipped_already_sent == (
        failed_run.digests_sent + failed_run.escalations_sent + finding_emails(failed_run)
    )
    assert len(emails_to(PHARMACY)) == 1


def test_an_acting_head_of_the_day_receives_the_digest(day):
    pharmacy = Department.objects.get(site__is_default_site=True, name="药学部")
    stand_in = ActingHead.objects.create(
        department=pharmacy,
        user=get_user_model().objects.get(username="medical-head"),
        starts_on=day - dt.timedelta(days=3),
        ends_on=day,
    )

    send_reminders(today=day)

    assert len(emails_to([*PHARMACY, stand_in.user.email])) == 1
    assert emails_to(PHARMACY) == []


def test_the_office_hears_of_items_overdue_for_more_than_the_limit(day):
    prices = drug_prices(day)
    overdue_for = workdays.working_days_between(prices.deadline.due, day)
    limit = overdue_for - 1

    summary = send_reminders(today=day, escalate_after=limit)

    assert summary.escalations_sent == 1
    (escalation,) = emails_to(OFFICE)
    assert escalation.to == OFFICE
    assert "药品价格" in escalation.body
    assert prices.deadline.due.isoformat() in escalation.body
    log = ReminderLog.objects.get(kind=ReminderKind.OFFICE_ESCALATION, sent_on=day)
    listed = {entry["id"] for entry in log.items}
    assert prices.item.pk in listed
    for row in standing(day).values():
        if row.deadline.status == ComplianceStatus.OVERDUE:
            late_for = workdays.working_days_between(row.deadline.due, day)
            assert (row.item.pk in listed) == (late_for > limit), row.item.title
        elif row.deadline.status != ComplianceStatus.MISSING:
            assert row.item.pk not in listed, row.item.title
    # The digests went to the departments, not to the office; the office (and the leadership)
    # hears separately of the demo's long-overdue rectification findings.
    finding_escalations = {
        log.recipients
        for log in ReminderLog.objects.filter(kind=ReminderKind.FINDING_ESCALATION, sent_on=day)
    }
    assert len(finding_escalations) == summary.finding_escalations_sent
    digests = [
        message
        for message in mail.outbox
        if message is not escalation and ", ".join(sorted(message.to)) not in finding_escalations
    ]
    assert len(digests) == summary.digests_sent + summary.finding_digests_sent
    assert all(OFFICE[0] not in message.to for message in digests)


def test_an_item_overdue_exactly_the_limit_is_not_escalated(day):
    prices = drug_prices(day)
    limit = workdays.working_days_between(prices.deadline.due, day)

    send_reminders(today=day, escalate_after=limit)

    escalated = {
        entry["id"]
        for log in ReminderLog.objects.filter(kind=ReminderKind.OFFICE_ESCALATION, sent_on=day)
        for entry in log.items
    }
    assert prices.item.pk not in escalated
    assert all("药品价格" not in message.body for message in emails_to(OFFICE))
    assert "药品价格" in emails_to(PHARMACY)[0].body


def test_a_never_published_item_reaches_the_office_once_listed_longer_than_the_limit(
    day, demo_item, publish_reviewed
):
    prices = demo_item("药品价格")
    category = prices.get_parent()

    def new_item(title: str, slug: str, listed_on: dt.date) -> CatalogItemPage:
        item = category.add_child(
            instance=CatalogItemPage(
                title=title,
                slug=slug,
                department=prices.department,
                content_elements="x",
                live=False,
            )
        )
        item.save_revision()
        publish_reviewed(item)
        listed_at = timezone.make_aware(dt.datetime.combine(listed_on, dt.time(9)))
        CatalogItemPage.objects.filter(pk=item.pk).update(first_published_at=listed_at)
        return item

    limit = 10
    long_missing = new_item("抗菌药物使用情况", "antibiotics", day - dt.timedelta(days=60))
    just_added = new_item("新增目录事项", "new-item", day - dt.timedelta(days=1))
    now_standing = standing(day)
    assert now_standing["抗菌药物使用情况"].deadline.status == ComplianceStatus.MISSING
    assert now_standing["新增目录事项"].deadline.status == ComplianceStatus.MISSING

    send_reminders(today=day, escalate_after=limit)

    (digest,) = emails_to(PHARMACY)
    assert "抗菌药物使用情况" in digest.body and "新增目录事项" in digest.body
    log = ReminderLog.objects.get(kind=ReminderKind.OFFICE_ESCALATION, sent_on=day)
    listed = {entry["id"] for entry in log.items}
    assert long_missing.pk in listed
    assert just_added.pk not in listed


def test_the_command_prints_its_summary_and_sends_once_a_day(day, settings):
    settings.DISCLOSURE_ESCALATE_AFTER_WORKING_DAYS = 0
    out = io.StringIO()

    call_command("send_reminders", "--date", day.isoformat(), stdout=out)

    digests = ReminderLog.objects.filter(kind=ReminderKind.DEPARTMENT_DIGEST, sent_on=day).count()
    escalations = ReminderLog.objects.filter(
        kind=ReminderKind.OFFICE_ESCALATION, sent_on=day
    ).count()
    assert digests >= 1 and escalations == 1  # the setting's limit of 0 escalates every late item
    finding_digests = ReminderLog.objects.filter(
        kind=ReminderKind.FINDING_DIGEST, sent_on=day
    ).count()
    finding_escalations = ReminderLog.objects.filter(
        kind=ReminderKind.FINDING_ESCALATION, sent_on=day
    ).count()
    assert finding_digests >= 1 and finding_escalations == 1  # the demo's overdue findings
    line = out.getvalue()
    assert day.isoformat() in line
    counts = sorted(int(n) for n in re.findall(r"\d+", line.replace(day.isoformat(), "")))
    # The summary line, then the line of the findings' emails.
    assert counts == sorted([digests, escalations, 0, 0, finding_digests, finding_escalations])

    sent = len(mail.outbox)
    again = io.StringIO()
    call_command("send_reminders", "--date", day.isoformat(), stdout=again)
    assert len(mail.outbox) == sent
    counts = sorted(
        int(n) for n in re.findall(r"\d+", again.getvalue().replace(day.isoformat(), ""))
    )
    skipped = digests + escalations + finding_digests + finding_escalations
    assert counts == sorted([0, 0, skipped, 0])


@pytest.mark.parametrize(
    ("option", "value"),
    [("--date", "2026-13-01"), ("--date", "tomorrow"), ("--escalate-after", "-1")],
)
def test_the_command_rejects_a_bad_argument(db, option, value):
    with pytest.raises(CommandError, match=re.escape(value)):
        call_command("send_reminders", option, value, stdout=io.StringIO())
    assert mail.outbox == []


def test_the_task_sends_the_reminders_once_a_day(day):
    result = send_reminders_task.enqueue(today=day.isoformat(), escalate_after=0)

    assert result.status == TaskResultStatus.SUCCESSFUL
    findings = (
        result.return_value["finding_digests_sent"]
        + result.return_value["finding_escalations_sent"]
    )
    assert findings >= 1  # the demo's overdue rectification findings
    assert result.return_value["digests_sent"] == len(mail.outbox) - 1 - findings
    assert result.return_value["escalations_sent"] == 1
    again = send_reminders_task.call(today=day.isoformat(), escalate_after=0)
    assert again["digests_sent"] == again["escalations_sent"] == 0
    assert again["skipped_already_sent"] == len(mail.outbox)


def test_the_queries_do_not_grow_with_the_catalog(day, demo_item):
    prices = demo_item("药品价格")
    category = prices.get_parent()

    def queries() -> int:
        ReminderLog.objects.filter(sent_on=day).delete()
        with CaptureQueriesContext(connection) as context:
            send_reminders(today=day, escalate_after=0)
        return len(context.captured_queries)

    queries()  # warm the per-process caches (content types, the working-day calendar)
    before = queries()
    for number in range(40):
        category.add_child(
            instance=CatalogItemPage(
                title=f"药品价格附表{number}",
                slug=f"price-annex-{number}",
                department=prices.department,
                content_elements="x",
                live=False,
            )
        )
    # Live without review, to keep the test fast: never published, so in the same two emails.
    CatalogItemPage.objects.filter(title__startswith="药品价格附表").update(live=True)

    assert queries() == before
    assert "药品价格附表39" in emails_to(PHARMACY)[-1].body


def test_the_office_hears_of_requests_and_consultations_due(demo_site):
    """On the demo, some requests and consultations are overdue or due soon: the office gets
    one digest naming their numbers, with no applicant's name or phone, once a day."""
    today = timezone.localdate()
    summary = send_reminders(today=today)

    assert summary.case_digests_sent == 1
    log = ReminderLog.objects.get(kind=ReminderKind.CASE_DIGEST, sent_on=today)
    assert log.site_id == demo_site.pk
    (digest,) = [email for email in mail.outbox if "YSQ-" in email.body]
    assert sorted(digest.to) == OFFICE
    # The demo's overdue request (accepted 26 working days ago) and nothing about its applicant.
    late = DisclosureRequest.objects.get(site=demo_site, contact_person="刘洋")
    assert late.number in digest.body and "已逾期" in digest.body
    for personal in (late.name, late.contact_person, late.phone):
        assert personal not in digest.body
    assert send_reminders(today=today).case_digests_sent == 0


def test_the_reminder_lists_items_in_the_overdue_reports_order():
    """One order of "most urgent first" for the report, the dashboard and the e-mails: never
    published, overdue, due soon, then the earliest due date."""
    rows = [
        SimpleNamespace(status=status, due=due, item=SimpleNamespace(path=path))
        for status, due, path in [
            (ComplianceStatus.DUE_SOON, dt.date(2026, 12, 8), "0001"),
            (ComplianceStatus.OVERDUE, dt.date(2026, 11, 2), "0002"),
            (ComplianceStatus.MISSING, None, "0003"),
            (ComplianceStatus.OVERDUE, dt.date(2026, 10, 9), "0004"),
        ]
    ]
    in_order = sorted(rows, key=reminders._severity)
    assert [row.item.path for row in in_order] == ["0003", "0004", "0002", "0001"]
    assert in_order == sorted(
        rows, key=lambda row: urgency(status=row.status, due=row.due, path=row.item.path)
    )
