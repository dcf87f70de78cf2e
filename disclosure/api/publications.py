"""Publications (公开信息): filtered lists and one publication with its body and attachments."""

from __future__ import annotations

import datetime as dt
import re

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field, field_validator, model_validator

from ..models import (
    AnnualReportPage,
    PolicyDocumentPage,
    PolicyInterpretationPage,
    ProcurementNoticePage,
    PublicationPage,
    RecruitmentNoticePage,
)
from ..selectors.catalog import (
    attachments_for,
    attachments_visible_to,
    interpretations_for,
    policy_for,
    publications_visible_to,
)
from . import build, schemas
from .auth import PUBLIC
from .catalog import institution_or_404, not_found
from .errors import problems
from .pagination import PageInfo, PageParams, paginate

router = Router(tags=["publications"], auth=PUBLIC)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

PUBLICATION_TYPES = [
    PublicationPage,
    ProcurementNoticePage,
    RecruitmentNoticePage,
    PolicyDocumentPage,
    PolicyInterpretationPage,
    AnnualReportPage,
]


class PublishedBetween(Schema):
    """A range of publication dates, as YYYY-MM-DD, in order (422 otherwise)."""

    date_from: dt.date | None = Field(None, description="Published on or after (YYYY-MM-DD).")
    date_to: dt.date | None = Field(
        None, description="Published on or before (YYYY-MM-DD); not before date_from (422)."
    )

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def iso_dates_only(cls, value):
        # Pydantic would also read a number as a Unix timestamp; a filter date is YYYY-MM-DD.
        if value is not None and not (isinstance(value, str) and ISO_DATE.fullmatch(value)):
            raise ValueError("expected a date as YYYY-MM-DD")
        return value

    @model_validator(mode="after")
    def dates_in_order(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from is after date_to")
        return self


class PublicationFilters(PublishedBetween):
    institution: schemas.Id | None = Field(None, description="An institution's id.")
    item: schemas.Id | None = Field(None, description="A catalog item's id.")
    category: schemas.Id | None = Field(None, description="A category's id.")
    department: schemas.Id | None = Field(None, description="The responsible department's id.")
    kind: schemas.PublicationKindCode | None = None


class PublicationPageOut(PageInfo):
    items: list[schemas.Publication]


@router.get(
    "/publications/",
    response={200: PublicationPageOut, **problems(401, 404, 422)},
    operation_id="publications_list",
    summary="List publications",
)
def list_publications(
    request: HttpRequest,
    filters: Query[PublicationFilters],
    page: Query[PageParams],
):
    """Live publications the caller may see, newest first."""
    site = institution_or_404(filters.institution, request) if filters.institution else None
    kinds = [model for model in PUBLICATION_TYPES if model.publication_kind == filters.kind]
    publications = publications_visible_to(
        request.user,
        site=site,
        item_id=filters.item,
        category_id=filters.category,
        department_id=filters.department,
        kinds=kinds if filters.kind else None,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return paginate(request, publications, page, lambda rows: build.publications(rows, request))


@router.get(
    "/publications/{publication_id}/",
    response={200: schemas.PublicationDetail, **problems(401, 404, 422)},
    operation_id="publications_detail",
    summary="Publication detail",
)
def get_publication(request: HttpRequest, publication_id: schemas.Id):
    """A publication with its body (blocks and rendered HTML), the attachments the caller may
    download and the fields of its kind."""
    annotated = publications_visible_to(request.user).filter(pk=publication_id).first()
    if annotated is None:
        raise not_found()
    (summary,) = build.publications([annotated], request)
    page = annotated.specific
    attachments = attachments_visible_to(request.user, attachments_for(publication=page))
    return schemas.PublicationDetail(
        **summary.model_dump(),
        body=page.body.stream_block.get_api_representation(page.body, {"request": request}),
        body_html=str(page.body),
        attachments=[build.attachment(attachment, request) for attachment in attachments],
        procurement=build.procurement(page) if isinstance(page, ProcurementNoticePage) else None,
        recruitment=build.recruitment(page) if isinstance(page, RecruitmentNoticePage) else None,
        policy=build.policy(page, interpretations_for(policy=page, user=request.user))
        if isinstance(page, PolicyDocumentPage)
        else None,
        interpretation=schemas.Interpretation(
            policy=build.ref(policy_for(interpretation=page, user=request.user))
        )
        if isinstance(page, PolicyInterpretationPage)
        else None,
        annual_report=build.annual_report(page) if isinstance(page, AnnualReportPage) else None,
    )
