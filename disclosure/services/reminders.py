"""Reminders: each department's daily digest of late items, and escalations to the office.

``send_reminders`` is meant to run once a day (``manage.py send_reminders`` from cron, or the
``send_reminders_task`` django-tasks task). Every email sent is recorded as a
:class:`~disclosure.models.ReminderLog` row, created in the same transaction as the email is
sent; its unique constraints make a second run on the same day (even a concurrent one) skip what
was already sent. A failure to send rolls the row back, so the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from ..models import ActingHead, CatalogItemPage, Department, Finding, InstitutionSettings
from ..models.reminders import ReminderKind, ReminderLog
from ..rules.deadlines import ComplianceStatus, urgency
from ..selectors import workdays
from ..selectors.catalog import institution_names
from ..selectors.compliance import ItemCompliance, item_compliance
from ..selectors.rectification import FindingRow, overdue_findings
from ..selectors.requests import urgent_cases
from .mail import send_templated_mail

logger = logging.getLogger(__name__)

DEFAULT_ESCALATE_AFTER_WORKING_DAYS = 10
ESCALATE_AFTER_SETTING = "DISCLOSURE_ESCALATE_AFTER_WORKING_DAYS"

REMINDER_STATUSES = (ComplianceStatus.OVERDUE, ComplianceStatus.MISSING, ComplianceStatus.DUE_SOON)


def configured_escalate_after() -> int:
    """Working days an item may stay overdue before the office hears of it (from the settings)."""
    return int(getattr(settings, ESCALATE_AFTER_SETTING, DEFAULT_ESCALATE_AFTER_WORKING_DAYS))


class SendOutcome(enum.Enum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    FAILED = "failed"


@dataclass
class ReminderSummary:
    """What one run did.

    ``skipped_already_sent`` counts emails an earlier run that day sent; ``skipped_no_recipients``
    departments or offices with late items but nobody to write to; ``failed`` emails the mail
    server refused (they are not recorded, so the next run tries them again).
    """

    digests_sent: int = 0
    escalations_sent: int = 0
    case_digests_sent: int = 0
    finding_digests_sent: int = 0
    finding_escalations_sent: int = 0
    skipped_already_sent: int = 0
    skipped_no_recipients: int = 0
    failed: int = 0

    def tally(self, outcome: SendOutcome, *, sent_field: str) -> None:
        """Count one email's outcome; ``sent_field`` names the counter of emails sent."""
        if outcome == SendOutcome.SENT:
            setattr(self, sent_field, getattr(self, sent_field) + 1)
        elif outcome == SendOutcome.ALREADY_SENT:
            self.skipped_already_sent += 1
        else:
            self.failed += 1


@dataclass
class ReminderRow:
    """One item as an email names it."""

    compliance: ItemCompliance
    working_days_overdue: int = 0

    @property
    def item(self) -> CatalogItemPage:
        return self.compliance.item

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def category(self) -> str:
        return self.compliance.category

    @property
    def department(self) -> str:
        return self.item.department.name if self.item.department else ""

    @property
    def status(self) -> str:
        return self.compliance.deadline.status

    @property
    def status_label(self):
        # Lazy: rendered in the institution's language inside the email.
        return ComplianceStatus(self.status).label

    @property
    def due(self) -> dt.date | None:
        return self.compliance.deadline.due

    @property
    def due_text(self) -> str:
        return self.due.isoformat() if self.due else "—"

    @property
    def estimated(self) -> bool:
        return self.compliance.deadline.estimated

    @property
    def edit_url(self) -> str:
        return _admin_url(reverse("wagtailadmin_pages:edit", args=[self.item.pk]))

    def as_record(self) -> dict:
        return {
            "id": self.item.pk,
            "title": self.title,
            "status": str(self.status),
            "due": self.due.isoformat() if self.due else None,
        }


@dataclass
class _Institution:
    site: Site
    name: str
    office_group_id: int | None
    rows: list[ReminderRow] = field(default_factory=list)


def _admin_url(path: str) -> str:
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/") + path


def _severity(row: ReminderRow) -> tuple:
    # The same order as the overdue report and the dashboard (it put overdue first).
    return urgency(status=row.status, due=row.due, path=row.item.path)


def _department_order(row: ReminderRow) -> tuple:
    department = row.item.department
    return (department.sort_order, department.name) if department else (-1, "")


def _emails_by_group(group_ids: set[int]) -> dict[int, set[str]]:
    """Active members with an email address of each group, in one query."""
    memberships = get_user_model().groups.through.objects.filter(
        group_id__in=group_ids, user__is_active=True
    )
    emails: dict[int, set[str]] = defaultdict(set)
    for group_id, email in memberships.exclude(user__email="").values_list(
        "group_id", "user__email"
    ):
        emails[group_id].add(email)
    return emails


def _acting_head_emails(departments: list[Department], today: dt.date) -> dict[int, set[str]]:
    """Emails of the acting heads (代理负责人) standing in on ``today``, per department."""
    acting = ActingHead.objects.filter(
        department__in=departments,
        starts_on__lte=today,
        ends_on__gte=today,
        user__is_active=True,
    ).exclude(user__email="")
    emails: dict[int, set[str]] = defaultdict(set)
    for department_id, email in acting.values_list("department_id", "user__email"):
        emails[department_id].add(email)
    return emails


def _is_escalated(row: ReminderRow, *, today: dt.date, escalate_after: int) -> bool:
    """Overdue for more than ``escalate_after`` working days, or never published that long.

    A never-published item has no due date; it counts from the day the catalog item went live,
    so an item just added to the catalog reaches the department's digest first and the office
    only when it has stayed unpublished for more than ``escalate_after`` working days.
    """
    if row.status == ComplianceStatus.OVERDUE and row.due is not None:
        return row.working_days_overdue > escalate_after
    if row.status == ComplianceStatus.MISSING:
        listed_on = row.item.first_published_at
        return listed_on is None or workdays.working_days_between(listed_on, today) > escalate_after
    return False


def _send_once(
    *,
    kind: str,
    today: dt.date,
    recipients: list[str],
    records: list[dict],
    template: str,
    context: dict,
    department: Department | None = None,
    site: Site | None = None,
) -> SendOutcome:
    """Record and send one email, unless a run earlier the same day recorded it."""
    try:
        with transaction.atomic():
            record = ReminderLog(
                kind=kind,
                sent_on=today,
                department=department,
                site=site,
                recipients=", ".join(recipients),
                items=records,
            )
            record._change_reason = "send_reminders"
            record.save()
            send_templated_mail(template, context, recipients)
    except IntegrityError:
        # Only a row for the same email and day means "already sent"; anything else is a bug.
        already = ReminderLog.objects.filter(
            kind=kind, sent_on=today, department=department, site=site
        ).exists()
        if not already:
            raise
        return SendOutcome.ALREADY_SENT
    except OSError:  # smtplib.SMTPException included
        # The log row was rolled back with the transaction: the next run tries again. One
        # refused address must not hold back the other departments' reminders.
        logger.exception("Reminder %s to %s could not be sent", kind, ", ".join(recipients))
        return SendOutcome.FAILED
    return SendOutcome.SENT


def send_reminders(
    *, today: dt.date | None = None, escalate_after: int = DEFAULT_ESCALATE_AFTER_WORKING_DAYS
) -> ReminderSummary:
    """Send today's reminder emails; a second run on the same day sends nothing new.

    * every department with an item due soon, overdue or never published gets one digest,
      addressed to the active members (with an email address) of its editors and heads groups
      and to its acting heads of the day; it names each item with its category, status and
      due date;
    * every institution whose items include some overdue for more than ``escalate_after``
      working days (or never published for that long after entering the catalog) sends one
      escalation to the members of its disclosure office group;
    * every institution with requests or consultations due soon or overdue sends its office
      one digest of them;
    * every department with overdue rectification findings gets one digest of them, addressed
      to its heads (and acting heads); findings overdue for more than ``escalate_after``
      working days go, once a day per institution, to its disclosure office and its
      leadership group.

    Only live catalog items count. The number of queries does not grow with the catalog.
    """
    today = today or timezone.localdate()
    summary = ReminderSummary()
    _send_case_digests(today=today, summary=summary)
    _send_finding_reminders(today=today, escalate_after=escalate_after, summary=summary)
    late = _late_rows(today)
    if not late:
        return summary
    departments = _rows_by_department(late)
    institutions = _escalated_rows_by_institution(late, today=today, escalate_after=escalate_after)
    addresses = _Addresses.read(
        departments=[entry.department for entry in departments],
        institutions=institutions,
        today=today,
    )
    report_url = _admin_url(reverse("disclosure_admin:overdue_report"))
    _send_department_digests(
        departments, addresses=addresses, today=today, report_url=report_url, summary=summary
    )
    _send_escalations(
        institutions,
        addresses=addresses,
        today=today,
        escalate_after=escalate_after,
        report_url=report_url,
        summary=summary,
    )
    return summary


def _late_rows(today: dt.date) -> list[ReminderRow]:
    """The live items a reminder names (due soon, overdue or never published), each with the
    working days it has been overdue."""
    return [
        ReminderRow(
            compliance=row,
            working_days_overdue=(
                workdays.working_days_between(row.deadline.due, today)
                if row.deadline.status == ComplianceStatus.OVERDUE and row.deadline.due
                else 0
            ),
        )
        for row in item_compliance(items=CatalogItemPage.objects.live(), today=today)
        if row.deadline.status in REMINDER_STATUSES
    ]


@dataclass
class _DepartmentRows:
    department: Department
    rows: list[ReminderRow] = field(default_factory=list)


def _rows_by_department(late: list[ReminderRow]) -> list[_DepartmentRows]:
    """The rows of each department, the departments in their institution's order."""
    by_department: dict[int, _DepartmentRows] = {}
    for row in late:
        if row.item.department is not None:
            entry = by_department.setdefault(
                row.item.department_id, _DepartmentRows(department=row.item.department)
            )
            entry.rows.append(row)
    return sorted(by_department.values(), key=lambda entry: _departments_in_order(entry.department))


def _departments_in_order(department: Department) -> tuple:
    """Departments by institution, then in the institution's own order."""
    return (department.site_id, department.sort_order, department.name)


def _escalated_rows_by_institution(
    late: list[ReminderRow], *, today: dt.date, escalate_after: int
) -> list[_Institution]:
    """The institutions with rows late for long enough to tell their office, with those rows.
    Each row carries its institution (the site whose root holds the item)."""
    sites = Site.objects.in_bulk({row.compliance.institution_id for row in late} - {None})
    offices = dict(InstitutionSettings.objects.values_list("site_id", "office_group_id"))
    institutions: dict[int, _Institution] = {}
    for row in late:
        site = sites.get(row.compliance.institution_id)
        if site is None or not _is_escalated(row, today=today, escalate_after=escalate_after):
            continue
        if site.pk not in institutions:
            institutions[site.pk] = _Institution(
                site=site, name=row.compliance.institution, office_group_id=offices.get(site.pk)
            )
        institutions[site.pk].rows.append(row)
    return list(institutions.values())


@dataclass(frozen=True)
class _Addresses:
    """Who receives a department's digest and an office's escalation, read in two queries."""

    by_group: dict[int, set[str]]
    acting_heads: dict[int, set[str]]

    @classmethod
    def read(
        cls, *, departments: list[Department], institutions: list[_Institution], today: dt.date
    ) -> _Addresses:
        group_ids = {
            group_id
            for department in departments
            for group_id in (department.editors_group_id, department.heads_group_id)
        } | {institution.office_group_id for institution in institutions}
        return cls(
            by_group=_emails_by_group({group_id for group_id in group_ids if group_id}),
            acting_heads=_acting_head_emails(departments, today),
        )

    def of_department(self, department: Department) -> list[str]:
        return sorted(
            self.by_group.get(department.editors_group_id, set())
            | self.by_group.get(department.heads_group_id, set())
            | self.acting_heads.get(department.pk, set())
        )

    def of_office(self, institution: _Institution) -> list[str]:
        return sorted(self.by_group.get(institution.office_group_id, set()))


def _send_department_digests(
    departments: list[_DepartmentRows],
    *,
    addresses: _Addresses,
    today: dt.date,
    report_url: str,
    summary: ReminderSummary,
) -> None:
    for entry in departments:
        department = entry.department
        recipients = addresses.of_department(department)
        if not recipients:
            summary.skipped_no_recipients += 1
            continue
        rows = sorted(entry.rows, key=_severity)
        outcome = _send_once(
            kind=ReminderKind.DEPARTMENT_DIGEST,
            today=today,
            recipients=recipients,
            records=[row.as_record() for row in rows],
            template="reminder_digest",
            context={
                "department": department,
                "institution": rows[0].compliance.institution,
                "rows": rows,
                "today": today,
                "report_url": report_url,
            },
            department=department,
        )
        summary.tally(outcome, sent_field="digests_sent")


def _send_escalations(
    institutions: list[_Institution],
    *,
    addresses: _Addresses,
    today: dt.date,
    escalate_after: int,
    report_url: str,
    summary: ReminderSummary,
) -> None:
    for institution in institutions:
        recipients = addresses.of_office(institution)
        if not recipients:
            summary.skipped_no_recipients += 1
            continue
        rows = sorted(institution.rows, key=lambda row: (*_department_order(row), *_severity(row)))
        outcome = _send_once(
            kind=ReminderKind.OFFICE_ESCALATION,
            today=today,
            recipients=recipients,
            records=[row.as_record() for row in rows],
            template="reminder_escalation",
            context={
                "institution": institution.name,
                "rows": rows,
                "today": today,
                "escalate_after": escalate_after,
                "report_url": report_url,
            },
            site=institution.site,
        )
        summary.tally(outcome, sent_field="escalations_sent")


def _send_case_digests(*, today: dt.date, summary: ReminderSummary) -> None:
    """One email per institution to its disclosure office: the open requests and
    consultations due soon or overdue (numbers and dates only, no personal data)."""
    by_site: dict[int, list] = defaultdict(list)
    for row in urgent_cases(today=today):
        by_site[row.case.site_id].append(row)
    if not by_site:
        return
    offices = dict(
        InstitutionSettings.objects.filter(site_id__in=by_site).values_list(
            "site_id", "office_group_id"
        )
    )
    group_emails = _emails_by_group({group for group in offices.values() if group})
    sites = Site.objects.in_bulk(list(by_site))
    for site_id, rows in sorted(by_site.items()):
        recipients = sorted(group_emails.get(offices.get(site_id), set()))
        if not recipients:
            summary.skipped_no_recipients += 1
            continue
        outcome = _send_once(
            kind=ReminderKind.CASE_DIGEST,
            today=today,
            recipients=recipients,
            records=[
                {
                    "number": row.number,
                    "status": row.deadline.status,
                    "due": row.due.isoformat() if row.due else None,
                }
                for row in rows
            ],
            template="reminder_cases",
            context={
                "institution": rows[0].institution,
                "rows": rows,
                "today": today,
                "requests_url": _admin_url(reverse("disclosure_admin:requests")),
                "consultations_url": _admin_url(reverse("disclosure_admin:consultations")),
            },
            site=sites[site_id],
        )
        summary.tally(outcome, sent_field="case_digests_sent")


# The rectification ledger -------------------------------------------------------------------


@dataclass
class FindingReminderRow:
    """One overdue finding as an email names it."""

    row: FindingRow
    working_days_overdue: int

    @property
    def finding(self) -> Finding:
        return self.row.finding

    @property
    def due_text(self) -> str:
        return self.row.due.isoformat() if self.row.due else "—"

    @property
    def url(self) -> str:
        return _admin_url(reverse("disclosure_admin:finding", args=[self.finding.pk]))

    def as_record(self) -> dict:
        return {
            "id": self.finding.pk,
            "number": self.finding.number,
            "due": self.row.due.isoformat() if self.row.due else None,
            "working_days_overdue": self.working_days_overdue,
        }


def _send_finding_reminders(
    *, today: dt.date, escalate_after: int, summary: ReminderSummary
) -> None:
    """Each department's digest of its overdue findings (to its heads), and each institution's
    escalation of those overdue for more than ``escalate_after`` working days (to its office
    and its leadership)."""
    rows = [
        FindingReminderRow(row, workdays.working_days_between(row.due, today))
        for row in overdue_findings(today=today)
    ]
    if not rows:
        return
    by_department: dict[int, list[FindingReminderRow]] = defaultdict(list)
    escalated: dict[int, list[FindingReminderRow]] = defaultdict(list)
    for row in rows:
        by_department[row.finding.department_id].append(row)
        if row.working_days_overdue > escalate_after:
            escalated[row.finding.site_id].append(row)
    departments = {row.finding.department_id: row.finding.department for row in rows}
    groups = {
        site_id: (office, leadership)
        for site_id, office, leadership in InstitutionSettings.objects.filter(
            site_id__in=escalated
        ).values_list("site_id", "office_group_id", "leadership_group_id")
    }
    group_ids = {department.heads_group_id for department in departments.values()} | {
        group for pair in groups.values() for group in pair
    }
    emails = _emails_by_group(group_ids - {None})
    acting = _acting_head_emails(list(departments.values()), today)
    ledger_url = _admin_url(reverse("disclosure_admin:ledger"))
    for department_id, department_rows in sorted(
        by_department.items(), key=lambda entry: _departments_in_order(departments[entry[0]])
    ):
        department = departments[department_id]
        recipients = sorted(
            emails.get(department.heads_group_id, set()) | acting.get(department_id, set())
        )
        if not recipients:
            summary.skipped_no_recipients += 1
            continue
        outcome = _send_once(
            kind=ReminderKind.FINDING_DIGEST,
            today=today,
            recipients=recipients,
            records=[row.as_record() for row in department_rows],
            template="reminder_findings",
            context={
                "department": department,
                "rows": department_rows,
                "today": today,
                "ledger_url": ledger_url,
            },
            department=department,
        )
        summary.tally(outcome, sent_field="finding_digests_sent")
    sites = Site.objects.in_bulk(list(escalated))
    names = institution_names(sites.values())
    for site_id, site_rows in sorted(escalated.items()):
        office, leadership = groups.get(site_id, (None, None))
        recipients = sorted(emails.get(office, set()) | emails.get(leadership, set()))
        if not recipients:
            summary.skipped_no_recipients += 1
            continue
        outcome = _send_once(
            kind=ReminderKind.FINDING_ESCALATION,
            today=today,
            recipients=recipients,
            records=[row.as_record() for row in site_rows],
            template="reminder_findings_escalation",
            context={
                "institution": names[site_id],
                "rows": site_rows,
                "today": today,
                "escalate_after": escalate_after,
                "ledger_url": ledger_url,
            },
            site=sites[site_id],
        )
        summary.tally(outcome, sent_field="finding_escalations_sent")
