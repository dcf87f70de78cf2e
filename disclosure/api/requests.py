"""Requests (依申请公开) and consultations (咨询): intake and tracking for anyone, the register
for staff.

Intake validates with the public site's forms, so the API and the site give the same field
errors (in Chinese); attachments are accepted on the site only. Tracking takes the number and
the lookup code in the body, never in the URL, so that they stay out of access logs. The
register masks personal data for everyone but the institution's disclosure office.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from wagtail.api.v3.errors import problem_response

from ..models import Consultation, DisclosureRequest
from ..rules.requests import CaseKind, CaseState, Outcome
from ..selectors.requests import (
    CASE_MODELS,
    CaseAccess,
    case_deadline,
    case_rows,
    cases_visible_to,
    tracked_case,
)
from ..services import ratelimit
from ..services.requests import submit
from ..views.request_forms import ConsultationForm, RequestForm
from . import schemas
from .auth import PUBLIC, STAFF
from .catalog import institution_or_404
from .errors import problems
from .pagination import PageInfo, PageParams, paginate
from .schemas import (
    ApplicantTypeCode,
    CaseKindCode,
    CaseStateCode,
    ClockStatusCode,
    DeliveryWayCode,
    IdDocumentCode,
    OutcomeCode,
    ProvisionFormCode,
)

router = Router(tags=["requests"])


class RequestIn(Schema):
    institution: schemas.Id | None = Field(
        None, description="The institution's id; the one serving the host when omitted."
    )
    applicant_type: ApplicantTypeCode
    name: str = Field(max_length=100)
    contact_person: str = Field("", max_length=100)
    id_type: IdDocumentCode
    id_number: str = Field(max_length=40)
    phone: str = Field(max_length=30)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=200)
    description: str = Field(max_length=5000)
    purpose: str = Field(max_length=200)
    provision_form: ProvisionFormCode
    delivery: DeliveryWayCode


class ConsultationIn(Schema):
    institution: schemas.Id | None = Field(
        None, description="The institution's id; the one serving the host when omitted."
    )
    name: str = Field(max_length=100)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    question: str = Field(max_length=5000)


class Received(Schema):
    number: str = Field(description="The tracking number, e.g. YSQ-2026-000123.")
    lookup_code: str = Field(description="Shown once: with the number, it opens the case.")
    received_on: dt.date
    due: dt.date | None


class TrackingIn(Schema):
    institution: schemas.Id | None = None
    number: str = Field(max_length=32)
    code: str = Field(max_length=16)


class Tracked(Schema):
    number: str
    kind: CaseKindCode
    state: CaseStateCode
    state_label: str
    received_on: dt.date
    due: dt.date | None
    answered_on: dt.date | None
    reply: str | None = Field(description="The reply, once released to the applicant.")
    outcome: OutcomeCode | None
    outcome_label: str | None
    correction_note: str | None = Field(description="What to correct, while awaited.")
    correction_due: dt.date | None


class Case(Schema):
    id: int
    number: str
    kind: CaseKindCode
    institution_id: int
    received_on: dt.date
    state: CaseStateCode
    state_label: str
    department: schemas.DepartmentRef | None
    due: dt.date | None
    status: ClockStatusCode
    status_label: str
    applicant: str = Field(description="Masked unless the caller is the institution's office.")
    phone: str = Field(description="Masked unless the caller is the institution's office.")
    email: str = Field(description="Masked unless the caller is the institution's office.")
    id_number: str | None = Field(description="Requests only; masked but for the office.")
    subject: str
    outcome: OutcomeCode | None
    answered_on: dt.date | None


class CasePage(PageInfo):
    items: list[Case]


def _field_errors(form) -> list[dict]:
    return [
        {"loc": ["body", field], "msg": str(message)}
        for field, messages in form.errors.items()
        for message in messages
    ]


def _too_many():
    return problem_response(
        status=429, detail=_("Too many submissions in a short time. Please try again later.")
    )


def _intake(request: HttpRequest, payload: Schema, model, form_class):
    if not ratelimit.allow_request(request, "intake"):
        return _too_many()
    site = institution_or_404(payload.institution, request)
    form = form_class(data=payload.dict(exclude={"institution"}))
    if not form.is_valid():
        return problem_response(
            status=422, detail=_("Please correct the fields listed."), errors=_field_errors(form)
        )
    submitted = submit(model, site=site, values=form.case_values())
    case = submitted.case
    return Status(
        201,
        Received(
            number=case.number,
            lookup_code=submitted.lookup_code,
            received_on=case.received_on,
            due=case_deadline(case).due,
        ),
    )


@router.post(
    "/requests/",
    auth=PUBLIC,
    response={201: Received, **problems(400, 401, 404, 422, 429)},
    operation_id="submit_request",
    summary="Apply for information (依申请公开)",
)
def submit_request(request: HttpRequest, payload: RequestIn):
    """Store a request and answer its tracking number and lookup code (shown only here)."""
    return _intake(request, payload, DisclosureRequest, RequestForm)


@router.post(
    "/consultations/",
    auth=PUBLIC,
    response={201: Received, **problems(400, 401, 404, 422, 429)},
    operation_id="submit_consultation",
    summary="Ask a question (咨询)",
)
def submit_consultation(request: HttpRequest, payload: ConsultationIn):
    """Store a consultation and answer its tracking number and lookup code."""
    return _intake(request, payload, Consultation, ConsultationForm)


@router.post(
    "/tracking/",
    auth=PUBLIC,
    response={200: Tracked, **problems(400, 401, 404, 422, 429)},
    operation_id="track_case",
    summary="Follow a case with its number and lookup code",
)
def track_case(request: HttpRequest, payload: TrackingIn):
    """The case's state and due date, and its reply once released. A wrong number and a
    wrong code give the same 404."""
    if not ratelimit.allow_request(request, "tracking"):
        return _too_many()
    site = institution_or_404(payload.institution, request)
    case = tracked_case(site_id=site.pk, number=payload.number, code=payload.code)
    if case is None:
        return problem_response(status=404, detail=_("Not found."))
    deadline = case_deadline(case)
    released = case.reply_released_on is not None
    outcome = getattr(case, "outcome", "") or None
    awaiting = case.state == CaseState.CORRECTION
    return Tracked(
        number=case.number,
        kind=case.kind,
        state=case.state,
        state_label=case.get_state_display(),
        received_on=case.received_on,
        due=deadline.due,
        answered_on=case.answered_on,
        reply=case.reply if released else None,
        outcome=outcome if released else None,
        outcome_label=str(Outcome(outcome).label) if released and outcome else None,
        correction_note=case.correction_note if awaiting else None,
        correction_due=case.correction_due if awaiting else None,
    )


class CaseFilter(Schema):
    kind: CaseKindCode = Field(CaseKind.REQUEST, description="Requests or consultations.")
    state: CaseStateCode | None = None
    status: ClockStatusCode | None = Field(None, description="Where the deadline stands.")


@router.get(
    "/cases/",
    auth=STAFF,
    response={200: CasePage, **problems(401, 403, 422)},
    operation_id="list_cases",
    summary="The register of requests or consultations (staff)",
)
def list_cases(request: HttpRequest, where: Query[CaseFilter], page: Query[PageParams]):
    """The cases the caller may read: the office and supervisors of an institution, and the
    department a case is assigned to. Personal data is masked except for the office."""
    access = CaseAccess.of(request.user)
    if not access.reads_any:
        return problem_response(status=403, detail=_("You do not handle requests."))
    cases = cases_visible_to(CASE_MODELS[where.kind], request.user, access=access)
    if where.state:
        cases = cases.filter(state=where.state)
    rows = case_rows(cases, access=access)
    if where.status:
        rows = [row for row in rows if row.deadline.status == where.status]
    return paginate(request, rows, page, lambda window: [_case(row) for row in window])


def _case(row) -> Case:
    case = row.case
    return Case(
        id=case.pk,
        number=case.number,
        kind=case.kind,
        institution_id=case.site_id,
        received_on=case.received_on,
        state=case.state,
        state_label=row.state_label,
        department=schemas.DepartmentRef(id=case.department_id, name=case.department.name)
        if case.department
        else None,
        due=row.due,
        status=row.deadline.status,
        status_label=row.status_label,
        applicant=row.applicant,
        phone=row.phone,
        email=row.email,
        id_number=row.id_number if case.kind == CaseKind.REQUEST else None,
        subject=row.subject,
        outcome=getattr(case, "outcome", "") or None,
        answered_on=case.answered_on,
    )
