"""Price changes (价格变动) of a price list, and the price in force on a date.

A list the caller may not see (a staff-only item's, for an anonymous caller; a draft) is not
found (404), as any other publication.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field, field_validator

from ..models import PriceListPage
from ..models.prices import ChangeKind, PriceChange, PriceRow
from ..selectors.price_history import changes_for, find_price_on, version_on
from ..selectors.visibility import visible_to
from . import schemas
from .auth import PUBLIC
from .catalog import not_found
from .errors import problems
from .pagination import PageInfo, PageParams, paginate

router = Router(tags=["price changes"], auth=PUBLIC)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _price_list_or_404(request: HttpRequest, list_id: int) -> PriceListPage:
    page = visible_to(PriceListPage.objects.filter(pk=list_id), request.user).first()
    if page is None:
        raise not_found()
    return page


class PriceChangeOut(Schema):
    change: ChangeKind = Field(description="added, removed or changed.")
    code: str = Field(description="The item's code (empty for a drug or consumable without).")
    name: str
    unit: str
    old_price: str | None = Field(description="The price before, in yuan (null: added).")
    new_price: str | None = Field(description="The price after, in yuan (null: removed).")
    effective_date: dt.date = Field(description="When the new price took effect.")

    @staticmethod
    def of(change: PriceChange) -> PriceChangeOut:
        return PriceChangeOut(
            change=change.change,
            code=change.code,
            name=change.name,
            unit=change.unit,
            old_price=_money(change.old_price),
            new_price=_money(change.new_price),
            effective_date=change.effective_date,
        )


class PriceChangePageOut(PageInfo):
    items: list[PriceChangeOut]


class ChangeFilters(Schema):
    change: ChangeKind | None = Field(None, description="One kind of change only.")
    since: dt.date | None = Field(None, description="Effective on or after (YYYY-MM-DD).")

    @field_validator("since", mode="before")
    @classmethod
    def iso_date_only(cls, value):
        if value is not None and not (isinstance(value, str) and ISO_DATE.fullmatch(value)):
            raise ValueError("expected a date as YYYY-MM-DD")
        return value


@router.get(
    "/price-lists/{list_id}/changes/",
    response={200: PriceChangePageOut, **problems(401, 404, 422)},
    operation_id="price_changes_list",
    summary="Price changes of a list",
)
def list_price_changes(
    request: HttpRequest,
    list_id: schemas.Id,
    filters: Query[ChangeFilters],
    page: Query[PageParams],
):
    """The price changes recorded each time a new version of the list went live, newest first
    (by effective date), each with its old and new price."""
    price_list = _price_list_or_404(request, list_id)
    changes = changes_for(price_list, since=filters.since, change=filters.change)
    return paginate(
        request, changes, page, lambda rows: [PriceChangeOut.of(change) for change in rows]
    )


class PriceOnQuery(Schema):
    date: dt.date = Field(
        description="The day (YYYY-MM-DD). A day after today is answered as of today (a list "
        "under review may still change it); the answer's `date` says which day it is."
    )
    q: str = Field(
        min_length=1,
        max_length=100,
        description="The item's code, or its name (or part of it) where no code matches.",
    )

    @field_validator("date", mode="before")
    @classmethod
    def iso_date_only(cls, value):
        if not (isinstance(value, str) and ISO_DATE.fullmatch(value)):
            raise ValueError("expected a date as YYYY-MM-DD")
        return value


class PriceInForce(Schema):
    code: str
    name: str
    unit: str
    price: str = Field(description="In yuan.")
    specification: str
    manufacturer: str
    category: str


class PriceOnOut(Schema):
    date: dt.date
    found: bool = Field(description="Whether the list in force that day had such an item.")
    list_in_force: bool = Field(description="Whether any version of the list was in force.")
    effective_date: dt.date | None = Field(
        description="When the version in force that day took effect."
    )
    basis: str | None = Field(description="That version's basis (文号).")
    row: PriceInForce | None


def _row(row: PriceRow) -> PriceInForce:
    return PriceInForce(
        code=row.code,
        name=row.name,
        unit=row.unit,
        price=_money(row.price),
        specification=row.specification,
        manufacturer=row.manufacturer,
        category=row.category,
    )


@router.get(
    "/price-lists/{list_id}/price-on/",
    response={200: PriceOnOut, **problems(401, 404, 422)},
    operation_id="price_lists_price_on",
    summary="The price on a date",
)
def get_price_on(request: HttpRequest, list_id: schemas.Id, query: Query[PriceOnQuery]):
    """The item's row in the version of the list in force on ``date`` (the latest effective
    on or before it, of the versions that went live), by code or else by name; ``found`` is
    false when there was none (and ``list_in_force`` when no list was in force at all)."""
    price_list = _price_list_or_404(request, list_id)
    on = min(query.date, timezone.localdate())
    row = find_price_on(price_list, query=query.q, on=on)
    version = row.version if row is not None else version_on(price_list, on)
    return PriceOnOut(
        date=on,
        found=row is not None,
        list_in_force=version is not None,
        effective_date=version.effective_date if version else None,
        basis=version.basis if version else None,
        row=_row(row) if row is not None else None,
    )
