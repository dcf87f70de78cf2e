"""Limit/offset pagination with a documented maximum and links to the neighbouring pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

from ..selectors.paging import page_with_total

DEFAULT_LIMIT = 20
MAX_LIMIT: int = getattr(settings, "DISCLOSURE_API_MAX_LIMIT", 100)
MAX_OFFSET = 1_000_000


class PageParams(Schema):
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT})."
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


class PageInfo(Schema):
    count: int = Field(description="How many items match, across all pages.")
    limit: int
    offset: int
    next: str | None = Field(description="The next page, or null on the last one.")
    previous: str | None


def paginate(
    request: HttpRequest,
    rows: QuerySet | Sequence,
    params: PageParams,
    build: Callable[[list], list[Any]],
) -> dict[str, Any]:
    """One page of ``rows``, each page's rows turned into schemas by ``build`` at once (so it
    can fetch what they point to in one query)."""
    if isinstance(rows, QuerySet):
        count, window = page_with_total(rows, params.offset, params.limit)
    else:
        count, window = len(rows), list(rows[params.offset : params.offset + params.limit])

    def link(offset: int) -> str:
        query = request.GET.copy()
        query["offset"] = str(offset)
        query["limit"] = str(params.limit)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "next": link(params.offset + params.limit)
        if params.offset + params.limit < count
        else None,
        "previous": link(max(params.offset - params.limit, 0)) if params.offset > 0 else None,
        "items": build(window),
    }
