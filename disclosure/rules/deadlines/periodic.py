"""Periodic rules (每月, 每季度, 每半年, 每年): each period that ends is due N working days
later, or, for a yearly rule with a fixed date (每年1月31日前), on that date of the next year."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..update_rules import Period, RuleKind, UpdateRule
from ..workdays import WorkdayCalendar, WorkdayResult
from .standing import ComplianceStatus, Deadline, ItemDates, status_for_due

_MONTHS_PER_PERIOD = {Period.MONTH: 1, Period.QUARTER: 3, Period.HALF_YEAR: 6, Period.YEAR: 12}
_PERIODS_PER_YEAR = {Period.MONTH: 12, Period.QUARTER: 4, Period.HALF_YEAR: 2, Period.YEAR: 1}


def period_bounds(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the period (month, quarter, half-year, year) containing ``day``."""
    months = _MONTHS_PER_PERIOD[Period(period)]
    first_month = (day.month - 1) // months * months + 1
    last_month = first_month + months - 1
    last_day = month_calendar.monthrange(day.year, last_month)[1]
    return dt.date(day.year, first_month, 1), dt.date(day.year, last_month, last_day)


def previous_period_end(period: str, day: dt.date) -> dt.date:
    """The last day of the latest period that ended before ``day``."""
    start, _end = period_bounds(period, day)
    return start - dt.timedelta(days=1)


def period_due(
    rule: UpdateRule, period_end: dt.date, calendar: WorkdayCalendar, days: int
) -> WorkdayResult:
    """When the period ending on ``period_end`` is due: on the rule's fixed date of the next
    year (a day of the calendar, never an estimate), or N working days after the period ends."""
    fixed = rule.fixed_due(period_end)
    if fixed is not None:
        return WorkdayResult(date=fixed, estimated=False)
    return calendar.add_working_days(period_end, days)


def periodic_deadline(dates: ItemDates) -> Deadline:
    """The latest period that has ended is due; a publication after its end satisfies it, and
    the next period's due date is shown."""
    rule, today, calendar = dates.rule, dates.today, dates.calendar
    last_published = dates.last_published
    ended = previous_period_end(rule.period, today)
    if last_published is not None and last_published > ended:
        # The latest period is done: show when the current one will be due.
        _start, current_end = period_bounds(rule.period, today)
        result = period_due(rule, current_end, calendar, dates.working_days)
        return Deadline(
            status=ComplianceStatus.ON_TIME,
            due=result.date,
            basis=last_published,
            estimated=result.estimated,
            period_end=current_end,
        )
    # The oldest unmet period: the one after the period of the last publication. A missed
    # period stays overdue until something is published, however many periods pass.
    unmet_end = ended if last_published is None else period_bounds(rule.period, last_published)[1]
    result = period_due(rule, unmet_end, calendar, dates.working_days)
    return Deadline(
        status=status_for_due(result.date, today, calendar, dates.due_soon_working_days),
        due=result.date,
        basis=last_published,
        estimated=result.estimated,
        period_end=unmet_end,
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
    calendar: WorkdayCalendar,
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
        due = period_due(rule, end, calendar, days).date
        published = next((d for d in dates if end < d <= next_end), None)
        if published is not None:
            status = PeriodStatus.ON_TIME if published <= due else PeriodStatus.LATE
        else:
            status = PeriodStatus.MISSING if today > due else PeriodStatus.PENDING
        records.append(PeriodRecord(start, end, due, published, status))
        end = start - dt.timedelta(days=1)
    return records


def periods_between(
    *,
    rule: UpdateRule,
    publication_dates: list[dt.date],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    calendar: WorkdayCalendar,
    default_working_days: int,
) -> tuple[int, int]:
    """(met on time, late) over the periods that fell due from ``start`` to ``end``; a period
    not due yet is not counted."""
    on_time = late = 0
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
    return on_time, late
