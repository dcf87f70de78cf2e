"""Price lists over the API: the lists a caller may see, and one list's rows queried as its
page queries them."""

from .api.conftest import API
from .price_lists import SERVICE_ITEM, add_rows, filler_services
from .price_lists import drugs as drugs
from .price_lists import services as services
from .price_lists import staff_list as staff_list


def rows(client, price_list, headers=None, **params):
    return client.get(f"{API}/price-lists/{price_list.pk}/rows/", params, **(headers or {}))


def test_lists_are_listed_with_their_item_kind_and_effective_date(client, services, drugs):
    body = client.get(f"{API}/price-lists/", {"limit": 100}).json()
    ours = [row for row in body["items"] if row["id"] in (services.pk, drugs.pk)]
    assert [row["id"] for row in ours] == [services.pk, drugs.pk]  # by place in the tree
    first = ours[0]
    assert first["id"] == services.pk
    assert first["kind"] == "service"
    assert first["item"] == {"id": services.get_parent().pk, "title": SERVICE_ITEM}
    assert first["effective_date"] == "2026-10-01"
    assert first["basis"] == "X医保发〔2026〕12号"
    assert first["url"].endswith("/prices/")
    only_drugs = client.get(f"{API}/price-lists/", {"kind": "drug"}).json()["items"]
    assert drugs.pk in [row["id"] for row in only_drugs]
    assert {row["kind"] for row in only_drugs} == {"drug"}
    by_item = client.get(f"{API}/price-lists/", {"item": services.get_parent().pk}).json()
    assert services.pk in [row["id"] for row in by_item["items"]]
    assert drugs.pk not in [row["id"] for row in by_item["items"]]
    assert {row["item"]["id"] for row in by_item["items"]} == {services.get_parent().pk}
    assert client.get(f"{API}/price-lists/", {"kind": "food"}).status_code == 422


def test_rows_are_queried_by_initials_code_and_name_with_category_and_order(client, services):
    assert [row["name"] for row in rows(client, services, q="tqfs").json()["items"]] == [
        "调强放射治疗"
    ]
    assert [row["code"] for row in rows(client, services, q="1102").json()["items"]] == [
        "110200002-2",
        "110200002-1",
    ]
    body = rows(client, services, q="血", category="血液检查", sort="-price").json()
    assert [row["name"] for row in body["items"]] == ["单采血小板", "血常规"]
    assert body["items"][0]["price"] == "480.00"
    assert rows(client, services, sort="cheapest").status_code == 422


def test_drug_rows_carry_the_volume_procurement_flag(client, drugs):
    (row,) = rows(client, drugs, q="ccxj").json()["items"]
    assert row["volume_procurement"] is True
    assert row["specification"] == "1mg"


def test_rows_are_paginated_with_links_that_keep_the_query(client, services):
    add_rows(services.rows_version, filler_services(45))
    body = rows(client, services, q="jcxm", limit=20).json()
    assert body["count"] == 45
    assert len(body["items"]) == 20
    assert "q=jcxm" in body["next"]
    second = client.get(body["next"]).json()
    assert second["items"][0]["position"] == body["items"][-1]["position"] + 1


def test_row_queries_stay_flat_as_the_list_grows(client, services, django_assert_max_num_queries):
    def queries() -> int:
        with django_assert_max_num_queries(20) as captured:
            assert rows(client, services, q="jcxm", sort="price").status_code == 200
            assert client.get(f"{API}/price-lists/").status_code == 200
        return len(captured)

    add_rows(services.rows_version, filler_services(100))
    small = queries()
    add_rows(services.rows_version, filler_services(1900, start=100))
    assert queries() <= small


def test_a_staff_only_list_is_neither_listed_nor_read_without_a_staff_token(
    client, staff_list, token_for
):
    item = staff_list.get_parent()
    # Nothing of the staff item is listed (the demo's own list under it included).
    anonymous = client.get(f"{API}/price-lists/", {"limit": 100}).json()["items"]
    assert anonymous and item.pk not in {row["item"]["id"] for row in anonymous}
    assert client.get(f"{API}/price-lists/", {"item": item.pk}).json()["count"] == 0
    assert rows(client, staff_list).status_code == 404
    staff = token_for("finance-editor")
    staff_ids = [
        row["id"]
        for row in client.get(f"{API}/price-lists/", {"item": item.pk}, **staff).json()["items"]
    ]
    assert staff_list.pk in staff_ids
    assert rows(client, staff_list, staff, q="xcg").json()["items"][0]["name"] == "血常规"


def test_an_unknown_list_is_not_found(client, db):
    assert client.get(f"{API}/price-lists/999999/rows/").status_code == 404
