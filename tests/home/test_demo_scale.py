"""The benchmark's bulk data: a valid page tree that every face reads like the demo's own."""

from collections.abc import Iterator

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from disclosure.models import CatalogItemPage, DisclosureIndexPage, PublicationPage
from disclosure.models.catalog import Audience
from disclosure.selectors.search import search_pages
from disclosure.services.visibility import visibility_problems
from home.demo import DemoSummary, load_demo
from home.demo_scale import Preset, ScaleBuilder, institution_name

# Slow: run once per CI run, on PostgreSQL (see the README's Tests section).
pytestmark = pytest.mark.slow

TINY = Preset(institutions=2, items_per_institution=50, publications_per_institution=400)


def _build_scaled() -> ScaleBuilder:
    demo_site = Site.objects.get(is_default_site=True)
    demo_index = DisclosureIndexPage.objects.descendant_of(demo_site.root_page).get()
    builder = ScaleBuilder(preset=TINY, anchor=timezone.localdate(), progress=lambda m: None)
    builder.build(demo_site, demo_index)
    return builder


@pytest.fixture(scope="module")
def _scaled_world(scoped_data) -> Iterator[ScaleBuilder]:
    """The bulk data, built once for the module: each test's own changes roll back to it."""
    yield from scoped_data(_build_scaled)


@pytest.fixture
def scaled(_scaled_world, db, settings) -> ScaleBuilder:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]
    return _scaled_world


def _under(site: Site, model):
    return model.objects.descendant_of(site.root_page)


def test_each_institution_gets_its_items_and_publications(scaled, demo_site):
    second = Site.objects.get(hostname="hospital-02.localhost")
    assert second.site_name == "示范市第二人民医院"
    for site in (demo_site, second):
        assert _under(site, CatalogItemPage).count() == TINY.items_per_institution
        assert _under(site, PublicationPage).count() == TINY.publications_per_institution
    # The demo's own second hospital is the benchmark's second institution: both start from
    # the 43 items of the demo's catalog.
    assert scaled.created_items == 2 * (TINY.items_per_institution - 43)


def test_the_bulk_tree_is_a_valid_wagtail_tree(scaled):
    problems = Page.find_problems()
    assert all(not ids for ids in problems), problems
    item = CatalogItemPage.objects.filter(title__endswith="（2）").first()
    assert item.numchild == PublicationPage.objects.child_of(item).count()
    assert item.get_parent().specific_class.__name__ == "CatalogCategoryPage"


def test_bulk_pages_are_served_and_staff_items_stay_restricted(scaled, client):
    second = Site.objects.get(hostname="hospital-02.localhost")
    items = _under(second, CatalogItemPage)
    public = items.filter(audience=Audience.PUBLIC, numchild__gt=0).first()
    response = client.get(public.relative_url(second), HTTP_HOST=second.hostname)
    assert response.status_code == 200
    newest = PublicationPage.objects.child_of(public).order_by("-publication_date").first()
    assert newest.title in response.content.decode()
    staff = items.filter(audience=Audience.STAFF).first()
    assert PageViewRestriction.objects.filter(page=staff).exists()
    assert client.get(staff.relative_url(second), HTTP_HOST=second.hostname).status_code == 302


def test_bulk_pages_are_stored_with_who_may_read_them(scaled):
    """Bulk rows send no signal: the builder refreshes their stored readers itself."""
    assert [str(problem) for problem in visibility_problems()] == []


def test_bulk_publications_are_found_by_search(scaled):
    second = Site.objects.get(hostname="hospital-02.localhost")
    publication = _under(second, PublicationPage).filter(title__contains="药品价格公示").first()
    hits = search_pages(root=second.root_page, user=None, query="药品价格公示")
    assert publication.pk in hits.ids


def test_a_second_run_adds_nothing(scaled, demo_site, demo_index):
    pages = Page.objects.count()
    again = ScaleBuilder(preset=TINY, anchor=timezone.localdate(), progress=lambda m: None)
    again.build(demo_site, demo_index)
    assert (again.created_items, again.created_publications) == (0, 0)
    assert Page.objects.count() == pages
    summary: DemoSummary = load_demo(anchor=scaled.anchor)
    assert summary.publications_created == 0


def test_institution_names_count_in_chinese():
    assert [institution_name(n) for n in (1, 2, 10, 11, 20, 23)] == [
        "示范市人民医院",
        "示范市第二人民医院",
        "示范市第十人民医院",
        "示范市第十一人民医院",
        "示范市第二十人民医院",
        "示范市第二十三人民医院",
    ]
