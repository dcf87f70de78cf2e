"""``manage.py deadline START N``: the due date first, then why."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from disclosure.models import CalendarDay
from disclosure.selectors import workdays
from disclosure.services.workdays import seed_calendar_from_chinesecalendar

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(autouse=True)
def seeded(db):
    seed_calendar_from_chinesecalendar(years=[2025, 2026])
    workdays.clear_cache()
    yield
    workdays.clear_cache()


def deadline(*args: str) -> list[str]:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().splitlines()


def line_about(lines: list[str], day: str) -> str:
    (line,) = [line for line in lines if day in line]
    return line


def test_the_first_line_is_the_due_date_across_national_day():
    lines = deadline("2025-09-26", "20")

    assert lines[0] == "2025-10-30"


def test_the_explanation_names_the_holidays_and_the_makeup_days_counted():
    lines = deadline("2025-09-26", "20")

    for day in ("2025-10-01", "2025-10-02", "2025-10-03", "2025-10-07", "2025-10-08"):
        assert "国庆节" in line_about(lines, day)
    assert "中秋节" in line_about(lines, "2025-10-06")
    makeup_sunday = line_about(lines, "2025-09-28")
    makeup_saturday = line_about(lines, "2025-10-11")
    assert "国庆节" in makeup_sunday and "国庆节" in makeup_saturday
    # The make-up days are reported as counted, not skipped: their lines read alike and unlike
    # the line of a day that was skipped.
    skipped_weekend = line_about(lines, "2025-09-27")
    assert makeup_sunday.split("2025-09-28")[0] == makeup_saturday.split("2025-10-11")[0]
    assert makeup_sunday.split("2025-09-28")[0] != skipped_weekend.split("2025-09-27")[0]
    # Exactly the days off and the make-up days are listed, one a line, in date order.
    listed = [ISO_DATE.search(line).group() for line in lines[2:-1]]
    assert listed == sorted(listed)
    assert set(listed) == {
        "2025-09-27",
        "2025-09-28",
        *(f"2025-10-0{day}" for day in range(1, 9)),
        "2025-10-11",
        "2025-10-12",
        "2025-10-18",
        "2025-10-19",
        "2025-10-25",
        "2025-10-26",
    }


def test_the_last_line_tells_an_official_date_from_an_estimate():
    official = deadline("2025-09-26", "20")
    estimated = deadline("2030-09-27", "5")

    assert estimated[0] == "2030-10-04"  # Monday to Friday: no 2030 holiday is known
    assert "2030" in estimated[-1]
    assert official[-1] != estimated[-1]
    assert "2030" not in official[-1]


def test_zero_working_days_is_the_start_day():
    assert deadline("2025-10-01", "0")[0] == "2025-10-01"


@pytest.mark.parametrize(
    ("start", "count"),
    [("2025-13-01", "20"), ("next friday", "20"), ("2025-09-26", "-1"), ("2025-09-26", "twenty")],
)
def test_bad_arguments_are_refused_with_the_value_named(start, count):
    with pytest.raises(CommandError) as raised:
        deadline(start, count)

    assert (start if "2025-09-26" not in start else count) in str(raised.value)


def test_seed_calendar_reports_the_days_added_and_is_idempotent():
    CalendarDay.objects.filter(day__year=2025).delete()

    first, second = StringIO(), StringIO()
    call_command("seed_calendar", "--year", "2025", stdout=first)
    total = CalendarDay.objects.count()
    call_command("seed_calendar", "--year", "2025", stdout=second)

    assert re.findall(r"\d+", first.getvalue().splitlines()[0]) == ["33"]
    assert re.findall(r"\d+", second.getvalue().splitlines()[0]) == ["0"]
    assert CalendarDay.objects.count() == total
