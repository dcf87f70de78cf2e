"""The register of requests and consultations in the Wagtail admin: lists, exports, a case.

Lists and exports come from :func:`~disclosure.selectors.requests.case_rows`, so personal data
is masked for everyone but the institution's disclosure office. A case page shows its
deadline, files and history, and one form for each action the reader may take now.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import AdminPageChooser, HeaderButton
from wagtail.models import Page, Site

from ..models import Consultation, Department, DisclosureRequest, FileRole, PublicationPage
from ..rules.notices import NoticeKind
from ..rules.privacy import mask_identifiers
from ..rules.request_clock import ClockStatus
from ..rules.requests import ApplicantType, CaseAction, CaseKind, CaseState, Outcome
from ..selectors.notices import issued_since, latest_notice_id, notice_rows
from ..selectors.requests import (
    CASE_MODELS,
    CaseAccess,
    case_rows,
    cases_visible_to,
    explain_deadline,
    offered_actions,
)
from ..services.requests import perform, submit
from .exports import ReportView
from .notices_admin import available_kinds, issued_message
from .request_forms import AttachmentsField, StaffConsultationForm, StaffRequestForm
from .service_forms import show_service_errors


class CaseFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label=gettext_lazy("State"), choices=CaseState.choices)
    department = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Handling department"), queryset=Department.objects.all()
    )
    # The clock is computed by the rules, so the view filters on it after computing.
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Deadline"), choices=ClockStatus.choices, method="keep_all"
    )

    def keep_all(self, queryset, name, value):
        return queryset


class RequestFilterSet(CaseFilterSet):
    # What table 三 counts by: the year received, the outcome, the applicant's column.
    year = django_filters.NumberFilter(
        label=gettext_lazy("Year received"), field_name="received_on", lookup_expr="year"
    )
    outcome = django_filters.ChoiceFilter(label=gettext_lazy("Outcome"), choices=Outcome.choices)
    applicant_type = django_filters.ChoiceFilter(
        label=gettext_lazy("Applicant type"), choices=ApplicantType.choices
    )

    class Meta:
        model = DisclosureRequest
        fields = ["state", "department", "status", "year", "outcome", "applicant_type"]


class ConsultationFilterSet(CaseFilterSet):
    class Meta:
        model = Consultation
        fields = ["state", "department", "status"]


_EXPORT_HEADINGS = {
    "number": gettext_lazy("Tracking number"),
    "institution": gettext_lazy("Institution"),
    "case.received_on": gettext_lazy("Received on"),
    "applicant": pgettext_lazy("disclosure", "Name"),
    "id_number": gettext_lazy("ID number"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("Email"),
    "subject": gettext_lazy("Subject"),
    "department": gettext_lazy("Handling department"),
    "state_label": gettext_lazy("State"),
    "due": gettext_lazy("Due"),
    "status_label": gettext_lazy("Deadline"),
    "outcome_label": gettext_lazy("Outcome"),
    "applicant_column": gettext_lazy("Applicant type"),
    "national_outcome": gettext_lazy("Outcome (table 三 of the annual report)"),
    "case.answered_on": gettext_lazy("Answered on"),
}


class CaseListView(ReportView):
    """One register (requests or consultations) with filters and an XLSX/CSV export."""

    model: type = DisclosureRequest
    header_icon = "mail"
    results_template_name = "disclosure/admin/case_list_results.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        self.access = CaseAccess.of(request.user)
        if not self.access.reads_any:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        kwargs["queryset"] = self.get_queryset()
        return kwargs

    def get_queryset(self):
        return cases_visible_to(self.model, self.request.user, access=self.access)

    def get_filtered_queryset(self):
        rows = case_rows(self.filter_queryset(self.get_queryset()), access=self.access)
        status = self.filters.form.cleaned_data.get("status") if self.filters else None
        return [row for row in rows if row.deadline.status == status] if status else rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["kind"] = self.model.kind
        return context

    def get_header_buttons(self):
        buttons = super().get_header_buttons()
        if self.access.superuser or self.access.office_sites:
            buttons.append(
                HeaderButton(
                    _("Register"),
                    reverse("disclosure_admin:case_register", args=[self.model.kind]),
                    icon_name="plus",
                )
            )
        return buttons


class RequestListView(CaseListView):
    model = DisclosureRequest
    page_title = gettext_lazy("Disclosure requests")
    index_url_name = "disclosure_admin:requests"
    index_results_url_name = "disclosure_admin:requests_results"
    filterset_class = RequestFilterSet
    list_export = [
        "number",
        "institution",
        "case.received_on",
        "applicant",
        "applicant_column",
        "id_number",
        "phone",
        "email",
        "subject",
        "department",
        "state_label",
        "due",
        "status_label",
        "national_outcome",
        "case.answered_on",
    ]
    export_headings = _EXPORT_HEADINGS

    def get_filename(self):
        return "disclosure-requests"


class ConsultationListView(CaseListView):
    model = Consultation
    page_title = gettext_lazy("Consultations")
    index_url_name = "disclosure_admin:consultations"
    index_results_url_name = "disclosure_admin:consultations_results"
    filterset_class = ConsultationFilterSet
    # The request register's columns, less those a consultation does not have.
    list_export = [
        name
        for name in RequestListView.list_export
        if name not in ("applicant_column", "id_number", "national_outcome")
    ]
    export_headings = _EXPORT_HEADINGS

    def get_filename(self):
        return "consultations"


# One case ---------------------------------------------------------------------------------


class CaseActionForm(forms.Form):
    """The note every action needs, and the values of the action it is for."""

    note = forms.CharField(
        label=gettext_lazy("Note for the record"), widget=forms.Textarea(attrs={"rows": 2})
    )
    correction_note = forms.CharField(
        label=gettext_lazy("What to correct"), widget=forms.Textarea(attrs={"rows": 3})
    )
    correction_due = forms.DateField(
        label=gettext_lazy("Correction due from the applicant"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    corrected_on = forms.DateField(
        label=gettext_lazy("Correction received on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    extension_days = forms.IntegerField(label=gettext_lazy("Extension (working days)"), min_value=1)
    third_party_answered_on = forms.DateField(
        label=gettext_lazy("Third party answered on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("Handling department"), queryset=Department.objects.none()
    )
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=Outcome.choices)
    reply = forms.CharField(label=gettext_lazy("Reply"), widget=forms.Textarea(attrs={"rows": 6}))
    reply_file = AttachmentsField(label=gettext_lazy("Reply document"))
    publication = forms.ModelChoiceField(
        label=gettext_lazy("Disclosed proactively as"),
        queryset=Page.objects.all(),
        required=False,
        widget=AdminPageChooser(target_models=[PublicationPage]),
    )
    release = forms.BooleanField(
        label=gettext_lazy("Release the reply to the applicant's tracking page now"),
        required=False,
    )

    FIELDS = {
        CaseAction.REQUEST_CORRECTION: ["correction_note", "correction_due"],
        CaseAction.RECORD_CORRECTION: ["corrected_on"],
        CaseAction.EXTEND: ["extension_days"],
        CaseAction.RECORD_THIRD_PARTY: ["third_party_answered_on"],
        CaseAction.ASSIGN: ["department"],
    }

    def __init__(self, *args, case, action: str, **kwargs):
        super().__init__(*args, prefix=action, **kwargs)
        self.action = action
        wanted = ["note", *self.FIELDS.get(action, [])]
        if action == CaseAction.ANSWER:
            wanted += (
                ["outcome", "reply", "reply_file", "publication", "release"]
                if case.kind == CaseKind.REQUEST
                else ["reply", "release"]
            )
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if "department" in self.fields:
            self.fields["department"].queryset = Department.objects.filter(site_id=case.site_id)

    @property
    def label(self) -> str:
        return str(CaseAction(self.action).label)

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("note", "reply_file")}


def _case_or_404(request, kind: str, pk: int):
    model = CASE_MODELS.get(kind)
    if model is None:
        raise Http404
    access = CaseAccess.of(request.user)
    case = cases_visible_to(model, request.user, access=access).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case, access


def _may_act(case, access: CaseAccess) -> bool:
    """Whether the user handles cases like this one at all (the office; the assigned
    department's heads for a consultation), whatever its state."""
    return access.is_office(case.site_id) or (
        case.kind == CaseKind.CONSULTATION and case.department_id in access.head_departments
    )


def _refusal(case, access: CaseAccess, action: str) -> str:
    """Why ``action`` is not offered on ``case`` now, in the office's words."""
    label = CaseAction(action).label if action in CaseAction.values else action
    if action in access.actions(case):
        return _("“%(action)s” has already been done on this case; it is done only once.") % {
            "action": label
        }
    return _("“%(action)s” cannot be done while the case is “%(state)s”.") % {
        "action": label,
        "state": case.get_state_display(),
    }


def case_view(request, kind: str, pk: int):
    case, access = _case_or_404(request, kind, pk)
    actions = offered_actions(case, access)
    selected = request.GET.get("action", "")
    open_form = CaseActionForm(case=case, action=selected) if selected in actions else None
    status = 200
    if request.method == "POST":
        outcome = _act(request, case, access, actions=actions, kind=kind)
        if not isinstance(outcome, CaseActionForm):
            return outcome
        open_form, status = outcome, 400
    return TemplateResponse(
        request,
        "disclosure/admin/case.html",
        _case_context(case, kind=kind, access=access, actions=actions, open_form=open_form),
        status=status,
    )


def _act(request, case, access, *, actions: list[str], kind: str):
    """Performs the posted action: a redirect back to the case when it is done or refused, or
    its form with the errors to show."""
    action = request.POST.get("action", "")
    if not _may_act(case, access):
        raise PermissionDenied
    if action not in actions:
        messages.error(request, _refusal(case, access, action))
        return redirect("disclosure_admin:case", kind, case.pk)
    form = CaseActionForm(request.POST, request.FILES, case=case, action=action)
    last_notice = latest_notice_id(case)
    if form.is_valid():
        files = form.cleaned_data.get("reply_file") or []
        try:
            perform(
                case,
                action=action,
                user=request.user,
                note=form.cleaned_data["note"],
                values=form.values(),
                reply_file=files[0] if files else None,
            )
        except PermissionDenied as error:
            messages.error(request, str(error) or _refusal(case, access, action))
            return redirect("disclosure_admin:case", kind, case.pk)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(action)s: done for %(number)s.")
                % {"action": form.label, "number": case.number},
            )
            for notice in issued_since(case, last_notice):
                messages.success(request, issued_message(notice))
            return redirect("disclosure_admin:case", kind, case.pk)
    reasons = form.non_field_errors()
    messages.error(
        request,
        _("“%(action)s” was not done: %(reason)s")
        % {
            "action": form.label,
            "reason": " ".join(reasons) if reasons else _("correct the fields marked below."),
        },
    )
    return form


def _case_context(case, *, kind: str, access, actions: list[str], open_form) -> dict:
    unmasked = access.sees_personal_data(case)
    row = case_rows(type(case).objects.filter(pk=case.pk), access=access)[0]
    personal = [
        (type(case)._meta.get_field(name).verbose_name, row.personal(name))
        for name in case.personal_fields
    ]
    is_request = isinstance(case, DisclosureRequest)
    return {
        "case": case,
        "kind": kind,
        "deadline": row.deadline,
        "explanation": explain_deadline(case),
        "personal": personal,
        "unmasked": unmasked,
        "actions": [(action, CaseAction(action).label) for action in actions],
        "open_form": open_form,
        "forms": [open_form] if open_form else [],
        "files": list(_files_for(case, access)) if is_request else [],
        "notices": notice_rows(case, access=access) if is_request else [],
        "notice_kinds": [(kind, NoticeKind(kind).label) for kind in available_kinds(case)]
        if is_request and access.is_office(case.site_id)
        else [],
        "office": access.is_office(case.site_id),
        "history": _history(case, unmasked=unmasked),
        "list_url_name": (
            "disclosure_admin:requests"
            if kind == CaseKind.REQUEST
            else "disclosure_admin:consultations"
        ),
    }


def _history(case, *, unmasked: bool) -> list:
    """The case's history, its notes masked for whoever sees its personal data masked (staff
    write identifiers into notes: "已电话联系 13812345678")."""
    records = list(case.history.select_related("history_user").order_by("history_date"))
    if not unmasked:
        for record in records:
            record.history_change_reason = mask_identifiers(record.history_change_reason or "")
    return records


def case_register_view(request, kind: str):
    """The office registers a case received on paper, by post, by email or by phone."""
    model = CASE_MODELS.get(kind)
    if model is None:
        raise Http404
    access = CaseAccess.of(request.user)
    sites = list(
        Site.objects.all() if access.superuser else Site.objects.filter(pk__in=access.office_sites)
    )
    if not sites:
        raise PermissionDenied
    form_class = StaffRequestForm if kind == CaseKind.REQUEST else StaffConsultationForm
    form = form_class(request.POST or None, request.FILES or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        submitted = submit(
            model,
            site=form.cleaned_data["institution"],
            values=form.case_values(),
            files=form.cleaned_data.get("attachments") or (),
            user=request.user,
            received_on=form.cleaned_data["received_on"],
        )
        messages.success(
            request,
            _(
                "Registered as %(number)s. Give the applicant the lookup code %(code)s: "
                "it is not shown again."
            )
            % {"number": submitted.case.number, "code": submitted.lookup_code},
        )
        return redirect("disclosure_admin:case", kind, submitted.case.pk)
    return TemplateResponse(
        request,
        "disclosure/admin/case_register.html",
        {"form": form, "title": _("Register: %(kind)s") % {"kind": CaseKind(kind).label}},
        status=400 if request.method == "POST" else 200,
    )


def _files_for(case, access):
    """Reply documents for every reader of the case; the applicant's own files (identity
    documents, often) for the disclosure office only."""
    files = case.files.all()
    return files if access.sees_personal_data(case) else files.filter(role=FileRole.REPLY)


def case_file_view(request, pk: int, file_id: int):
    case, access = _case_or_404(request, CaseKind.REQUEST, pk)
    file = _files_for(case, access).filter(pk=file_id).first()
    if file is None:
        raise Http404
    return FileResponse(file.file.open("rb"), as_attachment=True, filename=file.original_name)
