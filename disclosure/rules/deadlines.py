"""The deadline engine: when is a catalog item due, and is it late?

One computation serves the overdue report, the dashboards, the reminders, the public label and
the API. It takes a rule, a few dates and a working-day calendar, and imports no model.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _

from .update_rules import DEFAULT_REVIEW_MONTHS, Period, RuleKind, UpdateRule

DUE_SOON_WORKING_DAYS = 5


class ComplianceStatus(models.TextChoices):
    ON_TIME = "on_time", _("Up to date")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    MISSING = "missing", _("Never published")
    NO_SCHEDULE = "no_schedule", _("No schedule (real time)")


#: Most urgent first: never published, overdue, due soon, then on time and without a schedule.
URGENCY_ORDER = (
    ComplianceStatus.MISSING,
    ComplianceStatus.OVERDUE,
    ComplianceStatus.DUE_SOON,
    ComplianceStatus.ON_TIME,
    ComplianceStatus.NO_SCHEDULE,
)


def urgency(*, status: str, due: dt.date | None, path: str = "") -> tuple:
    """The sort key of an item's standing, most urgent first (``URGENCY_ORDER``), then the
    earliest due date, then the catalog's order (``path``). The overdue report, the dashboard
    and the reminders list items in this one order."""
    rank = URGENCY_ORDER.index(status) if status in URGENCY_ORDER else len(URGENCY_ORDER)
    return (rank, due or dt.date.max, path)


class CalendarResult(Protocol):
    date: dt.date
    estimated: bool


class WorkingDayCalendar(Protocol):
    def add_working_days(self, start: dt.date, n: int) -> CalendarResult: ...

    def working_days_between(self, a: dt.date, b: dt.date) -> int: ...


@dataclass(frozen=True)
class Deadline:
    """Where an item stands: its next due date (if any), its status, and what it counts from."""

    status: str
    due: dt.date | None = None
    basis: dt.date | None = None
    estimated: bool = False
    period_end: dt.date | None = None

    @property
    def is_late(self) -> bool:
        return self.status in (ComplianceStatus.OVERDUE, ComplianceStatus.MISSING)


def period_bounds(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the period (month, quarter, half-year, year) containing ``day``."""
    months = {Period.MONTH: 1, Period.QUARTER: 3, Period.HALF_YEAR: 6, Period.YEAR: 12}[
        Period(period)
    ]
    first_month = (day.month - 1) // months * months + 1
    last_month = first_month + months - 1
    last_day = month_calendar.monthrange(day.year, last_month)[1]
    return dt.date(day.year, first_month, 1), dt.date(day.year, last_month, last_day)


def previous_period_end(period: str, day: dt.date) -> dt.date:
    """The last day of the latest period that ended before ``day``."""
    start, _end = period_bounds(period, day)
    return start - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class _FixedDate:
    """A due date fixed by the rule: a day of the calendar, never an estimate."""

    date: dt.date
    estimated: bool = False


def _period_due(
    rule: UpdateRule, period_end: dt.date, calendar: WorkingDayCalendar, days: int
) -> CalendarResult:
    """When the period ending on ``period_end`` is due: on the rule's fixed date of the next
    year, or N working days after the period ends."""
    fixed = rule.fixed_due(period_end)
    if fixed is not None:
        return _FixedDate(fixed)
    return calendar.add_working_days(period_end, days)


def status_for_due(
    due: dt.date, today: dt.date, calendar: WorkingDayCalendar, due_soon: int
) -> ComplianceStatus:
    if today > due:
        return ComplianceStatus.OVERDUE
    if calendar.working_days_between(today, due) <= due_soon:
        return ComplianceStatus.DUE_SOON
    return ComplianceStatus.ON_TIME


def compute_deadline(
    *,
    rule: UpdateRule,
    today: dt.date,
    calendar: WorkingDayCalendar,
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
    days = rule.working_days or default_working_days
    if rule.kind == RuleKind.REAL_TIME:
        return Deadline(status=ComplianceStatus.NO_SCHEDULE, basis=last_published)

    if rule.kind == RuleKind.ON_CHANGE:
        if pending_change is not None and (
            last_published is None or last_published < pending_change
        ):
            result = calendar.add_working_days(pending_change, days)
            return Deadline(
                status=status_for_due(result.date, today, calendar, due_soon_working_days),
                due=result.date,
                basis=pending_change,
                estimated=result.estimated,
            )
        if last_published is None:
            return Deadline(status=ComplianceStatus.MISSING)
        return Deadline(status=ComplianceStatus.ON_TIME, basis=last_published)

    if rule.kind == RuleKind.PERIODIC:
        ended = previous_period_end(rule.period, today)
        if last_published is not None and last_published > ended:
            # The latest period is done: show when the current one will be due.
            _start, current_end = period_bounds(rule.period, today)
            result = _period_due(rule, current_end, calendar, days)
            return Deadline(
                status=ComplianceStatus.ON_TIME,
                due=result.date,
                basis=last_published,
                estimated=result.estimated,
                period_end=current_end,
            )
        # The oldest unmet period: the one after the period of the last publication. A missed
        # period stays overdue until something is published, however many periods pass.
        unmet_end = (
            ended if last_published is None else period_bounds(rule.period, last_published)[1]
        )
        result = _period_due(rule, unmet_end, calendar, days)
        return Deadline(
            status=status_for_due(result.date, today, calendar, due_soon_working_days),
            due=result.date,
            basis=last_published,
            estimated=result.estimated,
            period_end=unmet_end,
        )

    basis = max((d for d in (last_published, last_attested) if d is not None), default=None)
    if basis is None:
        return Deadline(status=ComplianceStatus.MISSING)
    due = add_months(basis, rule.review_months or DEFAULT_REVIEW_MONTHS)
    return Deadline(
        status=status_for_due(due, today, calendar, due_soon_working_days), due=due, basis=basis
    )


class PeriodStatus(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSING = "missing", _("Missing")
    PENDING = "pending", _("Not due yet")


@dataclass(frozen=True)
class PeriodRecord:
    start: dt.date
    end: dt.date
    due: dt.date
    published_on: dt.date | None
    status: str

    @property
    def status_label(self) -> str:
        return str(PeriodStatus(self.status).label)


def period_history(
    *,
    rule: UpdateRule,
    publication_dates: list[dt.date],
    today: dt.date,
    calendar: WorkingDayCalendar,
    default_working_days: int,
    count: int = 8,
) -> list[PeriodRecord]:
    """Compliance of a periodic item's last ``count`` ended periods, newest first.

    A period is met by the first publication after it ends and before the next one ends.
    """
    if rule.kind != RuleKind.PERIODIC:
        return []
    days = rule.working_days or default_working_days
    dates = sorted(publication_dates)
    records = []
    end = previous_period_end(rule.period, today)
    for _index in range(count):
        start, _same_end = period_bounds(rule.period, end)
        next_end = period_bounds(rule.period, end + dt.timedelta(days=1))[1]
        due = _period_due(rule, end, calendar, days).date
        published = next((d for d in dates if end < d <= next_end), None)
        if published is not None:
            status = PeriodStatus.ON_TIME if published <= due else PeriodStatus.LATE
        else:
            status = PeriodStatus.MISSING if today > due else PeriodStatus.PENDING
        records.append(PeriodRecord(start, end, due, published, status))
        end = start - dt.timedelta(days=1)
    return records


@dataclass(frozen=True)
class ChangeRecord:
    """A recorded change of an on-change item: when its publication was due, the first
    publication on or after the change, and whether it was (or, with none yet, is now) late."""

    changed_on: dt.date
    due: dt.date
    published_on: dt.date | None
    late: bool


def change_record(
    *,
    rule: UpdateRule,
    changed_on: dt.date,
    publication_dates: list[dt.date],
    today: dt.date,
    calendar: WorkingDayCalendar,
    default_working_days: int,
) -> ChangeRecord:
    due = calendar.add_working_days(changed_on, rule.working_days or default_working_days).date
    published = min((d for d in publication_dates if d >= changed_on), default=None)
    return ChangeRecord(changed_on, due, published, (published or today) > due)


def on_time_rate(on_time: int, due: int) -> int | None:
    """Percentage of ``due`` met on time, rounded down, so that one late item never shows
    100%; ``None`` when nothing was due."""
    return None if due == 0 else 100 * on_time // due


_PERIODS_PER_YEAR = {Period.MONTH: 12, Period.QUARTER: 4, Period.HALF_YEAR: 2, Period.YEAR: 1}


def deadlines_between(
    *,
    rule: UpdateRule,
    publication_dates: list[dt.date],
    changes: list[dt.date],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    calendar: WorkingDayCalendar,
    default_working_days: int,
) -> tuple[int, int]:
    """(met on time, late) over an item's deadlines that fell due from ``start`` to ``end``:
    each period of a periodic rule and each recorded change of an on-change rule. A deadline
    not met counts late once it has passed (``today``); one still open is not counted."""
    on_time = late = 0
    if rule.kind == RuleKind.PERIODIC:
        years = max(today.year - start.year, 0) + 2
        for record in period_history(
            rule=rule,
            publication_dates=publication_dates,
            today=today,
            calendar=calendar,
            default_working_days=default_working_days,
            count=_PERIODS_PER_YEAR[Period(rule.period)] * years,
        ):
            if start <= record.due <= end and record.status != PeriodStatus.PENDING:
                on_time += record.status == PeriodStatus.ON_TIME
                late += record.status != PeriodStatus.ON_TIME
    elif rule.kind == RuleKind.ON_CHANGE:
        for changed_on in changes:
            record = change_record(
                rule=rule,
                changed_on=changed_on,
                publication_dates=publication_dates,
                today=today,
                calendar=calendar,
                default_working_days=default_working_days,
            )
            if start <= record.due <= end and (record.published_on or today > record.due):
                on_time += not record.late
                late += record.late
    return on_time, late
