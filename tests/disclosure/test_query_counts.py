"""The public catalog pages cost the same number of queries at 10 and at 100 publications."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.models import PublicationPage


def add_publications(item, count, publish):
    start = PublicationPage.objects.child_of(item).count()
    for number in range(start, start + count):
        page = PublicationPage(
            title=f"测试公开信息{number}",
            slug=f"qc-{item.pk}-{number}",
            publication_date=dt.date(2025, 1, 1) + dt.timedelta(days=number),
            body=json.dumps([{"type": "paragraph", "value": "<p>正文</p>"}]),
            live=False,
        )
        item.add_child(instance=page)
        publish(page)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("viewer", [None, "medical-editor"])
def test_item_and_index_pages_do_not_grow_with_publications(
    client, login, demo_index, demo_item, django_assert_max_num_queries, publish_reviewed, viewer
):
    if viewer:
        login(viewer)
    item = demo_item("健康讲座与义诊")
    add_publications(item, 10 - PublicationPage.objects.child_of(item).count(), publish_reviewed)
    client.get(item.url)  # warm per-process caches (content types, site root paths)
    at_10 = {url: queries_for(client, url) for url in (item.url, demo_index.url)}

    add_publications(item, 90, publish_reviewed)
    assert PublicationPage.objects.child_of(item).count() == 100

    for url, budget in at_10.items():
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
