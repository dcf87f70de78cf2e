"""Lookups a page makes several times are asked once per read-only request, and never kept
across requests or through a request that writes."""

from collections import Counter

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from disclosure.middleware import RequestMemoMiddleware
from disclosure.models import PublicationPage
from disclosure.request_memo import memoized
from disclosure.selectors.catalog import default_working_days_for


def _twice(site):
    def view(request):
        first = default_working_days_for(site)
        second = default_working_days_for(site)
        return HttpResponse(f"{first} {second}")

    return view


def test_outside_a_request_every_call_asks_the_database(demo_site, django_assert_num_queries):
    with django_assert_num_queries(2):
        default_working_days_for(demo_site)
        default_working_days_for(demo_site)


def test_a_get_request_asks_once(demo_site, django_assert_num_queries):
    middleware = RequestMemoMiddleware(_twice(demo_site))
    with django_assert_num_queries(1):
        middleware(RequestFactory().get("/"))
    # The next request asks again: nothing is kept between requests.
    with django_assert_num_queries(1):
        middleware(RequestFactory().get("/"))


def test_a_request_that_writes_keeps_nothing(demo_site, django_assert_num_queries):
    middleware = RequestMemoMiddleware(_twice(demo_site))
    with django_assert_num_queries(2):
        middleware(RequestFactory().post("/"))


def test_memoized_computes_once_per_key_within_a_request():
    calls = []

    def view(request):
        for key in ("a", "a", "b"):
            memoized(key, lambda key=key: calls.append(key) or key)
        return HttpResponse()

    RequestMemoMiddleware(view)(RequestFactory().get("/"))
    assert calls == ["a", "b"]


def _statements(client, url) -> Counter:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return Counter(query["sql"] for query in context.captured_queries)


@pytest.mark.parametrize("page", ["item", "publication"])
def test_a_public_page_runs_no_query_twice(client, demo_item, page):
    item = demo_item("药品价格")
    url = (
        item.url
        if page == "item"
        else PublicationPage.objects.child_of(item).live().order_by("-publication_date")[0].url
    )
    client.get(url)  # warm the per-process caches (content types, site root paths)
    repeated = {sql: n for sql, n in _statements(client, url).items() if n > 1}
    assert not repeated, repeated
