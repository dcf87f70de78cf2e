"""The annual report on disclosure work (信息公开工作年度报告): a publication under the 年度报告
catalog item, in the national format's six sections.

What it counts (二 and 三, the consultations) is generated from the records and frozen into the
page as JSON (``statistics``), with the generator's version: a published report keeps its
figures whatever happens later, and regenerating is an explicit action on a draft
(``services.annual_report``). Table 四 (行政复议、行政诉讼) and the text sections are typed.
Every check of the tables runs before the report goes for review and again before it goes live
(``content_problems``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from ..forms import ModeratedPageForm
from ..rules.annual_report import (
    APPEAL_GROUPS,
    APPEAL_RESULTS,
    CellProblem,
    ReportStatistics,
    appeal_field,
    appeal_group_label,
    appeal_result_label,
    appeal_values,
    check_table_four,
    check_table_three,
)
from .catalog import PublicationKind
from .publications import PublicationPage


class _AnnualReportFormBase(ModeratedPageForm):
    """Table 四 as fifteen number fields (stored together in ``appeals``); on the way to review,
    every check of the report, each failure on the field of its cell where it has one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for group, values in appeal_values(self.instance.appeals or {}).items():
            for result, value in values.items():
                self.fields[appeal_field(group, result)].initial = value

    def clean(self):
        cleaned_data = super().clean()
        # A cell the request did not send (Wagtail's API edits, a partial post) keeps its value:
        # only what was typed changes table 四.
        appeals = {group: dict(values) for group, values in (self.instance.appeals or {}).items()}
        for group in APPEAL_GROUPS:
            for result in APPEAL_RESULTS:
                name = appeal_field(group, result)
                if self.add_prefix(name) in self.data:
                    appeals.setdefault(group, {})[result] = cleaned_data.get(name) or 0
        self.instance.appeals = appeals
        year = cleaned_data.get("year")
        if year and self.parent_page is not None:
            reports = AnnualReportPage.objects.child_of(self.parent_page).filter(year=year)
            if reports.exclude(pk=self.instance.pk).exists():
                self.add_error("year", gettext("This item already has a report for that year."))
        if self.is_outgoing:
            for field in ("year", "period_start", "period_end"):
                if field in cleaned_data:
                    setattr(self.instance, field, cleaned_data[field])
            for problem in self.instance.content_problems():
                self.add_error(
                    problem.field if problem.field in self.fields else None, str(problem)
                )
        return cleaned_data


AnnualReportForm = type(
    "AnnualReportForm",
    (_AnnualReportFormBase,),
    {
        appeal_field(group, result): forms.IntegerField(
            label=lazy(appeal_result_label, str)(result), min_value=0, required=False
        )
        for group in APPEAL_GROUPS
        for result in APPEAL_RESULTS
    },
)


def _appeal_panel(group: str) -> MultiFieldPanel:
    return MultiFieldPanel(
        [FieldRowPanel([FieldPanel(appeal_field(group, result)) for result in APPEAL_RESULTS])],
        heading=lazy(appeal_group_label, str)(group),
    )


class AnnualReportPage(PublicationPage):
    """An institution's annual report on its disclosure work for one year."""

    publication_kind = PublicationKind.ANNUAL_REPORT
    #: Figures the review approved are not replaced in an emergency.
    publishable_in_emergency = False

    # Nullable in the database only: a page made without the form (Wagtail's API) is refused
    # for review until they are set (``content_problems``), not stopped by a database error.
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, validators=[MinValueValidator(2008), MaxValueValidator(2100)]
    )
    period_start = models.DateField(
        _("statistics from"), null=True, help_text=_("Usually 1 January of the year.")
    )
    period_end = models.DateField(
        _("statistics to"),
        null=True,
        help_text=_(
            "Usually 31 December; some institutions close their statistics earlier. Change it, "
            "then regenerate the statistics."
        ),
    )
    overview = models.TextField(_("1. Overview"), blank=True)
    problems = models.TextField(_("5. Main problems and how they were improved"), blank=True)
    other_matters = models.TextField(_("6. Other matters to report"), blank=True)
    fee_notices = models.PositiveIntegerField(_("fee notices issued"), default=0)
    fees_charged = models.DecimalField(
        _("fees charged (yuan)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    #: Table 四, typed: {group: {result: count}} (``rules.annual_report.APPEAL_GROUPS``).
    appeals = models.JSONField(
        _("administrative reconsideration and litigation"), default=dict, blank=True
    )
    #: What the report counts, frozen when generated (``ReportStatistics.as_json``).
    statistics = models.JSONField(_("statistics"), default=dict, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("year"), FieldPanel("period_start"), FieldPanel("period_end")]),
        FieldPanel("publication_date"),
        # Read-only: the frozen statistics, their checks and the actions on them
        # (the annual_report_statistics_panel tag of templatetags/disclosure_tags.py).
        HelpPanel(
            template="disclosure/admin/annual_report_statistics_panel.html",
            heading=_("Statistics from the records"),
        ),
        FieldPanel("overview"),
        MultiFieldPanel(
            [_appeal_panel(group) for group in APPEAL_GROUPS],
            heading=_("4. Administrative reconsideration and litigation"),
        ),
        FieldPanel("problems"),
        FieldRowPanel([FieldPanel("fee_notices"), FieldPanel("fees_charged")]),
        FieldPanel("other_matters"),
        FieldPanel("summary"),
        InlinePanel("attachments", label=_("Attachments")),
    ]
    search_fields = [
        *PublicationPage.search_fields,
        index.SearchField("overview"),
        index.SearchField("problems"),
        index.SearchField("other_matters"),
        index.FilterField("year"),
    ]
    api_fields = [
        *PublicationPage.api_fields,
        APIField("year"),
        APIField("period_start"),
        APIField("period_end"),
    ]
    base_form_class = AnnualReportForm
    template = "disclosure/annual_report_page.html"

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")

    @property
    def frozen_statistics(self) -> ReportStatistics | None:
        return ReportStatistics.from_json(self.statistics)

    def clean(self) -> None:
        super().clean()
        if problem := self.period_problem():
            # Not on a field: Wagtail's API edits pages with a form that has none of these.
            raise ValidationError(str(problem))

    def period_problem(self) -> CellProblem | None:
        """The statistics period belongs to the year: it ends in it and spans at most a year
        (1 January to 31 December, or for example 21 December to 20 December)."""
        if not (self.year and self.period_start and self.period_end):
            return CellProblem(
                gettext("Statistics"),
                gettext("set the year and the statistics period."),
                field="period_end",
            )
        if self.period_start > self.period_end:
            return CellProblem(
                gettext("Statistics"), gettext("the period ends before it starts."), "period_end"
            )
        if self.period_end.year != self.year or (self.period_end - self.period_start).days > 365:
            return CellProblem(
                gettext("Statistics"),
                gettext("the period must end in %(year)s and span at most a year.")
                % {"year": self.year},
                "period_end",
            )
        return None

    def content_problems(self) -> list[CellProblem]:
        """Everything that keeps the report from review: statistics not generated, or for
        another period than the one set; each failing check of tables 三 and 四."""
        if problem := self.period_problem():
            return [problem]
        statistics = self.frozen_statistics
        if statistics is None:
            return [CellProblem(gettext("Statistics"), gettext("generate them first."))]
        problems = []
        parent = self.get_parent() if self.pk else None
        if parent is not None and (
            AnnualReportPage.objects.child_of(parent)
            .filter(year=self.year)
            .exclude(pk=self.pk)
            .exists()
        ):
            problems.append(
                CellProblem(
                    gettext("Year"),
                    gettext("this item already has a report for that year."),
                    field="year",
                )
            )
        if (statistics.start, statistics.end) != (self.period_start, self.period_end):
            problems.append(
                CellProblem(
                    gettext("Statistics"),
                    gettext("they cover %(start)s to %(end)s, not the period set: regenerate them.")
                    % {"start": statistics.start, "end": statistics.end},
                    field="period_end",
                )
            )
        problems += check_table_three(statistics.table_three)
        problems += check_table_four(self.appeals or {})
        return problems

    @staticmethod
    def default_period(year: int) -> tuple[dt.date, dt.date]:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
