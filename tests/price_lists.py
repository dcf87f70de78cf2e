"""Price lists for tests: a list page, its versions with their rows written in bulk, and a draft
revision naming a version (what the import does, without reading a file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth import get_user_model

from disclosure.models import CatalogItemPage, PriceListPage, PriceListVersion, PriceRow
from disclosure.models.prices import ImportStatus
from disclosure.rules.prices import PriceKind, pinyin_initials, row_key


def new_price_list(
    item: CatalogItemPage, *, title: str = "医疗服务项目价格表", slug: str = "service-prices"
) -> PriceListPage:
    """A draft list of service prices under ``item``."""
    page = PriceListPage(title=title, slug=slug, price_kind=PriceKind.SERVICE, live=False)
    item.add_child(instance=page)
    return page


def new_version(
    page: PriceListPage,
    rows: Iterable[tuple[str, str, str, str]],
    *,
    effective_date: dt.date,
    user=None,
    basis: str = "示价〔2026〕1号",
) -> PriceListVersion:
    """An imported version of ``page`` with ``rows`` of (code, name, unit, price)."""
    user = user or _editor_of(page)
    version = PriceListVersion.objects.create(
        page=page,
        price_kind=page.price_kind,
        effective_date=effective_date,
        basis=basis,
        status=ImportStatus.READY,
        imported_by=user,
    )
    built = []
    for position, (code, name, unit, price) in enumerate(rows, start=1):
        main, others = pinyin_initials(name)
        built.append(
            PriceRow(
                version=version,
                position=position,
                key=row_key(page.price_kind, {"code": code, "name": name}),
                code=code,
                name=name,
                initials=main,
                initials_alt=others,
                unit=unit,
                price=Decimal(price),
            )
        )
    PriceRow.objects.bulk_create(built, batch_size=2000)
    version.total_rows = version.processed_rows = len(built)
    version.save(update_fields=["total_rows", "processed_rows"])
    return version


def stage(page: PriceListPage, version: PriceListVersion, *, user=None):
    """A new draft revision of ``page`` naming ``version`` (as the import leaves it)."""
    page = PriceListPage.objects.get(pk=page.pk)
    page.rows_version = version
    return page.save_revision(user=user or _editor_of(page))


#: A first list, and a second that changes one price, adds a row and removes one.
FIRST = [
    ("110200002", "血常规", "次", "20.00"),
    ("120400001", "静脉注射", "次", "5.00"),
    ("250101001", "尿常规", "次", "8.00"),
]
SECOND = [
    ("110200002", "血常规", "次", "20.00"),  # unchanged
    ("120400001", "静脉注射", "次", "6.50"),  # changed
    ("310100001", "普通门诊诊查费", "次", "10.00"),  # added; 尿常规 removed
]


def publish_version(page: PriceListPage, version: PriceListVersion) -> PriceListPage:
    """The department submits the list naming ``version``; its head and the office approve."""
    from .reviews import publish_reviewed

    page = PriceListPage.objects.get(pk=page.pk)
    page.rows_version = version
    return publish_reviewed(page)


def _editor_of(page):
    from disclosure.models.catalog import catalog_item_for

    department = catalog_item_for(page).department
    return department.editors_group.user_set.first() or get_user_model().objects.get(
        username="admin"
    )
