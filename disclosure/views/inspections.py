"""Self-inspection (自查评估) in the Wagtail admin: the list of inspections, a new inspection,
the scoring screen with its sign-off, the files (XLSX and PDF), and a template's next version.

Who may do what is asked of :class:`~disclosure.selectors.inspections.InspectionAccess` and of
the services, which refuse what the screen would not offer; departments see nothing here.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.widgets import AdminDateInput
from wagtail.models import Site

from ..models import ChecklistTemplate, Commission, Inspection, InspectionScore
from ..rules.inspections import InspectionKind, InspectionState, points_text
from ..selectors.inspections import (
    InspectionAccess,
    counterpart_score,
    inspections_visible_to,
    scores_of,
    templates_visible_to,
)
from ..services import inspections as service
from .annual_report_files import FILE_TYPES
from .inspection_files import inspection_pdf, inspection_workbook
from .service_forms import EvidenceForm, institution_label, show_service_errors, sites_among

# Lists -------------------------------------------------------------------------------------


class InspectionFilterForm(forms.Form):
    site = forms.ModelChoiceField(
        label=gettext_lazy("Institution"), queryset=Site.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", "---------"), *InspectionKind.choices],
        required=False,
    )
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        choices=[("", "---------"), *InspectionState.choices],
        required=False,
    )

    def __init__(self, *args, access: InspectionAccess, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites_among(access.site_ids(), superuser=access.superuser)
        self.fields["site"].label_from_instance = institution_label


def _access_or_403(request) -> InspectionAccess:
    access = InspectionAccess.of(request.user)
    if not access.reads_any:
        raise PermissionDenied
    return access


def inspection_list_view(request):
    access = _access_or_403(request)
    form = InspectionFilterForm(request.GET or None, access=access)
    inspections = inspections_visible_to(request.user, access=access).order_by("-period_end", "-pk")
    if form.is_valid():
        data = form.cleaned_data
        if data["site"]:
            inspections = inspections.filter(site=data["site"])
        if data["kind"]:
            inspections = inspections.filter(kind=data["kind"])
        if data["state"]:
            inspections = inspections.filter(state=data["state"])
    return TemplateResponse(
        request,
        "disclosure/admin/inspections/list.html",
        {
            "title": _("Self-inspections"),
            "form": form,
            "inspections": inspections,
            "may_start": access.superuser or bool(access.office_sites) or access.assesses_any,
        },
    )


# A new inspection --------------------------------------------------------------------------


class NewInspectionForm(forms.Form):
    site = forms.ModelChoiceField(label=gettext_lazy("Institution"), queryset=Site.objects.none())
    template = forms.ModelChoiceField(
        label=gettext_lazy("Checklist template"), queryset=ChecklistTemplate.objects.none()
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=InspectionKind.choices, initial=InspectionKind.SELF
    )
    commission = forms.ModelChoiceField(
        label=gettext_lazy("Health commission"),
        queryset=Commission.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "For an inspection by the health commission: the commission whose assessors score it."
        ),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    period_start = forms.DateField(label=gettext_lazy("Period from"), widget=AdminDateInput)
    period_end = forms.DateField(label=gettext_lazy("Period to"), widget=AdminDateInput)
    evaluator = forms.CharField(
        label=gettext_lazy("Evaluator"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("The commission or the third-party organisation that scored."),
    )
    report_date = forms.DateField(
        label=gettext_lazy("Report date"), widget=AdminDateInput, required=False
    )

    def __init__(self, *args, access: InspectionAccess, user, **kwargs):
        """The office chooses among its institutions, for a self-inspection or a third party's
        evaluation; a commission's assessor among the institutions of its commission's area,
        for the commission's inspection."""
        super().__init__(*args, **kwargs)
        office = access.superuser or bool(access.office_sites)
        kept = access.office_sites | access.commissions.assessed_site_ids
        sites = sites_among(kept, superuser=access.superuser)
        self.fields["site"].queryset = sites
        self.fields["site"].label_from_instance = institution_label
        if len(sites) == 1:
            self.fields["site"].initial = sites[0].pk
        kinds = [
            (value, label)
            for value, label in InspectionKind.choices
            if (value == InspectionKind.COMMISSION and access.assesses_any)
            or (value != InspectionKind.COMMISSION and office)
        ]
        self.fields["kind"].choices = kinds
        if not office:
            self.fields["kind"].initial = InspectionKind.COMMISSION
        if access.assesses_any:
            commissions = (
                Commission.objects.all()
                if access.superuser
                else Commission.objects.filter(pk__in=access.commissions.assesses)
            )
            self.fields["commission"].queryset = commissions
            if len(commissions) == 1:
                self.fields["commission"].initial = commissions[0].pk
        else:
            del self.fields["commission"]
        templates = templates_visible_to(user, access=access)
        if not access.superuser:
            templates = templates.filter(site__isnull=True) | templates.filter(site_id__in=kept)
        self.fields["template"].queryset = templates.select_related("site")

    def clean(self):
        data = super().clean()
        if data.get("kind") == InspectionKind.COMMISSION and not data.get("commission"):
            self.add_error("commission", _("Choose the health commission that scores."))
        return data


def inspection_new_view(request):
    access = _access_or_403(request)
    if not (access.superuser or access.office_sites or access.assesses_any):
        raise PermissionDenied
    form = NewInspectionForm(request.POST or None, access=access, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                inspection = service.start_inspection(
                    site=data["site"],
                    template=data["template"],
                    kind=data["kind"],
                    title=data["title"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    evaluator=data["evaluator"],
                    report_date=data["report_date"],
                    commission=data.get("commission")
                    if data["kind"] == InspectionKind.COMMISSION
                    else None,
                    user=request.user,
                )
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("The inspection was opened."))
                return redirect("disclosure_admin:inspection", inspection.pk)
        status = 400
    return TemplateResponse(
        request,
        "disclosure/admin/inspections/new.html",
        {"title": _("New inspection"), "form": form},
        status=status,
    )


# The scoring screen ------------------------------------------------------------------------


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("What should be changed"), widget=forms.Textarea(attrs={"rows": 3})
    )


def _inspection_or_404(request, pk: int) -> tuple[Inspection, InspectionAccess]:
    access = _access_or_403(request)
    inspection = inspections_visible_to(request.user, access=access).filter(pk=pk).first()
    if inspection is None:
        raise Http404
    return inspection, access


def inspection_view(request, pk: int):
    inspection, access = _inspection_or_404(request, pk)
    evidence_form = EvidenceForm(
        site=inspection.site,
        prefix="evidence",
        published_only=inspection.commission_id is not None,
    )
    return_form = ReturnForm(prefix="return")
    entered, errors, status = {}, {}, 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if not access.keeps(inspection) and not access.may_sign_off(inspection, request.user):
            raise PermissionDenied
        try:
            outcome = _act(request, inspection, access, action)
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You may not do this."))
            return redirect("disclosure_admin:inspection", inspection.pk)
        if isinstance(outcome, HttpResponse):
            return outcome
        status = 400
        if action == "scores":
            entered, errors = outcome
        elif action == "evidence":
            evidence_form = outcome
        elif action == "return":
            return_form = outcome
    context = _inspection_context(
        request,
        inspection,
        access,
        entered=entered,
        errors=errors,
        evidence_form=evidence_form,
        return_form=return_form,
    )
    return TemplateResponse(
        request, "disclosure/admin/inspections/inspection.html", context, status=status
    )


def _act(request, inspection: Inspection, access: InspectionAccess, action: str):
    """Performs the posted action: a redirect when it is done or refused as a whole, or what
    the screen needs to show its errors."""
    user = request.user
    here = redirect("disclosure_admin:inspection", inspection.pk)
    try:
        if action == "scores":
            return _save_scores(request, inspection) or here
        if action == "recompute":
            count = service.fill_automatic(inspection, user=user)
            messages.success(
                request, _("%(count)s automatic items were scored again.") % {"count": count}
            )
            return here
        if action == "evidence":
            return _add_evidence(request, inspection) or here
        if action == "submit":
            service.submit(inspection, user=user)
            messages.success(request, _("The inspection was submitted for sign-off."))
        elif action == "sign_off":
            service.sign_off(inspection, user=user)
            messages.success(request, _("The inspection was signed off."))
        elif action == "return":
            form = ReturnForm(request.POST, prefix="return")
            if not form.is_valid():
                return form
            try:
                service.return_inspection(
                    inspection, user=user, comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                show_service_errors(form, error)
                return form
            if inspection.commission_id is not None:
                messages.success(request, _("The inspection was returned to the assessors."))
            else:
                messages.success(request, _("The inspection was returned to the office."))
        elif action in ("publish", "unpublish"):
            service.publish_score(inspection, user=user, published=action == "publish")
            if action == "publish":
                messages.success(request, _("The score is shown on the public site."))
            else:
                messages.success(request, _("The score is no longer shown on the public site."))
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return here


def _save_scores(request, inspection: Inspection):
    """Every changed score line through the service; None when all were saved, else what was
    entered and the errors by score."""
    entered, errors = {}, {}
    for score in scores_of(inspection):
        value = request.POST.get(f"score-{score.pk}", "").strip()
        note = request.POST.get(f"note-{score.pk}", "").strip()
        entered[score.pk] = {"score": value, "note": note}
        current = points_text(score.score)
        if value == "" and score.score is None:
            continue
        if value == current and note == score.note:
            continue
        if value == "":
            errors[score.pk] = {"score": [_("Enter a number of points.")]}
            continue
        try:
            service.score_item(score, user=request.user, value=value, note=note)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors[score.pk] = error.message_dict
            else:
                errors[score.pk] = {"score": error.messages}
    if errors:
        messages.error(request, _("Some scores were not saved; see the items marked below."))
        return entered, errors
    messages.success(request, _("The scores were saved."))
    return None


def _add_evidence(request, inspection: Inspection):
    form = EvidenceForm(
        request.POST,
        site=inspection.site,
        prefix="evidence",
        published_only=inspection.commission_id is not None,
    )
    score = InspectionScore.objects.filter(
        inspection=inspection, pk=request.POST.get("score") or 0
    ).first()
    if score is None:
        messages.error(request, _("Choose the item the evidence is for."))
        return None
    if not form.is_valid():
        return form
    try:
        service.add_evidence(score, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        show_service_errors(form, error)
        return form
    messages.success(request, _("Evidence was added to item %(code)s.") % {"code": score.item.code})
    return None


def _inspection_context(
    request, inspection, access, *, entered, errors, evidence_form, return_form
):
    user = request.user
    editable = access.may_edit(inspection)
    sections: list[tuple[object, list[dict]]] = []
    for score in scores_of(inspection):
        section = score.item.section
        if not sections or sections[-1][0] != section:
            sections.append((section, []))
        typed = entered.get(score.pk)
        sections[-1][1].append(
            {
                "score": score,
                "value": typed["score"] if typed else points_text(score.score),
                "note": typed["note"] if typed else score.note,
                "errors": errors.get(score.pk, {}),
                "evidence": list(score.evidence.all()),
            }
        )
    counterpart = counterpart_score(inspection)
    return {
        "title": inspection.title,
        "inspection": inspection,
        "total": inspection.total(),
        "sections": sections,
        "editable": editable,
        "has_automatic": any(
            row["score"].item.measure for _section, rows in sections for row in rows
        ),
        "may_sign_off": access.may_sign_off(inspection, user),
        "may_publish": access.may_publish(inspection),
        "counterpart": counterpart,
        "counterpart_url": reverse("disclosure_admin:inspection", args=[counterpart.inspection_id])
        if counterpart
        else "",
        "counterpart_label": _COUNTERPART_LABELS.get(inspection.kind, ""),
        "evidence_form": evidence_form,
        "return_form": return_form,
        "history": _history(inspection),
        "history_url": reverse(
            "disclosure_admin:model_history",
            args=["disclosure", "inspection", inspection.pk],
        ),
        "files": {
            "xlsx": reverse("disclosure_admin:inspection_file", args=[inspection.pk, "xlsx"]),
            "pdf": reverse("disclosure_admin:inspection_file", args=[inspection.pk, "pdf"]),
        },
    }


#: What the score beside the total is, by the kind of the inspection shown.
_COUNTERPART_LABELS = {
    InspectionKind.COMMISSION: gettext_lazy("The institution's own self-score"),
    InspectionKind.SELF: gettext_lazy("The health commission's score"),
}


def _history(inspection: Inspection) -> list[dict]:
    """The inspection's own history and its scores', newest first."""
    rows = [
        {
            "when": record.history_date,
            "who": record.history_user,
            "what": _("%(state)s: %(title)s")
            % {"state": record.get_state_display(), "title": record.title},
        }
        for record in inspection.history.select_related("history_user")
    ]
    scores = InspectionScore.history.filter(inspection_id=inspection.pk).select_related(
        "history_user", "item"
    )
    rows += [
        {
            "when": record.history_date,
            "who": record.history_user,
            "what": _("Item %(code)s: %(score)s")
            % {
                "code": record.item.code,
                "score": points_text(record.score) or "—",
            },
        }
        for record in scores
        if record.history_type == "~"
    ]
    rows.sort(key=lambda row: row["when"], reverse=True)
    return rows


# Files -------------------------------------------------------------------------------------


def inspection_file_view(request, pk: int, format: str):
    if format not in FILE_TYPES:
        raise Http404
    inspection, _access = _inspection_or_404(request, pk)
    rows = list(scores_of(inspection))
    if format == "xlsx":
        content = inspection_workbook(inspection, rows)
    else:
        html = render_to_string(
            "disclosure/admin/inspections/inspection_pdf.html",
            {"inspection": inspection, "rows": rows, "total": inspection.total()},
        )
        content = inspection_pdf(html)
    response = HttpResponse(content, content_type=FILE_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="inspection-{inspection.pk}.{format}"'
    return response


# Templates: the next version ---------------------------------------------------------------


def template_new_version_view(request, pk: int):
    """POST: a copy of the template as its next version, opened for editing."""
    if request.method != "POST":
        raise Http404
    access = _access_or_403(request)
    template = get_object_or_404(templates_visible_to(request.user, access=access), pk=pk)
    copy = service.new_template_version(template, user=request.user)
    messages.success(
        request,
        _("Version %(version)s was made; change it here.") % {"version": copy.version},
    )
    return redirect(reverse("disclosure_checklisttemplate_modeladmin_edit", args=[copy.pk]))
