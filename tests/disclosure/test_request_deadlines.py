"""The clocks of requests and consultations on the real 2026 calendar, outcomes, uploads, masks.

Pure rules: no database. The calendar is the State Council's 2026 schedule as the
``chinesecalendar`` package ships it: National Day from 1 to 7 October with the make-up working
days Sunday 20 September and Saturday 10 October, and Mid-autumn from 25 to 27 September.
"""

from __future__ import annotations

import collections
from datetime import date, timedelta

import chinese_calendar
import pytest

from disclosure.rules.privacy import is_resident_id, mask, mask_digits, mask_name
from disclosure.rules.request_clock import (
    CaseClock,
    CaseRules,
    ClockStatus,
    compute_case_deadline,
    correction_notice_due,
)
from disclosure.rules.requests import CaseKind, CaseState, Outcome, OutcomeGroup, outcome_group
from disclosure.rules.uploads import check_upload
from disclosure.rules.workdays import WorkdayCalendar

RULES = CaseRules()
# A Monday in an ordinary stretch of November 2026: 20 working days later is Monday 30 November.
NOV_2 = date(2026, 11, 2)


def official_calendar(year: int) -> WorkdayCalendar:
    """The year's public holidays and make-up working days, straight from chinesecalendar."""
    holidays, makeup_days = set(), set()
    day = date(year, 1, 1)
    while day.year == year:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        if is_holiday and name:
            holidays.add(day)
        elif not is_holiday and day.weekday() >= 5:
            makeup_days.add(day)
        day += timedelta(days=1)
    return WorkdayCalendar(
        holidays=frozenset(holidays),
        makeup_days=frozenset(makeup_days),
        known_years=frozenset({year}),
    )


CALENDAR_2026 = official_calendar(2026)


def deadline(*, today: date, rules: CaseRules = RULES, **clock):
    clock.setdefault("kind", CaseKind.REQUEST)
    clock.setdefault("state", CaseState.ACCEPTED)
    return compute_case_deadline(
        CaseClock(**clock), rules=rules, calendar=CALENDAR_2026, today=today
    )


def test_the_calendar_holds_the_real_2026_national_day_schedule():
    assert all(date(2026, 10, day) in CALENDAR_2026.holidays for day in range(1, 8))
    assert {date(2026, 9, 20), date(2026, 10, 10)} <= CALENDAR_2026.makeup_days
    assert CALENDAR_2026.is_working_day(date(2026, 10, 10))  # a Saturday, 调休上班
    assert not CALENDAR_2026.is_working_day(date(2026, 9, 25))  # a Friday, 中秋节


# Consultations: 3 working days ----------------------------------------------------------------


def test_a_consultation_received_on_friday_is_due_on_wednesday():
    result = deadline(
        kind=CaseKind.CONSULTATION,
        state=CaseState.REGISTERED,
        received_on=date(2026, 11, 13),
        today=date(2026, 11, 13),
    )
    assert result.due == date(2026, 11, 18)
    assert not result.estimated
    assert result.correction_notice_due is None


def test_a_consultation_before_national_day_is_due_on_the_makeup_saturday():
    # Received Wednesday 30 September: 1–7 October are off, then Thursday 8, Friday 9 and the
    # make-up Saturday 10 October are the three working days.
    result = deadline(
        kind=CaseKind.CONSULTATION,
        state=CaseState.REGISTERED,
        received_on=date(2026, 9, 30),
        today=date(2026, 9, 30),
    )
    assert result.due == date(2026, 10, 10)


def test_a_consultation_counts_the_makeup_sunday_before_mid_autumn():
    # Received Friday 18 September: Sunday 20 September is worked, so it is due Tuesday 22.
    result = deadline(
        kind=CaseKind.CONSULTATION,
        state=CaseState.REGISTERED,
        received_on=date(2026, 9, 18),
        today=date(2026, 9, 18),
    )
    assert result.due == date(2026, 9, 22)


# Requests: 20 working days --------------------------------------------------------------------


def test_a_request_is_due_twenty_working_days_later_across_the_national_day_break():
    result = deadline(received_on=date(2026, 9, 28), today=date(2026, 9, 28))
    # 29, 30 September; 8, 9, 10 (Saturday) October; then three full weeks of five days.
    assert result.due == date(2026, 10, 30)
    assert result.counts_from == date(2026, 9, 28)
    assert result.status == ClockStatus.ON_TIME
    weekdays_only = compute_case_deadline(
        CaseClock(kind=CaseKind.REQUEST, state=CaseState.ACCEPTED, received_on=date(2026, 9, 28)),
        rules=RULES,
        calendar=WorkdayCalendar.weekdays_only(),
        today=date(2026, 9, 28),
    )
    assert weekdays_only.due == date(2026, 10, 26)
    assert weekdays_only.estimated


def test_a_request_spanning_mid_autumn_and_national_day_counts_both_makeup_days():
    result = deadline(received_on=date(2026, 9, 18), today=date(2026, 9, 18))
    assert result.due == date(2026, 10, 22)
    assert not result.estimated


def test_a_deadline_running_into_an_unpublished_year_is_estimated():
    result = deadline(received_on=date(2026, 12, 10), today=date(2026, 12, 10))
    assert result.due == date(2027, 1, 7)  # 2027 taken as Monday to Friday
    assert result.estimated


def test_a_registered_request_already_runs_from_the_day_it_was_received():
    result = deadline(state=CaseState.REGISTERED, received_on=NOV_2, today=NOV_2)
    assert result.due == date(2026, 11, 30)
    assert result.status == ClockStatus.ON_TIME


# Correction (补正) ---------------------------------------------------------------------------


def test_the_clock_stops_while_the_applicant_corrects():
    result = deadline(
        state=CaseState.CORRECTION,
        received_on=NOV_2,
        correction_requested_on=date(2026, 11, 4),
        today=date(2026, 12, 31),
    )
    assert result.status == ClockStatus.PAUSED
    assert result.due is None
    assert not result.is_late
    assert result.status_label == str(ClockStatus.PAUSED.label)
    assert result.correction_notice_due == date(2026, 11, 11)


def test_after_the_correction_the_twenty_days_restart_from_the_day_it_arrived():
    result = deadline(
        received_on=NOV_2,
        correction_requested_on=date(2026, 11, 4),
        corrected_on=date(2026, 11, 16),
        today=date(2026, 11, 16),
    )
    assert result.counts_from == date(2026, 11, 16)
    assert result.due == date(2026, 12, 14)  # not 30 November, 20 days after receipt
    assert result.correction_notice_due == date(2026, 11, 11)  # still counted from receipt


def test_a_correction_must_be_asked_for_within_seven_working_days_of_receipt():
    # Received Monday 28 September: 29, 30 September, 8, 9, 10, 12, 13 October.
    assert correction_notice_due(date(2026, 9, 28), rules=RULES, calendar=CALENDAR_2026) == date(
        2026, 10, 13
    )
    assert correction_notice_due(NOV_2, rules=RULES, calendar=CALENDAR_2026) == date(2026, 11, 11)
    result = deadline(received_on=date(2026, 9, 28), today=date(2026, 9, 28))
    assert result.correction_notice_due == date(2026, 10, 13)


# Extension (延期) ----------------------------------------------------------------------------


def test_an_extension_adds_its_working_days():
    result = deadline(received_on=NOV_2, extension_days=10, today=NOV_2)
    assert result.due == date(2026, 12, 14)


def test_an_extension_counts_no_more_than_the_rules_allow():
    longest = deadline(received_on=NOV_2, extension_days=20, today=NOV_2)
    too_long = deadline(received_on=NOV_2, extension_days=30, today=NOV_2)
    assert longest.due == too_long.due == date(2026, 12, 28)


# Third party (征求第三方意见) ------------------------------------------------------------------


def test_the_working_days_spent_with_a_third_party_are_added():
    # Consulted Wednesday 4 November, answered Wednesday 11: five working days.
    result = deadline(
        received_on=NOV_2,
        third_party_started_on=date(2026, 11, 4),
        third_party_answered_on=date(2026, 11, 11),
        today=date(2026, 11, 11),
    )
    assert result.paused_days == 5
    assert result.due == date(2026, 12, 7)  # 30 November plus five working days
    assert result.status == ClockStatus.ON_TIME


def test_a_third_party_that_takes_longer_pauses_the_clock_only_fifteen_days():
    result = deadline(
        received_on=NOV_2,
        third_party_started_on=date(2026, 11, 4),
        third_party_answered_on=date(2026, 12, 16),
        today=date(2026, 12, 16),
    )
    assert result.paused_days == 15
    assert result.due == date(2026, 12, 21)


def test_while_the_third_party_is_consulted_the_clock_is_stopped():
    result = deadline(
        state=CaseState.THIRD_PARTY,
        received_on=NOV_2,
        third_party_started_on=date(2026, 11, 4),
        today=date(2026, 11, 11),
    )
    assert result.status == ClockStatus.PAUSED
    assert result.paused_days == 5
    assert result.due == date(2026, 12, 7)  # the deadline if the answer came today


def test_once_the_third_party_has_had_its_fifteen_days_the_clock_runs_again():
    result = deadline(
        state=CaseState.THIRD_PARTY,
        received_on=NOV_2,
        third_party_started_on=date(2026, 11, 4),
        today=date(2026, 11, 30),  # 18 working days later, still no answer
    )
    assert result.paused_days == 15
    assert result.due == date(2026, 12, 21)
    assert result.status == ClockStatus.ON_TIME


def test_a_third_party_consultation_of_a_closed_request_does_not_stop_its_clock():
    result = deadline(
        state=CaseState.WITHDRAWN,
        received_on=NOV_2,
        third_party_started_on=date(2026, 11, 4),
        today=date(2026, 11, 11),
    )
    assert result.status == ClockStatus.CLOSED


# Where a case stands --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 11, 20), ClockStatus.ON_TIME),  # six working days left
        (date(2026, 11, 25), ClockStatus.DUE_SOON),  # three working days left
        (date(2026, 11, 30), ClockStatus.DUE_SOON),  # the last day
        (date(2026, 12, 1), ClockStatus.OVERDUE),
    ],
)
def test_an_open_request_is_on_time_due_soon_or_overdue(today, status):
    result = deadline(received_on=NOV_2, today=today)
    assert result.due == date(2026, 11, 30)
    assert result.status == status
    assert result.is_late == (status == ClockStatus.OVERDUE)


def test_an_answer_on_the_last_day_is_on_time_and_one_day_later_is_late():
    on_time = deadline(
        state=CaseState.ANSWERED,
        received_on=NOV_2,
        answered_on=date(2026, 11, 30),
        today=date(2027, 3, 1),
    )
    late = deadline(
        state=CaseState.ANSWERED,
        received_on=NOV_2,
        answered_on=date(2026, 12, 1),
        today=date(2027, 3, 1),
    )
    assert on_time.status == ClockStatus.ANSWERED
    assert not on_time.is_late
    assert late.status == ClockStatus.ANSWERED_LATE
    assert late.is_late


def test_an_archived_answered_request_keeps_its_answer_status():
    result = deadline(
        state=CaseState.ARCHIVED,
        received_on=NOV_2,
        answered_on=date(2026, 11, 20),
        today=date(2027, 3, 1),
    )
    assert result.status == ClockStatus.ANSWERED


def test_a_consultation_answered_after_three_working_days_is_late():
    result = deadline(
        kind=CaseKind.CONSULTATION,
        state=CaseState.ANSWERED,
        received_on=date(2026, 11, 13),
        answered_on=date(2026, 11, 19),
        today=date(2026, 11, 19),
    )
    assert result.status == ClockStatus.ANSWERED_LATE


@pytest.mark.parametrize(
    ("kind", "state"),
    [
        (CaseKind.REQUEST, CaseState.WITHDRAWN),
        (CaseKind.REQUEST, CaseState.ABANDONED),
        (CaseKind.CONSULTATION, CaseState.WITHDRAWN),
        (CaseKind.CONSULTATION, CaseState.ARCHIVED),
    ],
)
def test_a_case_closed_without_an_answer_is_never_overdue(kind, state):
    result = deadline(kind=kind, state=state, received_on=NOV_2, today=date(2027, 3, 1))
    assert result.status == ClockStatus.CLOSED
    assert not result.is_late


# An institution's own rules -------------------------------------------------------------------


def test_an_institution_answering_within_fifteen_days_has_an_earlier_deadline():
    rules = CaseRules(answer_days=15)
    result = deadline(received_on=NOV_2, rules=rules, today=date(2026, 11, 20))
    assert result.due == date(2026, 11, 23)
    assert result.status == ClockStatus.DUE_SOON  # one working day left
    assert deadline(received_on=NOV_2, rules=rules, today=date(2026, 11, 24)).is_late


def test_an_institution_rules_apply_to_consultations_corrections_and_extensions():
    rules = CaseRules(
        consultation_days=5, correction_notice_days=5, extension_max_days=10, answer_days=15
    )
    consultation = deadline(
        kind=CaseKind.CONSULTATION,
        state=CaseState.REGISTERED,
        received_on=NOV_2,
        rules=rules,
        today=NOV_2,
    )
    assert consultation.due == date(2026, 11, 9)
    extended = deadline(received_on=NOV_2, extension_days=20, rules=rules, today=NOV_2)
    assert extended.due == date(2026, 12, 7)  # 15 + at most 10 working days
    assert extended.correction_notice_due == date(2026, 11, 9)


def test_an_institution_can_count_due_soon_from_further_out():
    result = deadline(received_on=NOV_2, rules=CaseRules(due_soon_days=6), today=date(2026, 11, 20))
    assert result.status == ClockStatus.DUE_SOON


# Outcomes: the rows of table 三 ---------------------------------------------------------------

GROUP_SIZES = {
    OutcomeGroup.DISCLOSED: 1,
    OutcomeGroup.PARTIAL: 1,
    OutcomeGroup.WITHHELD: 8,
    OutcomeGroup.UNAVAILABLE: 3,
    OutcomeGroup.NOT_PROCESSED: 5,
    OutcomeGroup.OTHER: 3,
}
EXPECTED_GROUPS = {
    Outcome.DISCLOSED: OutcomeGroup.DISCLOSED,
    Outcome.PARTIAL: OutcomeGroup.PARTIAL,
    Outcome.WITHHELD_STATE_SECRET: OutcomeGroup.WITHHELD,
    Outcome.WITHHELD_PROHIBITED: OutcomeGroup.WITHHELD,
    Outcome.WITHHELD_SECURITY: OutcomeGroup.WITHHELD,
    Outcome.WITHHELD_THIRD_PARTY: OutcomeGroup.WITHHELD,
    Outcome.WITHHELD_INTERNAL: OutcomeGroup.WITHHELD,
    Outcome.WITHHELD_PROCESS: OutcomeGroup.WITHHELD,
    Outcome.WITHHELD_ENFORCEMENT: OutcomeGroup.WITHHELD,
    Outcome.WITHHELD_QUERY: OutcomeGroup.WITHHELD,
    Outcome.UNAVAILABLE_NOT_HELD: OutcomeGroup.UNAVAILABLE,
    Outcome.UNAVAILABLE_NEEDS_CREATION: OutcomeGroup.UNAVAILABLE,
    Outcome.UNAVAILABLE_UNCLEAR: OutcomeGroup.UNAVAILABLE,
    Outcome.NOT_PROCESSED_COMPLAINT: OutcomeGroup.NOT_PROCESSED,
    Outcome.NOT_PROCESSED_REPEATED: OutcomeGroup.NOT_PROCESSED,
    Outcome.NOT_PROCESSED_PUBLISHED: OutcomeGroup.NOT_PROCESSED,
    Outcome.NOT_PROCESSED_EXCESSIVE: OutcomeGroup.NOT_PROCESSED,
    Outcome.NOT_PROCESSED_CONFIRMATION: OutcomeGroup.NOT_PROCESSED,
    Outcome.OTHER_NO_CORRECTION: OutcomeGroup.OTHER,
    Outcome.OTHER_UNPAID_FEE: OutcomeGroup.OTHER,
    Outcome.OTHER: OutcomeGroup.OTHER,
}


@pytest.mark.parametrize(("outcome", "group"), EXPECTED_GROUPS.items())
def test_each_outcome_is_counted_in_its_table_group(outcome, group):
    assert outcome_group(outcome) == group
    assert outcome_group(outcome.value) == group  # as stored in the database


def test_the_outcomes_are_the_result_rows_of_the_national_table_in_order():
    # 21 result rows: (一) 1, (二) 1, (三) 8, (四) 3, (五) 5, (六) 3; (七) 总计 is a sum.
    assert list(Outcome) == list(EXPECTED_GROUPS)
    assert len(Outcome.labels) == 21
    assert len(set(Outcome.labels)) == 21
    assert collections.Counter(map(outcome_group, Outcome)) == GROUP_SIZES
    # The groups come in the table's order.
    assert list(dict.fromkeys(map(outcome_group, Outcome))) == list(OutcomeGroup)


def test_an_unknown_outcome_is_refused():
    with pytest.raises(ValueError):
        outcome_group("withheld.unknown")


# Uploads: the content decides, not the name -------------------------------------------------

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def test_a_real_pdf_is_accepted():
    verdict = check_upload("申请书.pdf", PDF)
    assert verdict.ok
    assert verdict.content_type == "application/pdf"
    assert check_upload("SCAN.PDF", PDF).ok  # the extension's case does not matter


def test_a_png_is_accepted():
    verdict = check_upload("身份证复印件.png", PNG)
    assert verdict.ok
    assert verdict.content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("申请书.pdf", PNG),  # the name says PDF, the bytes say PNG
        ("照片.jpg", PNG),
        ("setup.exe", EXE),
        ("申请书.pdf", EXE),  # a program renamed
        ("申请书", PDF),  # no extension
        ("notes.txt", b"plain text"),
        ("empty.pdf", b""),
    ],
)
def test_a_file_whose_name_or_content_is_not_allowed_is_refused(name, head):
    assert not check_upload(name, head).ok


# Masking personal data ----------------------------------------------------------------------

RESIDENT_ID = "11010519491231002X"


def test_the_example_resident_id_is_valid():
    assert is_resident_id(RESIDENT_ID)
    assert not is_resident_id("110105194912310021")


def test_names_keep_their_first_character():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("李") == "李*"  # a one-character name is not shown whole
    assert mask_name("") == ""


def test_numbers_keep_their_first_three_and_last_four_digits():
    assert mask_digits("13812345678") == "138****5678"
    assert mask_digits(RESIDENT_ID) == "110***********002X"
    assert mask_digits("1234567") == "*******"  # too short to show anything
    assert mask_digits("") == ""


def test_each_personal_field_has_its_mask():
    assert mask("name", "张三") == "张*"
    assert mask("contact_person", "王五") == "王*"
    assert mask("phone", "13812345678") == "138****5678"
    assert mask("id_number", RESIDENT_ID) == "110***********002X"
    assert mask("email", "zhang.san@example.com") == "z***@example.com"
    assert mask("address", "浙江省杭州市西湖区文三路1号") == "浙江省杭州市****"
    assert mask("unknown", "secret") == "******"
    assert mask("phone", None) == ""
