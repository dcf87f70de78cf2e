"""The counting paginator answers as Django's does, with the rows and the total in one query."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.models import PublicationPage
from disclosure.selectors.catalog import publications_for_item
from disclosure.selectors.paging import CountingPaginator

PER_PAGE = 7


@pytest.fixture
def publications(demo_index):
    rows = PublicationPage.objects.descendant_of(demo_index).live()
    rows = rows.order_by("-publication_date", "-pk")
    assert rows.count() > 3 * PER_PAGE
    return rows


def _shown(page):
    return (
        page.number,
        [row.pk for row in page.object_list],
        page.paginator.count,
        page.paginator.num_pages,
        page.start_index(),
        page.has_next(),
    )


def test_every_page_and_every_odd_number_is_answered_as_django_answers_it(publications):
    pages = Paginator(publications, PER_PAGE).num_pages
    for number in [*range(1, pages + 1), pages + 1, 10_000, 0, -1, "2", "x", None, 2.0, 2.5]:
        ours = CountingPaginator(publications, PER_PAGE).get_page(number)
        django = Paginator(publications, PER_PAGE).get_page(number)
        assert _shown(ours) == _shown(django), number


@pytest.mark.parametrize("number", [0, -3, "x", 2.5, None])
def test_page_refuses_what_django_refuses(publications, number):
    with pytest.raises(Exception) as django:
        Paginator(publications, PER_PAGE).page(number)
    with pytest.raises(django.type):
        CountingPaginator(publications, PER_PAGE).page(number)
    assert django.type in (EmptyPage, PageNotAnInteger)


def test_an_empty_list_has_one_empty_page(publications):
    page = CountingPaginator(publications.none(), PER_PAGE).get_page(3)
    assert (page.number, list(page.object_list), page.paginator.count) == (1, [], 0)


def test_a_page_and_the_total_cost_one_query(publications):
    with CaptureQueriesContext(connection) as queries:
        page = CountingPaginator(publications, PER_PAGE).get_page(2)
        assert page.paginator.count > PER_PAGE and len(page.object_list) == PER_PAGE
        assert page.paginator.num_pages > 2
    assert len(queries) == 1, [q["sql"][:200] for q in queries]
    with CaptureQueriesContext(connection) as queries:
        assert Paginator(publications, PER_PAGE).get_page(2).object_list[0]
    assert len(queries) == 2  # the reference: a count, then the rows


def test_the_item_page_lists_and_counts_its_publications_in_one_query(client, demo_item):
    item = demo_item("健康讲座与义诊")
    expected = list(publications_for_item(item=item, user=None))
    assert expected
    client.get(item.url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(item.url)
    assert response.status_code == 200
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "OVER" in counts[0].upper(), counts
    html = response.content.decode()
    assert f"共{len(expected)}条公开信息" in html
    for publication in expected[:20]:
        assert publication.title in html


def test_the_list_leaves_the_bodies_in_the_database(demo_item):
    item = demo_item("健康讲座与义诊")
    (publication, *_rest) = publications_for_item(item=item, user=None)
    assert {"body", "summary"} <= publication.get_deferred_fields()
