"""Admin screens for emergency publication (突发事件、舆情) and its retrospective approval."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.models import Page

from ..models import EmergencyPublication
from ..models.moderation import ModeratedPageMixin
from ..models.publishing import emergency_publication_refusal
from ..models.reviewers import office_member_ids
from ..selectors.moderation import emergencies_visible_to
from ..services.moderation import confirm_emergency, emergency_publish


class EmergencyPublishForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for publishing without review"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "For example: a public health emergency or an urgent public concern. "
            "The department head must confirm the publication afterwards."
        ),
    )


def can_publish_in_emergency(user, page: Page) -> bool:
    return (
        isinstance(page, ModeratedPageMixin)
        and user.pk in office_member_ids(page.get_site())
        and emergency_publication_refusal(page) is None
    )


def emergency_publish_view(request, page_id: int):
    page = get_object_or_404(Page, pk=page_id).specific
    if not can_publish_in_emergency(request.user, page):
        raise PermissionDenied
    form = EmergencyPublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            emergency_publish(page=page, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("“%(title)s” is published. Its department head must now confirm it.")
                % {"title": page.get_admin_display_title()},
            )
            return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request, "disclosure/admin/emergency_publish.html", {"page": page, "form": form}
    )


def emergency_list_view(request):
    emergencies = emergencies_visible_to(request.user)
    return TemplateResponse(
        request,
        "disclosure/admin/emergency_list.html",
        {"emergencies": emergencies, "confirmable": {e.pk for e in emergencies if e.can_confirm}},
    )


@require_POST
def emergency_confirm_view(request, emergency_id: int):
    emergency = get_object_or_404(EmergencyPublication, pk=emergency_id)
    try:
        confirm_emergency(
            emergency=emergency, user=request.user, comment=request.POST.get("comment", "")
        )
    except PermissionDenied:
        messages.error(request, _("Only a head of the item's department may confirm."))
    else:
        messages.success(request, _("Emergency publication confirmed."))
    return redirect(reverse("disclosure_admin:emergencies"))
