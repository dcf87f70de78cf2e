"""Institutions, departments and the catalog: categories and items with their standing."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field
from wagtail.models import Site

from ..models import CatalogItemPage, Department
from ..selectors.catalog import (
    categories_visible_to,
    institutions,
    items_visible_to,
    publications_visible_to,
    visible_item,
)
from ..selectors.compliance import deadline_for_item, item_compliance, period_records
from . import build, schemas
from .auth import PUBLIC
from .errors import problems
from .pagination import PageInfo, PageParams, paginate

router = Router(tags=["catalog"], auth=PUBLIC)

HISTORY_MAX = 200


def not_found() -> Http404:
    return Http404(_("Not found."))


def institution_or_404(institution_id: int | None, request: HttpRequest) -> Site:
    """The named institution, or the one serving the request's host when none is named."""
    if institution_id is None:
        site = Site.find_for_request(request)
    else:
        site = Site.objects.select_related("root_page").filter(pk=institution_id).first()
    if site is None:
        raise not_found()
    return site


class InstitutionFilter(Schema):
    institution: schemas.Id | None = Field(
        None, description="An institution's id; all when omitted."
    )


class HostInstitution(Schema):
    institution: schemas.Id | None = Field(
        None, description="An institution's id; the one serving this host when omitted."
    )


class ItemFilters(Schema):
    institution: schemas.Id | None = Field(None, description="An institution's id.")
    category: schemas.Id | None = Field(None, description="A category's id.")
    department: schemas.Id | None = Field(None, description="A department's id.")
    audience: schemas.AudienceCode | None = None
    status: schemas.StatusCode | None = Field(None, description="The standing today.")


class ItemPage(PageInfo):
    items: list[schemas.Item]


@router.get(
    "/institutions/",
    response={200: list[schemas.Institution], **problems(401)},
    operation_id="institutions_list",
    summary="List institutions",
)
def list_institutions(request: HttpRequest):
    """Every institution on this instance, the default one first."""
    return [build.institution(row, request) for row in institutions()]


@router.get(
    "/institutions/{institution_id}/",
    response={200: schemas.Institution, **problems(401, 404, 422)},
    operation_id="institutions_detail",
    summary="Institution detail",
)
def get_institution(request: HttpRequest, institution_id: schemas.Id):
    rows = institutions(site_id=institution_id)
    if not rows:
        raise not_found()
    return build.institution(rows[0], request)


@router.get(
    "/departments/",
    response={200: list[schemas.Department], **problems(401, 422)},
    operation_id="departments_list",
    summary="List departments",
)
def list_departments(
    request: HttpRequest,
    where: Query[InstitutionFilter],
):
    departments = Department.objects.order_by("site_id", "sort_order", "name")
    if where.institution is not None:
        departments = departments.filter(site_id=where.institution)
    return [build.department(department) for department in departments]


def _items(rows, request: HttpRequest) -> list[schemas.Item]:
    return [build.item(row, request) for row in rows]


@router.get(
    "/catalog/",
    response={200: schemas.Catalog, **problems(401, 404, 422)},
    operation_id="catalog_tree",
    summary="The catalog of an institution",
)
def catalog_tree(
    request: HttpRequest,
    where: Query[HostInstitution],
):
    """Categories (一级事项) with their items (二级事项), each with its rule and standing. A
    category the caller may see no item of is left out."""
    site = institution_or_404(where.institution, request)
    rows = institutions(site_id=site.pk)
    if not rows:
        raise not_found()
    items_by_category: dict[int, list[schemas.Item]] = {}
    for item in _items(item_compliance(items=items_visible_to(request.user, site=site)), request):
        items_by_category.setdefault(item.category.id, []).append(item)
    categories = [
        schemas.Category(
            id=category.pk,
            title=category.title,
            url=build.page_url(category, request),
            intro=category.intro,
            items=items_by_category[category.pk],
        )
        for category in categories_visible_to(request.user, site=site)
        if category.pk in items_by_category
    ]
    return schemas.Catalog(institution=build.institution(rows[0], request), categories=categories)


@router.get(
    "/items/",
    response={200: ItemPage, **problems(401, 404, 422)},
    operation_id="items_list",
    summary="List catalog items",
)
def list_items(
    request: HttpRequest,
    filters: Query[ItemFilters],
    page: Query[PageParams],
):
    """Catalog items across institutions, in catalog order; ``status=overdue`` lists what is
    late today."""
    site = institution_or_404(filters.institution, request) if filters.institution else None
    items = items_visible_to(
        request.user,
        site=site,
        category_id=filters.category,
        department_id=filters.department,
        audience=filters.audience,
    )
    if filters.status:
        # A status is known only once every item's deadline is computed.
        rows = [r for r in item_compliance(items=items) if r.deadline.status == filters.status]
        return paginate(request, rows, page, lambda window: _items(window, request))

    # Without one, only the requested page of items needs its deadlines.
    def standing(ids: list[int]) -> list[schemas.Item]:
        return _items(item_compliance(items=CatalogItemPage.objects.filter(pk__in=ids)), request)

    return paginate(request, items.values_list("pk", flat=True), page, standing)


def _item_or_404(request: HttpRequest, item_id: int):
    item = visible_item(item_id, request.user)
    if item is None:
        raise not_found()
    return item


@router.get(
    "/items/{item_id}/",
    response={200: schemas.Item, **problems(401, 404, 422)},
    operation_id="items_detail",
    summary="Catalog item detail",
)
def get_item(request: HttpRequest, item_id: schemas.Id):
    item = _item_or_404(request, item_id)
    row = deadline_for_item(item)
    return build.item(row, request)


@router.get(
    "/items/{item_id}/history/",
    response={200: schemas.ItemHistory, **problems(401, 404, 422)},
    operation_id="items_history",
    summary="An item's publication history",
)
def item_history(
    request: HttpRequest,
    item_id: schemas.Id,
    limit: int = Query(50, ge=1, le=HISTORY_MAX, description=f"At most {HISTORY_MAX}."),
):
    """The item with its standing, its periods (for a periodic rule: on time, late, missing)
    and its latest publications."""
    item = _item_or_404(request, item_id)
    row = deadline_for_item(item)
    publications = publications_visible_to(request.user, item_id=item.pk)
    return schemas.ItemHistory(
        item=build.item(row, request),
        periods=[build.period(record) for record in period_records(item)],
        publication_count=publications.count(),
        publications=build.publications(list(publications[:limit]), request),
    )
