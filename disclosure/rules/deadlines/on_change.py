"""On-change rules (信息形成或变更之日起N个工作日内): a recorded change is due for publication
N working days after it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..update_rules import UpdateRule
from ..workdays import WorkdayCalendar, WorkdayResult
from .standing import ComplianceStatus, Deadline, ItemDates, status_for_due


def change_due(
    *, rule: UpdateRule, changed_on: dt.date, calendar: WorkdayCalendar, default_working_days: int
) -> WorkdayResult:
    """When the publication of a change made on ``changed_on`` is due."""
    return calendar.add_working_days(changed_on, rule.working_days or default_working_days)


def on_change_deadline(dates: ItemDates) -> Deadline:
    """The oldest recorded change not followed by a publication is due N working days after
    it (a newer change does not make it any less due); without a pending change the item is
    up to date once published."""
    pending_change, last_published = dates.pending_change, dates.last_published
    if pending_change is not None and (last_published is None or last_published < pending_change):
        result = change_due(
            rule=dates.rule,
            changed_on=pending_change,
            calendar=dates.calendar,
            default_working_days=dates.working_days,
        )
        return Deadline(
            status=status_for_due(
                result.date, dates.today, dates.calendar, dates.due_soon_working_days
            ),
            due=result.date,
            basis=pending_change,
            estimated=result.estimated,
        )
    if last_published is None:
        return Deadline(status=ComplianceStatus.MISSING)
    return Deadline(status=ComplianceStatus.ON_TIME, basis=last_published)


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
    calendar: WorkdayCalendar,
    default_working_days: int,
) -> ChangeRecord:
    due = change_due(
        rule=rule,
        changed_on=changed_on,
        calendar=calendar,
        default_working_days=default_working_days,
    ).date
    published = min((d for d in publication_dates if d >= changed_on), default=None)
    return ChangeRecord(changed_on, due, published, (published or today) > due)


def changes_between(
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
    """(met on time, late) over the changes whose publication fell due from ``start`` to
    ``end``; one still open and not yet due is not counted."""
    on_time = late = 0
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
