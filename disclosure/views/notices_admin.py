"""The notices of a request in the admin: issue one on demand, print it (HTML or PDF), send it
by e-mail or mark it as posted or handed over; and the institution's templates, edited by its
disclosure office only."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.models import Site

from ..models.notices import Notice
from ..models.requests import DisclosureRequest
from ..rules.notices import PLACEHOLDERS, NoticeKind, reply_kind
from ..rules.requests import CaseKind
from ..selectors.notices import templates_for
from ..selectors.requests import CaseAccess, cases_visible_to
from ..services import notices as service
from .annual_report_files import report_pdf
from .service_forms import show_service_errors


def _office_case(request, pk: int) -> DisclosureRequest:
    """The request, for its institution's disclosure office only (404 for whoever may not
    read it, 403 for a reader who is not the office)."""
    access = CaseAccess.of(request.user)
    case = cases_visible_to(DisclosureRequest, request.user, access=access).filter(pk=pk).first()
    if case is None:
        raise Http404
    if not access.is_office(case.site_id):
        raise PermissionDenied
    return case


def available_kinds(case: DisclosureRequest) -> list[str]:
    """The notices the case's record can fill in now: a correction notice once a correction
    was asked for, an extension notice once extended, a consultation letter once a third party
    was consulted, the reply's form once answered."""
    kinds = []
    if case.correction_requested_on:
        kinds.append(NoticeKind.CORRECTION)
    if case.extension_days:
        kinds.append(NoticeKind.EXTENSION)
    if case.third_party_started_on:
        kinds.append(NoticeKind.THIRD_PARTY)
    if case.outcome and case.answered_on:
        kinds.append(reply_kind(case.outcome))
    return kinds


def issued_message(notice: Notice) -> str:
    """What the office reads after a notice is issued: its number, and what happens next."""
    issued = _("Issued %(title)s, number %(number)s.") % {
        "title": notice.title,
        "number": notice.number,
    }
    if service.mails_to_applicant(notice):
        then = _("It is being sent to the applicant by e-mail.")
    else:
        then = _("Print it, post it or hand it over, then mark it as sent.")
    return f"{issued} {then}"


@require_POST
def notice_issue_view(request, pk: int):
    """Issue a notice on demand (again after a template was corrected: a new number)."""
    case = _office_case(request, pk)
    kind = request.POST.get("kind", "")
    if kind not in available_kinds(case):
        messages.error(request, _("This notice cannot be issued: the case does not call for it."))
    else:
        notice = service.issue(case, kind=kind, user=request.user)
        messages.success(request, issued_message(notice))
    return redirect("disclosure_admin:case", CaseKind.REQUEST, case.pk)


def _notice(request, pk: int, notice_id: int) -> Notice:
    case = _office_case(request, pk)
    return get_object_or_404(Notice.objects.select_related("request"), request=case, pk=notice_id)


def notice_view(request, pk: int, notice_id: int, format: str = "html"):
    """The notice as issued, printable; ``.pdf`` draws it through WeasyPrint."""
    if format not in ("html", "pdf"):
        raise Http404
    notice = _notice(request, pk, notice_id)
    html = render_to_string("disclosure/admin/notice_print.html", {"notice": notice}, request)
    if format == "pdf":
        response = HttpResponse(report_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
        return response
    return HttpResponse(html)


@require_POST
def notice_send_view(request, pk: int, notice_id: int):
    notice = _notice(request, pk, notice_id)
    try:
        service.send_by_email(notice, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(number)s was sent by e-mail.") % {"number": notice.number})
    return redirect("disclosure_admin:case", CaseKind.REQUEST, pk)


@require_POST
def notice_mark_sent_view(request, pk: int, notice_id: int):
    notice = _notice(request, pk, notice_id)
    try:
        service.mark_sent(notice, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(number)s is recorded as sent.") % {"number": notice.number})
    return redirect("disclosure_admin:case", CaseKind.REQUEST, pk)


# Templates ----------------------------------------------------------------------------------


def template_list_view(request):
    access = CaseAccess.of(request.user)
    if not (access.superuser or access.office_sites):
        raise PermissionDenied
    sites = list(
        Site.objects.all() if access.superuser else Site.objects.filter(pk__in=access.office_sites)
    )
    # An institution whose office opens the list for the first time gets the default texts.
    for site in sites:
        service.ensure_templates(site)
    templates = templates_for(access).order_by("site__site_name", "kind")
    return TemplateResponse(
        request,
        "disclosure/admin/notice_templates.html",
        {"templates": templates, "several_sites": len(sites) > 1},
    )


class NoticeTemplateForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Document title"), max_length=100)
    body = forms.CharField(
        label=gettext_lazy("Text of the notice"),
        widget=forms.Textarea(attrs={"rows": 24, "cols": 80}),
    )


def template_edit_view(request, template_id: int):
    access = CaseAccess.of(request.user)
    template = templates_for(access).filter(pk=template_id).first()
    if template is None:
        raise PermissionDenied
    form = NoticeTemplateForm(
        request.POST or None, initial={"title": template.title, "body": template.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.save_template(
                template,
                user=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request, _("The template “%(title)s” was saved.") % {"title": template.title}
            )
            return redirect("disclosure_admin:notice_templates")
    return TemplateResponse(
        request,
        "disclosure/admin/notice_template_edit.html",
        {
            "template": template,
            "form": form,
            "placeholders": [(name, label) for name, label in PLACEHOLDERS.items()],
        },
        status=400 if request.method == "POST" else 200,
    )
