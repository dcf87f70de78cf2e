"""Price lists (收费价格公示): the lists a caller may see, and one list's live rows queried as
the list's page queries them (by name, code or pinyin initials; by category; sorted)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from ..models.prices import PriceListPage, PriceRow
from ..rules.price_search import DEFAULT_SORT, MAX_QUERY_LENGTH, SORTS
from ..rules.prices import PriceKind
from ..selectors.prices import live_rows, price_lists_visible_to, visible_price_list
from . import schemas
from .auth import PUBLIC
from .build import page_url
from .catalog import institution_or_404, not_found
from .errors import problems
from .pagination import PageInfo, PageParams, paginate

router = Router(tags=["prices"], auth=PUBLIC)

PriceKindCode = schemas._codes(PriceKind)
SortCode = Literal[tuple(SORTS)]


class PriceListFilters(Schema):
    institution: schemas.Id | None = Field(None, description="An institution's id.")
    item: schemas.Id | None = Field(None, description="A catalog item's id.")
    kind: PriceKindCode | None = Field(
        None, description="service (医疗服务项目), drug (药品) or consumable (医用耗材)."
    )


class PriceList(Schema):
    id: int
    title: str
    url: str | None
    kind: PriceKindCode
    item: schemas.Ref | None = Field(description="The catalog item it is filed under.")
    effective_date: dt.date | None = Field(description="When the live prices took effect.")
    basis: str = Field(description="The document the prices rest on (文号).")


class PriceListPageOut(PageInfo):
    items: list[PriceList]


class PriceRowFilters(Schema):
    q: str = Field(
        "",
        max_length=MAX_QUERY_LENGTH,
        description="A name (or part of one), the start of a code, or pinyin initials (xcg).",
    )
    category: str = Field("", max_length=MAX_QUERY_LENGTH, description="One category only.")
    sort: SortCode = Field(
        DEFAULT_SORT,
        description="position (the list's order), code, name, price or -price (highest first).",
    )


class PriceRowOut(Schema):
    position: int
    code: str
    name: str
    category: str
    content: str = Field(description="A service's 项目内涵.")
    exclusions: str = Field(description="A service's 除外内容.")
    dosage_form: str
    specification: str
    package: str
    manufacturer: str
    registration_number: str
    volume_procurement: bool = Field(description="Bought by volume-based procurement (集采).")
    unit: str
    price: Decimal = Field(description="In yuan, two decimals.")
    grade_prices: dict[str, Decimal] = Field(
        description="A service's price per hospital grade, where the list gives them."
    )
    note: str
    insurance_class: str


class PriceRowPageOut(PageInfo):
    items: list[PriceRowOut]


def _price_list(price_list: PriceListPage, request: HttpRequest) -> PriceList:
    version = price_list.rows_version
    item = (
        schemas.Ref(id=price_list.item_id, title=price_list.item_title)
        if price_list.item_id is not None
        else None
    )
    return PriceList(
        id=price_list.pk,
        title=price_list.title,
        url=page_url(price_list, request),
        kind=price_list.price_kind,
        item=item,
        effective_date=version.effective_date if version else None,
        basis=version.basis if version else "",
    )


def _row(row: PriceRow) -> PriceRowOut:
    return PriceRowOut.model_validate(row, from_attributes=True)


@router.get(
    "/price-lists/",
    response={200: PriceListPageOut, **problems(401, 404, 422)},
    operation_id="price_lists_list",
    summary="List price lists",
)
def list_price_lists(
    request: HttpRequest, filters: Query[PriceListFilters], page: Query[PageParams]
):
    """Live price lists the caller may see, with their effective date and basis."""
    site = institution_or_404(filters.institution, request) if filters.institution else None
    lists = price_lists_visible_to(request.user, site=site, item_id=filters.item, kind=filters.kind)
    return paginate(request, lists, page, lambda rows: [_price_list(row, request) for row in rows])


@router.get(
    "/price-lists/{price_list_id}/rows/",
    response={200: PriceRowPageOut, **problems(401, 404, 422)},
    operation_id="price_lists_rows",
    summary="A price list's rows",
)
def list_price_rows(
    request: HttpRequest,
    price_list_id: schemas.Id,
    filters: Query[PriceRowFilters],
    page: Query[PageParams],
):
    """The live rows of a list the caller may see, queried as the list's page queries them:
    ``q`` by name, code prefix or pinyin initials, one ``category``, ``sort``."""
    price_list = visible_price_list(price_list_id, request.user)
    if price_list is None:
        raise not_found()
    rows = live_rows(price_list, q=filters.q, category=filters.category, sort=filters.sort)
    return paginate(request, rows, page, lambda window: [_row(row) for row in window])
