"""The catalog over the API: institutions, departments, the tree, items and their history."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from disclosure.models import Audience, CatalogItemPage, Department, InstitutionSettings
from disclosure.rules.deadlines import ComplianceStatus
from disclosure.selectors.compliance import item_compliance
from home.demo_commission import HOSPITALS

from .conftest import API


def catalog_items(body):
    return [item for category in body["categories"] for item in category["items"]]


def public_items(index):
    return CatalogItemPage.objects.descendant_of(index).live().exclude(audience=Audience.STAFF)


def test_institutions_list_the_demo_hospital_with_its_catalog(client, demo_site):
    institutions = client.get(f"{API}/institutions/").json()
    # The demo hospital and the demo's two other hospitals (home/demo_commission.py).
    assert {i["name"] for i in institutions} == {
        "示范市人民医院",
        *(hospital.name for hospital in HOSPITALS),
    }
    (institution,) = [i for i in institutions if i["id"] == demo_site.pk]
    assert institution["id"] == demo_site.pk
    assert institution["name"] == "示范市人民医院"
    assert institution["grade_label"] == "三级甲等"
    assert institution["catalog_url"].endswith("/xxgk/")
    assert client.get(f"{API}/institutions/{demo_site.pk}/").json() == institution


def test_departments_are_the_ten_of_the_demo(client, demo_site):
    departments = client.get(f"{API}/departments/", {"institution": demo_site.pk}).json()
    assert [d["name"] for d in departments] == [
        "院办",
        "医务科",
        "护理部",
        "财务科",
        "药学部",
        "人事科",
        "采购中心",
        "党办",
        "纪检监察室",
        "信息科",
    ]


def test_anonymous_catalog_holds_every_public_item_with_the_engines_standing(client, demo_index):
    response = client.get(f"{API}/catalog/")
    assert response.status_code == 200
    items = catalog_items(response.json())
    expected = {row.item.pk: row for row in item_compliance(items=public_items(demo_index))}

    assert {item["id"] for item in items} == set(expected)
    for item in items:
        row = expected[item["id"]]
        assert item["standing"]["status"] == row.deadline.status
        assert item["standing"]["next_due"] == (row.deadline.due and row.deadline.due.isoformat())
        assert item["department"]["name"] == row.item.department.name
    assert "院务公开" not in [category["title"] for category in response.json()["categories"]]

    prices = next(item for item in items if item["title"] == "药品价格")
    assert prices["rule"] == {
        "kind": "periodic",
        "period": "month",
        "working_days": 20,
        "review_months": None,
        "fixed_date": None,
        "description": "每月公开",
    }
    assert prices["standing"]["status"] == ComplianceStatus.OVERDUE
    assert prices["channel_labels"] == ["医院网站", "电子屏", "触摸屏"]

    # The annual report is due on a fixed date of the next year (每年1月31日前).
    report = next(item for item in items if item["title"] == "信息公开工作年度报告")
    assert report["rule"] == {
        "kind": "periodic",
        "period": "year",
        "working_days": None,
        "review_months": None,
        "fixed_date": "01-31",
        "description": "每年公开，次年1月31日前",
    }
    assert report["standing"]["next_due"][5:] == "01-31"


def test_a_supervisors_token_shows_the_staff_only_items(client, demo_index, token_for):
    response = client.get(f"{API}/catalog/", **token_for("supervisor"))
    titles = {item["title"] for item in catalog_items(response.json())}
    assert {"大额资金使用", "干部任免"} <= titles
    assert len(titles) == CatalogItemPage.objects.descendant_of(demo_index).live().count()
    assert response["Cache-Control"] == "private, no-cache"


def test_a_logged_in_session_without_a_token_sees_only_public_items(client, db, login):
    login("supervisor")
    titles = {item["title"] for item in catalog_items(client.get(f"{API}/catalog/").json())}
    assert titles and "大额资金使用" not in titles


@pytest.fixture
def other_hospitals_office(fresh_site):
    office = Group.objects.create(name="测试医院信息公开办公室")
    InstitutionSettings.objects.create(site=fresh_site, full_name="测试医院", office_group=office)
    user = get_user_model().objects.create_user("other-office", password="x")
    user.groups.add(office)
    return user


def test_staff_of_another_institution_do_not_see_this_ones_staff_items(
    client, demo_site, other_hospitals_office, token_for
):
    token = token_for("other-office")
    catalog = client.get(f"{API}/catalog/", {"institution": demo_site.pk}, **token).json()
    assert "大额资金使用" not in {item["title"] for item in catalog_items(catalog)}
    staff = client.get(f"{API}/items/", {"audience": "staff"}, **token).json()
    assert staff["count"] == 0
    assert (
        client.get(f"{API}/items/", {"audience": "staff"}, **token_for("finance-editor")).json()[
            "count"
        ]
        # Staff see the staff-only items of their own institution, not the other hospitals'.
        == CatalogItemPage.objects.filter(audience=Audience.STAFF, department__site=demo_site)
        .live()
        .count()
    )


def test_a_hidden_item_and_a_missing_one_get_the_same_answer(client, demo_item):
    hidden = client.get(f"{API}/items/{demo_item('大额资金使用').pk}/")
    missing = client.get(f"{API}/items/99999999/")
    assert hidden.status_code == missing.status_code == 404
    assert (
        hidden.json()
        == missing.json()
        == {
            "type": "about:blank",
            "title": "Not Found",
            "status": 404,
            "detail": "未找到。",
        }
    )
    history = client.get(f"{API}/items/{demo_item('大额资金使用').pk}/history/")
    assert history.status_code == 404
    assert history.json() == missing.json()


def test_items_filtered_by_status_are_the_overdue_reports_rows(client, demo_index):
    # The demo hospital's (the demo's other hospitals have overdue items of their own).
    response = client.get(
        f"{API}/items/",
        {"status": "overdue", "limit": 100, "institution": demo_index.get_site().pk},
    ).json()
    expected = [
        row.item.title
        for row in item_compliance(items=public_items(demo_index))
        if row.deadline.status == ComplianceStatus.OVERDUE
    ]
    assert expected
    assert [item["title"] for item in response["items"]] == expected
    assert response["count"] == len(expected)


def test_items_filtered_by_department_category_and_audience(client, demo_item):
    finance = Department.objects.get(site__is_default_site=True, name="财务科")
    by_department = client.get(f"{API}/items/", {"department": finance.pk, "limit": 100}).json()
    assert by_department["items"]
    assert {item["department"]["id"] for item in by_department["items"]} == {finance.pk}

    category = demo_item("药品价格").get_parent()
    by_category = client.get(f"{API}/items/", {"category": category.pk, "limit": 100}).json()
    assert {item["title"] for item in by_category["items"]} == {
        page.title for page in public_items(category)
    }

    patients = client.get(f"{API}/items/", {"audience": "patients", "limit": 100}).json()
    assert patients["items"]
    assert {item["audience"] for item in patients["items"]} == {"patients"}

    staff_category = demo_item("大额资金使用").get_parent()
    assert client.get(f"{API}/items/", {"category": staff_category.pk}).json()["count"] == 0


def test_pages_of_items_link_to_each_other_and_respect_the_limit(client, db):
    first = client.get(f"{API}/items/", {"limit": 5}).json()
    assert len(first["items"]) == 5
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["offset"] == 5
    assert {item["id"] for item in first["items"]}.isdisjoint(
        {item["id"] for item in second["items"]}
    )

    too_many = client.get(f"{API}/items/", {"limit": 101})
    assert too_many.status_code == 422
    (error,) = too_many.json()["errors"]
    assert error["loc"] == ["query", "limit"]

    unknown_status = client.get(f"{API}/items/", {"status": "late-ish"})
    assert unknown_status.status_code == 422
    assert unknown_status.json()["errors"][0]["loc"] == ["query", "status"]


def test_a_periodic_items_history_shows_its_missing_months(client, demo_item):
    prices = demo_item("药品价格")
    body = client.get(f"{API}/items/{prices.pk}/history/", {"limit": 3}).json()
    assert body["item"]["title"] == "药品价格"
    statuses = [period["status"] for period in body["periods"]]
    assert "missing" in statuses
    assert body["publication_count"] == prices.get_children().live().count()
    dates = [publication["publication_date"] for publication in body["publications"]]
    assert len(dates) == 3
    assert dates == sorted(dates, reverse=True)
    assert {publication["item"]["id"] for publication in body["publications"]} == {prices.pk}


def test_compliance_needs_a_token_of_someone_who_oversees_items(
    client, demo_index, token_for, django_user_model
):
    unauthenticated = client.get(f"{API}/compliance/departments/")
    assert unauthenticated.status_code == 401
    assert unauthenticated["WWW-Authenticate"] == "Bearer"
    assert unauthenticated.json()["detail"] == "需要有效的 API 令牌。"

    bad_token = client.get(
        f"{API}/compliance/departments/", HTTP_AUTHORIZATION="Bearer wagtail_not-a-token"
    )
    assert bad_token.status_code == 401

    django_user_model.objects.create_user("nobody", password="x")
    assert client.get(f"{API}/compliance/departments/", **token_for("nobody")).status_code == 403

    rows = client.get(f"{API}/compliance/departments/", **token_for("supervisor")).json()
    live_items = CatalogItemPage.objects.descendant_of(demo_index).live()
    assert {row["department"]["name"] for row in rows} == {
        item.department.name for item in live_items.select_related("department")
    }
    live_items = live_items.count()
    assert sum(row["total"] for row in rows) == live_items
    for row in rows:
        assert row["total"] == sum(
            row[status] for status in ("on_time", "due_soon", "overdue", "missing", "no_schedule")
        )

    (own,) = client.get(f"{API}/compliance/departments/", **token_for("pharmacy-editor")).json()
    assert own["department"]["name"] == "药学部"
    assert own["overdue"] >= 1  # 药品价格
