"""The demo's price lists: plausible rows of the national code shapes, imported and reviewed as
users do, with a history and one price adjustment waiting for the disclosure office."""

from __future__ import annotations

import pytest
from django.utils import timezone
from wagtail.models import Page, Revision

from disclosure.models import PriceListPage, PriceListVersion, PriceRow
from disclosure.models.prices import ImportStatus
from disclosure.rules.prices import PriceKind, PriceLine, is_service_code, price_differences
from home.demo import DemoBuilder
from home.demo_prices import (
    CONSUMABLE_ITEM,
    DRUG_ITEM,
    PENDING_ADDED,
    PENDING_CHANGED,
    PENDING_REMOVED,
    SERVICE_ITEM,
    consumable_table,
    drug_table,
    load_demo_prices,
    service_table,
)

pytestmark = pytest.mark.django_db


def the_list(demo_item, title: str) -> PriceListPage:
    return PriceListPage.objects.child_of(demo_item(title)).get()


def lines(version: PriceListVersion) -> list[PriceLine]:
    return [
        PriceLine(
            key=row.key,
            code=row.code,
            name=row.name,
            unit=row.unit,
            price=row.price,
            grade_prices=tuple(sorted((k, str(v)) for k, v in row.grade_prices.items())),
        )
        for row in version.rows.all()
    ]


def test_the_generated_tables_are_as_large_as_a_hospitals_and_every_code_is_national():
    services, drugs, consumables = service_table(), drug_table(), consumable_table()
    assert len(services) - 1 >= 2000
    assert len(drugs) - 1 == 500
    assert len(consumables) - 1 == 200
    codes = [row[0] for row in services[1:]]
    assert all(is_service_code(code) for code in codes)
    assert len(set(codes)) == len(codes)
    assert {code[0] for code in codes} == {"1", "2", "3", "4"}  # the four chapters
    assert any("-" in code for code in codes)  # items priced in parts (110200002-2)
    names = {row[1] for row in services[1:]}
    assert {"血常规", "尿常规", "肝功能", "调强放射治疗", "单采血小板", "静脉输液"} <= names
    # About a quarter of the drugs were bought through volume-based procurement.
    procured = sum(row[DRUGS_PROCUREMENT] == "是" for row in drugs[1:])
    assert 75 < procured < 175
    assert all(
        row[3].startswith(("国械注", "苏械", "浙械", "鲁械")) or "械注准" in row[3]
        for row in consumables[1:]
    )


DRUGS_PROCUREMENT = 8


def test_a_scaled_service_table_keeps_its_codes_unique_and_national():
    table = service_table(20000, grades=False)
    codes = [row[0] for row in table[1:]]
    assert len(codes) == 20000 == len(set(codes))
    assert all(is_service_code(code) for code in codes)
    assert table[0][5] == "价格"


def test_the_main_hospital_publishes_each_kind_of_list_with_its_rows(demo_item):
    for title, kind, least in (
        (SERVICE_ITEM, PriceKind.SERVICE, 2000),
        (DRUG_ITEM, PriceKind.DRUG, 500),
        (CONSUMABLE_ITEM, PriceKind.CONSUMABLE, 200),
    ):
        page = the_list(demo_item, title)
        assert page.live and page.price_kind == kind
        live = page.rows_version
        assert live.status == ImportStatus.READY and live.basis.startswith("示价〔")
        assert live.rows.count() >= least
        assert live.effective_date <= timezone.localdate()
    services = the_list(demo_item, SERVICE_ITEM).rows_version
    assert all(is_service_code(code) for code in services.rows.values_list("code", flat=True))
    blood = services.rows.get(name="血常规")
    assert blood.code.startswith("2501") and set(blood.grade_prices) == {"三级", "二级", "一级"}
    assert str(blood.price) == blood.grade_prices["三级"]  # the hospital is of grade three


def test_the_service_list_has_a_history_and_a_change_waiting_for_the_office(demo_item):
    page = the_list(demo_item, SERVICE_ITEM)
    first, current, pending = page.versions.order_by("effective_date")
    assert page.rows_version == current
    assert first.effective_date.year < current.effective_date.year or (
        first.effective_date < current.effective_date
    )
    assert current.effective_date <= timezone.localdate() < pending.effective_date
    # The adjustment was submitted by the finance editor and approved by the head: it waits
    # in the office's step, the draft naming the new rows.
    state = page.current_workflow_task_state
    assert state is not None and state.task.name == page.get_workflow().tasks.last().name
    draft = page.get_latest_revision_as_object()
    assert draft.rows_version == pending
    changes = price_differences(lines(current), lines(pending))
    counts = {
        kind: sum(c.change == kind for c in changes) for kind in ("changed", "added", "removed")
    }
    assert counts == {
        "changed": PENDING_CHANGED,
        "added": PENDING_ADDED,
        "removed": PENDING_REMOVED,
    }
    # Last year's list differs from this year's too (the 价格变动公示 page has a history).
    assert price_differences(lines(first), lines(current))


def test_loading_the_prices_again_changes_nothing(demo_site, demo_index):
    counts = (
        Page.objects.count(),
        Revision.objects.count(),
        PriceListVersion.objects.count(),
        PriceRow.objects.count(),
    )
    builder = DemoBuilder(anchor=timezone.localdate(), progress=lambda message: None)
    builder.accounts(demo_site)
    load_demo_prices(builder=builder, index=demo_index)
    assert (
        Page.objects.count(),
        Revision.objects.count(),
        PriceListVersion.objects.count(),
        PriceRow.objects.count(),
    ) == counts


def test_each_reviewed_version_went_live_with_its_price_changes_recorded(demo_item):
    # Recorded by the review's publication hook (the review's branch of issue 30).
    pytest.importorskip("disclosure.services.price_changes")
    page = the_list(demo_item, SERVICE_ITEM)
    first, current, pending = page.versions.order_by("effective_date")
    assert first.published_at < current.published_at
    assert pending.published_at is None
    # This spring's adjustment recorded each changed row on its effective date.
    changes = page.price_changes.all()
    assert changes and {change.effective_date for change in changes} == {current.effective_date}
    for title in (DRUG_ITEM, CONSUMABLE_ITEM):
        assert the_list(demo_item, title).rows_version.published_at is not None


def test_the_office_reviews_the_adjustment_with_its_difference(demo_item):
    # The reviewers' difference (the review's branch of issue 30).
    history = pytest.importorskip("disclosure.selectors.price_history")
    page = the_list(demo_item, SERVICE_ITEM)
    changes = history.price_list_diff(page)
    assert [change.change for change in changes] == (
        ["changed"] * PENDING_CHANGED + ["added"] * PENDING_ADDED + ["removed"] * PENDING_REMOVED
    )
    raised = [change for change in changes if change.change == "changed"]
    assert all(change.new_price > change.old_price for change in raised)
