"""Price changes (价格变动): what the office's approval of a new list records, the price on a past
date, the public 价格变动公示 page and its API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import Page

from disclosure.models import ChangeEvent, PriceChange, PriceListPage, PriceListVersion
from disclosure.rules.deadlines import ComplianceStatus
from disclosure.selectors.compliance import (
    change_outcomes,
    deadline_for_item,
    live_publication_dates_by_item,
)
from disclosure.selectors.price_history import changes_for, price_on
from disclosure.selectors.workdays import calendar
from disclosure.services.price_changes import change_description

from ..reviews import publish_reviewed
from .price_lists import FIRST, SECOND, new_price_list, new_version, publish_version, stage

ITEM = "医疗服务项目价格"  # 财务科, 社会公众


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


@pytest.fixture
def price_list(demo_item):
    """A live list of three prices, effective 60 days ago, under the demo's service prices
    (beside the demo's own list, whose changes were recorded before ``since``)."""
    since = timezone.now()
    page = new_price_list(demo_item(ITEM))
    first = new_version(page, FIRST, effective_date=days_ago(60))
    page = publish_version(page, first)
    # It went live when it took effect, 60 days ago (a later list's change counts from the
    # day after the list before it went live, never earlier).
    went_live = timezone.now() - dt.timedelta(days=60)
    PriceListVersion.objects.filter(pk=first.pk).update(published_at=went_live)
    Page.objects.filter(pk=page.pk).update(first_published_at=went_live)
    page = PriceListPage.objects.get(pk=page.pk)
    page.since = since
    return page


def events_of(page):
    """The item's changes recorded since the list was made (not the demo's)."""
    return ChangeEvent.objects.filter(item=page.get_parent(), recorded_at__gte=page.since)


def outcomes_of(page, item):
    return [o for o in change_outcomes(item) if o[0].recorded_at >= page.since]


def adjust(page: PriceListPage, *, effective_date: dt.date) -> PriceListVersion:
    """The second list goes live: one price changed, one row added, one removed."""
    second = new_version(page, SECOND, effective_date=effective_date, basis="示价〔2026〕9号")
    publish_version(page, second)
    return second


def test_a_first_list_goes_live_with_its_time_and_records_no_change(price_list):
    version = PriceListVersion.objects.get(page=price_list)
    assert version.published_at is not None
    assert not PriceChange.objects.filter(page=price_list).exists()
    assert not events_of(price_list).exists()


def test_approval_records_each_changed_row_with_its_old_and_new_price(price_list):
    first = PriceListVersion.objects.get(page=price_list)
    second = adjust(price_list, effective_date=days_ago(3))
    recorded = {
        (c.change, c.code, c.name, c.unit, c.old_price, c.new_price)
        for c in PriceChange.objects.filter(page=price_list)
    }
    assert recorded == {
        ("changed", "120400001", "静脉注射", "次", Decimal("5.00"), Decimal("6.50")),
        ("added", "310100001", "普通门诊诊查费", "次", None, Decimal("10.00")),
        ("removed", "250101001", "尿常规", "次", Decimal("8.00"), None),
    }
    changes = PriceChange.objects.filter(page=price_list)
    assert {(c.version_id, c.previous_version_id, c.effective_date) for c in changes} == {
        (second.pk, first.pk, days_ago(3))
    }
    second.refresh_from_db()
    assert second.published_at is not None


def test_approval_records_the_items_change_on_the_effective_date_by_the_approver(price_list):
    adjust(price_list, effective_date=days_ago(3))
    event = events_of(price_list).get()
    assert event.changed_on == days_ago(3)
    assert event.recorded_by == get_user_model().objects.get(username="office")
    assert event.description == change_description(added=1, removed=1, changed=1)
    # Stored as the institution's language reads it.
    assert "新增 1" in event.description or "1 added" in event.description


def test_a_republication_of_the_same_rows_records_nothing_more(price_list):
    adjust(price_list, effective_date=days_ago(3))
    page = PriceListPage.objects.get(pk=price_list.pk)
    page.summary = "价格依据见附件。"
    publish_reviewed(page)
    assert PriceChange.objects.filter(page=price_list).count() == 3
    assert events_of(price_list).count() == 1


def test_a_list_approved_before_it_takes_effect_is_a_change_of_the_day_it_went_live(price_list):
    adjust(price_list, effective_date=timezone.localdate() + dt.timedelta(days=10))
    event = events_of(price_list).get()
    assert event.changed_on == timezone.localdate()
    changes = PriceChange.objects.filter(page=price_list)
    assert set(changes.values_list("effective_date", flat=True)) == {
        timezone.localdate() + dt.timedelta(days=10)
    }


@pytest.fixture
def on_change_item(price_list):
    """The list's item, under an on-change rule: published within 10 working days."""
    item = price_list.get_parent().specific
    type(item).objects.filter(pk=item.pk).update(
        rule_kind="on_change", rule_period="", rule_working_days=10
    )
    item.refresh_from_db()
    return item


def test_the_deadline_engine_counts_a_late_list_from_its_effective_date(price_list, on_change_item):
    effective = days_ago(40)  # far more than 10 working days before it went live
    adjust(price_list, effective_date=effective)
    [(event, due, published_on, late)] = outcomes_of(price_list, on_change_item)
    assert event.changed_on == effective
    assert due == calendar().add_working_days(effective, 10).date
    assert published_on == timezone.localdate()
    assert late
    # The new version is the publication that followed the change: nothing pending now.
    assert deadline_for_item(on_change_item).deadline.status == ComplianceStatus.ON_TIME


def test_the_deadline_engine_counts_a_list_published_in_time_as_on_time(price_list, on_change_item):
    adjust(price_list, effective_date=days_ago(1))
    [(_event, _due, published_on, late)] = outcomes_of(price_list, on_change_item)
    assert published_on == timezone.localdate()
    assert not late
    assert deadline_for_item(on_change_item).deadline.status == ComplianceStatus.ON_TIME


def test_a_new_version_is_the_publication_that_follows_a_change(price_list, on_change_item):
    # The item's publications, the list included, went live a month ago.
    month_ago = timezone.now() - dt.timedelta(days=30)
    Page.objects.child_of(on_change_item).update(first_published_at=month_ago)
    PriceListVersion.objects.filter(
        page__in=Page.objects.child_of(on_change_item), published_at__isnull=False
    ).update(published_at=month_ago)
    type(on_change_item).objects.filter(pk=on_change_item.pk).update(rule_working_days=1)
    office = get_user_model().objects.get(username="office")
    ChangeEvent.objects.create(
        item=on_change_item, changed_on=days_ago(7), description="调价", recorded_by=office
    )
    assert deadline_for_item(on_change_item).deadline.status == ComplianceStatus.OVERDUE
    adjust(price_list, effective_date=days_ago(7))
    assert deadline_for_item(on_change_item).deadline.status == ComplianceStatus.ON_TIME


def test_each_new_version_counts_among_the_items_publication_days(price_list):
    item = price_list.get_parent().specific
    month_ago = timezone.now() - dt.timedelta(days=30)
    Page.objects.filter(pk=price_list.pk).update(first_published_at=month_ago)
    PriceListVersion.objects.filter(page=price_list).update(published_at=month_ago)
    before = live_publication_dates_by_item([item])[item.pk]
    adjust(price_list, effective_date=days_ago(3))
    after = live_publication_dates_by_item([item])[item.pk]
    assert sorted(after) == sorted([*before, timezone.localdate()])


# The price on a date ------------------------------------------------------------------------


def test_the_price_on_a_past_date_is_the_one_in_force_then(price_list):
    adjust(price_list, effective_date=days_ago(10))
    before = price_on(price_list, code="120400001", on=days_ago(20))
    after = price_on(price_list, code="120400001", on=days_ago(10))
    assert (before.price, before.version.effective_date) == (Decimal("5.00"), days_ago(60))
    assert (after.price, after.version.effective_date) == (Decimal("6.50"), days_ago(10))
    assert price_on(price_list, code="250101001", on=days_ago(20)).price == Decimal("8.00")
    assert price_on(price_list, code="250101001", on=days_ago(5)) is None  # removed since
    assert price_on(price_list, code="120400001", on=days_ago(61)) is None  # no list yet


def test_the_price_on_a_date_is_found_by_name_too(price_list):
    assert price_on(price_list, name="静脉注射", on=days_ago(1)).code == "120400001"
    assert price_on(price_list, name="常规", on=days_ago(1)).code == "110200002"


def test_a_version_not_yet_published_is_never_in_force(price_list):
    new_version(price_list, SECOND, effective_date=days_ago(5))  # imported, not approved
    assert price_on(price_list, code="120400001", on=days_ago(1)).price == Decimal("5.00")


def test_the_changes_are_listed_newest_first(price_list):
    adjust(price_list, effective_date=days_ago(10))
    third = new_version(
        price_list,
        [(*row[:3], "7.00") if row[0] == "120400001" else row for row in SECOND],
        effective_date=days_ago(2),
    )
    publish_version(price_list, third)
    listed = [(c.effective_date, c.code) for c in changes_for(price_list)]
    assert listed == [
        (days_ago(2), "120400001"),
        (days_ago(10), "120400001"),
        (days_ago(10), "250101001"),
        (days_ago(10), "310100001"),
    ]
    assert gettext("Changed")  # the kinds are labelled


# The public 价格变动公示 page ------------------------------------------------------------------


def _changes_url(page) -> str:
    page = PriceListPage.objects.get(pk=page.pk)
    return page.url + page.reverse_subpage("changes")


def test_the_public_page_lists_the_changes_newest_first_with_old_and_new_price(client, price_list):
    adjust(price_list, effective_date=days_ago(10))
    response = client.get(_changes_url(price_list))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (days_ago(10).isoformat(), "120400001", "静脉注射", "5.00", "6.50", "尿常规"):
        assert text in body
    assert body.index("120400001") < body.index("250101001") < body.index("310100001")
    assert "血常规" not in body  # unchanged


def test_the_public_page_answers_the_price_on_a_past_date(client, price_list):
    adjust(price_list, effective_date=days_ago(10))
    url = _changes_url(price_list)
    before = client.get(url, {"q": "120400001", "on": days_ago(20).isoformat()})
    assert before.status_code == 200
    answer = before.content.decode()
    assert "5.00" in answer and days_ago(60).isoformat() in answer
    by_name = client.get(url, {"q": "静脉注射", "on": days_ago(5).isoformat()})
    assert "6.50" in by_name.content.decode()


def test_the_public_page_says_when_there_was_no_such_price(client, price_list):
    url = _changes_url(price_list)
    too_early = client.get(url, {"q": "120400001", "on": days_ago(100).isoformat()})
    expected = gettext("No price list was in force on %(date)s.") % {
        "date": days_ago(100).isoformat()
    }
    assert expected in too_early.content.decode()
    unknown = client.get(url, {"q": "999999999", "on": days_ago(1).isoformat()})
    expected = gettext("The list in force on %(date)s has no item “%(query)s”.") % {
        "date": days_ago(1).isoformat(),
        "query": "999999999",
    }
    assert expected in unknown.content.decode()


def test_the_public_page_refuses_a_bad_date_or_code_in_words(client, price_list):
    url = _changes_url(price_list)
    response = client.get(url, {"q": "12345", "on": "2026-13-45"})
    assert response.status_code == 400
    body = response.content.decode()
    assert gettext("Enter a date such as 2026-03-01.") in body
    assert "110200002-2" in body  # the shape of a service code, in the error


def test_a_staff_only_lists_changes_are_not_for_the_anonymous(client, demo_item):
    page = new_price_list(demo_item("大额资金使用"), title="内部价格表", slug="staff-prices")
    page = publish_version(page, new_version(page, FIRST, effective_date=days_ago(5)))
    response = client.get(_changes_url(page))
    assert response.status_code == 302 and "login" in response["Location"]


# The API ------------------------------------------------------------------------------------

API = "/api/disclosure/v1"


def test_the_api_lists_a_lists_changes_with_their_prices(client, price_list):
    adjust(price_list, effective_date=days_ago(10))
    response = client.get(f"{API}/price-lists/{price_list.pk}/changes/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert data["items"][0] == {
        "change": "changed",
        "code": "120400001",
        "name": "静脉注射",
        "unit": "次",
        "old_price": "5.00",
        "new_price": "6.50",
        "effective_date": days_ago(10).isoformat(),
    }
    added = client.get(f"{API}/price-lists/{price_list.pk}/changes/", {"change": "added"})
    assert [item["code"] for item in added.json()["items"]] == ["310100001"]


def test_the_api_answers_the_price_on_a_date(client, price_list):
    adjust(price_list, effective_date=days_ago(10))
    url = f"{API}/price-lists/{price_list.pk}/price-on/"
    then = client.get(url, {"q": "120400001", "date": days_ago(20).isoformat()}).json()
    assert then["found"] and then["row"]["price"] == "5.00"
    assert then["effective_date"] == days_ago(60).isoformat()
    by_name = client.get(url, {"q": "静脉注射", "date": days_ago(1).isoformat()}).json()
    assert by_name["row"]["code"] == "120400001" and by_name["row"]["price"] == "6.50"
    none = client.get(url, {"q": "120400001", "date": days_ago(100).isoformat()}).json()
    assert none == {
        "date": days_ago(100).isoformat(),
        "found": False,
        "list_in_force": False,
        "effective_date": None,
        "basis": None,
        "row": None,
    }
    assert client.get(url, {"q": "120400001", "date": "yesterday"}).status_code == 422
    assert client.get(url, {"date": days_ago(1).isoformat()}).status_code == 422  # no q


def test_the_api_does_not_find_a_staff_only_list_for_the_anonymous(client, demo_item, token_for):
    page = new_price_list(demo_item("大额资金使用"), title="内部价格表", slug="staff-prices")
    page = publish_version(page, new_version(page, FIRST, effective_date=days_ago(5)))
    for path in ("changes/", f"price-on/?q=120400001&date={days_ago(1).isoformat()}"):
        url = f"{API}/price-lists/{page.pk}/{path}"
        assert client.get(url).status_code == 404
        assert client.get(url, **token_for("finance-editor")).status_code == 200


def test_the_api_does_not_find_a_draft_list(client, demo_item):
    page = new_price_list(demo_item(ITEM))
    assert client.get(f"{API}/price-lists/{page.pk}/changes/").status_code == 404


@pytest.mark.parametrize("extra", [0, 300])
def test_the_changes_cost_the_same_queries_however_many(
    client, price_list, extra, django_assert_max_num_queries
):
    rows = SECOND + [(f"33{n:07d}", f"项目{n}", "次", "1.00") for n in range(extra)]
    publish_version(price_list, new_version(price_list, rows, effective_date=days_ago(3)))
    with django_assert_max_num_queries(12):
        response = client.get(f"{API}/price-lists/{price_list.pk}/changes/?limit=100")
    assert response.json()["count"] == 3 + extra
    url = _changes_url(price_list)
    client.get(url)  # warm the site's caches
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_an_emergency_publication_records_the_changes_too(price_list):
    from disclosure.services.moderation import emergency_publish

    office = get_user_model().objects.get(username="office")
    second = new_version(price_list, SECOND, effective_date=days_ago(2))
    stage(price_list, second)
    emergency_publish(page=price_list, user=office, reason="物价部门紧急调价通知")
    assert PriceChange.objects.filter(version=second).count() == 3
    assert events_of(price_list).get().recorded_by == office
