"""The rectification ledger (整改台账) and inspection scores: what the office released and
published for anyone; every finding and inspection the caller may read for staff.

Access is decided by :class:`~disclosure.selectors.rectification.LedgerAccess` and
:class:`~disclosure.selectors.inspections.InspectionAccess`; due dates and displayed states by
the ledger's selectors. The public answers carry the public wording only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from wagtail.api.v3.errors import problem_response

from ..selectors.catalog import institution_names
from ..selectors.inspections import InspectionAccess, inspections_visible_to, published_scores
from ..selectors.rectification import (
    FindingRow,
    LedgerAccess,
    finding_rows,
    findings_visible_to,
    public_ledger,
)
from . import schemas
from .auth import PUBLIC, STAFF
from .catalog import HostInstitution, InstitutionFilter, institution_or_404
from .errors import problems
from .pagination import PageInfo, PageParams, paginate
from .schemas import (
    FindingShownStateCode,
    FindingSourceCode,
    InspectionKindCode,
    InspectionStateCode,
)

router = Router(tags=["ledger"])


class LedgerEntry(Schema):
    """A released finding, in the public wording the office wrote for it."""

    number: str
    institution_id: int
    source: FindingSourceCode
    source_label: str
    department: str = Field(description="The responsible department (责任科室).")
    problem: str = Field(description="The problem, in public wording (存在问题).")
    measure: str = Field(description="The measure, in public wording (整改措施).")
    progress: str = Field(description="The progress, in public wording (完成情况).")
    due: dt.date | None = Field(description="The time limit (时限).")
    state: FindingShownStateCode
    state_label: str


class LedgerPage(PageInfo):
    items: list[LedgerEntry]


class PublishedScore(Schema):
    id: int
    institution_id: int
    institution: str
    title: str
    kind: InspectionKindCode
    kind_label: str
    period_start: dt.date
    period_end: dt.date
    total: Decimal = Field(description="Points out of 100.")


class Finding(Schema):
    """A finding as the office, its department, supervisors and the leadership read it."""

    id: int
    number: str
    institution_id: int
    source: FindingSourceCode
    source_label: str
    source_detail: str
    department: schemas.DepartmentRef
    item: schemas.Ref | None = Field(description="The catalog item, where there is one.")
    problem: str
    measure: str
    raised_on: dt.date
    due: dt.date | None
    due_estimated: bool = Field(description="The due date lies beyond the published holidays.")
    state: FindingShownStateCode
    state_label: str
    response: str
    done_on: dt.date | None
    verified_on: dt.date | None
    verification_note: str
    released: bool
    public_problem: str
    public_measure: str
    public_progress: str


class FindingPage(PageInfo):
    items: list[Finding]


class FindingFilter(InstitutionFilter):
    state: FindingShownStateCode | None = Field(None, description="The state the ledger shows.")


class Inspection(Schema):
    id: int
    institution_id: int
    institution: str
    title: str
    kind: InspectionKindCode
    kind_label: str
    state: InspectionStateCode
    state_label: str
    period_start: dt.date
    period_end: dt.date
    evaluator: str
    report_date: dt.date | None
    total: Decimal = Field(description="Points scored so far, out of 100.")
    score_published: bool


class InspectionPage(PageInfo):
    items: list[Inspection]


@router.get(
    "/ledger/",
    auth=PUBLIC,
    response={200: LedgerPage, **problems(401, 404, 422)},
    operation_id="public_ledger",
    summary="The public rectification ledger of an institution",
)
def ledger(request: HttpRequest, where: Query[HostInstitution], page: Query[PageParams]):
    """The findings the institution's disclosure office released (整改台账), newest first, in
    their public wording: source, problem, measure, department, time limit and progress."""
    site = institution_or_404(where.institution, request)
    rows = public_ledger(site_id=site.pk)
    return paginate(request, rows, page, lambda window: [_entry(row) for row in window])


def _entry(row: FindingRow) -> LedgerEntry:
    finding = row.finding
    return LedgerEntry(
        number=finding.number,
        institution_id=finding.site_id,
        source=finding.source,
        source_label=finding.get_source_display(),
        department=finding.department.name,
        problem=finding.public_problem,
        measure=finding.public_measure,
        progress=finding.public_progress,
        due=row.due,
        state=row.state,
        state_label=row.state_label,
    )


@router.get(
    "/inspections/scores/",
    auth=PUBLIC,
    response={200: list[PublishedScore], **problems(401, 422)},
    operation_id="published_scores",
    summary="Published inspection scores",
)
def scores(request: HttpRequest, where: Query[InstitutionFilter]):
    """Signed-off inspections whose total the office published, newest first."""
    inspections = list(published_scores(site_id=where.institution))
    names = institution_names(inspection.site for inspection in inspections)
    return [
        PublishedScore(
            id=inspection.pk,
            institution_id=inspection.site_id,
            institution=names[inspection.site_id],
            title=inspection.title,
            kind=inspection.kind,
            kind_label=inspection.get_kind_display(),
            period_start=inspection.period_start,
            period_end=inspection.period_end,
            total=inspection.total_score or Decimal(0),
        )
        for inspection in inspections
    ]


@router.get(
    "/ledger/findings/",
    auth=STAFF,
    response={200: FindingPage, **problems(401, 403, 422)},
    operation_id="list_findings",
    summary="Every finding the caller may read (staff)",
)
def findings(request: HttpRequest, where: Query[FindingFilter], page: Query[PageParams]):
    """The disclosure office, supervisors and the leadership read their institutions'
    findings; a department its own. With the internal texts and the department's answer."""
    access = LedgerAccess.of(request.user)
    if not access.reads_any:
        return problem_response(status=403, detail=_("You do not read the rectification ledger."))
    found = findings_visible_to(request.user, access=access).order_by("-raised_on", "-pk")
    if where.institution is not None:
        found = found.filter(site_id=where.institution)
    rows = finding_rows(found)
    if where.state:
        rows = [row for row in rows if row.state == where.state]
    return paginate(request, rows, page, lambda window: [_finding(row) for row in window])


def _finding(row: FindingRow) -> Finding:
    finding = row.finding
    return Finding(
        id=finding.pk,
        number=finding.number,
        institution_id=finding.site_id,
        source=finding.source,
        source_label=finding.get_source_display(),
        source_detail=finding.source_detail,
        department=schemas.DepartmentRef(id=finding.department_id, name=finding.department.name),
        item=schemas.Ref(id=finding.item.pk, title=finding.item.title) if finding.item else None,
        problem=finding.problem,
        measure=finding.measure,
        raised_on=finding.raised_on,
        due=row.due,
        due_estimated=row.due_estimated,
        state=row.state,
        state_label=row.state_label,
        response=finding.response,
        done_on=finding.done_on,
        verified_on=finding.verified_on,
        verification_note=finding.verification_note,
        released=finding.released,
        public_problem=finding.public_problem,
        public_measure=finding.public_measure,
        public_progress=finding.public_progress,
    )


@router.get(
    "/inspections/",
    auth=STAFF,
    response={200: InspectionPage, **problems(401, 403, 422)},
    operation_id="list_inspections",
    summary="Every inspection the caller may read, with its score (staff)",
)
def inspections(request: HttpRequest, where: Query[InstitutionFilter], page: Query[PageParams]):
    """The disclosure office, supervisors and the leadership read their institutions'
    inspections in every state, a health commission's members those of its area (the
    commission names itself as the evaluator of its own); departments read none."""
    access = InspectionAccess.of(request.user)
    if not access.reads_any:
        return problem_response(status=403, detail=_("You do not read inspections."))
    found = inspections_visible_to(request.user, access=access).order_by("-period_end", "-pk")
    if where.institution is not None:
        found = found.filter(site_id=where.institution)

    def build(window) -> list[Inspection]:
        names = institution_names(inspection.site for inspection in window)
        return [
            Inspection(
                id=inspection.pk,
                institution_id=inspection.site_id,
                institution=names[inspection.site_id],
                title=inspection.title,
                kind=inspection.kind,
                kind_label=inspection.get_kind_display(),
                state=inspection.state,
                state_label=inspection.get_state_display(),
                period_start=inspection.period_start,
                period_end=inspection.period_end,
                evaluator=inspection.evaluated_by,
                report_date=inspection.report_date,
                total=inspection.total_score or Decimal(0),
                score_published=inspection.score_published,
            )
            for inspection in window
        ]

    return paginate(request, found, page, build)
