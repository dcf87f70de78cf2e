"""The public catalog pages cost the same number of queries at 10 and at 100 publications.

The publications are written in bulk (see tests/growth.py): what is counted is the page's
queries, and the review that takes a publication live is tested on its own.
"""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.models import PublicationPage

from ..growth import add_pages


def add_publications(item, count):
    start = PublicationPage.objects.child_of(item).count()
    publications = [
        PublicationPage(
            title=f"测试公开信息{number}",
            slug=f"qc-{item.pk}-{number}",
            publication_date=dt.date(2025, 1, 1) + dt.timedelta(days=number),
            body=json.dumps([{"type": "paragraph", "value": "<p>正文</p>"}]),
        )
        for number in range(start, start + count)
    ]
    add_pages(item, publications)


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("viewer", [None, "medical-editor"])
def test_item_and_index_pages_do_not_grow_with_publications(
    client, login, demo_index, demo_item, django_assert_max_num_queries, viewer
):
    if viewer:
        login(viewer)
    item = demo_item("健康讲座与义诊")
    add_publications(item, 10 - PublicationPage.objects.child_of(item).count())
    client.get(item.url)  # warm per-process caches (content types, site root paths)
    at_10 = {url: queries_for(client, url) for url in (item.url, demo_index.url)}

    add_publications(item, 90)
    assert PublicationPage.objects.child_of(item).count() == 100

    for url, budget in at_10.items():
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
