"""Table 三 of the annual report (收到和处理政府信息公开申请情况), its cells and its checks.

The table's rows and columns are those of the national format (国办公开办函〔2021〕30号): rows 一
(本年新收), 二 (上年结转), 三 (本年度办理结果: six groups, their numbered sub-rows, （七）总计) and
四 (结转下年度继续办理); columns 自然人, the five kinds of 法人或其他组织, and 总计. The counts come
from the register (``selectors.annual_report``); a table typed or corrected by hand is checked
the same way, and each failing check names its cell, as "三（三）4 · 商业企业". Nothing here
touches the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.utils.translation import gettext, pgettext

from .deadlines import on_time_rate
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
        pgettext("national table", "Total")
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
    #: The form field that holds the cell, for the cells typed by hand (table 四).
    field: str = ""

    def __str__(self) -> str:
        return f"{self.cell}：{self.message}"


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


# Table 四: reconsideration and litigation (行政复议、行政诉讼), typed by hand -------------------

#: The three groups of columns of the national table 四, and the five results of each.
APPEAL_GROUPS: tuple[str, ...] = ("review", "suit_direct", "suit_after_review")
APPEAL_RESULTS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")


def appeal_group_label(group: str) -> str:
    return {
        "review": gettext("Administrative reconsideration"),
        "suit_direct": gettext("Administrative litigation: sued without reconsideration"),
        "suit_after_review": gettext("Administrative litigation: sued after reconsideration"),
    }[group]


def appeal_result_label(result: str) -> str:
    return {
        "upheld": gettext("Upheld"),
        "corrected": gettext("Corrected"),
        "other": gettext("Other result"),
        "pending": gettext("Not yet concluded"),
        "total": pgettext("national table", "Total"),
    }[result]


def appeal_field(group: str, result: str) -> str:
    """The form field of a cell of table 四: ``appeal_review_upheld``."""
    return f"appeal_{group}_{result}"


def appeal_cell_name(group: str, result: str) -> str:
    """A cell of table 四 as the report names it: "四 · 行政复议 · 总计"."""
    return f"四 · {appeal_group_label(group)} · {appeal_result_label(result)}"


def appeal_values(appeals: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """Table 四 as stored (``{group: {result: count}}``, perhaps partial), every cell present:
    0 where nothing was typed."""
    return {
        group: {result: appeals.get(group, {}).get(result, 0) for result in APPEAL_RESULTS}
        for group in APPEAL_GROUPS
    }


def check_table_four(appeals: Mapping[str, Mapping[str, int]]) -> list[CellProblem]:
    """Each group's 总计 equals the sum of its four results; a failure names the cell and the
    field that holds it."""
    problems = []
    for group, values in appeal_values(appeals).items():
        wanted = sum(values[result] for result in APPEAL_RESULTS[:-1])
        if values["total"] != wanted:
            problems.append(
                CellProblem(
                    appeal_cell_name(group, "total"),
                    gettext("%(value)s, but %(rule)s gives %(wanted)s")
                    % {
                        "value": values["total"],
                        "rule": gettext("the sum of its results"),
                        "wanted": wanted,
                    },
                    field=appeal_field(group, "total"),
                )
            )
    return problems


# The statistics frozen into a report --------------------------------------------------------

#: The shape of ``ReportStatistics.as_json``; a report keeps the one it was generated with.
STATISTICS_FORMAT = "annual-report/1"


@dataclass(frozen=True)
class CategoryFigures:
    """二、主动公开情况, one catalog category: publications that went live in the period, the
    deadlines that fell in it met on time or late, and the "checked, no change" records."""

    title: str
    publications: int = 0
    on_time: int = 0
    late: int = 0
    attested: int = 0


@dataclass(frozen=True)
class DepartmentFigures:
    name: str
    on_time: int = 0
    late: int = 0

    @property
    def on_time_rate(self) -> int | None:
        """Percentage of the deadlines that fell in the period met on time, rounded down."""
        return on_time_rate(self.on_time, self.on_time + self.late)


@dataclass(frozen=True)
class ProactiveFigures:
    categories: tuple[CategoryFigures, ...] = ()
    departments: tuple[DepartmentFigures, ...] = ()
    #: Publications that went live per month ("2026-01") per category title.
    months: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()
    policy_documents: int = 0
    policy_interpretations: int = 0
    emergency_publications: int = 0

    @property
    def publications(self) -> int:
        return sum(category.publications for category in self.categories)

    @property
    def on_time(self) -> int:
        return sum(category.on_time for category in self.categories)

    @property
    def late(self) -> int:
        return sum(category.late for category in self.categories)

    @property
    def attested(self) -> int:
        return sum(category.attested for category in self.categories)

    @property
    def on_time_rate(self) -> int | None:
        return on_time_rate(self.on_time, self.on_time + self.late)


@dataclass(frozen=True)
class ConsultationFigures:
    """The consultations of a statistics period, in the report's own table beside table 三."""

    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    #: Working days from receipt to answer, on average over those answered (one decimal).
    average_working_days: Decimal | None = None


@dataclass(frozen=True)
class ReportStatistics:
    """Everything a report counts from the records, as generated on ``generated_on`` for the
    period from ``start`` to ``end``; stored as JSON in the report, never recomputed for it."""

    start: dt.date
    end: dt.date
    generated_on: dt.date
    generator: str
    table_three: Cells
    consultations: ConsultationFigures
    proactive: ProactiveFigures

    def as_json(self) -> dict:
        return {
            "format": STATISTICS_FORMAT,
            "generator": self.generator,
            "generated_on": self.generated_on.isoformat(),
            "period": [self.start.isoformat(), self.end.isoformat()],
            "table_three": [
                [row, column, value] for (row, column), value in self.table_three.items()
            ],
            "consultations": {
                **asdict(self.consultations),
                "average_working_days": None
                if self.consultations.average_working_days is None
                else str(self.consultations.average_working_days),
            },
            "proactive": {
                "categories": [asdict(c) for c in self.proactive.categories],
                "departments": [asdict(d) for d in self.proactive.departments],
                "months": [
                    [month, [list(pair) for pair in counts]]
                    for month, counts in self.proactive.months
                ],
                "policy_documents": self.proactive.policy_documents,
                "policy_interpretations": self.proactive.policy_interpretations,
                "emergency_publications": self.proactive.emergency_publications,
            },
        }

    @classmethod
    def from_json(cls, data: Mapping) -> ReportStatistics | None:
        """The statistics stored in a report, or ``None`` when it has none (not generated yet)."""
        if not data or data.get("format") != STATISTICS_FORMAT:
            return None
        consultations = dict(data["consultations"])
        average = consultations.pop("average_working_days")
        proactive = data["proactive"]
        start, end = (dt.date.fromisoformat(day) for day in data["period"])
        return cls(
            start=start,
            end=end,
            generated_on=dt.date.fromisoformat(data["generated_on"]),
            generator=data["generator"],
            table_three={(row, column): value for row, column, value in data["table_three"]},
            consultations=ConsultationFigures(
                **consultations, average_working_days=None if average is None else Decimal(average)
            ),
            proactive=ProactiveFigures(
                categories=tuple(CategoryFigures(**c) for c in proactive["categories"]),
                departments=tuple(DepartmentFigures(**d) for d in proactive["departments"]),
                months=tuple(
                    (month, tuple((title, count) for title, count in counts))
                    for month, counts in proactive["months"]
                ),
                policy_documents=proactive["policy_documents"],
                policy_interpretations=proactive["policy_interpretations"],
                emergency_publications=proactive["emergency_publications"],
            ),
        )

    @property
    def requests_received(self) -> int:
        return self.table_three.get((NEW, TOTAL), 0)

    @property
    def requests_handled(self) -> int:
        return self.table_three.get((TOTAL_HANDLED, TOTAL), 0)


def overview_paragraph(*, institution: str, year: int, statistics: ReportStatistics) -> str:
    """The year's key figures, offered as the first paragraph of 一、总体情况."""
    proactive = statistics.proactive
    rate = proactive.on_time_rate
    return gettext(
        "In %(year)s, %(institution)s proactively disclosed %(publications)s items of "
        "information, including %(policies)s policy documents and %(interpretations)s "
        "interpretations; %(on_time)s of %(due)s update deadlines were met on time "
        "(%(rate)s). It received %(received)s requests for disclosure and handled "
        "%(handled)s, %(carried)s carried over to the next year, and answered "
        "%(answered)s of %(consultations)s consultations."
    ) % {
        "year": year,
        "institution": institution,
        "publications": proactive.publications,
        "policies": proactive.policy_documents,
        "interpretations": proactive.policy_interpretations,
        "on_time": proactive.on_time,
        "due": proactive.on_time + proactive.late,
        "rate": "—" if rate is None else f"{rate}%",
        "received": statistics.requests_received,
        "handled": statistics.requests_handled,
        "carried": statistics.table_three.get((CARRIED_OUT, TOTAL), 0),
        "answered": statistics.consultations.answered,
        "consultations": statistics.consultations.received,
    }


# The tables as the report prints them ----------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    """One printed row of table 三: its code (blank for the heading of 三), its national label,
    its level of indentation (0 for 一 to 四, 1 for a group, 2 for a numbered sub-row) and
    its values in the order of ``COLUMNS`` (none for a heading)."""

    code: str
    label: str
    level: int
    values: tuple[int, ...] = ()

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(column, value) in the order of ``COLUMNS``."""
        return list(zip(COLUMNS, self.values, strict=True))


def table_three_rows(cells: Mapping[tuple[str, str], int]) -> list[TableRow]:
    printed = []
    for row in rows():
        if row == group_row(OutcomeGroup.values[0]):
            printed.append(TableRow("", gettext("3. Results of handling this year"), 0))
        level = 0 if row in (NEW, CARRIED_IN, CARRIED_OUT) else 1 if row[-1] == "）" else 2
        printed.append(
            TableRow(row, row_label(row), level, tuple(cells.get((row, c), 0) for c in COLUMNS))
        )
    return printed


def column_labels() -> list[str]:
    """The columns of table 三 under their headings, in the order of ``COLUMNS``."""
    return [
        pgettext("national table", "Total")
        if column == TOTAL
        else str(NATIONAL_APPLICANT_LABELS[column])
        for column in COLUMNS
    ]
