"""The monthly patrol (栏目巡查) and the rectification ledger (整改台账) in the Wagtail admin.

Who reads and does what is the ledger's :class:`~disclosure.selectors.rectification.LedgerAccess`;
every write goes through :mod:`disclosure.services.rectification`, whose refusals (field-keyed
``ValidationError`` dicts) are shown on the form's fields.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import AdminPageChooser, HeaderButton
from wagtail.models import Page, Site

from ..models import CatalogItemPage, Department, Finding, NoticeFinding, PatrolProblem
from ..rules.rectification import (
    OVERDUE,
    OVERDUE_LABEL,
    FindingSource,
    FindingState,
)
from ..selectors.inspections import site_items
from ..selectors.rectification import (
    LedgerAccess,
    finding_rows,
    findings_visible_to,
    patrols_visible_to,
)
from ..services import rectification as ledger
from .exports import ReportView
from .service_forms import EvidenceForm, FindingFields, show_service_errors, sites_among

STATE_CHOICES = [*FindingState.choices, (OVERDUE, OVERDUE_LABEL)]


def _office_sites(access: LedgerAccess):
    return sites_among(access.office_sites, superuser=access.superuser)


# The patrol ---------------------------------------------------------------------------------


class RunPatrolForm(forms.Form):
    institution = forms.ModelChoiceField(label=gettext_lazy("Institution"), queryset=Site.objects)

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = sites
        if sites.count() == 1:
            self.fields["institution"].initial = sites.first()
            self.fields["institution"].widget = forms.HiddenInput()


class PatrolProblemForm(forms.Form):
    detail = forms.CharField(
        label=gettext_lazy("Problem"), widget=forms.Textarea(attrs={"rows": 3})
    )
    page = forms.ModelChoiceField(
        label=gettext_lazy("Page"),
        queryset=Page.objects.all(),
        required=False,
        widget=AdminPageChooser(),
    )


class ReportItemForm(forms.Form):
    item = forms.ModelChoiceField(
        label=gettext_lazy("Catalog item of the report"), queryset=CatalogItemPage.objects.none()
    )

    def __init__(self, *args, site: Site, **kwargs):
        super().__init__(*args, **kwargs)
        items = site_items(site).order_by("path")
        self.fields["item"].queryset = items
        if not self.is_bound:
            self.fields["item"].initial = items.filter(title__contains="自查").first()


def patrol_list_view(request):
    access = LedgerAccess.of(request.user)
    patrols = patrols_visible_to(request.user)
    sites = _office_sites(access)
    if not access.reads_institutions:
        raise PermissionDenied
    return TemplateResponse(
        request,
        "disclosure/admin/rectification/patrol_list.html",
        {
            "patrols": patrols[:200],
            "run_form": RunPatrolForm(sites=sites) if sites.exists() else None,
        },
    )


@require_POST
def patrol_run_view(request):
    access = LedgerAccess.of(request.user)
    form = RunPatrolForm(request.POST, sites=_office_sites(access))
    if not form.is_valid():
        raise PermissionDenied
    patrol = ledger.run_patrol(site=form.cleaned_data["institution"], user=request.user)
    messages.success(
        request,
        _("Patrol done: %(columns)s columns and %(pages)s pages checked, %(problems)s problems.")
        % {
            "columns": patrol.standings.count(),
            "pages": patrol.pages_checked,
            "problems": patrol.problems.count(),
        },
    )
    return redirect("disclosure_admin:patrol", patrol.pk)


def _patrol_or_404(request, pk: int):
    patrol = patrols_visible_to(request.user).filter(pk=pk).first()
    if patrol is None:
        raise Http404
    return patrol, LedgerAccess.of(request.user)


def patrol_view(request, pk: int):
    patrol, access = _patrol_or_404(request, pk)
    office = access.is_office(patrol.site_id)
    form = PatrolProblemForm()
    status = 200
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        form = PatrolProblemForm(request.POST)
        if form.is_valid():
            try:
                ledger.add_patrol_problem(
                    patrol,
                    user=request.user,
                    detail=form.cleaned_data["detail"],
                    page=form.cleaned_data["page"],
                )
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("Problem added to the patrol."))
                return redirect("disclosure_admin:patrol", patrol.pk)
        status = 400
    problems = patrol.problems.select_related("item", "finding").order_by("pk")
    return TemplateResponse(
        request,
        "disclosure/admin/rectification/patrol.html",
        {
            "patrol": patrol,
            "standings": patrol.standings.all(),
            "problems": problems,
            "office": office,
            "problem_form": form if office else None,
        },
        status=status,
    )


def patrol_report_view(request, pk: int):
    """The office writes the patrol's 自查自纠 report: a draft under the catalog item chosen."""
    patrol, access = _patrol_or_404(request, pk)
    if not access.is_office(patrol.site_id):
        raise PermissionDenied
    form = ReportItemForm(request.POST or None, site=patrol.site)
    if request.method == "POST" and form.is_valid():
        try:
            page = ledger.draft_report(patrol, item=form.cleaned_data["item"], user=request.user)
        except PermissionDenied as error:
            form.add_error("item", str(error))
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The self-inspection report was drafted; review it."))
            return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "disclosure/admin/rectification/patrol_report.html",
        {"patrol": patrol, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# The ledger ---------------------------------------------------------------------------------


class LedgerFilterSet(WagtailFilterSet):
    site = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Institution"), queryset=Site.objects.all()
    )
    department = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Responsible department"), queryset=Department.objects.all()
    )
    source = django_filters.ChoiceFilter(
        label=gettext_lazy("Source of the problem"), choices=FindingSource.choices
    )
    # Overdue is a state of the display, computed on the calendar: filtered after computing.
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"), choices=STATE_CHOICES, method="keep_all"
    )

    class Meta:
        model = Finding
        fields = ["site", "department", "source", "state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visible = self.queryset
        self.filters["site"].queryset = Site.objects.filter(
            pk__in=visible.values("site_id")
        ).order_by("site_name")
        self.filters["department"].queryset = Department.objects.filter(
            pk__in=visible.values("department_id")
        ).order_by("site_id", "sort_order", "name")

    def keep_all(self, queryset, name, value):
        return queryset


class LedgerRow:
    """A ledger line as the list and its export show it."""

    def __init__(self, number: int, row):
        self.position = number
        self.row = row
        self.finding = row.finding

    @property
    def source_label(self) -> str:
        finding = self.finding
        label = str(finding.get_source_display())
        return f"{label}（{finding.source_detail}）" if finding.source_detail else label

    @property
    def progress(self) -> str:
        label = self.row.state_label
        return f"{label}：{self.finding.response}" if self.finding.response else label

    @property
    def due(self):
        return self.row.due


class LedgerView(ReportView):
    page_title = gettext_lazy("Rectification ledger")
    header_icon = "list-ol"
    template_name = "disclosure/admin/rectification/ledger.html"
    results_template_name = "disclosure/admin/rectification/ledger_results.html"
    index_url_name = "disclosure_admin:ledger"
    index_results_url_name = "disclosure_admin:ledger_results"
    filterset_class = LedgerFilterSet
    paginate_by = 100
    # The usual layout of a 整改台账.
    list_export = [
        "position",
        "source_label",
        "finding.problem",
        "finding.measure",
        "finding.department.name",
        "due",
        "progress",
    ]
    export_headings = {
        "position": gettext_lazy("No."),
        "source_label": gettext_lazy("Source of the problem"),
        "finding.problem": gettext_lazy("Problem found"),
        "finding.measure": gettext_lazy("Rectification measure"),
        "finding.department.name": gettext_lazy("Responsible department"),
        "due": gettext_lazy("Time limit"),
        "progress": gettext_lazy("Progress"),
    }

    def dispatch(self, request, *args, **kwargs):
        self.access = LedgerAccess.of(request.user)
        if not self.access.reads_any:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return findings_visible_to(self.request.user, access=self.access).order_by(
            "-raised_on", "-pk"
        )

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        kwargs["queryset"] = self.get_queryset()
        return kwargs

    def get_filtered_queryset(self):
        rows = finding_rows(self.filter_queryset(self.get_queryset()))
        state = self.filters.form.cleaned_data.get("state") if self.filters else None
        if state:
            rows = [row for row in rows if row.state == state]
        return [LedgerRow(number, row) for number, row in enumerate(rows, start=1)]

    def get_header_buttons(self):
        buttons = super().get_header_buttons()
        if self.access.superuser or self.access.office_sites:
            buttons.append(
                HeaderButton(
                    _("New finding"), reverse("disclosure_admin:finding_create"), icon_name="plus"
                )
            )
        return buttons

    def get_filename(self):
        return "rectification-ledger"


class FindingForm(FindingFields):
    field_order = ["institution", "source", "source_detail"]

    institution = forms.ModelChoiceField(label=gettext_lazy("Institution"), queryset=Site.objects)
    source = forms.ChoiceField(
        label=gettext_lazy("Source of the problem"), choices=FindingSource.choices
    )
    source_detail = forms.CharField(
        label=gettext_lazy("Source in detail"), required=False, max_length=200
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, sites=sites, **kwargs)
        self.fields["institution"].queryset = sites
        if len(sites) == 1:
            self.fields["institution"].initial = sites[0].pk
            self.fields["institution"].widget = forms.HiddenInput()


def finding_create_view(request):
    """The office enters a finding; from a patrol's problem, the form comes filled in."""
    access = LedgerAccess.of(request.user)
    sites = _office_sites(access)
    if not sites.exists():
        raise PermissionDenied
    problem = None
    if "problem" in request.GET:
        problem = (
            PatrolProblem.objects.select_related("patrol", "item__department")
            .filter(pk=request.GET["problem"], patrol__site__in=sites)
            .first()
        )
        if problem is None:
            raise Http404
    initial = {}
    if problem is not None:
        initial = {
            "institution": problem.patrol.site_id,
            "source": FindingSource.PATROL,
            "source_detail": str(problem.patrol),
            "problem": problem.detail,
            "item": problem.item_id,
            "department": problem.item.department_id if problem.item else None,
        }
    form = FindingForm(request.POST or None, initial=initial, sites=sites)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            finding = ledger.raise_finding(
                site=values["institution"],
                user=request.user,
                source=values["source"],
                source_detail=values["source_detail"],
                department=values["department"],
                item=values["item"],
                problem=values["problem"],
                measure=values["measure"],
                working_days=values["working_days"],
                due_date=values["due_date"],
                patrol_problem=problem,
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("Finding %(number)s entered in the ledger.") % {"number": finding.number}
            )
            return redirect("disclosure_admin:finding", finding.pk)
    return TemplateResponse(
        request,
        "disclosure/admin/rectification/finding_create.html",
        {"form": form, "problem": problem},
        status=400 if request.method == "POST" else 200,
    )


class AnswerForm(forms.Form):
    response = forms.CharField(
        label=gettext_lazy("Rectification done"), widget=forms.Textarea(attrs={"rows": 3})
    )
    done = forms.BooleanField(label=gettext_lazy("Done: ready for verification"), required=False)


class VerifyForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=gettext_lazy("Verification"),
        choices=[
            ("yes", gettext_lazy("Verified: the rectification is done")),
            ("no", gettext_lazy("Not done: back to the department")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Verification note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ReleaseForm(forms.Form):
    released = forms.BooleanField(label=gettext_lazy("Show on the public ledger"), required=False)
    public_problem = forms.CharField(
        label=gettext_lazy("Problem, in public wording"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    public_measure = forms.CharField(
        label=gettext_lazy("Measure, in public wording"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    public_progress = forms.CharField(
        label=gettext_lazy("Progress, in public wording"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


def _finding_forms(finding: Finding, access: LedgerAccess, data=None, action: str = "") -> dict:
    """The forms the reader may use on the finding now, the posted one bound to ``data``."""

    def bound(name):
        return data if action == name else None

    office = access.is_office(finding.site_id)
    forms_ = {}
    if access.may_answer(finding):
        forms_["answer"] = AnswerForm(
            bound("answer"), prefix="answer", initial={"response": finding.response}
        )
    if access.may_answer(finding) or office:
        forms_["evidence"] = EvidenceForm(bound("evidence"), prefix="evidence", site=finding.site)
    if access.may_verify(finding):
        forms_["verify"] = VerifyForm(bound("verify"), prefix="verify")
    if office:
        forms_["release"] = ReleaseForm(
            bound("release"),
            prefix="release",
            initial={
                "released": finding.released or not finding.public_problem,
                "public_problem": finding.public_problem or finding.problem,
                "public_measure": finding.public_measure or finding.measure,
                "public_progress": finding.public_progress,
            },
        )
    return forms_


def _perform(finding: Finding, *, user, action: str, values: dict) -> None:
    if action == "answer":
        ledger.answer_finding(finding, user=user, response=values["response"], done=values["done"])
    elif action == "evidence":
        ledger.add_finding_evidence(finding, user=user, **values)
    elif action == "verify":
        ledger.verify_finding(finding, user=user, accepted=values["accepted"], note=values["note"])
    elif action == "release":
        ledger.release_finding(finding, user=user, **values)


DONE_MESSAGES = {
    "answer": gettext_lazy("Your answer was recorded."),
    "evidence": gettext_lazy("Evidence added."),
    "verify": gettext_lazy("Verification recorded."),
    "release": gettext_lazy("The public ledger entry was saved."),
}


def finding_view(request, pk: int):
    access = LedgerAccess.of(request.user)
    finding = findings_visible_to(request.user, access=access).filter(pk=pk).first()
    if finding is None:
        raise Http404
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms_ = _finding_forms(finding, access, request.POST or None, action)
    status = 200
    if request.method == "POST":
        form = forms_.get(action)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                _perform(finding, user=request.user, action=action, values=form.cleaned_data)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, str(DONE_MESSAGES[action]))
                return redirect("disclosure_admin:finding", finding.pk)
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        status = 400
    (row,) = finding_rows([finding])
    return TemplateResponse(
        request,
        "disclosure/admin/rectification/finding.html",
        {
            "finding": finding,
            "row": row,
            "notice_line": NoticeFinding.objects.filter(finding=finding)
            .select_related("notice__commission")
            .first(),
            "forms": forms_,
            "evidence": finding.evidence.select_related("page", "document").order_by("pk"),
            "history": finding.history.select_related("history_user").order_by("history_date"),
        },
        status=status,
    )
