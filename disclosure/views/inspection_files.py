"""An inspection as files: an XLSX sheet in the bureaus' usual layout (序号, 项目, 内容, 分值,
评分标准, 得分, 扣分说明 under a header naming the institution, the inspection and its total),
and a printable PDF drawn by WeasyPrint as the annual report's is."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from ..models import Inspection, InspectionScore
from .annual_report_files import Sheet, report_pdf


def sheet_headings() -> list[str]:
    """The score table's columns, in the bureaus' order."""
    return [
        pgettext("checklist", "No."),
        pgettext("checklist", "Section"),
        pgettext("checklist", "Content"),
        pgettext("checklist", "Points"),
        pgettext("checklist", "Scoring guidance"),
        pgettext("checklist", "Score"),
        pgettext("checklist", "Reasons for deductions"),
    ]


def _number(value):
    return "" if value is None else float(value)


def inspection_workbook(inspection: Inspection, rows: Sequence[InspectionScore]) -> bytes:
    """The header (institution, title, period, kind, evaluator (the commission, for its own
    inspection), state, total), then one row per
    item in the template's order and the total. An automatic item's note says how it was
    computed when no one wrote one."""
    workbook = Workbook()
    sheet = Sheet(workbook, str(inspection.get_kind_display()), first=True)
    period = _("%(start)s to %(end)s") % {
        "start": inspection.period_start.isoformat(),
        "end": inspection.period_end.isoformat(),
    }
    total = inspection.total()
    header = [
        (_("Institution"), inspection.site.site_name),
        (_("Title"), inspection.title),
        (_("Period"), period),
        (_("Kind"), inspection.get_kind_display()),
        (_("Evaluator"), inspection.evaluated_by or "—"),
        (_("State"), inspection.get_state_display()),
        (_("Total"), float(total)),
    ]
    for row, (label, value) in enumerate(header, start=1):
        sheet.put(row, 1, label, bold=True)
        sheet.put(row, 2, value, to=(row, 7), left=True)
    first = len(header) + 2
    for column, heading in enumerate(sheet_headings(), start=1):
        sheet.put(first, column, heading, bold=True)
    row = first
    for score in rows:
        row += 1
        item = score.item
        values = [
            item.code,
            item.section.title,
            item.text,
            _number(item.points),
            item.guidance,
            _number(score.score),
            score.note or score.computed,
        ]
        for column, value in enumerate(values, start=1):
            sheet.put(row, column, value, left=column in (2, 3, 5, 7))
    row += 1
    sheet.put(row, 1, _("Total"), to=(row, 3), bold=True)
    sheet.put(row, 4, float(sum((score.item.points for score in rows), start=0)), bold=True)
    sheet.put(row, 5, "")
    sheet.put(row, 6, float(total), bold=True)
    sheet.put(row, 7, "")
    sheet.widths(8, 16, 48, 8, 40, 8, 36)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def inspection_pdf(html: str) -> bytes:
    """The printable scoring sheet as PDF (a CJK font must be installed, as for the annual
    report; ``manage.py check`` warns when none is)."""
    return report_pdf(html)
