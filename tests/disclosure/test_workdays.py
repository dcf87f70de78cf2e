"""Working days: the calendar arithmetic, the calendar in the database, and its seeding."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from disclosure.models import CalendarDay, CalendarDayKind, CalendarSource, CalendarYear
from disclosure.rules.workdays import WorkdayCalendar
from disclosure.selectors import workdays
from disclosure.services.workdays import seed_calendar_from_chinesecalendar

NATIONAL_DAY_2025 = {date(2025, 10, day): "国庆节" for day in (1, 2, 3, 4, 5, 7, 8)} | {
    date(2025, 10, 6): "中秋节"
}
NATIONAL_DAY_MAKEUP_2025 = {date(2025, 9, 28): "国庆节", date(2025, 10, 11): "国庆节"}


@pytest.fixture
def national_day_2025() -> WorkdayCalendar:
    """The 2025 National Day schedule by hand, as the State Council published it."""
    return WorkdayCalendar(
        holidays=frozenset(NATIONAL_DAY_2025),
        makeup_days=frozenset(NATIONAL_DAY_MAKEUP_2025),
        known_years=frozenset({2025}),
        names=NATIONAL_DAY_2025 | NATIONAL_DAY_MAKEUP_2025,
    )


@pytest.fixture(autouse=True)
def _fresh_workday_cache():
    """A rolled-back test sends no signal: never let its calendar reach the next test."""
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture
def seeded(db) -> None:
    """The official 2025 and 2026 schedules (the demo database may hold them already)."""
    seed_calendar_from_chinesecalendar(years=[2025, 2026])


def _count_by_walking(calendar: WorkdayCalendar, a: date, b: date) -> int:
    return sum(
        calendar.is_working_day(a + timedelta(days=offset)) for offset in range(1, (b - a).days + 1)
    )


# The arithmetic, on a calendar made by hand ------------------------------------------------


def test_an_empty_calendar_works_monday_to_friday_and_estimates_everything():
    calendar = WorkdayCalendar.weekdays_only()

    assert calendar.is_working_day(date(2025, 10, 1))  # a Wednesday: no holiday is known
    assert not calendar.is_working_day(date(2025, 9, 28))  # a Sunday
    assert calendar.is_estimated(date(2025, 10, 1))
    assert calendar.add_working_days(date(2025, 9, 26), 5).date == date(2025, 10, 3)


def test_holidays_are_days_off_and_makeup_days_are_working_days(national_day_2025):
    assert not national_day_2025.is_working_day(date(2025, 10, 1))  # Wednesday, 国庆节
    assert national_day_2025.is_working_day(date(2025, 9, 28))  # Sunday, 调休上班
    assert national_day_2025.is_working_day(date(2025, 10, 11))  # Saturday, 调休上班
    assert not national_day_2025.is_working_day(date(2025, 10, 12))  # an ordinary Sunday
    assert national_day_2025.is_working_day(date(2025, 10, 9))  # an ordinary Thursday


def test_twenty_working_days_across_national_day(national_day_2025):
    result = national_day_2025.add_working_days(date(2025, 9, 26), 20)

    assert result.date == date(2025, 10, 30)
    assert not result.estimated
    assert result.makeup_counted == (date(2025, 9, 28), date(2025, 10, 11))
    skipped = dict(result.skipped)
    assert {day: skipped[day] for day in NATIONAL_DAY_2025} == NATIONAL_DAY_2025
    assert date(2025, 9, 27) in skipped  # the Saturday before the make-up Sunday
    assert skipped[date(2025, 9, 27)] == skipped[date(2025, 10, 12)]  # both plain weekend days
    assert len(result.skipped) == 14  # 8 holidays and 6 weekend days between 26 Sep and 30 Oct


def test_the_start_day_is_never_counted(national_day_2025):
    # The first working day after Friday 26 September 2025 is the make-up Sunday.
    assert national_day_2025.add_working_days(date(2025, 9, 26), 1).date == date(2025, 9, 28)
    # Counting from inside the holiday starts with the first working day after it.
    assert national_day_2025.add_working_days(date(2025, 10, 3), 1).date == date(2025, 10, 9)


def test_zero_working_days_is_the_start_day_itself(national_day_2025):
    result = national_day_2025.add_working_days(date(2025, 10, 1), 0)

    assert result.date == date(2025, 10, 1)
    assert result.skipped == ()
    assert not result.estimated


def test_a_negative_number_of_working_days_is_refused(national_day_2025):
    with pytest.raises(ValueError, match="negative"):
        national_day_2025.add_working_days(date(2025, 9, 26), -1)


def test_a_year_without_official_schedule_is_estimated(national_day_2025):
    inside = national_day_2025.add_working_days(date(2025, 12, 24), 5)
    across = national_day_2025.add_working_days(date(2025, 12, 29), 5)

    assert inside.date == date(2025, 12, 31) and not inside.estimated
    assert across.date == date(2026, 1, 5) and across.estimated  # 1 January counted as a Thursday


def test_days_entered_for_an_incomplete_year_apply_but_stay_estimated():
    calendar = WorkdayCalendar(
        holidays=frozenset({date(2027, 1, 1)}),
        makeup_days=frozenset(),
        known_years=frozenset({2026}),
        names={date(2027, 1, 1): "元旦"},
    )

    result = calendar.add_working_days(date(2026, 12, 31), 1)

    assert result.date == date(2027, 1, 4)
    assert result.estimated
    assert (date(2027, 1, 1), "元旦") in result.skipped


def test_working_days_between_counts_after_a_up_to_and_including_b(national_day_2025):
    assert national_day_2025.working_days_between(date(2025, 9, 26), date(2025, 10, 30)) == 20
    assert national_day_2025.working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
    assert national_day_2025.working_days_between(date(2025, 10, 9), date(2025, 10, 9)) == 0
    assert national_day_2025.working_days_between(date(2025, 10, 30), date(2025, 9, 26)) == 0


def test_working_days_between_agrees_with_walking_day_by_day(national_day_2025):
    rng = random.Random(2025)  # noqa: S311 - test data, not cryptography
    for _ in range(300):
        a = date(2025, 1, 1) + timedelta(days=rng.randrange(700))
        b = a + timedelta(days=rng.randrange(-10, 400))
        expected = _count_by_walking(national_day_2025, a, b)
        assert national_day_2025.working_days_between(a, b) == expected, (a, b)


def test_adding_and_counting_are_inverse(national_day_2025):
    start = date(2025, 9, 19)
    for n in range(40):
        due = national_day_2025.add_working_days(start, n).date
        assert national_day_2025.working_days_between(start, due) == n


# The calendar in the database ---------------------------------------------------------------


def test_national_day_2025_from_the_seeded_calendar(seeded):
    assert workdays.add_working_days(date(2025, 9, 26), 20) == date(2025, 10, 30)

    result = workdays.explain_deadline(date(2025, 9, 26), 20)
    assert result.makeup_counted == (date(2025, 9, 28), date(2025, 10, 11))
    skipped = dict(result.skipped)
    assert skipped[date(2025, 10, 1)] == "国庆节"
    assert skipped[date(2025, 10, 6)] == "中秋节"
    assert not result.estimated


def test_spring_festival_2026_makeup_saturdays_are_working_days(seeded):
    assert workdays.is_working_day(date(2026, 2, 14))
    assert workdays.is_working_day(date(2026, 2, 28))
    assert not workdays.is_working_day(date(2026, 2, 16))  # Monday, 春节
    # Friday 13 February, then the make-up Saturday, then nothing until Tuesday 24 February.
    assert workdays.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    result = workdays.explain_deadline(date(2026, 2, 13), 2)
    assert result.date == date(2026, 2, 24)
    assert {reason for day, reason in result.skipped} == {"春节"}
    assert workdays.add_working_days(date(2026, 2, 27), 1) == date(2026, 2, 28)


def test_a_start_on_a_holiday_counts_from_the_next_working_day(seeded):
    # chinese_calendar.find_workday(1, 2025-05-05) answers 05-07; the law's count gives 05-06.
    assert workdays.add_working_days(date(2025, 5, 5), 1) == date(2025, 5, 6)


def test_period_ends_before_a_holiday(seeded):
    # Quarter end 30 September 2025: the first working day after it is 9 October.
    assert workdays.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    # Year end 2025: 1–3 January 2026 are 元旦, Sunday 4 January is a make-up working day.
    assert workdays.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert workdays.working_days_between(date(2025, 12, 31), date(2026, 1, 5)) == 2


def test_an_unknown_year_falls_back_to_monday_to_friday_and_is_estimated(seeded):
    assert workdays.is_estimated(date(2030, 10, 1))
    assert not workdays.is_estimated(date(2025, 10, 1))
    assert workdays.is_working_day(date(2030, 10, 1))  # a Tuesday; no holiday is entered
    result = workdays.explain_deadline(date(2030, 9, 27), 5)
    assert result.date == date(2030, 10, 4)
    assert result.estimated
    # Across the end of the last covered year, the result is estimated too.
    result = workdays.explain_deadline(date(2026, 12, 30), 3)
    assert result.date == date(2027, 1, 4)
    assert result.estimated


def test_without_any_calendar_rows_everything_is_monday_to_friday_and_estimated(db):
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()

    result = workdays.explain_deadline(date(2025, 9, 26), 20)

    assert result.date == date(2025, 10, 24)
    assert result.estimated
    assert workdays.working_days_between(date(2025, 9, 26), date(2025, 10, 24)) == 20


def test_an_aware_datetime_counts_as_its_date_in_china(seeded):
    # 17:00 UTC on 30 September is already 1 October, National Day, in Beijing.
    assert not workdays.is_working_day(datetime(2025, 9, 30, 17, tzinfo=UTC))
    assert workdays.is_working_day(datetime(2025, 9, 30, 15, tzinfo=UTC))


def test_a_day_entered_by_hand_changes_the_deadline_at_once(seeded):
    assert workdays.add_working_days(date(2025, 9, 26), 20) == date(2025, 10, 30)

    CalendarDay.objects.create(
        day=date(2025, 10, 30),
        kind=CalendarDayKind.HOLIDAY,
        name="院庆",
        source=CalendarSource.MANUAL,
    )
    assert workdays.add_working_days(date(2025, 9, 26), 20) == date(2025, 10, 31)

    CalendarDay.objects.get(day=date(2025, 10, 11)).delete()
    assert workdays.add_working_days(date(2025, 9, 26), 20) == date(2025, 11, 3)


def test_a_year_marked_complete_by_hand_is_no_longer_estimated(seeded):
    assert workdays.is_estimated(date(2027, 1, 4))

    CalendarYear.objects.create(year=2027, complete=True)

    assert not workdays.is_estimated(date(2027, 1, 4))


def test_a_makeup_day_must_fall_on_a_weekend(db):
    day = CalendarDay(day=date(2025, 10, 9), kind=CalendarDayKind.MAKEUP_WORKDAY, name="国庆节")

    with pytest.raises(ValidationError) as raised:
        day.full_clean()

    assert "day" in raised.value.message_dict


# Seeding from chinesecalendar ---------------------------------------------------------------


def test_seeding_stores_named_holidays_and_makeup_days_in_chinese(db):
    CalendarDay.objects.filter(day__year=2025).delete()

    created = seed_calendar_from_chinesecalendar(years=[2025])

    days = {row.day: row for row in CalendarDay.objects.filter(day__year=2025)}
    assert created == len(days) == 33  # 28 holiday days and 5 make-up working days
    assert days[date(2025, 10, 4)].name == "国庆节"  # a holiday on a Saturday is stored
    assert days[date(2025, 10, 4)].kind == CalendarDayKind.HOLIDAY
    assert days[date(2025, 9, 28)].kind == CalendarDayKind.MAKEUP_WORKDAY
    assert days[date(2025, 9, 28)].name == "国庆节"
    assert date(2025, 9, 27) not in days  # an ordinary Saturday is not stored
    assert {row.name for row in days.values()} == {
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "国庆节",
        "中秋节",
    }
    assert CalendarYear.objects.get(year=2025).complete
    assert CalendarDay.history.filter(day=date(2025, 10, 1)).exists()


def test_seeding_every_covered_year_skips_the_years_the_package_does_not_know(db):
    seed_calendar_from_chinesecalendar(years=range(2003, 2028))

    complete = set(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
    assert set(range(2004, 2027)) <= complete
    assert not complete & {2003, 2027}
    assert CalendarDay.objects.filter(
        day=date(2015, 9, 3), name="中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"
    ).exists()


def test_seeding_twice_creates_nothing_and_keeps_days_entered_by_hand(seeded):
    edited = CalendarDay.objects.get(day=date(2025, 10, 1))
    edited.name = "国庆节（本院安排）"
    edited.source = CalendarSource.MANUAL
    edited.save()
    CalendarDay.objects.create(day=date(2025, 10, 30), kind=CalendarDayKind.HOLIDAY, name="院庆")
    # A seeded row changed behind the seeding's back is put back to the official data.
    CalendarDay.objects.filter(day=date(2025, 10, 2)).update(name="误")
    total = CalendarDay.objects.count()

    assert seed_calendar_from_chinesecalendar(years=[2025, 2026]) == 0

    assert CalendarDay.objects.count() == total
    assert CalendarDay.objects.get(day=date(2025, 10, 1)).name == "国庆节（本院安排）"
    assert CalendarDay.objects.get(day=date(2025, 10, 30)).name == "院庆"
    assert CalendarDay.objects.get(day=date(2025, 10, 2)).name == "国庆节"
