"""Compliance snapshots and update checks: a health commission's record of where each
institution stood on a day, so that a ranking, its trends and a notice's results table read
the same figures later, whatever has changed since.

The figures are those of the institutions' own reports (:func:`~..selectors.ranking.standings`);
nothing here writes into an institution.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ..models import Commission, ComplianceSnapshot, UpdateCheck, UpdateCheckItem
from ..selectors.commissions import CommissionAccess, commission_areas
from ..selectors.ranking import columns_in_report_order, standings


@transaction.atomic
def take_snapshots(
    *,
    site_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
    update_check: UpdateCheck | None = None,
) -> list[ComplianceSnapshot]:
    """Record each institution's (or those of ``site_ids``') standing on ``today``.

    A daily snapshot (no ``update_check``) replaces that day's snapshot of the institution, so
    running it twice a day leaves one row per institution and day; an update check's snapshots
    are its own. A fixed number of queries, whatever the number of institutions."""
    today = today or timezone.localdate()
    snapshots = standings(site_ids=site_ids, today=today).snapshots
    return _save(snapshots, today=today, update_check=update_check)


def _save(
    snapshots: list[ComplianceSnapshot], *, today: dt.date, update_check: UpdateCheck | None
) -> list[ComplianceSnapshot]:
    for snapshot in snapshots:
        snapshot.update_check = update_check
    if update_check is None:
        ComplianceSnapshot.objects.filter(
            site_id__in=[snapshot.site_id for snapshot in snapshots],
            taken_on=today,
            update_check__isnull=True,
        ).delete()
    return ComplianceSnapshot.objects.bulk_create(snapshots)


@transaction.atomic
def take_update_check(*, commission: Commission, user, today: dt.date | None = None) -> UpdateCheck:
    """A commission member's update check (网页更新检查) of the commission's whole area: every
    catalog column of every institution, frozen with its standing as the overdue report gives
    it (grouped by institution, most urgent first), and one snapshot per institution."""
    if not CommissionAccess.of(user).reads_commission(commission.pk):
        raise PermissionDenied
    today = today or timezone.localdate()
    area = commission_areas([commission.pk])[commission.pk]
    result = standings(site_ids=area, today=today)
    check = UpdateCheck(commission=commission, taken_on=today, taken_by=user)
    check._history_user = user
    check.save()
    names = {snapshot.site_id: snapshot.institution_name for snapshot in result.snapshots}
    UpdateCheckItem.objects.bulk_create(
        UpdateCheckItem.frozen(
            row,
            position=position,
            update_check=check,
            site_id=row.institution_id,
            institution_name=names.get(row.institution_id, row.institution)[:200],
        )
        for position, row in enumerate(columns_in_report_order(result.rows))
    )
    _save(result.snapshots, today=today, update_check=check)
    return check
