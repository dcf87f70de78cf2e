"""What every kind of rule answers with: a status, a due date, and the order of urgency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..update_rules import UpdateRule
from ..workdays import WorkdayCalendar

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


@dataclass(frozen=True)
class ItemDates:
    """What an item's deadline is computed from, for every kind of rule alike: its rule, the
    working days it allows (the rule's own or the institution's default), today, and the days
    of its last publication, its last attestation and its oldest unpublished change."""

    rule: UpdateRule
    today: dt.date
    calendar: WorkdayCalendar
    working_days: int
    due_soon_working_days: int
    last_published: dt.date | None
    last_attested: dt.date | None
    pending_change: dt.date | None


def status_for_due(
    due: dt.date, today: dt.date, calendar: WorkdayCalendar, due_soon: int
) -> ComplianceStatus:
    if today > due:
        return ComplianceStatus.OVERDUE
    if calendar.working_days_between(today, due) <= due_soon:
        return ComplianceStatus.DUE_SOON
    return ComplianceStatus.ON_TIME


def on_time_rate(on_time: int, due: int) -> int | None:
    """Percentage of ``due`` met on time, rounded down, so that one late item never shows
    100%; ``None`` when nothing was due."""
    return None if due == 0 else 100 * on_time // due


def catalog_on_time_rate(*, total: int, no_schedule: int, late: int) -> int | None:
    """A catalog's on-time rate: the share of its scheduled items (real-time ones have no
    schedule) that are not late (overdue or never published), rounded down. The overdue
    report's counts, the dashboards, the commission's ranking and its trends all use it."""
    scheduled = total - no_schedule
    return on_time_rate(scheduled - late, scheduled)
