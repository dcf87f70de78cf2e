"""Table 三 of the annual report, counted from the register cell by cell, and its checks.

The fixture spans the year boundary: requests carried in from 2024, carried out into 2026, one
closed in each outcome, from every applicant column, withdrawn and abandoned ones included.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import cycle

import pytest
from django.utils import translation

from disclosure.models.requests import Consultation, DisclosureRequest
from disclosure.rules.annual_report import (
    CARRIED_IN,
    CARRIED_OUT,
    NEW,
    TOTAL,
    TOTAL_HANDLED,
    ConsultationFigures,
    check_table_three,
    outcome_row,
    row_label,
    rows,
)
from disclosure.rules.requests import ApplicantType, CaseState, Outcome
from disclosure.selectors.annual_report import (
    consultation_figures,
    table_three_for,
)

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
NATURAL, COMMERCIAL, RESEARCH = "natural_person", "commercial", "research"


@pytest.fixture
def register(fresh_site):
    numbers = iter(range(1, 1000))

    def request(kind, received, closed=None, outcome="", state=None):
        number = next(numbers)
        return DisclosureRequest(
            site=fresh_site,
            number=f"YSQ-{received.year}-{number:06d}",
            year=received.year,
            sequence=number,
            lookup_digest=f"{number:064d}",
            applicant_type=kind,
            name="申请人",
            id_number="—",
            description="所需信息",
            provision_form="paper",
            delivery="post",
            received_on=received,
            closed_on=closed,
            outcome=outcome,
            state=state or (CaseState.ARCHIVED if closed else CaseState.ACCEPTED),
        )

    # One request closed in the year in each outcome, the applicant columns taken in turn.
    kinds = cycle(ApplicantType.values)
    handled = [
        request(next(kinds), dt.date(2025, 3, 2), dt.date(2025, 3, 20), outcome)
        for outcome in Outcome
    ]
    boundary = [
        # Received in 2024: closed in 2025 (二 and 三), still open at the end (二 and 四),
        # closed in 2024 (nowhere).
        request(NATURAL, dt.date(2024, 12, 10), dt.date(2025, 1, 8), Outcome.DISCLOSED),
        request(COMMERCIAL, dt.date(2024, 12, 20), dt.date(2026, 1, 5), Outcome.PARTIAL),
        request(NATURAL, dt.date(2024, 5, 1), dt.date(2024, 6, 1), Outcome.DISCLOSED),
        # Received in 2025: withdrawn, deemed abandoned, still open, closed in 2026.
        request(
            RESEARCH, dt.date(2025, 6, 1), dt.date(2025, 6, 3), Outcome.OTHER, CaseState.WITHDRAWN
        ),
        request(
            RESEARCH,
            dt.date(2025, 7, 1),
            dt.date(2025, 8, 1),
            Outcome.OTHER_NO_CORRECTION,
            CaseState.ABANDONED,
        ),
        request(NATURAL, dt.date(2025, 12, 25)),
        request(COMMERCIAL, dt.date(2025, 12, 31), dt.date(2026, 1, 4), Outcome.DISCLOSED),
        # Received in 2026: nowhere.
        request(NATURAL, dt.date(2026, 1, 2)),
    ]
    DisclosureRequest.objects.bulk_create([*handled, *boundary])
    return fresh_site


def test_every_cell_is_counted_from_the_register(register):
    cells = table_three_for(site=register, start=START, end=END)
    # The 21 handled (four, four, four, then three of each column), the withdrawn and the
    # abandoned (科研机构), the open one (自然人) and the one closed in 2026 (商业企业).
    assert [cells[NEW, kind] for kind in ApplicantType.values] == [5, 5, 6, 3, 3, 3]
    assert cells[NEW, TOTAL] == 25
    assert (cells[CARRIED_IN, NATURAL], cells[CARRIED_IN, COMMERCIAL]) == (1, 1)
    assert cells[CARRIED_IN, TOTAL] == 2
    # Closed in 2025: the 21, the withdrawn, the abandoned and the one carried in.
    assert cells[TOTAL_HANDLED, TOTAL] == 24
    assert cells[outcome_row(Outcome.DISCLOSED), NATURAL] == 2  # one of the 21, one carried in
    assert cells[outcome_row(Outcome.OTHER), RESEARCH] == 2  # one of the 21, the withdrawal
    assert cells[outcome_row(Outcome.OTHER_NO_CORRECTION), RESEARCH] == 1
    assert cells["三（六）", TOTAL] == 5  # its three rows, the withdrawal and the abandonment
    assert cells[outcome_row(Outcome.UNAVAILABLE_NOT_HELD), "legal_service"] == 1
    assert outcome_row(Outcome.UNAVAILABLE_NOT_HELD) == "三（四）1"
    # Open at the end of 2025: carried in and still open, open since December, closed in 2026.
    assert (cells[CARRIED_OUT, NATURAL], cells[CARRIED_OUT, COMMERCIAL]) == (1, 2)
    assert cells[CARRIED_OUT, TOTAL] == 3
    assert check_table_three(cells) == []
    assert len(rows()) == 29 and len(cells) == 29 * 7  # the national rows, 7 columns


@pytest.mark.parametrize(
    ("cell", "named"),
    [
        (("三（三）4", COMMERCIAL), ["三（三） · 商业企业", "三（三）4 · 总计"]),
        (
            ("三（三）", COMMERCIAL),
            ["三（三） · 商业企业", "三（三） · 总计", "三（七） · 商业企业"],
        ),
        ((NEW, RESEARCH), ["四 · 科研机构", "一 · 总计"]),
        ((CARRIED_OUT, TOTAL), ["四 · 总计", "四 · 总计"]),  # 一 + 二 − 三, and the row's sum
        ((TOTAL_HANDLED, NATURAL), ["三（七） · 自然人", "三（七） · 总计", "四 · 自然人"]),
    ],
)
def test_each_check_fails_on_purpose_and_names_its_cell(register, cell, named):
    cells = table_three_for(site=register, start=START, end=END)
    cells[cell] += 1
    assert sorted(problem.cell for problem in check_table_three(cells)) == sorted(named)


def test_an_institutions_own_period_moves_the_boundary(register):
    """Closing the statistics on 20 December leaves the late-December requests to next year."""
    cells = table_three_for(site=register, start=START, end=dt.date(2025, 12, 20))
    assert cells[NEW, TOTAL] == 23
    assert check_table_three(cells) == []


def test_the_rows_are_the_national_tables_in_its_order():
    with translation.override("zh-hans"):
        labels = [row_label(row) for row in rows()]
    assert labels[:3] == [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "（一）予以公开",
    ]
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert labels[labels.index("（四）无法提供") + 1] == "1.本机关不掌握相关政府信息"


def test_consultations_are_counted_received_answered_on_time_and_how_fast(fresh_site):
    def consultation(number, received, answered=None):
        return Consultation(
            site=fresh_site,
            number=f"ZX-{received.year}-{number:06d}",
            year=received.year,
            sequence=number,
            lookup_digest=f"{number:064d}",
            name="咨询人",
            question="问题",
            received_on=received,
            answered_on=answered,
            closed_on=answered,
            state=CaseState.ANSWERED if answered else CaseState.REGISTERED,
        )

    Consultation.objects.bulk_create(
        [
            consultation(1, dt.date(2025, 3, 3), dt.date(2025, 3, 5)),  # 2 working days
            consultation(2, dt.date(2025, 3, 3), dt.date(2025, 3, 10)),  # 5: late (limit 3)
            consultation(3, dt.date(2025, 12, 30), dt.date(2026, 1, 6)),  # answered next year
            consultation(4, dt.date(2024, 6, 3), dt.date(2024, 6, 4)),  # the year before
            consultation(5, dt.date(2025, 11, 3)),  # not answered yet
        ]
    )
    figures = consultation_figures(site=fresh_site, start=START, end=END)
    assert figures == ConsultationFigures(
        received=4, answered=2, answered_on_time=1, average_working_days=Decimal("3.5")
    )
    empty = consultation_figures(
        site=fresh_site, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31)
    )
    assert (empty.received, empty.answered, empty.average_working_days) == (0, 0, None)
