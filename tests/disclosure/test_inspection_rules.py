"""The arithmetic of self-inspection and the ledger: how a measure scores, when a finding is
due on the working-day calendar (holidays and 调休), and what state the ledger shows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from disclosure.rules.inspections import Measure, MeasureFigures, round_down_to_half, score_measure
from disclosure.rules.rectification import (
    OVERDUE,
    FindingState,
    displayed_state,
    finding_due,
    finding_number,
)
from disclosure.rules.workdays import WorkdayCalendar

NATIONAL_DAY_2025 = {date(2025, 10, day): "国庆节" for day in (1, 2, 3, 4, 5, 7, 8)} | {
    date(2025, 10, 6): "中秋节"
}
MAKEUP_2025 = {date(2025, 9, 28): "国庆节", date(2025, 10, 11): "国庆节"}
CALENDAR = WorkdayCalendar(
    holidays=frozenset(NATIONAL_DAY_2025),
    makeup_days=frozenset(MAKEUP_2025),
    known_years=frozenset({2025}),
    names=NATIONAL_DAY_2025 | MAKEUP_2025,
)


def figures(**changes) -> MeasureFigures:
    values = {
        "on_time_rate": 100,
        "late_items": 0,
        "annual_report_year": 2025,
        "annual_report_on_time": True,
        "annual_report_published_on": "2026-01-20",
        "requests_late": 0,
        "findings_overdue": 0,
    }
    return MeasureFigures(**(values | changes))


# Measures -----------------------------------------------------------------------------------


def test_an_on_time_rate_at_the_threshold_earns_full_marks():
    scored = score_measure(
        Measure.ON_TIME_RATE,
        points=Decimal(5),
        threshold=95,
        deduction=Decimal("0.5"),
        figures=figures(on_time_rate=95),
    )
    assert scored.score == Decimal(5)
    assert "95%" in scored.explanation


def test_each_point_below_the_threshold_costs_the_deduction_and_never_below_zero():
    def scored(rate):
        return score_measure(
            Measure.ON_TIME_RATE,
            points=Decimal(5),
            threshold=95,
            deduction=Decimal("0.5"),
            figures=figures(on_time_rate=rate),
        ).score

    assert scored(93) == Decimal(4)
    assert scored(80) == Decimal(0)


def test_a_shortfall_without_a_deduction_loses_every_point():
    scored = score_measure(
        Measure.NO_OVERDUE,
        points=Decimal(4),
        threshold=None,
        deduction=None,
        figures=figures(late_items=1),
    )
    assert scored.score == Decimal(0)
    assert "1" in scored.explanation


def test_late_items_requests_and_findings_are_each_deducted_per_case():
    for measure, field in (
        (Measure.NO_OVERDUE, "late_items"),
        (Measure.REQUESTS_ON_TIME, "requests_late"),
        (Measure.FINDINGS_ON_TIME, "findings_overdue"),
    ):
        scored = score_measure(
            measure,
            points=Decimal(3),
            threshold=None,
            deduction=Decimal(1),
            figures=figures(**{field: 2}),
        )
        assert scored.score == Decimal(1), measure


def test_a_late_or_missing_annual_report_earns_nothing():
    on_time = score_measure(
        Measure.ANNUAL_REPORT,
        points=Decimal(2),
        threshold=None,
        deduction=None,
        figures=figures(),
    )
    late = score_measure(
        Measure.ANNUAL_REPORT,
        points=Decimal(2),
        threshold=None,
        deduction=None,
        figures=figures(annual_report_on_time=False, annual_report_published_on="2026-02-10"),
    )
    missing = score_measure(
        Measure.ANNUAL_REPORT,
        points=Decimal(2),
        threshold=None,
        deduction=None,
        figures=figures(annual_report_on_time=False, annual_report_published_on=""),
    )
    assert (on_time.score, late.score, missing.score) == (Decimal(2), Decimal(0), Decimal(0))
    assert "2026-02-10" in late.explanation
    assert "2025" in missing.explanation


def test_scores_round_down_to_half_points():
    assert round_down_to_half(Decimal("3.7")) == Decimal("3.5")
    assert round_down_to_half(Decimal("3.4")) == Decimal(3)


# Findings -----------------------------------------------------------------------------------


def test_a_finding_raised_before_national_day_skips_the_holiday_and_counts_the_makeup_day():
    # Raised on Friday 26 September 2025: Sunday 28 September is a make-up working day (1),
    # 29 and 30 September (2, 3), 1-8 October are days off, 9 and 10 October (4, 5), and
    # Saturday 11 October is worked (6).
    due = finding_due(raised_on=date(2025, 9, 26), working_days=6, due_date=None, calendar=CALENDAR)
    assert due.due == date(2025, 10, 11)
    assert not due.estimated


def test_a_finding_with_a_fixed_date_is_due_on_it():
    due = finding_due(
        raised_on=date(2025, 9, 26),
        working_days=None,
        due_date=date(2025, 12, 31),
        calendar=CALENDAR,
    )
    assert due.due == date(2025, 12, 31)


def test_a_finding_due_in_an_unknown_year_says_its_date_is_estimated():
    due = finding_due(raised_on=date(2027, 3, 1), working_days=10, due_date=None, calendar=CALENDAR)
    assert due.estimated


@pytest.mark.parametrize(
    ("state", "due", "shown"),
    [
        (FindingState.OPEN, date(2025, 10, 9), OVERDUE),
        (FindingState.IN_PROGRESS, date(2025, 10, 9), OVERDUE),
        (FindingState.OPEN, date(2025, 10, 10), FindingState.OPEN),
        (FindingState.DONE, date(2025, 10, 1), FindingState.DONE),
        (FindingState.VERIFIED, date(2025, 10, 1), FindingState.VERIFIED),
    ],
)
def test_only_an_unfinished_finding_past_its_due_date_shows_as_overdue(state, due, shown):
    assert displayed_state(state=state, due=due, today=date(2025, 10, 10)) == shown


def test_finding_numbers_are_the_year_and_its_place_in_the_year():
    assert finding_number(year=2026, sequence=7) == "ZG2026-007"
