"""The catalog is routed in one query below its root, with Wagtail's own answers; the item
page's breadcrumbs and standing reuse what serving it already read."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from disclosure.models import (
    CatalogItemPage,
    DisclosureIndexPage,
    PublicationPage,
    RequestCentrePage,
)
from disclosure.selectors.catalog import ancestors_of
from disclosure.selectors.compliance import deadline_for_item, item_standing, period_records


def _components(page: Page, below: Page) -> list[str]:
    return [part for part in page.url_path[len(below.url_path) :].split("/") if part]


def _answer(result) -> tuple:
    """A route result to compare: the page, its type, and the routable view (as a function:
    two bound methods are equal only on the very same page object)."""
    args = tuple(getattr(arg, "__func__", arg) for arg in result.args)
    return (result.page.pk, type(result.page), args, result.kwargs)


def _stock_route(index: DisclosureIndexPage, components: list[str]):
    """What Wagtail's own ``Page.route`` answers for the same path (a page, or 404)."""
    try:
        result = Page.route(index, RequestFactory().get("/"), components)
    except Http404:
        return None
    return _answer(result)


def _our_route(index: DisclosureIndexPage, components: list[str]):
    try:
        result = index.route(RequestFactory().get("/"), components)
    except Http404:
        return None
    return _answer(result)


def _paths(index: DisclosureIndexPage) -> list[list[str]]:
    pages = list(Page.objects.descendant_of(index).order_by("path"))
    paths = [_components(page, index) for page in pages]
    centre = RequestCentrePage.objects.descendant_of(index).get()
    unpublished = CatalogItemPage.objects.descendant_of(index).filter(live=False).first()
    paths += [
        # The request centre's own routes (RoutablePageMixin) take over from its level.
        [*_components(centre, index), "track"],
        [*_components(centre, index), "received"],
        [*_components(centre, index), "no-such-route"],
        # Missing levels, at the end and in the middle.
        [*paths[1], "no-such-page"],
        ["no-such-category", *paths[2][1:]],
        [*paths[2][:1], "no-such-item", "x"],
        ["no-such-page"],
    ]
    if unpublished is not None:  # a draft item, and what lies under it
        paths += [_components(page, index) for page in Page.objects.descendant_of(unpublished)]
    return paths


@pytest.mark.django_db
def test_the_catalog_routes_exactly_as_wagtail_does(demo_index):
    paths = _paths(demo_index)
    assert len(paths) > 50
    answers = [(_our_route(demo_index, path), _stock_route(demo_index, path)) for path in paths]
    assert all(ours == stock for ours, stock in answers), [
        (path, ours, stock)
        for path, (ours, stock) in zip(paths, answers, strict=True)
        if ours != stock
    ]
    # Both kinds of answer were compared: pages found, and 404s.
    assert any(stock is None for _ours, stock in answers)
    assert sum(stock is not None for _ours, stock in answers) > 50


@pytest.mark.django_db
def test_a_draft_page_is_not_routed(demo_item, demo_index):
    item = demo_item("药品价格")
    item.live = False
    item.save(update_fields=["live"])
    with pytest.raises(Http404):
        demo_index.route(RequestFactory().get("/"), _components(item, demo_index))


@pytest.mark.django_db
def test_a_publication_is_routed_in_two_queries_below_the_index(demo_index, demo_item):
    publication = PublicationPage.objects.child_of(demo_item("药品价格")).live().first()
    components = _components(publication, demo_index)
    assert len(components) == 3
    with CaptureQueriesContext(connection) as ours:
        found = demo_index.route(RequestFactory().get("/"), components).page
    with CaptureQueriesContext(connection) as stock:
        Page.route(demo_index, RequestFactory().get("/"), components)
    assert found == publication and type(found) is type(publication)
    assert len(ours) == 2  # the three levels, then the publication's specific object
    assert len(stock) == 6


@pytest.mark.django_db
def test_breadcrumbs_of_a_served_page_need_no_query(client, demo_site, demo_item):
    item = demo_item("药品价格")
    publication = PublicationPage.objects.child_of(item).live().first()
    response = client.get(publication.url)
    page = response.context["page"]
    expected = [p for p in publication.get_ancestors() if p.depth > 1]
    with CaptureQueriesContext(connection) as queries:
        ancestors = ancestors_of(page)
    assert [p.pk for p in ancestors] == [p.pk for p in expected]
    assert [p.title for p in ancestors] == [p.title for p in expected]
    assert len(queries) == 0
    body = response.content.decode()
    for ancestor in expected[1:]:
        assert f'href="{ancestor.relative_url(demo_site)}"' in body


@pytest.mark.django_db
def test_breadcrumbs_of_a_page_read_from_the_database(demo_item):
    item = CatalogItemPage.objects.get(pk=demo_item("药品价格").pk)  # no parent cached
    assert [p.pk for p in ancestors_of(item)] == [p.pk for p in item.get_ancestors() if p.depth > 1]


@pytest.mark.django_db
def test_the_item_pages_standing_is_the_engines(demo_site, demo_index):
    from disclosure.selectors.catalog import default_working_days_for

    days = default_working_days_for(demo_site)
    items = list(CatalogItemPage.objects.descendant_of(demo_index))
    kinds = set()
    for item in items:
        general = deadline_for_item(item)
        lean = item_standing(item, default_working_days=days)
        kinds.add(item.rule_kind)
        assert lean.deadline == general.deadline, item.title
        assert lean.last_published_on == general.item.last_published_on, item.title
        assert lean.periods == period_records(item), item.title
    assert len(kinds) >= 3
    assert any(item_standing(i, default_working_days=days).periods for i in items)


@pytest.mark.django_db
def test_page_links_read_the_site_root_paths_once_per_request(client, demo_index, monkeypatch):
    """Lists of links rendered through ``{% include … only %}`` lost the request, and Wagtail
    then read the site root paths from the cache for every link."""
    calls = []
    original = Site.get_site_root_paths
    monkeypatch.setattr(Site, "get_site_root_paths", lambda: calls.append(1) or original())
    item = CatalogItemPage.objects.descendant_of(demo_index).live().first()
    for url in (demo_index.url, item.url, "/"):
        calls.clear()
        response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('href="/xxgk/') > 5
        assert len(calls) <= 1, url


@pytest.mark.django_db
def test_the_example_sites_home_page_routes_exactly_as_wagtail_does(demo_site):
    """The example site's ``HomePage`` routes with the same mixin: every level below it."""
    home = demo_site.root_page.specific
    pages = list(Page.objects.descendant_of(home).order_by("path"))[::3]
    paths = [_components(page, home) for page in pages]
    paths += [["no-such-page"], [*paths[-1], "no-such-page"], ["xxgk", "no-such-category"]]
    answers = [(_our_route(home, path), _stock_route(home, path)) for path in paths]
    assert [ours for ours, _stock in answers] == [stock for _ours, stock in answers]
    assert sum(stock is not None for _ours, stock in answers) > 50


@pytest.mark.django_db
def test_a_routed_item_brings_its_department_and_parent(demo_index, demo_item):
    item = demo_item("药品价格")
    department, parent = item.department, item.get_parent()
    routed = demo_index.route(RequestFactory().get("/"), _components(item, demo_index)).page
    with CaptureQueriesContext(connection) as queries:
        assert routed.department == department
        assert routed.get_parent().pk == parent.pk
    assert len(queries) == 0
