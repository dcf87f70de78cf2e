"""The rectification ledger as each reader has it: who may read and answer which findings,
each finding's due date on the working-day calendar and its displayed state, the public ledger,
and the patrols."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import Finding, Patrol
from ..rules.rectification import (
    OVERDUE,
    UNFINISHED,
    FindingState,
    displayed_state,
    finding_due,
    state_label,
)
from . import workdays
from .scope import commission_site_ids, memberships_of


@dataclass(frozen=True)
class LedgerAccess:
    """A user's standing towards the ledger, read once: the disclosure office keeps and
    verifies its institution's findings; a department reads and answers its own; supervisors
    and the leadership read every finding of their institution, and a health commission every
    finding of the institutions in its area."""

    superuser: bool = False
    office_sites: frozenset[int] = frozenset()
    reader_sites: frozenset[int] = frozenset()
    departments: frozenset[int] = frozenset()

    @classmethod
    def of(cls, user) -> LedgerAccess:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()
        if user.is_superuser:
            return cls(superuser=True)
        memberships = memberships_of(user)
        return cls(
            office_sites=memberships.office_sites,
            reader_sites=memberships.supervisor_sites
            | memberships.leadership_sites
            | commission_site_ids(user),
            departments=memberships.departments,
        )

    @property
    def reads_any(self) -> bool:
        return bool(self.superuser or self.office_sites or self.reader_sites or self.departments)

    @property
    def reads_institutions(self) -> bool:
        """Reads whole institutions' ledgers and patrols (the office, supervisors and the
        leadership), not only a department's findings."""
        return bool(self.superuser or self.office_sites or self.reader_sites)

    def is_office(self, site_id: int) -> bool:
        return self.superuser or site_id in self.office_sites

    def may_view(self, finding: Finding) -> bool:
        return (
            self.is_office(finding.site_id)
            or finding.site_id in self.reader_sites
            or finding.department_id in self.departments
        )

    def may_answer(self, finding: Finding) -> bool:
        """The department named (or the office) says what was done, until it is done."""
        return finding.state in UNFINISHED and (
            finding.department_id in self.departments or self.is_office(finding.site_id)
        )

    def may_verify(self, finding: Finding) -> bool:
        return finding.state == FindingState.DONE and self.is_office(finding.site_id)


def findings_visible_to(user, *, access: LedgerAccess | None = None) -> QuerySet:
    access = access or LedgerAccess.of(user)
    findings = Finding.objects.select_related("site", "department", "item")
    if access.superuser:
        return findings
    if not access.reads_any:
        return findings.none()
    return findings.filter(
        Q(site_id__in=access.office_sites | access.reader_sites)
        | Q(department_id__in=access.departments)
    )


@dataclass(frozen=True)
class FindingRow:
    """A finding with its due date and the state the ledger shows today."""

    finding: Finding
    due: dt.date | None
    due_estimated: bool
    state: str

    @property
    def overdue(self) -> bool:
        return self.state == OVERDUE

    @property
    def state_label(self) -> str:
        return state_label(self.state)


def finding_rows(findings: Iterable[Finding], *, today: dt.date | None = None) -> list[FindingRow]:
    """Each finding with its due date on the working-day calendar and its displayed state."""
    today = today or timezone.localdate()
    calendar = workdays.calendar()
    rows = []
    for finding in findings:
        due = finding_due(
            raised_on=finding.raised_on,
            working_days=finding.working_days,
            due_date=finding.due_date,
            calendar=calendar,
        )
        rows.append(
            FindingRow(
                finding=finding,
                due=due.due,
                due_estimated=due.estimated,
                state=displayed_state(state=finding.state, due=due.due, today=today),
            )
        )
    return rows


def overdue_findings(
    site_ids: Iterable[int] | None = None, *, today: dt.date | None = None
) -> list[FindingRow]:
    """Unfinished findings past their due date (of those institutions), oldest due first."""
    findings = Finding.objects.filter(state__in=UNFINISHED).select_related(
        "site", "department", "item"
    )
    if site_ids is not None:
        findings = findings.filter(site_id__in=list(site_ids))
    rows = [row for row in finding_rows(findings, today=today) if row.overdue]
    return sorted(rows, key=lambda row: (row.due, row.finding.pk))


def visible_overdue_findings(user, *, today: dt.date | None = None) -> list[FindingRow]:
    """The overdue findings ``user`` may read (a department its own), oldest due first."""
    findings = findings_visible_to(user).filter(state__in=UNFINISHED)
    rows = [row for row in finding_rows(findings, today=today) if row.overdue]
    return sorted(rows, key=lambda row: (row.due, row.finding.pk))


@dataclass(frozen=True)
class DepartmentFindings:
    site_id: int
    department: str
    open: int
    overdue: int


def open_findings_by_department(
    findings: QuerySet, *, today: dt.date | None = None
) -> list[DepartmentFindings]:
    """Unfinished findings of ``findings`` counted per institution and department."""
    rows = finding_rows(
        findings.filter(state__in=UNFINISHED).select_related("department"), today=today
    )
    open_counts: Counter = Counter()
    overdue_counts: Counter = Counter()
    order = {}
    for row in rows:
        department = row.finding.department
        key = (row.finding.site_id, department.name)
        order[key] = (department.sort_order, department.name)
        open_counts[key] += 1
        overdue_counts[key] += row.overdue
    return [
        DepartmentFindings(
            site_id, name, open_counts[(site_id, name)], overdue_counts[(site_id, name)]
        )
        for site_id, name in sorted(open_counts, key=lambda key: (key[0], order[key]))
    ]


def public_ledger(*, site_id: int, today: dt.date | None = None) -> list[FindingRow]:
    """What the public ledger shows: the findings the office released, newest first."""
    findings = (
        Finding.objects.filter(site_id=site_id, released=True)
        .select_related("department")
        .order_by("-raised_on", "-pk")
    )
    return finding_rows(findings, today=today)


def patrols_visible_to(user) -> QuerySet:
    """Patrols are the office's work; supervisors and the leadership read them."""
    access = LedgerAccess.of(user)
    patrols = Patrol.objects.select_related("site", "run_by")
    if access.superuser:
        return patrols
    sites = access.office_sites | access.reader_sites
    return patrols.filter(site_id__in=sites) if sites else patrols.none()
