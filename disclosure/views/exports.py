"""The base of every admin report that exports: Wagtail's ``ReportView`` with safe cells."""

from __future__ import annotations

from wagtail.admin.views.reports import ReportView as WagtailReportView

from ..rules.spreadsheets import neutralise_formula


class ReportView(WagtailReportView):
    """Titles, notes and applicants' input reach the exports as typed. Wagtail keeps XLSX cells
    as text; in CSV, a cell such as ``=cmd|' /C calc'!A0`` is neutralised here."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return neutralise_formula(value)
        return value
