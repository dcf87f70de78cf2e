"""The Chinese working-day calendar (工作日): weekends, public holidays and make-up working days.

A deadline of "N working days" counts the days on which government offices work. Public holidays
(法定节假日) are days off even on a weekday, and make-up working days (调休上班) are weekend days on
which offices work. The official schedule is published by the State Council each November for the
next year, so some years are *unknown*: for those, Monday to Friday are taken as the working days
and every date computed across them is marked estimated. This module only holds the arithmetic;
:mod:`disclosure.selectors.workdays` builds the calendar from the database.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from types import MappingProxyType

from django.utils.translation import get_language, gettext

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5
_MAX_ANSWERS = 50_000


def _is_weekday(day: date) -> bool:
    return day.weekday() < _SATURDAY


def _weekdays_up_to(day: date) -> int:
    """The number of Mondays to Fridays from day 1 of the proleptic calendar up to ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    # Ordinal 1 (0001-01-01) is a Monday, so ``rest`` days of a started week begin on Monday.
    return weeks * 5 + min(rest, 5)


@dataclass(frozen=True)
class WorkdayResult:
    """The n-th working day after a start date, with the reasons behind it.

    ``skipped`` lists each day off passed over, with its reason (the holiday's name, or the
    weekend); ``makeup_counted`` lists the weekend days counted as make-up working days.
    ``estimated`` is true when a counted or skipped day falls in a year whose official schedule is
    not known, so its days not entered in the calendar were taken as Monday to Friday.
    """

    date: date
    estimated: bool
    skipped: tuple[tuple[date, str], ...] = ()
    makeup_counted: tuple[date, ...] = ()


@dataclass(frozen=True)
class WorkdayCalendar:
    """Which days are working days, from the official holidays and make-up days.

    ``holidays`` are the official public holidays, on weekdays and weekends alike;
    ``makeup_days`` are the weekend days that are working days (调休上班); ``known_years`` are the
    years whose official schedule is fully entered. ``names`` gives a holiday's name, or for a
    make-up day the holiday it makes up for.

    Entered days apply in every year, so a holiday entered ahead of the official notice is already
    taken off; a year outside ``known_years`` only makes the results *estimated*.
    """

    holidays: frozenset[date]
    makeup_days: frozenset[date]
    known_years: frozenset[int]
    names: Mapping[date, str] = field(
        default_factory=lambda: MappingProxyType({}), hash=False, compare=False
    )

    @classmethod
    def weekdays_only(cls) -> WorkdayCalendar:
        """A calendar that knows no year: Monday to Friday, every result estimated."""
        return cls(holidays=frozenset(), makeup_days=frozenset(), known_years=frozenset())

    # Single days ----------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Whether offices work on ``day``: a make-up day, or a weekday that is not a holiday."""
        if day in self.makeup_days:
            return True
        if day in self.holidays:
            return False
        return _is_weekday(day)

    def is_estimated(self, day: date) -> bool:
        """Whether ``day`` falls in a year whose official schedule is not known."""
        return day.year not in self.known_years

    def day_off_reason(self, day: date) -> str:
        """Why ``day`` is not a working day: the holiday's name, or the weekend."""
        if day in self.holidays:
            return self.names.get(day) or gettext("Public holiday")
        return gettext("Weekend")

    # Counting -------------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> WorkdayResult:
        """The ``n``-th working day after ``start``; ``start`` itself is never counted.

        ``n = 0`` returns ``start`` unchanged, even on a day off, and examines no day, so the
        result is not estimated. A negative ``n`` raises :class:`ValueError`.
        """
        if n < 0:
            raise ValueError(f"the number of working days must not be negative, got {n}")
        # The calendar never changes, so each answer is kept (per language, for the reasons):
        # a report over 3,000 items asks the same few hundred questions again and again.
        key = (start, n, get_language())
        result = self._answers.get(key)
        if result is None:
            if len(self._answers) > _MAX_ANSWERS:
                self._answers.clear()
            result = self._answers[key] = self._count_working_days(start, n)
        return result

    @cached_property
    def _answers(self) -> dict[tuple[date, int, str | None], WorkdayResult]:
        return {}

    def _count_working_days(self, start: date, n: int) -> WorkdayResult:
        day = start
        estimated = False
        skipped: list[tuple[date, str]] = []
        makeup_counted: list[date] = []
        remaining = n
        while remaining:
            day += _ONE_DAY
            estimated = estimated or self.is_estimated(day)
            if self.is_working_day(day):
                remaining -= 1
                if not _is_weekday(day):
                    makeup_counted.append(day)
            else:
                skipped.append((day, self.day_off_reason(day)))
        return WorkdayResult(
            date=day,
            estimated=estimated,
            skipped=tuple(skipped),
            makeup_counted=tuple(makeup_counted),
        )

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days ``d`` with ``a < d <= b``; 0 when ``b`` is not after ``a``.

        Counts weekdays arithmetically and corrects for the entered days in the range, so a span
        of years costs no more than a week.
        """
        if b <= a:
            return 0
        count = _weekdays_up_to(b) - _weekdays_up_to(a)
        days = self._entered_days
        for day in days[bisect_right(days, a) : bisect_right(days, b)]:
            if day in self.makeup_days:
                if not _is_weekday(day):
                    count += 1
            elif _is_weekday(day):
                count -= 1
        return count

    @cached_property
    def _entered_days(self) -> tuple[date, ...]:
        return tuple(sorted(self.holidays | self.makeup_days))
