"""The dashboard's components: what is late or due soon, for departments and for the disclosure
office, the cases due and the pages returned for changes.

The two deadline components read the deadline engine through ``item_compliance``: one call per
render, a fixed number of queries whatever the size of the catalog.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from wagtail.admin.ui.components import Component
from wagtail.models import Site
from wagtail.query import PageQuerySet

from ..rules.deadlines import ComplianceStatus, urgency
from ..rules.rectification import UNFINISHED
from ..selectors.admin_pages import may_add_under_ids, pages_worked_on
from ..selectors.catalog import institution_names
from ..selectors.commissions import CommissionAccess, commissions_visible_to
from ..selectors.compliance import (
    ComplianceCounts,
    ItemCompliance,
    counts_by_institution,
    item_compliance,
)
from ..selectors.inspections import latest_scores
from ..selectors.moderation import returned_for_changes
from ..selectors.ranking import ranking
from ..selectors.rectification import (
    LedgerAccess,
    finding_rows,
    findings_visible_to,
    open_findings_by_department,
)
from ..selectors.requests import visible_urgent_cases
from ..selectors.scope import overseen_items, oversees_institutions

REPORT_URL_NAME = "disclosure_admin:overdue_report"
NEEDS_ATTENTION = (ComplianceStatus.MISSING, ComplianceStatus.OVERDUE, ComplianceStatus.DUE_SOON)
DEPARTMENT_PANEL_ROWS = 10


def report_url(**filters: Any) -> str:
    """The overdue report, filtered (``department=<pk>``, ``status=<ComplianceStatus>``)."""
    query = urlencode({name: value for name, value in filters.items() if value is not None})
    return f"{reverse(REPORT_URL_NAME)}?{query}" if query else reverse(REPORT_URL_NAME)


def _urgency(row: ItemCompliance) -> tuple:
    return urgency(status=row.deadline.status, due=row.deadline.due, path=row.item.path)


class DepartmentDeadlinesPanel(Component):
    """A department user's items that are never published, overdue or due soon, most urgent
    first (at most ``DEPARTMENT_PANEL_ROWS``), and a link to the department's overdue report."""

    name = "disclosure_department_deadlines"
    template_name = "disclosure/panels/department_deadlines.html"
    order = 100

    def __init__(self, items: PageQuerySet, *, user=None):
        self.items = items
        self.user = user

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        rows = item_compliance(items=self.items, summaries=True)
        urgent = sorted(
            (row for row in rows if row.deadline.status in NEEDS_ATTENTION), key=_urgency
        )
        departments = {row.item.department_id for row in rows}
        # A user of several departments sees them all in the (already scoped) report.
        department = next(iter(departments)) if len(departments) == 1 else None
        shown = urgent[:DEPARTMENT_PANEL_ROWS]
        return {
            "rows": shown,
            "total": len(urgent),
            "report_url": report_url(department=department),
            "may_add_under": may_add_under_ids(self.user, [row.item.pk for row in shown]),
        }


class LinkedComplianceCounts(ComplianceCounts):
    """Counts with links into the overdue report, filtered by department and status."""

    def url(self, status: str | None = None) -> str:
        return report_url(department=self.department_id, status=status)

    @property
    def overdue_url(self) -> str:
        return self.url(ComplianceStatus.OVERDUE)

    @property
    def missing_url(self) -> str:
        return self.url(ComplianceStatus.MISSING)

    @property
    def due_soon_url(self) -> str:
        return self.url(ComplianceStatus.DUE_SOON)

    @property
    def on_time_url(self) -> str:
        return self.url(ComplianceStatus.ON_TIME)


class OfficeCompliancePanel(Component):
    """For the disclosure office, supervisors and superusers: how many items of each department
    stand where, with links into the overdue report, and each institution's on-time rate."""

    name = "disclosure_office_compliance"
    template_name = "disclosure/panels/office_compliance.html"
    order = 100

    def __init__(self, items: PageQuerySet):
        self.items = items

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        return {
            "institutions": counts_by_institution(
                item_compliance(items=self.items, summaries=True),
                counts_class=LinkedComplianceCounts,
            ),
            "report_url": report_url(),
        }


class CaseDeadlinesPanel(Component):
    """Requests and consultations the reader may see that are overdue or due soon."""

    name = "disclosure_case_deadlines"
    template_name = "disclosure/panels/case_deadlines.html"
    order = 90

    def __init__(self, rows: list):
        self.rows = rows

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        return {"rows": self.rows[:DEPARTMENT_PANEL_ROWS], "total": len(self.rows)}


def returned_notice(returned) -> str:
    """Why a page was sent back, in one sentence: the step, who, when, and the comment."""
    when = (
        date_format(timezone.localtime(returned.returned_at), "Y-m-d H:i")
        if returned.returned_at
        else ""
    )
    return gettext(
        "Returned for changes at “%(step)s” by %(person)s on %(when)s. Comment: %(comment)s"
    ) % {
        "step": returned.step,
        "person": returned.returned_by,
        "when": when,
        "comment": returned.comment or gettext("(none given)"),
    }


class ReturnedPagesPanel(Component):
    """The user's pages a review step returned for changes, each with who returned it, when,
    and the comment: on the dashboard, not three clicks deep."""

    name = "disclosure_returned_pages"
    template_name = "disclosure/panels/returned_pages.html"
    order = 80

    def __init__(self, rows: list):
        self.rows = rows

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        return {"rows": self.rows[:DEPARTMENT_PANEL_ROWS], "total": len(self.rows)}


class LedgerPanel(Component):
    """The rectification ledger (整改台账): for the office, supervisors and the leadership, the
    open and overdue findings of each department and each institution's latest self-inspection
    score; for a department, its own open and overdue findings."""

    name = "disclosure_ledger"
    template_name = "disclosure/panels/ledger.html"
    order = 110

    def __init__(self, user, access: LedgerAccess):
        self.user = user
        self.access = access

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        findings = findings_visible_to(self.user, access=self.access)
        access = self.access
        if not access.reads_institutions:
            rows = finding_rows(findings.filter(state__in=UNFINISHED))
            return {
                "department_view": True,
                "open": len(rows),
                "overdue": sum(row.overdue for row in rows),
                "ledger_url": reverse("disclosure_admin:ledger"),
            }
        site_ids = None if access.superuser else access.office_sites | access.reader_sites
        sites = Site.objects.all() if site_ids is None else Site.objects.filter(pk__in=site_ids)
        names = institution_names(sites)
        return {
            "department_view": False,
            "departments": [
                (names.get(row.site_id, ""), row) for row in open_findings_by_department(findings)
            ],
            "scores": [(names.get(score.site_id, ""), score) for score in latest_scores(site_ids)],
            "ledger_url": reverse("disclosure_admin:ledger"),
        }


#: How many institutions the commission's panel shows at the top and at the bottom.
COMMISSION_PANEL_ENDS = 3


class CommissionRankingPanel(Component):
    """A health commission's members: today's ranking of each of their commissions by on-time
    rate, its top and its bottom, and the link to the whole ranking."""

    name = "disclosure_commission_ranking"
    template_name = "disclosure/panels/commission_ranking.html"
    order = 95

    def __init__(self, user, access: CommissionAccess):
        self.user = user
        self.access = access

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        today = timezone.localdate()
        commissions = []
        for commission in commissions_visible_to(self.user, access=self.access):
            rows = ranking(site_ids=self.access.area(commission.pk), on=today, today=today).rows
            ends = COMMISSION_PANEL_ENDS
            commissions.append(
                {
                    "commission": commission,
                    "top": rows[:ends],
                    "bottom": rows[ends:][-ends:],
                    "gap": len(rows) > 2 * ends,
                    "url": reverse("disclosure_admin:commission_ranking", args=[commission.pk]),
                }
            )
        return {"commissions": commissions}


def construct_homepage_panels(request, panels: list) -> None:
    """The ``construct_homepage_panels`` hook: the cases due, then the office's panel or the
    department's panel (none for a user who oversees no published catalog item)."""
    user = request.user
    # The pages sent back to this user's side, not those the user sent back.
    returned = [
        row for row in returned_for_changes(pages_worked_on(user)) if row.returned_by_id != user.pk
    ]
    if returned:
        panels.append(ReturnedPagesPanel(returned))
    commission_access = CommissionAccess.of(user)
    if commission_access.reads and not commission_access.superuser:
        panels.append(CommissionRankingPanel(user, commission_access))
    cases = visible_urgent_cases(user)
    if cases:
        panels.append(CaseDeadlinesPanel(cases))
    ledger_access = LedgerAccess.of(user)
    if ledger_access.reads_any:
        panels.append(LedgerPanel(user, ledger_access))
    items = overseen_items(user).live()
    if not items.exists():
        return
    if oversees_institutions(user):
        panels.append(OfficeCompliancePanel(items))
    else:
        panels.append(DepartmentDeadlinesPanel(items, user=user))
