"""The base of every admin report that exports: Wagtail's ``ReportView`` with safe cells, and
workbooks a person can read without reformatting them."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.admin.views.reports import ReportView as WagtailReportView

from ..rules.spreadsheets import neutralise_formula

#: The widest a column is set, in characters (longer text wraps).
MAX_COLUMN_WIDTH = 60


class ReportView(WagtailReportView):
    """Titles, notes and applicants' input reach the exports as typed. Wagtail keeps XLSX cells
    as text; in CSV, a cell such as ``=cmd|' /C calc'!A0`` is neutralised here.

    The XLSX workbook names its sheet after the report, freezes the headings and sizes the
    columns to their contents; a second sheet says when it was exported, by whom and with which
    filters (the table itself starts on the first row, for whoever reads it by program)."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return neutralise_formula(value)
        return value

    def export_conditions(self) -> list[str]:
        """The filters in force, as "label: value", in the form's order."""
        form = getattr(getattr(self, "filters", None), "form", None)
        if form is None or not form.is_valid():
            return []
        conditions = []
        for name, field in form.fields.items():
            value = form.cleaned_data.get(name)
            if value in (None, "", [], ()):
                continue
            shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
            if hasattr(field, "label_from_instance") and not isinstance(value, str):
                shown = field.label_from_instance(value)
            conditions.append(f"{capfirst(field.label)}：{shown}")
        return conditions

    def write_xlsx(self, queryset, output):
        # Deferred to an export, as Wagtail's own exports do: openpyxl takes a fifth of a
        # second to import.
        from openpyxl import Workbook
        from openpyxl.cell import Cell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        # ISO dates, as Wagtail writes them: a date reads back as a date, not a midnight.
        workbook = Workbook(iso_dates=True)
        sheet = workbook.active
        sheet.title = str(capfirst(self.page_title))[:31]
        sheet.append([self.get_heading(queryset, field) for field in self.list_export])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        widths = [len(self.get_heading(queryset, field)) for field in self.list_export]
        for item in queryset:
            row = []
            for index, (field, value) in enumerate(self.to_row_dict(item).items()):
                value = self.preprocess_field_value(field, value, self.FORMAT_XLSX)
                cell = Cell(sheet, value=value)
                if cell.data_type == "f":  # never a formula: what was typed, as text
                    cell.data_type = "s"
                row.append(cell)
                widths[index] = max(widths[index], _display_width(value))
            sheet.append(row)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(
                width + 2, MAX_COLUMN_WIDTH
            )
        self._write_about_sheet(workbook.create_sheet(_("About this export")), sheet.max_row - 1)
        workbook.save(output)

    def _write_about_sheet(self, sheet, rows: int) -> None:
        from openpyxl.styles import Font  # deferred to an export (see write_xlsx)

        user = self.request.user
        conditions = self.export_conditions()
        for label, value in (
            (_("Report name"), str(capfirst(self.page_title))),
            (_("Exported at"), date_format(timezone.localtime(), "Y-m-d H:i")),
            (_("Exported by"), user.get_full_name() or user.get_username()),
            (_("Filters applied"), "；".join(conditions) or _("none (everything you may see)")),
            (_("Number of rows"), rows),
        ):
            sheet.append([label, neutralise_formula(value)])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.column_dimensions["A"].width = 14
        sheet.column_dimensions["B"].width = MAX_COLUMN_WIDTH


def _display_width(value) -> int:
    """Characters a cell needs: a Chinese character takes two."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value or "")
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)
