"""The API's lists cost the same number of queries at 20 and at 200 items."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.models import CatalogItemPage, Department, PublicationPage

from ...growth import add_pages
from .conftest import API


def queries_for(client, url, headers):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(context.captured_queries), response.json()


def grow_items(category, department, total):
    """Live items up to ``total``, written in bulk (see tests/growth.py)."""
    existing = CatalogItemPage.objects.child_of(category).count()
    items = [
        CatalogItemPage(
            title=f"接口压测事项{number}",
            slug=f"api-load-{number}",
            department=department,
            content_elements="x",
            channels=["website"],
        )
        for number in range(existing, total)
    ]
    add_pages(category, items)


def grow_publications(item, total):
    existing = PublicationPage.objects.child_of(item).count()
    publications = [
        PublicationPage(
            title=f"接口压测公开信息{number}",
            slug=f"api-load-pub-{number}",
            publication_date=dt.date(2024, 1, 1) + dt.timedelta(days=number),
        )
        for number in range(existing, total)
    ]
    add_pages(item, publications)


@pytest.mark.parametrize("caller", [None, "supervisor"])
def test_item_lists_and_the_catalog_do_not_grow_with_items(
    client, demo_item, fresh_site, token_for, caller
):
    headers = token_for(caller) if caller else {}
    category = demo_item("药品价格").get_parent()
    department = Department.objects.get(site__is_default_site=True, name="财务科")
    urls = [
        f"{API}/items/?limit=100&category={category.pk}",
        f"{API}/catalog/",
        f"{API}/compliance/departments/" if caller else f"{API}/institutions/",
    ]
    grow_items(category, department, 20)
    for url in urls:
        queries_for(client, url, headers)  # warm per-process caches
    at_20 = {url: queries_for(client, url, headers)[0] for url in urls}

    grow_items(category, department, 200)
    for url in urls:
        count, body = queries_for(client, url, headers)
        assert count == at_20[url], url
    assert body  # the last answer has rows
    _count, listed = queries_for(client, urls[0], headers)
    assert listed["count"] == 200 and len(listed["items"]) == 100


@pytest.mark.parametrize("caller", [None, "supervisor"])
def test_publication_lists_do_not_grow_with_publications(client, demo_item, token_for, caller):
    headers = token_for(caller) if caller else {}
    item = demo_item("健康讲座与义诊")
    urls = [f"{API}/publications/?limit=100", f"{API}/items/{item.pk}/history/?limit=100"]
    grow_publications(item, 20)
    for url in urls:
        queries_for(client, url, headers)  # warm per-process caches
    at_20 = {url: queries_for(client, url, headers)[0] for url in urls}

    grow_publications(item, 200)
    for url in urls:
        count, body = queries_for(client, url, headers)
        assert count == at_20[url], url
    assert body["publication_count"] == 200
    assert len(body["publications"]) == 100
