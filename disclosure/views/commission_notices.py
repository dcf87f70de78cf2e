"""A health commission's notices (通报) in the Wagtail admin: the list, the draft (its text, its
findings for institutions, its attachments), issuing it, the notice as issued with how each
institution answered, and the notice as XLSX and PDF.

Who reads what is :class:`~disclosure.selectors.commission_notices.NoticeAccess`: a notice
outside the reader's reach is a 404. Every write goes through
:mod:`disclosure.services.commission_notices`, whose refusals are shown on the form's fields.
"""

from __future__ import annotations

import io

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from wagtail.admin import messages

from ..models import (
    Commission,
    CommissionNotice,
    NoticeAttachment,
    UpdateCheck,
)
from ..rules.commissions import NoticeState
from ..rules.uploads import ALLOWED_TYPES
from ..selectors.commission_notices import (
    NoticeAccess,
    notice_lines,
    notice_results,
    notices_visible_to,
)
from ..selectors.commissions import commissions_visible_to, sites_of_area
from ..services import commission_notices as service
from .annual_report_files import FILE_TYPES, Sheet, report_pdf
from .service_forms import FindingFields, institution_label, show_service_errors

# The lookups ---------------------------------------------------------------------------------


def _commission_or_404(request, commission_id: int) -> tuple[Commission, NoticeAccess]:
    """A commission the user is a member of (or any, for a superuser)."""
    access = NoticeAccess.of(request.user)
    commission = get_object_or_404(
        commissions_visible_to(request.user, access=access.commission), pk=commission_id
    )
    return commission, access


def _notice_or_404(request, commission_id: int, pk: int) -> tuple[CommissionNotice, NoticeAccess]:
    access = NoticeAccess.of(request.user)
    notice = (
        notices_visible_to(request.user, access=access)
        .filter(pk=pk, commission_id=commission_id)
        .first()
    )
    if notice is None:
        raise Http404
    return notice, access


def _draft_or_refuse(request, commission_id: int, pk: int) -> CommissionNotice:
    """A draft notice the user may change; an issued one goes back to its page."""
    notice, access = _notice_or_404(request, commission_id, pk)
    if not access.reads_whole(notice):
        raise PermissionDenied
    return notice


# The lists ---------------------------------------------------------------------------------


def notice_index_view(request):
    """Every notice the user may read, across commissions."""
    access = NoticeAccess.of(request.user)
    if not access.reads_any:
        raise PermissionDenied
    return TemplateResponse(
        request,
        "disclosure/admin/commission/notice_list.html",
        {
            "notices": notices_visible_to(request.user, access=access)[:200],
            "commissions": commissions_visible_to(request.user, access=access.commission),
            "commission": None,
        },
    )


def notice_list_view(request, commission_id: int):
    commission, access = _commission_or_404(request, commission_id)
    return TemplateResponse(
        request,
        "disclosure/admin/commission/notice_list.html",
        {
            "notices": notices_visible_to(request.user, access=access).filter(
                commission=commission
            )[:200],
            "commissions": [commission],
            "commission": commission,
        },
    )


# The draft -----------------------------------------------------------------------------------


class NoticeForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Document number"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("文号, e.g. 示卫通〔2026〕3号."),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    period_start = forms.DateField(
        label=pgettext_lazy("notice", "Period from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=pgettext_lazy("notice", "Period to"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 12}), required=False
    )
    update_check = forms.ModelChoiceField(
        label=gettext_lazy("Results from the update check"),
        queryset=UpdateCheck.objects.none(),
        required=False,
    )

    def __init__(self, *args, commission: Commission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["update_check"].queryset = UpdateCheck.objects.filter(commission=commission)


def _notice_values(notice: CommissionNotice) -> dict:
    return {
        "number": notice.number,
        "title": notice.title,
        "period_start": notice.period_start,
        "period_end": notice.period_end,
        "text": notice.text,
        "update_check": notice.update_check_id,
    }


def notice_create_view(request, commission_id: int):
    commission, access = _commission_or_404(request, commission_id)
    if not access.commission.reads_commission(commission.pk):
        raise PermissionDenied
    form = NoticeForm(request.POST or None, commission=commission)
    if request.method == "POST" and form.is_valid():
        try:
            notice = service.create_notice(
                commission=commission, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The draft notice was saved; add its findings."))
            return redirect("disclosure_admin:commission_notice_lines", commission.pk, notice.pk)
    return TemplateResponse(
        request,
        "disclosure/admin/commission/notice_form.html",
        {"form": form, "commission": commission, "notice": None},
        status=400 if request.method == "POST" else 200,
    )


def notice_edit_view(request, commission_id: int, pk: int):
    notice = _draft_or_refuse(request, commission_id, pk)
    if request.method == "GET" and notice.state != NoticeState.DRAFT:
        messages.error(request, _("This notice has been issued: it can no longer be changed."))
        return redirect("disclosure_admin:commission_notice", commission_id, notice.pk)
    form = NoticeForm(
        request.POST or None, commission=notice.commission, initial=_notice_values(notice)
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.edit_notice(notice, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The draft notice was saved."))
            return redirect("disclosure_admin:commission_notice", commission_id, notice.pk)
    return TemplateResponse(
        request,
        "disclosure/admin/commission/notice_form.html",
        {"form": form, "commission": notice.commission, "notice": notice},
        status=400 if request.method == "POST" else 200,
    )


class LineForm(FindingFields):
    """A finding for an institution of the area, as the ledger's finding form takes it."""

    field_order = ["site"]

    site = forms.ModelChoiceField(label=gettext_lazy("Institution"), queryset=None)

    def __init__(self, *args, commission: Commission, **kwargs):
        sites = sites_of_area(commission.pk)
        super().__init__(*args, sites=sites, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["site"].label_from_instance = institution_label
        self.fields["department"].label_from_instance = lambda department: (
            f"{department.site.site_name} · {department.name}"
        )
        self.fields["working_days"].help_text = gettext_lazy(
            "Counted on the working-day calendar from the day of issue."
        )


def notice_lines_view(request, commission_id: int, pk: int):
    """The draft's findings, and the form that adds one."""
    notice = _draft_or_refuse(request, commission_id, pk)
    form = LineForm(request.POST or None, commission=notice.commission)
    if request.method == "POST" and form.is_valid():
        try:
            service.add_line(notice, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The finding was added to the notice."))
            return redirect("disclosure_admin:commission_notice_lines", commission_id, pk)
    return TemplateResponse(
        request,
        "disclosure/admin/commission/notice_lines.html",
        {
            "notice": notice,
            "lines": notice_lines(notice, access=NoticeAccess.of(request.user)),
            "form": form,
            "draft": notice.state == NoticeState.DRAFT,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def notice_line_remove_view(request, commission_id: int, pk: int, line_id: int):
    notice = _draft_or_refuse(request, commission_id, pk)
    line = get_object_or_404(notice.lines, pk=line_id)
    try:
        service.remove_line(line, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The finding was taken out of the notice."))
    return redirect("disclosure_admin:commission_notice_lines", commission_id, pk)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in ALLOWED_TYPES)


def notice_attachments_view(request, commission_id: int, pk: int):
    notice = _draft_or_refuse(request, commission_id, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.attach_document(notice, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The document was attached."))
            return redirect("disclosure_admin:commission_notice_attachments", commission_id, pk)
    return TemplateResponse(
        request,
        "disclosure/admin/commission/notice_attachments.html",
        {
            "notice": notice,
            "attachments": notice.attachments.select_related("document"),
            "form": form,
            "draft": notice.state == NoticeState.DRAFT,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def notice_attachment_remove_view(request, commission_id: int, pk: int, attachment_id: int):
    notice = _draft_or_refuse(request, commission_id, pk)
    attachment = get_object_or_404(notice.attachments, pk=attachment_id)
    try:
        service.remove_attachment(attachment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document was detached."))
    return redirect("disclosure_admin:commission_notice_attachments", commission_id, pk)


def notice_attachment_view(request, commission_id: int, pk: int, attachment_id: int):
    """An attachment, to whoever reads the notice (the commission's documents are used by no
    page, so Wagtail's document address would serve them to nobody but their uploader)."""
    notice, _access = _notice_or_404(request, commission_id, pk)
    attachment = get_object_or_404(
        NoticeAttachment.objects.select_related("document"), notice=notice, pk=attachment_id
    )
    document = attachment.document
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename)


def notice_issue_view(request, commission_id: int, pk: int):
    """GET: what issuing does, to confirm; POST: issue."""
    notice = _draft_or_refuse(request, commission_id, pk)
    error = None
    if request.method == "POST":
        try:
            service.issue_notice(notice, user=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request,
                _("The notice was issued; its findings are in the institutions' ledgers."),
            )
            return redirect("disclosure_admin:commission_notice", commission_id, pk)
    lines = notice_lines(notice, access=NoticeAccess.of(request.user))
    return TemplateResponse(
        request,
        "disclosure/admin/commission/notice_issue.html",
        {
            "notice": notice,
            "lines": lines,
            "institutions": len({line.line.site_id for line in lines}),
            "error": error,
        },
        status=400 if error else 200,
    )


# The notice as issued --------------------------------------------------------------------------


def _notice_context(request, commission_id: int, pk: int) -> dict:
    notice, access = _notice_or_404(request, commission_id, pk)
    return {
        "notice": notice,
        "whole": access.reads_whole(notice),
        "may_write": access.may_write(notice),
        "results": list(notice_results(notice, access=access)),
        "lines": notice_lines(notice, access=access),
        "attachments": list(notice.attachments.select_related("document")),
    }


def notice_view(request, commission_id: int, pk: int):
    return TemplateResponse(
        request,
        "disclosure/admin/commission/notice.html",
        _notice_context(request, commission_id, pk),
    )


def result_headings() -> list[str]:
    return [
        _("Institution"),
        _("Catalog items"),
        _("On time"),
        _("Due soon"),
        _("Overdue"),
        _("Never published"),
        _("Open rectifications"),
        _("Overdue rectifications"),
    ]


def result_values(snapshot) -> list:
    return [
        snapshot.institution_name,
        snapshot.items,
        snapshot.on_time,
        snapshot.due_soon,
        snapshot.overdue,
        snapshot.never_published,
        snapshot.open_findings,
        snapshot.overdue_findings,
    ]


def finding_headings() -> list[str]:
    return [
        _("No."),
        _("Institution"),
        _("Responsible department"),
        _("Problem found"),
        _("Required measure"),
        _("Time limit"),
        _("State"),
        _("Rectification done"),
        _("Done on"),
    ]


def finding_values(number: int, line) -> list:
    return [
        number,
        line.line.site.site_name,
        line.line.department.name,
        line.line.problem,
        line.line.measure,
        line.due.isoformat()
        if line.due
        else ngettext("%(counter)s working day", "%(counter)s working days", line.line.working_days)
        % {"counter": line.line.working_days},
        line.state_label or str(NoticeState.DRAFT.label),
        line.response,
        line.done_on.isoformat() if line.done_on else "",
    ]


def notice_workbook(context: dict) -> bytes:
    """Two sheets: the results table, and the findings with each institution's answer."""
    notice = context["notice"]
    workbook = Workbook()
    results = Sheet(workbook, _("Results"), first=True)
    results.put(1, 1, notice.title, to=(1, 8), bold=True)
    period = _("%(start)s to %(end)s") % {
        "start": notice.period_start.isoformat(),
        "end": notice.period_end.isoformat(),
    }
    results.put(2, 1, f"{notice.commission.name} {notice.number} {period}".strip(), to=(2, 8))
    for column, heading in enumerate(result_headings(), start=1):
        results.put(3, column, heading, bold=True)
    for row, snapshot in enumerate(context["results"], start=4):
        for column, value in enumerate(result_values(snapshot), start=1):
            results.put(row, column, value, left=column == 1)
    results.widths(30, 10, 10, 10, 10, 12, 14, 14)
    findings = Sheet(workbook, _("Findings"))
    findings.put(1, 1, notice.title, to=(1, 9), bold=True)
    for column, heading in enumerate(finding_headings(), start=1):
        findings.put(2, column, heading, bold=True)
    for number, line in enumerate(context["lines"], start=1):
        for column, value in enumerate(finding_values(number, line), start=1):
            findings.put(number + 2, column, value, left=column in (2, 3, 4, 5, 8))
    findings.widths(6, 24, 14, 40, 40, 14, 14, 40, 12)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def notice_file_view(request, commission_id: int, pk: int, format: str):
    if format not in FILE_TYPES:
        raise Http404
    context = _notice_context(request, commission_id, pk)
    if format == "xlsx":
        content = notice_workbook(context)
    else:
        html = render_to_string("disclosure/admin/commission/notice_pdf.html", context)
        content = report_pdf(html)
    response = HttpResponse(content, content_type=FILE_TYPES[format])
    response["Content-Disposition"] = (
        f'attachment; filename="commission-notice-{context["notice"].pk}.{format}"'
    )
    return response
