"""Review-interval rules (长期, 每N个月复核): a long-standing item is due for review some
months after it was last published or attested ("checked, no change")."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt

from ..update_rules import DEFAULT_REVIEW_MONTHS
from .standing import ComplianceStatus, Deadline, ItemDates, status_for_due


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def review_deadline(dates: ItemDates) -> Deadline:
    """Due ``review_months`` after the later of the last publication and the last attestation."""
    basis = max(
        (d for d in (dates.last_published, dates.last_attested) if d is not None), default=None
    )
    if basis is None:
        return Deadline(status=ComplianceStatus.MISSING)
    due = add_months(basis, dates.rule.review_months or DEFAULT_REVIEW_MONTHS)
    return Deadline(
        status=status_for_due(due, dates.today, dates.calendar, dates.due_soon_working_days),
        due=due,
        basis=basis,
    )
