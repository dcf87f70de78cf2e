"""Seeding the working-day calendar from the ``chinesecalendar`` package.

The package ships the State Council's holiday schedule for the years up to its release (2004–2026
in 1.11) and raises :class:`NotImplementedError` for any other year. Each supported year is copied
into :class:`~disclosure.models.CalendarDay` rows and marked complete; later years are entered by
hand in the admin once the notice is published.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

import chinese_calendar
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ..models import CalendarDay, CalendarDayKind, CalendarSource, CalendarYear
from ..selectors import workdays
from .audit import index_unindexed_history

# The official Chinese names are data, like the catalog's phrasing: they are not translated.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
MAKEUP_DAY_NAME = "调休"
# Years probed when none are given; the package answers for a contiguous range inside them.
FIRST_CANDIDATE_YEAR = 2000
CANDIDATE_YEARS_AHEAD = 3


def supported_years(years: Iterable[int] | None = None) -> list[int]:
    """The years among ``years`` (default: 2000 to three years from now) the package covers."""
    if years is None:
        years = range(FIRST_CANDIDATE_YEAR, timezone.localdate().year + CANDIDATE_YEARS_AHEAD + 1)
    covered = []
    for year in sorted(set(years)):
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            continue
        covered.append(year)
    return covered


def _official_days(year: int) -> Iterator[tuple[date, str, str]]:
    """``(day, kind, name)`` for each public holiday and make-up working day of ``year``."""
    day, end = date(year, 1, 1), date(year, 12, 31)
    while day <= end:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        is_weekend = day.weekday() >= 5
        if is_holiday and name:
            # A plain weekend is reported as a holiday without a name: only named days are stored.
            yield day, CalendarDayKind.HOLIDAY, HOLIDAY_NAMES.get(name, name)
        elif not is_holiday and is_weekend:
            name = HOLIDAY_NAMES.get(name, name) if name else MAKEUP_DAY_NAME
            yield day, CalendarDayKind.MAKEUP_WORKDAY, name
        day += timedelta(days=1)


@transaction.atomic
def seed_calendar_from_chinesecalendar(*, years: Iterable[int] | None = None) -> int:
    """Copy the package's official schedule into the calendar; return the days created.

    Idempotent: seeded days that changed in a newer package are updated, seeded days it no longer
    lists are removed, and days or years entered by hand (source ``manual``) are never touched.
    Years the package does not cover are skipped. Every covered year is marked complete.
    """
    covered = supported_years(years)
    if not covered:
        return 0
    seeded = CalendarSource.CHINESECALENDAR
    existing = {row.day: row for row in CalendarDay.objects.filter(day__year__in=covered)}
    to_create: list[CalendarDay] = []
    official: set[date] = set()
    for year in covered:
        for day, kind, name in _official_days(year):
            official.add(day)
            row = existing.get(day)
            if row is None:
                to_create.append(CalendarDay(day=day, kind=kind, name=name, source=seeded))
            elif row.source == seeded and (row.kind, row.name) != (kind, name):
                row.kind, row.name = kind, name
                row.save(update_fields=["kind", "name"])
    bulk_create_with_history(to_create, CalendarDay, default_change_reason="seed_calendar")
    # Bulk creation sends no per-row history signal: index the new history rows here.
    index_unindexed_history(CalendarDay)
    for day, row in existing.items():
        if day not in official and row.source == seeded:
            row.delete()
    for year in covered:
        calendar_year, _created = CalendarYear.objects.get_or_create(
            year=year, defaults={"source": seeded, "complete": True}
        )
        if calendar_year.source == seeded and not calendar_year.complete:
            calendar_year.complete = True
            calendar_year.save(update_fields=["complete"])
    # Bulk creation sends no post_save signal, so the cached calendar is dropped here, and again
    # at commit in case another thread cached the old rows in between.
    workdays.clear_cache()
    transaction.on_commit(workdays.clear_cache)
    return len(to_create)
