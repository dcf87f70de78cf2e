"""The deadline engine: when is a catalog item due, and is it late?

One computation serves the overdue report, the dashboards, the reminders, the public label and
the API. It takes a rule, a few dates and a working-day calendar, and imports no model. Each
kind of rule has its module (:mod:`.periodic`, :mod:`.on_change`, :mod:`.review_interval`);
:func:`compute_deadline` and :func:`deadlines_between` send each rule to its kind's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..update_rules import RuleKind, UpdateRule
from ..workdays import WorkdayCalendar
from .on_change import ChangeRecord, change_due, change_record, changes_between, on_change_deadline
from .periodic import (
    PeriodRecord,
    PeriodStatus,
    period_bounds,
    period_due,
    period_history,
    periodic_deadline,
    periods_between,
    previous_period_end,
)
from .review_interval import add_months, review_deadline
from .standing import (
    DUE_SOON_WORKING_DAYS,
    URGENCY_ORDER,
    ComplianceStatus,
    Deadline,
    ItemDates,
    catalog_on_time_rate,
    on_time_rate,
    status_for_due,
    urgency,
)

__all__ = [
    "DUE_SOON_WORKING_DAYS",
    "URGENCY_ORDER",
    "ChangeRecord",
    "ComplianceStatus",
    "Deadline",
    "ItemDates",
    "PeriodRecord",
    "PeriodStatus",
    "add_months",
    "catalog_on_time_rate",
    "change_due",
    "change_record",
    "compute_deadline",
    "deadlines_between",
    "on_time_rate",
    "period_bounds",
    "period_due",
    "period_history",
    "previous_period_end",
    "status_for_due",
    "urgency",
]


def _real_time_deadline(dates: ItemDates) -> Deadline:
    return Deadline(status=ComplianceStatus.NO_SCHEDULE, basis=dates.last_published)


_DEADLINE_BY_KIND: dict[str, Callable[[ItemDates], Deadline]] = {
    RuleKind.REAL_TIME: _real_time_deadline,
    RuleKind.ON_CHANGE: on_change_deadline,
    RuleKind.PERIODIC: periodic_deadline,
    RuleKind.REVIEW: review_deadline,
}


def compute_deadline(
    *,
    rule: UpdateRule,
    today: dt.date,
    calendar: WorkdayCalendar,
    default_working_days: int,
    last_published: dt.date | None,
    last_attested: dt.date | None = None,
    pending_change: dt.date | None = None,
    due_soon_working_days: int = DUE_SOON_WORKING_DAYS,
) -> Deadline:
    """The item's deadline today.

    * on change: ``pending_change`` is the oldest recorded change not followed by a
      publication; its publication is due N working days after it (a newer change does not
      make it any less due); without a pending change the item is up to date once published;
    * periodic: the latest period that has ended is due N working days after its end (or, for
      a yearly rule with a fixed date, on that date of the next year); a publication after
      that end satisfies it, and the next period's due date is shown;
    * review interval: due ``review_months`` after the later of the last publication and the
      last attestation ("checked, no change");
    * real time: no schedule.
    """
    dates = ItemDates(
        rule=rule,
        today=today,
        calendar=calendar,
        working_days=rule.working_days or default_working_days,
        due_soon_working_days=due_soon_working_days,
        last_published=last_published,
        last_attested=last_attested,
        pending_change=pending_change,
    )
    return _DEADLINE_BY_KIND[rule.kind](dates)


def deadlines_between(
    *,
    rule: UpdateRule,
    publication_dates: list[dt.date],
    changes: list[dt.date],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    calendar: WorkdayCalendar,
    default_working_days: int,
) -> tuple[int, int]:
    """(met on time, late) over an item's deadlines that fell due from ``start`` to ``end``:
    each period of a periodic rule and each recorded change of an on-change rule. A deadline
    not met counts late once it has passed (``today``); one still open is not counted."""
    if rule.kind == RuleKind.PERIODIC:
        return periods_between(
            rule=rule,
            publication_dates=publication_dates,
            start=start,
            end=end,
            today=today,
            calendar=calendar,
            default_working_days=default_working_days,
        )
    if rule.kind == RuleKind.ON_CHANGE:
        return changes_between(
            rule=rule,
            publication_dates=publication_dates,
            changes=changes,
            start=start,
            end=end,
            today=today,
            calendar=calendar,
            default_working_days=default_working_days,
        )
    return 0, 0
