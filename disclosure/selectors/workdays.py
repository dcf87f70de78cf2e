"""The working-day calendar (工作日历) entered in the database: the one way the plugin counts
working days (:class:`~disclosure.rules.workdays.WorkdayCalendar` does the arithmetic).

Every deadline (the overdue report, the dashboards, the reminders, the public label, the API and
``manage.py deadline``) goes through these functions. They read the calendar entered in the
database (:class:`~disclosure.models.CalendarDay`, :class:`~disclosure.models.CalendarYear`),
which is held in process memory and dropped whenever a calendar row is saved or deleted. A year
whose official schedule is not complete counts Monday to Friday and makes results *estimated*;
with no calendar at all, every result is estimated. Nothing here raises for an unknown year.
"""

from __future__ import annotations

import threading
import time
from datetime import date, datetime
from types import MappingProxyType

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from ..models import CalendarDay, CalendarDayKind, CalendarYear
from ..rules.workdays import WorkdayCalendar, WorkdayResult

__all__ = [
    "WorkdayCalendar",
    "WorkdayResult",
    "add_working_days",
    "calendar",
    "clear_cache",
    "connect_signals",
    "explain_deadline",
    "is_estimated",
    "is_working_day",
    "working_days_between",
]

# Other processes (web workers, the reminder cron) do not see this process's signals; they pick
# up an edit of the calendar after at most this long.
CACHE_SECONDS = 300

_lock = threading.Lock()
_cached: dict[str, tuple[float, WorkdayCalendar]] = {}


def _load() -> WorkdayCalendar:
    holidays: set[date] = set()
    makeup_days: set[date] = set()
    names: dict[date, str] = {}
    for day, kind, name in CalendarDay.objects.values_list("day", "kind", "name"):
        (makeup_days if kind == CalendarDayKind.MAKEUP_WORKDAY else holidays).add(day)
        names[day] = name
    known_years = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    return WorkdayCalendar(
        holidays=frozenset(holidays),
        makeup_days=frozenset(makeup_days),
        known_years=frozenset(known_years),
        names=MappingProxyType(names),
    )


def calendar() -> WorkdayCalendar:
    """The calendar in the database (two queries, then cached in this process)."""
    with _lock:
        entry = _cached.get("calendar")
        now = time.monotonic()
        if entry is None or now - entry[0] > CACHE_SECONDS:
            entry = (now, _load())
            _cached["calendar"] = entry
        return entry[1]


def clear_cache(**kwargs) -> None:
    """Forget the cached calendar; the next call reads the database again.

    Connected to ``post_save`` and ``post_delete`` of the calendar models. A rolled-back
    transaction sends no signal, so a test that writes calendar rows calls this when it ends.
    """
    with _lock:
        _cached.clear()


def connect_signals() -> None:
    """Drop the cached calendar whenever a calendar row is saved or deleted (called by the app)."""
    for model in (CalendarDay, CalendarYear):
        for event, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                clear_cache, sender=model, dispatch_uid=f"disclosure_{model.__name__}_{event}"
            )


def _as_date(day: date) -> date:
    """A ``datetime`` counts as its local date: comparing it with dates would miss every holiday."""
    if isinstance(day, datetime):
        return timezone.localdate(day) if timezone.is_aware(day) else day.date()
    return day


def is_working_day(day: date) -> bool:
    """Whether offices work on ``day`` (make-up days count, public holidays do not)."""
    return calendar().is_working_day(_as_date(day))


def is_estimated(day: date) -> bool:
    """Whether ``day`` lies in a year whose official schedule is not complete in the calendar."""
    return calendar().is_estimated(_as_date(day))


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start``, ``start`` itself not counted (``n >= 0``)."""
    return calendar().add_working_days(_as_date(start), n).date


def explain_deadline(start: date, n: int) -> WorkdayResult:
    """:func:`add_working_days` with its reasons: days skipped, make-up days counted, estimate."""
    return calendar().add_working_days(_as_date(start), n)


def working_days_between(a: date, b: date) -> int:
    """The number of working days ``d`` with ``a < d <= b``; 0 when ``b`` is not after ``a``."""
    return calendar().working_days_between(_as_date(a), _as_date(b))
