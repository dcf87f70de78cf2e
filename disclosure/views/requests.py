"""The public side of requests and consultations: intake, receipt and tracking.

These views answer the routes of :class:`~disclosure.models.RequestCentrePage`. Nothing here
shows personal data: the receipt shows the number and the lookup code once, and tracking
shows the state, the due date and a released reply.
"""

from __future__ import annotations

from django.core import signing
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from ..models import (
    Consultation,
    DisclosureRequest,
    FileRole,
    InstitutionSettings,
    RequestCentrePage,
    RequestFile,
)
from ..selectors.requests import case_deadline, tracked_case
from ..services import ratelimit
from ..services.requests import recover_lookup_code, submit
from .request_forms import ConsultationForm, RecoveryForm, RequestForm, TrackingForm

_RECEIVED_KEY = "disclosure_received"
_FILE_SALT = "disclosure.requests.tracked-file"
_FILE_MAX_AGE = 3600


def _too_many(request, page) -> TemplateResponse:
    return TemplateResponse(
        request,
        "disclosure/requests/too_many.html",
        {"page": page, "self": page},
        status=429,
    )


def _render(request, page, template: str, context: dict, status: int = 200):
    return TemplateResponse(
        request, template, {"page": page, "self": page, **context}, status=status
    )


@csrf_protect
def _intake(request, page: RequestCentrePage, model, form_class, template: str):
    if request.method == "POST":
        if not ratelimit.allow_request(request, "intake"):
            return _too_many(request, page)
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            submitted = submit(
                model,
                site=page.get_site(),
                values=form.case_values(),
                files=form.cleaned_data.get("attachments") or (),
            )
            request.session[_RECEIVED_KEY] = {
                "kind": model.kind,
                "pk": submitted.case.pk,
                "code": submitted.lookup_code,
            }
            return HttpResponseRedirect(page.get_url(request) + page.reverse_subpage("received"))
        status = 400
    else:
        form, status = form_class(), 200
    return _render(request, page, template, {"form": form}, status=status)


@never_cache
def request_form(request, page: RequestCentrePage):
    return _intake(
        request, page, DisclosureRequest, RequestForm, "disclosure/requests/request_form.html"
    )


@never_cache
def consultation_form(request, page: RequestCentrePage):
    return _intake(
        request, page, Consultation, ConsultationForm, "disclosure/requests/consultation_form.html"
    )


@never_cache
def received(request, page: RequestCentrePage):
    receipt = request.session.pop(_RECEIVED_KEY, None)
    if not receipt:
        return HttpResponseRedirect(page.get_url(request))
    model = DisclosureRequest if receipt["kind"] == DisclosureRequest.kind else Consultation
    case = model.objects.filter(pk=receipt["pk"], site=page.get_site()).first()
    if case is None:
        raise Http404
    return _render(
        request,
        page,
        "disclosure/requests/received.html",
        {"case": case, "lookup_code": receipt["code"], "deadline": case_deadline(case)},
    )


@never_cache
@csrf_protect
def track(request, page: RequestCentrePage):
    context: dict = {}
    status = 200
    if request.method == "POST":
        if not ratelimit.allow_request(request, "tracking"):
            return _too_many(request, page)
        form = TrackingForm(request.POST)
        if form.is_valid():
            number = form.cleaned_data["number"]
            case = tracked_case(
                site_id=page.get_site().pk, number=number, code=form.cleaned_data["code"]
            )
            if case is None:
                context["not_found"] = True
                status = 404
            else:
                context.update(case=case, deadline=case_deadline(case))
                if case.reply_released_on and isinstance(case, DisclosureRequest):
                    context["reply_files"] = [
                        (file, _file_token(file, case))
                        for file in case.files.filter(role=FileRole.REPLY)
                    ]
        else:
            status = 400
    else:
        form = TrackingForm()
    context["form"] = form
    return _render(request, page, "disclosure/requests/track.html", context, status=status)


@never_cache
@csrf_protect
def recover(request, page: RequestCentrePage):
    """忘记查询码: a new code to the e-mail address given on the case. The page says the same
    whether or not the number and the contact match, so that it reveals no case."""
    context: dict = {"office": InstitutionSettings.objects.filter(site=page.get_site()).first()}
    status = 200
    if request.method == "POST":
        if not ratelimit.allow_request(request, "tracking"):
            return _too_many(request, page)
        form = RecoveryForm(request.POST)
        if form.is_valid():
            recover_lookup_code(
                site=page.get_site(),
                number=form.cleaned_data["number"],
                contact=form.cleaned_data["contact"],
            )
            context["answered"] = True
        else:
            status = 400
    else:
        form = RecoveryForm()
    context["form"] = form
    return _render(request, page, "disclosure/requests/recover.html", context, status=status)


def _file_token(file: RequestFile, case) -> str:
    # Hex, because Wagtail routes only word characters and hyphens in a path segment.
    return signing.dumps({"f": file.pk, "n": case.number}, salt=_FILE_SALT).encode().hex()


@never_cache
def tracked_file(request, page: RequestCentrePage, token: str):
    """A reply file, for the applicant who has just tracked the case (a signed link that
    expires after an hour)."""
    try:
        signed = bytes.fromhex(token).decode()
        claim = signing.loads(signed, salt=_FILE_SALT, max_age=_FILE_MAX_AGE)
    except (ValueError, signing.BadSignature) as error:
        raise Http404 from error
    file = (
        RequestFile.objects.filter(
            pk=claim.get("f"),
            role=FileRole.REPLY,
            request__number=claim.get("n"),
            request__site=page.get_site(),
            request__reply_released_on__isnull=False,
        )
        .select_related("request")
        .first()
    )
    if file is None:
        raise Http404
    return FileResponse(file.file.open("rb"), as_attachment=True, filename=file.original_name)
