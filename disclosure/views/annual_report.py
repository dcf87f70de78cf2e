"""The annual report's screens: generate a draft, regenerate its statistics, drill down from a
cell to its cases, download it (XLSX in the national layout, a printable PDF), and the
statistics of the year so far for each institution one oversees.

What the report shows is assembled once (:func:`report_context`) for the public page, the
admin's statistics panel, the PDF and the exports; it reads only the figures frozen in the
report, never the records.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages
from wagtail.models import Page, Site
from wagtail.permissions import policy_registry

from ..models import AnnualReportPage, CatalogItemPage, DisclosureRequest
from ..rules.annual_report import (
    APPEAL_RESULTS,
    COLUMNS,
    TOTAL,
    ReportStatistics,
    appeal_group_label,
    appeal_result_label,
    appeal_values,
    cell_name,
    column_labels,
    group_row,
    rows,
    table_three_rows,
)
from ..rules.charts import horizontal_bars, stacked_columns
from ..rules.requests import OutcomeGroup
from ..selectors.admin_pages import draft_readable_ids
from ..selectors.annual_report import report_statistics, requests_in_cell
from ..selectors.catalog import site_of, site_roots
from ..selectors.requests import CaseAccess, case_rows, cases_visible_to
from ..selectors.scope import commission_site_ids, overseen_site_ids
from ..selectors.visibility import visible_to
from ..services.annual_report import (
    generate_draft,
    generation_refusal,
    regenerate,
    regeneration_refusal,
)
from .annual_report_files import FILE_TYPES, report_pdf, report_workbook

# What the report shows ----------------------------------------------------------------------


def report_context(report: AnnualReportPage) -> dict:
    """The report's sections as the templates, the PDF and the exports print them, from its
    frozen statistics (no tables before they are generated)."""
    statistics = report.frozen_statistics
    appeals = appeal_values(report.appeals or {})
    context = {
        "report": report,
        "statistics": statistics,
        "column_labels": column_labels(),
        "appeal_groups": [
            (appeal_group_label(group), list(values.values())) for group, values in appeals.items()
        ],
        "appeal_results": [appeal_result_label(result) for result in APPEAL_RESULTS],
    }
    if statistics is None:
        return context
    proactive = statistics.proactive
    outcomes = [
        (str(group.label), statistics.table_three.get((group_row(group), TOTAL), 0))
        for group in OutcomeGroup
    ]
    rated = [d for d in proactive.departments if d.on_time_rate is not None]
    context.update(
        table_three=table_three_rows(statistics.table_three),
        month_rows=[
            (_month_label(month), [count for _t, count in counts], sum(c for _t, c in counts))
            for month, counts in proactive.months
        ],
        charts={
            "months": stacked_columns(
                [_month_label(month) for month, _counts in proactive.months],
                [category.title for category in proactive.categories],
                [[count for _title, count in counts] for _month, counts in proactive.months],
            ),
            "departments": horizontal_bars(
                [(d.name, d.on_time_rate, f"{d.on_time_rate}%") for d in rated], maximum=100
            ),
            "outcomes": horizontal_bars([(label, value, str(value)) for label, value in outcomes]),
        },
    )
    return context


def _month_label(month: str) -> str:
    """A month ("2026-03") as the charts print it (3月)."""
    return _("Month %(number)s") % {"number": int(month[5:])}


def _report_or_404(page_id: int) -> AnnualReportPage:
    return get_object_or_404(AnnualReportPage, pk=page_id)


def _latest_for(request, page_id: int) -> AnnualReportPage:
    """The report's latest revision, for a user who may read its drafts (edit or review it)."""
    report = _report_or_404(page_id)
    if not request.user.is_superuser and report.pk not in draft_readable_ids(
        request.user, [report.pk]
    ):
        raise PermissionDenied
    return report.get_latest_revision_as_object()


def _readable_for(request, page_id: int) -> AnnualReportPage:
    """The latest revision for those who may read the drafts; the live version for the other
    readers of the live page; nothing for anyone else."""
    try:
        return _latest_for(request, page_id)
    except PermissionDenied:
        report = visible_to(AnnualReportPage.objects.filter(pk=page_id), request.user).first()
        if report is None:
            raise
        return report


# Generate and regenerate -------------------------------------------------------------------


class GenerateForm(forms.Form):
    item = forms.ModelChoiceField(
        label=gettext_lazy("Catalog item"), queryset=CatalogItemPage.objects.none()
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2008, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = report_items_for(user)


def _report_item_candidates(user):
    """The items taking annual reports under which ``user`` may add pages, as Wagtail's
    permissions give them in one query: each is then asked ``generation_refusal``, the rule."""
    # icontains: JSON containment is not a lookup SQLite has; the kinds are a short list.
    items = CatalogItemPage.objects.filter(publication_kinds__icontains="annual_report")
    addable = policy_registry.get_by_type(Page).instances_user_has_permission_for(user, "add")
    return items.filter(pk__in=addable.values("pk")).order_by("path")


def report_items_for(user):
    """The catalog items under which ``user`` may generate a report."""
    items = _report_item_candidates(user)
    allowed = [item.pk for item in items if generation_refusal(item, user) is None]
    return CatalogItemPage.objects.filter(pk__in=allowed).order_by("path")


def may_generate_a_report(user) -> bool:
    """Whether ``user`` may generate a report under any item: the admin menu asks on every
    page, so it stops at the first (every item of every institution was checked, 142 at the
    benchmark's scale, 20 ms on each admin page)."""
    return any(generation_refusal(item, user) is None for item in _report_item_candidates(user))


def _default_year(today: dt.date) -> int:
    """Last year until the report is due (31 January) and a little after; then this year."""
    return today.year - 1 if today.month <= 3 else today.year


def generate_view(request):
    today = timezone.localdate()
    form = GenerateForm(
        request.POST or None,
        user=request.user,
        initial={"year": _default_year(today), "item": request.GET.get("item")},
    )
    if not form.fields["item"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            report = generate_draft(
                item=form.cleaned_data["item"], year=form.cleaned_data["year"], user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "The draft of “%(title)s” is generated from the records. Check it, complete "
                    "sections 1, 4, 5 and 6, then submit it for review."
                )
                % {"title": report.title},
            )
            return redirect("wagtailadmin_pages:edit", report.pk)
    return TemplateResponse(
        request,
        "disclosure/admin/annual_report_generate.html",
        {"form": form, "page_title": _("Generate an annual report")},
    )


def generate_annual_reports(request, parent_page, page_class):
    """The ``before_create_page`` hook: a report starts from the records, so "add child page →
    annual report" opens the generator for that item, not an empty form."""
    if page_class is AnnualReportPage:
        url = reverse("disclosure_admin:annual_report_generate")
        return redirect(f"{url}?item={parent_page.pk}")
    return None


@require_http_methods(["GET", "POST"])
def regenerate_view(request, page_id: int):
    report = _report_or_404(page_id)
    refusal = regeneration_refusal(report, request.user)
    if refusal and not report.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if request.method == "POST" and refusal is None:
        regenerate(page=report, user=request.user)
        messages.success(request, _("The statistics are counted anew from the records."))
        return redirect("wagtailadmin_pages:edit", report.pk)
    draft = report.get_latest_revision_as_object()
    return TemplateResponse(
        request,
        "disclosure/admin/annual_report_regenerate.html",
        {
            "report": draft,
            "refusal": refusal,
            "page_title": _("Regenerate the statistics"),
        },
    )


# Drill-down ---------------------------------------------------------------------------------


def cell_view(request, page_id: int):
    """The requests behind a cell of table 三, as the register lists them (staff only: each
    user sees the cases they may read, with personal data as the register masks it)."""
    access = CaseAccess.of(request.user)
    if not access.reads_any:
        raise PermissionDenied
    report = _readable_for(request, page_id)
    statistics = report.frozen_statistics
    row, column = request.GET.get("row", ""), request.GET.get("column", "")
    if statistics is None or row not in rows() or column not in COLUMNS:
        raise Http404
    site = site_of(report.path, site_roots())
    requests = requests_in_cell(
        cases_visible_to(DisclosureRequest, request.user, access=access).filter(site=site),
        start=statistics.start,
        end=statistics.end,
        row=row,
        column=column,
    ).order_by("received_on", "pk")
    return TemplateResponse(
        request,
        "disclosure/admin/annual_report_cell.html",
        {
            "report": report,
            "statistics": statistics,
            "cell": cell_name(row, column),
            "frozen": statistics.table_three.get((row, column), 0),
            "cases": case_rows(requests, access=access),
            "page_title": cell_name(row, column),
        },
    )


def statistics_panel_context(report: AnnualReportPage, request) -> dict:
    """The edit form's statistics panel: the frozen figures, the failing checks, the links."""
    context = report_context(report)
    context["problems"] = report.content_problems() if report.pk else []
    if report.pk:
        context["urls"] = {
            "regenerate": reverse("disclosure_admin:annual_report_regenerate", args=[report.pk]),
            "cell": reverse("disclosure_admin:annual_report_cell", args=[report.pk]),
            "xlsx": reverse("disclosure_admin:annual_report_file", args=[report.pk, "xlsx"]),
            "pdf": reverse("disclosure_admin:annual_report_file", args=[report.pk, "pdf"]),
        }
    return context


# Files --------------------------------------------------------------------------------------


def _file_response(
    report: AnnualReportPage, format: str, request, *, revision_id: int | None
) -> HttpResponse:
    """The report as a file; drawn once per revision, format and language (a PDF takes a
    second to draw), then served from the cache."""
    if format not in FILE_TYPES:
        raise Http404

    def draw() -> bytes:
        context = report_context(report)
        if format == "xlsx":
            return report_workbook(context)
        return report_pdf(render_to_string("disclosure/annual_report_pdf.html", context))

    if revision_id is None:
        content = draw()
    else:
        key = f"disclosure:annual-report:{revision_id}:{format}:{get_language()}"
        content = cache.get(key)
        if content is None:
            content = draw()
            cache.set(key, content, timeout=24 * 3600)
    response = HttpResponse(content, content_type=FILE_TYPES[format])
    name = f"annual-report-{report.year}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{format}"'
    return response


def admin_file_view(request, page_id: int, format: str):
    """The latest revision (a draft, too) as XLSX or PDF, for those who may read its drafts."""
    report = _latest_for(request, page_id)
    return _file_response(report, format, request, revision_id=report.latest_revision_id)


def public_file_view(request, page_id: int, format: str):
    """The live report as XLSX or PDF, for whoever may read the report's page."""
    report = visible_to(AnnualReportPage.objects.filter(pk=page_id), request.user).first()
    if report is None:
        raise Http404
    response = _file_response(report, format, request, revision_id=report.live_revision_id)
    # Revalidated on every use (an unpublished report is not served from a cache), cheaply: the
    # file changes only with the live revision.
    response["ETag"] = f'"{report.live_revision_id}-{format}-{get_language()}"'
    response["Cache-Control"] = "private, no-cache" if request.user.is_authenticated else "no-cache"
    return get_conditional_response(request, etag=response["ETag"], response=response)


# The year so far ----------------------------------------------------------------------------


def statistics_view(request):
    """Year to date (or a past year) for each institution the user oversees (its office or
    supervisors, or a health commission over it; every institution for a superuser): the
    figures a report would freeze. Counts only: no applicant is named."""
    user = request.user
    if user.is_superuser:
        sites = list(Site.objects.order_by("site_name"))
    else:
        readable = set(overseen_site_ids(user)) | commission_site_ids(user)
        sites = list(Site.objects.filter(pk__in=readable).order_by("site_name"))
    if not sites:
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2008), today.year)
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    institutions = []
    for site in sites:
        statistics = report_statistics(site=site, start=start, end=end, today=today)
        published = (
            AnnualReportPage.objects.descendant_of(site.root_page)
            .filter(year=year - 1, live=True)
            .first()
        )
        institutions.append({"site": site, "statistics": statistics, "last_report": published})
    return TemplateResponse(
        request,
        "disclosure/admin/annual_report_statistics.html",
        {
            "page_title": _("Disclosure statistics"),
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "start": start,
            "end": end,
            "institutions": institutions,
            "single": institutions[0] if len(institutions) == 1 else None,
            **(
                {"detail": report_context_for_statistics(institutions[0]["statistics"])}
                if len(institutions) == 1
                else {}
            ),
        },
    )


def report_context_for_statistics(statistics: ReportStatistics) -> dict:
    """The report's tables for figures not (yet) in a report."""
    report = AnnualReportPage(
        statistics=statistics.as_json(), appeals={}, year=statistics.start.year
    )
    return report_context(report)
