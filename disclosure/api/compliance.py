"""Compliance per department: staff only (a token of someone who oversees items)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router

from ..selectors.compliance import counts_by_institution, item_compliance
from ..selectors.scope import (
    commission_site_ids,
    department_ids_of,
    oversees_institutions,
    reported_items,
)
from . import schemas
from .auth import STAFF
from .catalog import InstitutionFilter, institution_or_404
from .errors import problems

router = Router(tags=["compliance"], auth=STAFF)


@router.get(
    "/compliance/departments/",
    response={200: list[schemas.DepartmentCompliance], **problems(401, 403, 404, 422)},
    operation_id="compliance_departments",
    summary="Compliance per department",
)
def department_compliance(
    request: HttpRequest,
    where: Query[InstitutionFilter],
):
    """How many live items of each department the caller oversees are on time, due soon,
    overdue or never published today. The disclosure office and supervisors see their
    institutions' departments, a health commission those of its area; department editors and
    heads their own departments."""
    user = request.user
    if not (oversees_institutions(user) or commission_site_ids(user) or department_ids_of(user)):
        raise PermissionDenied
    items = reported_items(user).live()
    if where.institution is not None:
        items = items.descendant_of(institution_or_404(where.institution, request).root_page)
    return [
        schemas.DepartmentCompliance(
            institution_id=counts.institution_id,
            institution=institution_counts.name,
            department=schemas.DepartmentRef(id=counts.department_id, name=counts.name)
            if counts.department_id
            else None,
            total=counts.total,
            on_time=counts.on_time,
            due_soon=counts.due_soon,
            overdue=counts.overdue,
            missing=counts.missing,
            no_schedule=counts.no_schedule,
            on_time_rate=counts.on_time_rate,
        )
        for institution_counts in counts_by_institution(
            item_compliance(items=items, summaries=True)
        )
        for counts in institution_counts.departments
    ]
