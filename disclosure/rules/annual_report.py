"""Table 三 of the annual report (收到和处理政府信息公开申请情况), its cells and its checks.

The table's rows and columns are those of the national format (国办公开办函〔2021〕30号): rows 一
(本年新收), 二 (上年结转), 三 (本年度办理结果: six groups, their numbered sub-rows, （七）总计) and
四 (结转下年度继续办理); columns 自然人, the five kinds of 法人或其他组织, and 总计. The counts come
from the register (``selectors.annual_report``); a table typed or corrected by hand is checked
the same way, and each failing check names its cell, as "三（三）4 · 商业企业". Nothing here
touches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext

from .requests import (
    NATIONAL_APPLICANT_LABELS,
    NATIONAL_GROUP_LABELS,
    NATIONAL_OUTCOME_LABELS,
    ApplicantType,
    Outcome,
    OutcomeGroup,
    outcome_group,
)

NEW, CARRIED_IN, TOTAL_HANDLED, CARRIED_OUT = "一", "二", "三（七）", "四"
TOTAL = "total"  # the 总计 column
COLUMNS: tuple[str, ...] = (*ApplicantType.values, TOTAL)
_GROUP_NUMBERS = dict(zip(OutcomeGroup.values, "一二三四五六", strict=True))


def group_row(group: str) -> str:
    """The code of a group's row: 三（三） for 不予公开."""
    return f"三（{_GROUP_NUMBERS[group]}）"


def outcome_row(outcome: str) -> str:
    """The code of an outcome's row: 三（三）4 for 保护第三方合法权益; a group without sub-rows
    (予以公开, 部分公开) is its own row."""
    group = outcome_group(outcome)
    siblings = [o for o in Outcome if outcome_group(o) == group]
    if len(siblings) == 1:
        return group_row(group)
    return f"{group_row(group)}{siblings.index(Outcome(outcome)) + 1}"


def rows() -> list[str]:
    """Every row of the table, in the national order."""
    codes = [NEW, CARRIED_IN]
    for group in OutcomeGroup:
        codes.append(group_row(group))
        codes += [
            outcome_row(o)
            for o in Outcome
            if outcome_group(o) == group and outcome_row(o) != group_row(group)
        ]
    return [*codes, TOTAL_HANDLED, CARRIED_OUT]


def cell_name(row: str, column: str) -> str:
    """A cell as the report names it: "三（三）4 · 商业企业", "一 · 总计"."""
    label = (
        gettext("Total (all applicants)")
        if column == TOTAL
        else str(NATIONAL_APPLICANT_LABELS[column])
    )
    return f"{row} · {label}"


def row_label(row: str) -> str:
    """The national wording of a row."""
    if row == NEW:
        return gettext("1. New requests received this year")
    if row == CARRIED_IN:
        return gettext("2. Requests carried over from last year")
    if row == TOTAL_HANDLED:
        return gettext("(7) Total")
    if row == CARRIED_OUT:
        return gettext("4. Carried over to next year")
    for group in OutcomeGroup:
        if row == group_row(group):
            return str(NATIONAL_GROUP_LABELS[group])
    outcome = next(o for o in Outcome if outcome_row(o) == row)
    return str(NATIONAL_OUTCOME_LABELS[outcome])


Cells = dict[tuple[str, str], int]


def table_three(
    *,
    new: Mapping[str, int],
    carried_in: Mapping[str, int],
    handled: Mapping[tuple[str, str], int],
    carried_out: Mapping[str, int],
) -> Cells:
    """Every cell of the table from the counts per applicant type: ``handled`` by (outcome,
    applicant type). Group rows, （七）总计 and the 总计 column are sums."""
    cells: Cells = {}
    for column in ApplicantType.values:
        cells[NEW, column] = new.get(column, 0)
        cells[CARRIED_IN, column] = carried_in.get(column, 0)
        cells[CARRIED_OUT, column] = carried_out.get(column, 0)
        for outcome in Outcome:
            row = outcome_row(outcome)
            cells[row, column] = cells.get((row, column), 0) + handled.get((outcome, column), 0)
        for group in OutcomeGroup:
            parts = _parts(group)
            if parts:
                cells[group_row(group), column] = sum(cells[part, column] for part in parts)
        cells[TOTAL_HANDLED, column] = sum(
            cells[group_row(group), column] for group in OutcomeGroup
        )
    for row in rows():
        cells[row, TOTAL] = sum(cells[row, column] for column in ApplicantType.values)
    return cells


def _parts(group: str) -> list[str]:
    """The sub-rows of a group (none for 予以公开 and 部分公开)."""
    return [
        outcome_row(o)
        for o in Outcome
        if outcome_group(o) == group and outcome_row(o) != group_row(group)
    ]


@dataclass(frozen=True)
class CellProblem:
    cell: str
    message: str


def check_table_three(cells: Mapping[tuple[str, str], int]) -> list[CellProblem]:
    """Every check of the table, each failure naming its cell: a group row equals the sum of
    its sub-rows, （七）总计 the sum of the groups, the 总计 column the sum of the columns, and
    per column 一 + 二 = 三（七） + 四 (the rule printed under the national table)."""
    problems = []

    def expect(row: str, column: str, wanted: int, rule: str) -> None:
        value = cells.get((row, column), 0)
        if value != wanted:
            problems.append(
                CellProblem(
                    cell_name(row, column),
                    gettext("%(value)s, but %(rule)s gives %(wanted)s")
                    % {"value": value, "rule": rule, "wanted": wanted},
                )
            )

    for column in COLUMNS:
        for group in OutcomeGroup:
            parts = _parts(group)
            if parts:
                expect(
                    group_row(group),
                    column,
                    sum(cells.get((part, column), 0) for part in parts),
                    gettext("the sum of its sub-rows"),
                )
        expect(
            TOTAL_HANDLED,
            column,
            sum(cells.get((group_row(group), column), 0) for group in OutcomeGroup),
            gettext("the sum of (1) to (6)"),
        )
        expect(
            CARRIED_OUT,
            column,
            cells.get((NEW, column), 0)
            + cells.get((CARRIED_IN, column), 0)
            - cells.get((TOTAL_HANDLED, column), 0),
            gettext("1 + 2 − 3 (the new and carried-over requests not handled)"),
        )
    for row in rows():
        expect(
            row,
            TOTAL,
            sum(cells.get((row, column), 0) for column in ApplicantType.values),
            gettext("the sum of the applicant columns"),
        )
    return problems
