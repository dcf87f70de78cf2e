"""A health commission's notices (通报) as each reader has them.

The commission's members (and superusers) read the whole notice: its text, its results table,
every finding and how each institution answered it. An institution's disclosure office,
supervisors and leadership read the issued notices that concern their institution, and of
those only their own findings and their own row of the results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from ..models import CommissionNotice, ComplianceSnapshot, NoticeFinding
from ..request_memo import memoized
from ..rules.commissions import NoticeState
from .commissions import CommissionAccess
from .rectification import FindingRow, finding_rows
from .scope import memberships_of


@dataclass(frozen=True)
class NoticeAccess:
    """A user's standing towards the notices, read once."""

    commission: CommissionAccess
    institution_sites: frozenset[int] = frozenset()

    @classmethod
    def of(cls, user) -> NoticeAccess:
        commission = CommissionAccess.of(user)
        if commission.superuser or user is None or not user.is_authenticated:
            return cls(commission=commission)

        def read() -> frozenset[int]:
            memberships = memberships_of(user)
            return (
                memberships.office_sites
                | memberships.supervisor_sites
                | memberships.leadership_sites
            )

        return cls(
            commission=commission,
            institution_sites=memoized(("notice-institutions", user.pk), read),
        )

    @property
    def reads_any(self) -> bool:
        return bool(self.commission.any or self.institution_sites)

    def reads_whole(self, notice: CommissionNotice) -> bool:
        """A member of the notice's commission (or a superuser): the whole notice."""
        return self.commission.reads_commission(notice.commission_id)

    def may_write(self, notice: CommissionNotice) -> bool:
        return self.reads_whole(notice) and notice.state == NoticeState.DRAFT


def notices_visible_to(user, *, access: NoticeAccess | None = None) -> QuerySet:
    """The notices of the user's commissions, and the issued notices with a finding for an
    institution whose office, supervisors or leadership the user belongs to."""
    access = access or NoticeAccess.of(user)
    notices = CommissionNotice.objects.select_related("commission")
    if access.commission.superuser:
        return notices
    scope = Q(commission_id__in=access.commission.reads)
    if access.institution_sites:
        concerns = NoticeFinding.objects.filter(
            notice=OuterRef("pk"), site_id__in=access.institution_sites
        )
        scope |= Q(Exists(concerns), state=NoticeState.ISSUED)
    if not (access.commission.reads or access.institution_sites):
        return notices.none()
    return notices.filter(scope)


@dataclass(frozen=True)
class NoticeLine:
    """A finding of a notice with, once issued, its finding's due date and displayed state
    (open, in progress, done, verified, overdue) and the institution's answer."""

    line: NoticeFinding
    row: FindingRow | None

    @property
    def due(self) -> dt.date | None:
        return self.row.due if self.row else self.line.due_date

    @property
    def state(self) -> str:
        return self.row.state if self.row else ""

    @property
    def state_label(self) -> str:
        return self.row.state_label if self.row else ""

    @property
    def response(self) -> str:
        return self.line.finding.response if self.line.finding_id else ""

    @property
    def done_on(self) -> dt.date | None:
        return self.line.finding.done_on if self.line.finding_id else None


def _line_sites(notice: CommissionNotice, access: NoticeAccess) -> Iterable[int] | None:
    """The institutions whose lines ``access`` reads (None: every one)."""
    return None if access.reads_whole(notice) else access.institution_sites


def notice_lines(
    notice: CommissionNotice, *, access: NoticeAccess, today: dt.date | None = None
) -> list[NoticeLine]:
    """The notice's findings the reader may see, by institution, each with its standing."""
    lines = notice.lines.select_related("site", "department", "item", "finding").order_by(
        "site__site_name", "pk"
    )
    sites = _line_sites(notice, access)
    if sites is not None:
        lines = lines.filter(site_id__in=list(sites))
    lines = list(lines)
    rows = {
        row.finding.pk: row
        for row in finding_rows([line.finding for line in lines if line.finding_id], today=today)
    }
    return [NoticeLine(line=line, row=rows.get(line.finding_id)) for line in lines]


def notice_results(notice: CommissionNotice, *, access: NoticeAccess) -> QuerySet:
    """The results table: each institution's standing in the notice's update check (an
    institution's reader its own rows only)."""
    if notice.update_check_id is None:
        return ComplianceSnapshot.objects.none()
    snapshots = ComplianceSnapshot.objects.filter(update_check_id=notice.update_check_id).order_by(
        "institution_name", "pk"
    )
    sites = _line_sites(notice, access)
    if sites is not None:
        snapshots = snapshots.filter(site_id__in=list(sites))
    return snapshots
