"""The annual report as files: an XLSX workbook laid out like the national tables (merged
headers, national row order and labels), and a printable PDF rendered by WeasyPrint from the
report's HTML, its Chinese font embedded (a CJK font must be installed: Debian's
``fonts-noto-cjk``; ``manage.py check`` warns when none is)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..rules.spreadsheets import neutralise_formula
from ..rules.uploads import ALLOWED_TYPES

#: The files a report is downloaded as, and their content types.
FILE_TYPES = {extension: ALLOWED_TYPES[extension] for extension in ("xlsx", "pdf")}

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_BOLD = Font(bold=True)


class Sheet:
    """A worksheet written cell by cell, each cell bordered, merged ranges written once."""

    def __init__(self, workbook: Workbook, title: str, *, first: bool = False):
        self.sheet = workbook.active if first else workbook.create_sheet()
        self.sheet.title = title[:31]

    def put(self, row: int, column: int, value, *, to=None, bold=False, left=False) -> None:
        cell = self.sheet.cell(row=row, column=column, value=neutralise_formula(value))
        cell.alignment = _LEFT if left else _CENTRE
        if bold:
            cell.font = _BOLD
        last_row, last_column = to or (row, column)
        for r in range(row, last_row + 1):
            for c in range(column, last_column + 1):
                self.sheet.cell(row=r, column=c).border = _BORDER
        if (last_row, last_column) != (row, column):
            self.sheet.merge_cells(
                start_row=row, start_column=column, end_row=last_row, end_column=last_column
            )

    def widths(self, *widths: int) -> None:
        for number, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(number)].width = width


def report_workbook(context: dict) -> bytes:
    """Sheets 二 (proactive disclosure), 三 (requests, national layout), the consultations and
    四 (reconsideration and litigation), from ``views.annual_report.report_context``."""
    workbook = Workbook()
    statistics = context["statistics"]
    _proactive_sheet(Sheet(workbook, _("2. Proactive disclosure"), first=True), statistics)
    _table_three_sheet(Sheet(workbook, _("3. Requests")), context)
    _consultations_sheet(Sheet(workbook, _("Consultations")), statistics)
    _table_four_sheet(Sheet(workbook, _("4. Reconsideration and litigation")), context)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _proactive_sheet(sheet: Sheet, statistics) -> None:
    headings = [
        _("Catalog category"),
        _("Publications"),
        _("Deadlines met on time"),
        _("Deadlines missed"),
        _("Checked, no change"),
    ]
    for column, heading in enumerate(headings, start=1):
        sheet.put(1, column, heading, bold=True)
    row = 2
    if statistics is not None:
        for category in statistics.proactive.categories:
            values = [category.publications, category.on_time, category.late, category.attested]
            sheet.put(row, 1, category.title, left=True)
            for column, value in enumerate(values, start=2):
                sheet.put(row, column, value)
            row += 1
        proactive = statistics.proactive
        sheet.put(row, 1, _("Total"), bold=True)
        totals = [proactive.publications, proactive.on_time, proactive.late, proactive.attested]
        for column, value in enumerate(totals, start=2):
            sheet.put(row, column, value, bold=True)
        row += 2
        for column, heading in enumerate(
            [_("Department"), _("On time"), _("Missed"), _("On-time rate")], start=1
        ):
            sheet.put(row, column, heading, bold=True)
        for department in proactive.departments:
            row += 1
            rate = department.on_time_rate
            sheet.put(row, 1, department.name, left=True)
            sheet.put(row, 2, department.on_time)
            sheet.put(row, 3, department.late)
            sheet.put(row, 4, "—" if rate is None else f"{rate}%")
        row += 2
        for label, value in (
            (_("Policy documents published"), proactive.policy_documents),
            (_("Policy interpretations published"), proactive.policy_interpretations),
            (_("Emergency publications"), proactive.emergency_publications),
        ):
            sheet.put(row, 1, label, left=True)
            sheet.put(row, 2, value)
            row += 1
    sheet.widths(36, 14, 16, 14, 16)


def _table_three_sheet(sheet: Sheet, context: dict) -> None:
    """The national table: three label columns, then 自然人, the five kinds of 法人或其他组织
    and 总计 under their merged headings."""
    labels = context["column_labels"]
    sheet.put(1, 1, _("(Per column: item 1 plus item 2 equals item 3 plus item 4)"), to=(3, 3))
    sheet.put(1, 4, _("Applicants"), to=(1, 10), bold=True)
    sheet.put(2, 4, labels[0], to=(3, 4), bold=True)
    sheet.put(2, 5, _("Legal persons or other organisations"), to=(2, 9), bold=True)
    for offset, label in enumerate(labels[1:6]):
        sheet.put(3, 5 + offset, label, bold=True)
    sheet.put(2, 10, labels[6], to=(3, 10), bold=True)
    printed = context.get("table_three", [])
    row = 4
    results_first = results_last = None
    for line in printed:
        if not line.code:  # the heading of 三: written once its rows are known
            results_first = row
            continue
        if line.level == 0:
            sheet.put(row, 1, line.label, to=(row, 3), left=True)
        elif line.level == 1:
            sheet.put(row, 2, line.label, to=(row, 3), left=True)
            results_last = row
        else:
            sheet.put(row, 2, "")
            sheet.put(row, 3, line.label, left=True)
            results_last = row
        for offset, value in enumerate(line.values):
            sheet.put(row, 4 + offset, value)
        row += 1
    if results_first is not None and results_last is not None:
        heading = next(line.label for line in printed if not line.code)
        sheet.put(results_first, 1, heading, to=(results_last, 1))
    sheet.widths(14, 30, 40, 10, 10, 10, 12, 12, 10, 10)


def _consultations_sheet(sheet: Sheet, statistics) -> None:
    headings = [
        _("Consultations received"),
        _("Answered"),
        _("Answered on time"),
        _("Average working days to answer"),
    ]
    for column, heading in enumerate(headings, start=1):
        sheet.put(1, column, heading, bold=True)
    if statistics is not None:
        figures = statistics.consultations
        average = figures.average_working_days
        values = [
            figures.received,
            figures.answered,
            figures.answered_on_time,
            "—" if average is None else float(average),
        ]
        for column, value in enumerate(values, start=1):
            sheet.put(2, column, value)
    sheet.widths(18, 12, 16, 24)


def _table_four_sheet(sheet: Sheet, context: dict) -> None:
    """The national layout: 行政复议 (five columns), 行政诉讼 split into 未经复议直接起诉 and
    复议后起诉 (five each), then one row of figures."""
    (review, review_values), *suits = context["appeal_groups"]
    results = context["appeal_results"]
    sheet.put(1, 1, review, to=(1, 5), bold=True)
    sheet.put(1, 6, _("Administrative litigation"), to=(1, 15), bold=True)
    for offset, label in enumerate(results):
        sheet.put(2, 1 + offset, label, to=(3, 1 + offset), bold=True)
    for number, (label, _values) in enumerate(suits):
        first = 6 + number * 5
        short = label.split("：", 1)[-1].split(": ", 1)[-1]
        sheet.put(2, first, short, to=(2, first + 4), bold=True)
        for offset, result in enumerate(results):
            sheet.put(3, first + offset, result, bold=True)
    values = review_values + [value for _label, group in suits for value in group]
    for offset, value in enumerate(values):
        sheet.put(4, 1 + offset, value)
    sheet.widths(*([10] * 15))


def _refuse_fetch(url: str, *args, **kwargs):
    """The PDF is drawn from the report alone: no stylesheet, image or font is fetched from a
    URL or a file named in the content."""
    raise ValueError(f"not fetched: {url}")


def report_pdf(html: str) -> bytes:
    """The report's printable HTML as PDF (fonts found by fontconfig, subset and embedded)."""
    from weasyprint import HTML  # deferred to a PDF: it loads Pango, a second's work

    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
