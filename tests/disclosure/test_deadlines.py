"""The deadline engine on a plain Monday-to-Friday calendar (the real one is tested apart)."""

import datetime as dt
from dataclasses import dataclass

import pytest

from disclosure.rules.deadlines import (
    ComplianceStatus,
    PeriodStatus,
    compute_deadline,
    deadlines_between,
    period_bounds,
    period_history,
)
from disclosure.rules.update_rules import Period, RuleKind, UpdateRule


@dataclass(frozen=True)
class Result:
    date: dt.date
    estimated: bool = False


class Weekdays:
    def add_working_days(self, start, n):
        day = start
        while n:
            day += dt.timedelta(days=1)
            n -= day.weekday() < 5
        return Result(day)

    def working_days_between(self, a, b):
        return sum((a + dt.timedelta(days=i)).weekday() < 5 for i in range(1, (b - a).days + 1))


def deadline(rule, today, **dates):
    return compute_deadline(
        rule=rule, today=today, calendar=Weekdays(), default_working_days=20, **dates
    )


MONTHLY = UpdateRule(RuleKind.PERIODIC, period=Period.MONTH)


@pytest.mark.parametrize(
    ("day", "bounds"),
    [
        (dt.date(2026, 2, 14), (dt.date(2026, 2, 1), dt.date(2026, 2, 28))),
        (dt.date(2024, 2, 29), (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ],
)
def test_month_bounds(day, bounds):
    assert period_bounds(Period.MONTH, day) == bounds


def test_quarter_half_and_year_bounds():
    day = dt.date(2026, 8, 15)
    assert period_bounds(Period.QUARTER, day) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert period_bounds(Period.HALF_YEAR, day) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert period_bounds(Period.YEAR, day) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_a_change_is_due_n_working_days_later():
    rule = UpdateRule(RuleKind.ON_CHANGE, working_days=10)
    change = dt.date(2026, 11, 2)  # a Monday
    pending = deadline(
        rule, dt.date(2026, 11, 5), last_published=dt.date(2026, 1, 5), pending_change=change
    )
    assert pending.due == dt.date(2026, 11, 16)
    assert pending.status == ComplianceStatus.ON_TIME
    soon = deadline(rule, dt.date(2026, 11, 12), last_published=None, pending_change=change)
    assert soon.status == ComplianceStatus.DUE_SOON
    late = deadline(rule, dt.date(2026, 11, 17), last_published=None, pending_change=change)
    assert late.status == ComplianceStatus.OVERDUE
    done = deadline(
        rule, dt.date(2026, 11, 17), last_published=dt.date(2026, 11, 16), pending_change=change
    )
    assert done.status == ComplianceStatus.ON_TIME


def test_an_on_change_item_never_published_is_missing():
    rule = UpdateRule(RuleKind.ON_CHANGE)
    assert (
        deadline(rule, dt.date(2026, 11, 5), last_published=None).status == ComplianceStatus.MISSING
    )


def test_a_monthly_item_is_due_after_the_month_ends():
    today = dt.date(2026, 11, 23)
    waiting = deadline(MONTHLY, dt.date(2026, 11, 10), last_published=dt.date(2026, 10, 8))
    assert waiting.period_end == dt.date(2026, 10, 31)
    assert waiting.due == dt.date(2026, 11, 27)  # 20 weekdays after 31 October
    late = deadline(MONTHLY, dt.date(2026, 11, 30), last_published=dt.date(2026, 10, 8))
    assert late.status == ComplianceStatus.OVERDUE
    met = deadline(MONTHLY, today, last_published=dt.date(2026, 11, 6))
    assert met.status == ComplianceStatus.ON_TIME
    assert met.period_end == dt.date(2026, 11, 30)


def test_the_working_days_of_a_periodic_rule_override_the_default():
    rule = UpdateRule(RuleKind.PERIODIC, period=Period.QUARTER, working_days=5)
    result = deadline(rule, dt.date(2026, 10, 2), last_published=dt.date(2026, 7, 3))
    assert result.due == dt.date(2026, 10, 7)
    assert result.status == ComplianceStatus.DUE_SOON


def test_a_review_item_is_due_months_after_publication_or_attestation():
    rule = UpdateRule(RuleKind.REVIEW, review_months=6)
    old = deadline(rule, dt.date(2026, 11, 23), last_published=dt.date(2026, 3, 1))
    assert old.due == dt.date(2026, 9, 1)
    assert old.status == ComplianceStatus.OVERDUE
    attested = deadline(
        rule,
        dt.date(2026, 11, 23),
        last_published=dt.date(2026, 3, 1),
        last_attested=dt.date(2026, 10, 9),
    )
    assert attested.due == dt.date(2027, 4, 9)
    assert attested.status == ComplianceStatus.ON_TIME


def test_real_time_items_have_no_schedule():
    result = deadline(UpdateRule(RuleKind.REAL_TIME), dt.date(2026, 11, 23), last_published=None)
    assert result.status == ComplianceStatus.NO_SCHEDULE
    assert result.due is None


def test_period_history_marks_each_period_on_time_late_missing_or_pending():
    published = [dt.date(2026, 8, 6), dt.date(2026, 10, 20)]  # July on time; September late
    history = period_history(
        rule=MONTHLY,
        publication_dates=published,
        today=dt.date(2026, 11, 10),
        calendar=Weekdays(),
        default_working_days=10,
        count=4,
    )
    assert [(r.end.month, r.status) for r in history] == [
        (10, PeriodStatus.PENDING),
        (9, PeriodStatus.LATE),
        (8, PeriodStatus.MISSING),
        (7, PeriodStatus.ON_TIME),
    ]


def test_a_missed_period_stays_overdue_until_something_is_published():
    # Last publication covered August; September and October are both unmet.
    result = deadline(MONTHLY, dt.date(2026, 11, 23), last_published=dt.date(2026, 9, 8))
    assert result.period_end == dt.date(2026, 9, 30)
    assert result.status == ComplianceStatus.OVERDUE


ANNUAL_REPORT = UpdateRule(RuleKind.PERIODIC, period=Period.YEAR, due_month=1, due_day=31)


def test_the_annual_report_is_due_on_31_january_itself_whatever_the_weekdays():
    # 2025's report: 31 January 2026 is a Saturday; twenty working days after 31 December
    # would have been 28 January (here: weekdays only).
    before = deadline(ANNUAL_REPORT, dt.date(2026, 1, 10), last_published=dt.date(2025, 1, 20))
    assert (before.due, before.period_end) == (dt.date(2026, 1, 31), dt.date(2025, 12, 31))
    assert before.status == ComplianceStatus.ON_TIME and not before.estimated
    on_the_day = deadline(ANNUAL_REPORT, dt.date(2026, 1, 31), last_published=dt.date(2025, 1, 20))
    assert on_the_day.status == ComplianceStatus.DUE_SOON
    late = deadline(ANNUAL_REPORT, dt.date(2026, 2, 2), last_published=dt.date(2025, 1, 20))
    assert late.status == ComplianceStatus.OVERDUE
    # Published: the next year's report is due on 31 January of the year after.
    done = deadline(ANNUAL_REPORT, dt.date(2026, 3, 1), last_published=dt.date(2026, 1, 28))
    assert (done.status, done.due) == (ComplianceStatus.ON_TIME, dt.date(2027, 1, 31))


def test_each_year_of_the_annual_report_is_judged_against_its_31_january():
    history = period_history(
        rule=ANNUAL_REPORT,
        publication_dates=[dt.date(2024, 1, 31), dt.date(2025, 2, 3)],
        today=dt.date(2026, 3, 1),
        calendar=Weekdays(),
        default_working_days=20,
        count=3,
    )
    assert [(r.end.year, r.due, r.status) for r in history] == [
        (2025, dt.date(2026, 1, 31), PeriodStatus.MISSING),
        (2024, dt.date(2025, 1, 31), PeriodStatus.LATE),
        (2023, dt.date(2024, 1, 31), PeriodStatus.ON_TIME),
    ]


def test_a_year_counts_the_deadlines_that_fell_in_it_on_time_or_missed():
    """Monthly, due 10 working days after each month: 2025's twelve deadlines fall from
    January (December 2024's report) to December (November's); December 2025's falls in 2026."""
    rule = UpdateRule(kind=RuleKind.PERIODIC, period=Period.MONTH, working_days=10)
    published = [dt.date(2025, month, 5) for month in range(1, 13)]  # on time each month
    published.remove(dt.date(2025, 6, 5))  # May's report missing,
    published.append(dt.date(2025, 6, 30))  # published late
    published.remove(dt.date(2025, 9, 5))  # and August's never
    counted = deadlines_between(
        rule=rule,
        publication_dates=published,
        changes=[],
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        today=dt.date(2026, 2, 1),
        calendar=Weekdays(),
        default_working_days=20,
    )
    assert counted == (10, 2)


def test_a_change_counts_in_the_year_its_publication_fell_due():
    rule = UpdateRule(kind=RuleKind.ON_CHANGE, working_days=5)
    changes = [dt.date(2025, 3, 3), dt.date(2025, 6, 2), dt.date(2025, 12, 29)]
    counted = deadlines_between(
        rule=rule,
        publication_dates=[dt.date(2025, 3, 6), dt.date(2025, 6, 20)],
        changes=changes,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        today=dt.date(2026, 2, 1),
        calendar=Weekdays(),
        default_working_days=20,
    )
    # March's on time, June's late; December 29th's was due on 5 January 2026.
    assert counted == (1, 1)
