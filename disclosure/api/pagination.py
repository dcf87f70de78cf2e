"""Limit/offset pagination with a documented maximum and links to the neighbouring pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable
from django.http import HttpRequest
from ninja import Field, Schema
from wagtail.models import Page

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


def _page_of(rows: QuerySet, offset: int, limit: int) -> tuple[int, list]:
    """The total and one page of ``rows``.

    For model rows: first the page's keys with the total beside them (one narrow query,
    ``COUNT(*) OVER ()``), then those rows in full. Sorting 43,000 visible publications to find
    the newest 20 sorted every column of both tables (PostgreSQL: 156 ms), and the count ran
    the audience filter a second time (42 ms); the keys alone sort in 64 ms. Pages are fetched
    again by path, which PostgreSQL looks up in the page table's index (by the child table's
    key it scanned the whole page table for twenty rows).
    """
    if rows._iterable_class is not ModelIterable:
        return rows.count(), list(rows[offset : offset + limit])
    key = "path" if issubclass(rows.model, Page) else "pk"
    keyed = list(
        rows.annotate(matching=Window(Count("pk"))).values_list(key, "matching")[
            offset : offset + limit
        ]
    )
    if not keyed:
        return (rows.count() if offset else 0), []
    keys = [value for value, _total in keyed]
    by_key = {getattr(row, key): row for row in rows.filter(**{f"{key}__in": keys})}
    return keyed[0][1], [by_key[value] for value in keys if value in by_key]


def paginate(
    request: HttpRequest,
    rows: QuerySet | Sequence,
    params: PageParams,
    build: Callable[[list], list[Any]],
) -> dict[str, Any]:
    """One page of ``rows``, each page's rows turned into schemas by ``build`` at once (so it
    can fetch what they point to in one query)."""
    if isinstance(rows, QuerySet):
        count, window = _page_of(rows, params.offset, params.limit)
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
