"""Admin forms to record an attestation (无变化确认) or a change (信息变更) for a catalog item."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.widgets import AdminDateInput

from ..models import CatalogItemPage
from ..selectors.compliance import change_outcomes
from ..selectors.scope import overseen_items
from ..services.compliance import record_attestation, record_change, recording_refusal


class AttestationForm(forms.Form):
    attested_on = forms.DateField(
        label=gettext_lazy("Checked on"), initial=timezone.localdate, widget=AdminDateInput
    )
    note = forms.CharField(
        label=gettext_lazy("What was checked"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("E.g. compared the page with the current schedule: no change."),
    )


class ChangeEventForm(forms.Form):
    changed_on = forms.DateField(
        label=gettext_lazy("The information changed on"), widget=AdminDateInput
    )
    description = forms.CharField(
        label=gettext_lazy("What changed"), widget=forms.Textarea(attrs={"rows": 3})
    )


def _back_to_report(request) -> str:
    """Where to return: the overdue report as the user left it (its filters), when ``next``
    names it; the report itself otherwise (never another address)."""
    report = reverse("disclosure_admin:overdue_report")
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back.startswith(report) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return report


def _record(request, item_id, *, form_class, title, save, done):
    item = get_object_or_404(CatalogItemPage, pk=item_id)
    if not overseen_items(request.user).filter(pk=item.pk).exists():
        # The item's records are its department's and the office's business only.
        raise PermissionDenied
    if (refusal := recording_refusal(item, request.user)) is not None:
        # Someone who reads the item but records nothing on it (a supervisor): no form.
        messages.error(request, refusal)
        return redirect("wagtailadmin_home")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(item, form.cleaned_data)
        except PermissionDenied as refusal:
            messages.error(request, str(refusal))
            return redirect("wagtailadmin_home")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done % {"title": item.title})
            return redirect(_back_to_report(request))
    context = {
        "item": item,
        "form": form,
        "title": title,
        "changes": change_outcomes(item),
        "attestations": item.attestations.select_related("attested_by"),
        "back": _back_to_report(request),
    }
    return TemplateResponse(request, "disclosure/admin/record_form.html", context)


def attest_view(request, item_id: int):
    def save(item, data):
        record_attestation(item=item, user=request.user, note=data["note"], on=data["attested_on"])

    return _record(
        request,
        item_id,
        form_class=AttestationForm,
        title=_("Checked, no change"),
        save=save,
        done=_("Recorded that “%(title)s” was checked and is unchanged."),
    )


def change_view(request, item_id: int):
    def save(item, data):
        record_change(
            item=item,
            user=request.user,
            changed_on=data["changed_on"],
            description=data["description"],
        )

    return _record(
        request,
        item_id,
        form_class=ChangeEventForm,
        title=_("Record a change"),
        save=save,
        done=_("Recorded a change for “%(title)s”; its publication is now due."),
    )
