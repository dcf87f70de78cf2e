"""Price lists for tests: rows built in bulk, the list taken live through the review.

The import service (``services/price_import.py``) checks files; these tests query rows, so
they write the version and its rows directly, as the import does once a file has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from disclosure.models import Audience, CatalogItemPage, PriceListPage, PriceListVersion, PriceRow
from disclosure.models.catalog import catalog_item_for
from disclosure.models.prices import ImportStatus
from disclosure.rules.prices import PriceKind, pinyin_initials, row_key, service_chapter
from disclosure.services.access import sync_audience_restriction

from ..reviews import publish_reviewed

EFFECTIVE = dt.date(2026, 10, 1)
BASIS = "X医保发〔2026〕12号"

#: Real item names, several with polyphonic characters (调, 重, 单, 长, 乐, 血).
SERVICES = [
    ("250101001", "血常规", "次", "20.00", "血液检查"),
    ("311201001", "调强放射治疗", "次", "2100.00", "放射治疗"),
    ("110900001", "重症监护", "小时", "12.00", "综合医疗服务"),
    ("270100001", "单采血小板", "治疗量", "480.00", "血液检查"),
    ("110200002-2", "副主任医师诊查费", "次", "28.00", "综合医疗服务"),
    ("110200002-1", "主任医师诊查费", "次", "35.00", "综合医疗服务"),
    ("210300001", "CT平扫", "部位", "150.00", "放射检查"),
]
DRUGS = [
    ("长春新碱", "注射剂", "1mg", "1支/盒", "某制药有限公司", "支", "32.50", True),
    ("乐卡地平", "片剂", "10mg", "14片/盒", "某药业股份有限公司", "盒", "18.20", True),
    ("阿莫西林", "胶囊", "0.25g", "24粒/盒", "某制药厂", "盒", "9.80", False),
]


def service_row(code: str, name: str, unit: str, price: str, category: str = "", **more) -> dict:
    return {
        "code": code,
        "name": name,
        "unit": unit,
        "price": Decimal(price),
        "category": category or service_chapter(code),
        **more,
    }


def drug_row(name, form, specification, package, maker, unit, price, vbp) -> dict:
    return {
        "name": name,
        "dosage_form": form,
        "specification": specification,
        "package": package,
        "manufacturer": maker,
        "unit": unit,
        "price": Decimal(price),
        "volume_procurement": vbp,
        "category": "西药",
    }


def filler_services(count: int, *, start: int = 0) -> list[dict]:
    """``count`` plausible service rows with distinct codes (for growth and paging)."""
    return [
        service_row(
            f"3{number:08d}", f"检查项目{number}", "次", f"{10 + number % 90}.50", "临床诊疗"
        )
        for number in range(start, start + count)
    ]


def add_rows(version: PriceListVersion, rows: list[dict]) -> None:
    """Rows appended to ``version`` in bulk, each with its key and pinyin initials."""
    first = PriceRow.objects.filter(version=version).count()
    built = []
    for position, values in enumerate(rows, start=first + 1):
        initials, alternates = pinyin_initials(values["name"])
        built.append(
            PriceRow(
                version=version,
                position=position,
                key=row_key(version.price_kind, values),
                initials=initials,
                initials_alt=alternates,
                **values,
            )
        )
    PriceRow.objects.bulk_create(built, batch_size=500)
    # As the import does: the version knows its number of rows.
    version.total_rows = version.processed_rows = first + len(built)
    version.save(update_fields=["total_rows", "processed_rows"])


def publish_price_list(
    item,
    *,
    kind: str = PriceKind.SERVICE,
    rows: list[dict],
    title: str = "医疗服务项目价格公示",
    slug: str = "prices",
    effective_date: dt.date = EFFECTIVE,
    basis: str = BASIS,
) -> PriceListPage:
    """A price list of ``rows`` under ``item``, live after the usual review."""
    page = PriceListPage(
        title=title, slug=slug, publication_date=effective_date, price_kind=kind, live=False
    )
    item.add_child(instance=page)
    editor = catalog_item_for(page).department.editors_group.user_set.first()
    version = PriceListVersion.objects.create(
        page=page,
        price_kind=kind,
        effective_date=effective_date,
        basis=basis,
        status=ImportStatus.READY,
        total_rows=len(rows),
        processed_rows=len(rows),
        imported_by=editor,
    )
    add_rows(version, rows)
    page.rows_version = version
    page.save_revision(user=editor)
    return publish_reviewed(page)


# Versions of one list, staged as its draft or taken live (the review's tests).


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
    page = PriceListPage.objects.get(pk=page.pk)
    page.rows_version = version
    return publish_reviewed(page)


def _editor_of(page):
    department = catalog_item_for(page).department
    return department.editors_group.user_set.first() or get_user_model().objects.get(
        username="admin"
    )


# Fixtures of the public and API tests (imported by their modules) ------------------------------

SERVICE_ITEM = "医疗服务项目价格"
DRUG_ITEM = "药品价格"


@pytest.fixture
def services(demo_item) -> PriceListPage:
    """A live list of the real service names under the demo's 医疗服务项目价格."""
    return publish_price_list(
        demo_item(SERVICE_ITEM), rows=[service_row(*values) for values in SERVICES]
    )


@pytest.fixture
def drugs(demo_item) -> PriceListPage:
    """A live list of drugs under the demo's 药品价格."""
    return publish_price_list(
        demo_item(DRUG_ITEM),
        kind=PriceKind.DRUG,
        rows=[drug_row(*values) for values in DRUGS],
        title="药品价格公示",
        slug="drug-prices",
    )


@pytest.fixture
def staff_list(demo_item, services) -> PriceListPage:
    """``services``, its item made staff-only (职工)."""
    item = demo_item(SERVICE_ITEM)
    item.audience = Audience.STAFF
    item.save(update_fields=["audience"])
    sync_audience_restriction(item=item)
    return services
