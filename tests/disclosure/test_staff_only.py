"""Staff-only (职工) items: restricted automatically, and no trace of them for the public."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from disclosure.models import Audience, PublicationPage
from disclosure.selectors.catalog import catalog_items, latest_publications
from disclosure.services.access import sync_audience_restriction

STAFF_ITEM = "大额资金使用"


@pytest.fixture
def staff_item(demo_item):
    return demo_item(STAFF_ITEM)


@pytest.fixture
def staff_publication(staff_item, publish_reviewed):
    """Published today, so it would top every "latest" listing if it leaked."""
    page = PublicationPage(
        title="2026年第三季度大额资金使用情况（内部）",
        slug="staff-only-today",
        publication_date=timezone.localdate(),
        summary="仅限本院职工查阅",
        live=False,
    )
    staff_item.add_child(instance=page)
    return publish_reviewed(page)


def test_anonymous_visitor_is_sent_to_log_in(client, staff_item, staff_publication):
    for page in (staff_item, staff_publication):
        response = client.get(page.url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_logged_in_staff_can_read_it(client, login, staff_item, staff_publication):
    login("medical-editor")
    assert client.get(staff_item.url).status_code == 200
    response = client.get(staff_publication.url)
    assert response.status_code == 200
    assert staff_publication.title in response.content.decode()


def test_no_trace_in_public_listings(client, demo_index, staff_item, staff_publication):
    for url in ("/", demo_index.url, staff_item.get_parent().url):
        body = client.get(url).content.decode()
        assert STAFF_ITEM not in body, url
        assert staff_publication.title not in body, url


def test_no_trace_in_search(client, login, staff_publication):
    # The page repeats the query, so look for the result's link, not its title.
    search = reverse("disclosure:search")
    query = {"q": staff_publication.title}
    assert (
        staff_publication.relative_url(staff_publication.get_site())
        not in client.get(search, query).content.decode()
    )
    # The same search finds it for staff, so the check above is not vacuous.
    login("finance-editor")
    assert (
        staff_publication.relative_url(staff_publication.get_site())
        in client.get(search, query).content.decode()
    )


def test_no_trace_in_the_sitemap(client, staff_item, staff_publication):
    body = client.get("/sitemap.xml").content.decode()
    assert "/xxgk/" in body
    assert staff_item.slug not in body
    assert staff_publication.slug not in body


def test_selectors_hide_staff_content_from_anonymous_callers(
    demo_index, staff_item, django_user_model
):
    anonymous_titles = {i.title for i in catalog_items(root=demo_index, user=None)}
    assert STAFF_ITEM not in anonymous_titles
    staff = django_user_model.objects.get(username="finance-editor")
    assert STAFF_ITEM in {i.title for i in catalog_items(root=demo_index, user=staff)}
    latest = latest_publications(root=demo_index, user=None, limit=500)
    assert all(not p.path.startswith(staff_item.path) for p in latest)


def test_changing_the_audience_moves_the_restriction(demo_item, publish_reviewed):
    item = demo_item("药品价格")
    item.audience = Audience.STAFF
    publish_reviewed(item)
    assert PageViewRestriction.objects.filter(page=item).exists()

    item.audience = Audience.PUBLIC
    publish_reviewed(item)
    assert not PageViewRestriction.objects.filter(page=item).exists()


def test_restrictions_set_by_hand_are_left_alone(demo_item):
    item = demo_item("药品价格")
    manual = PageViewRestriction.objects.create(
        page=item, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    sync_audience_restriction(item=item)
    assert PageViewRestriction.objects.filter(pk=manual.pk).exists()


def test_no_trace_in_the_feed(client, login, demo_index, staff_publication):
    supervisor = login("supervisor")  # even a logged-in reader gets the public feed
    assert staff_publication in latest_publications(root=demo_index, user=supervisor, limit=1)
    response = client.get(reverse("disclosure:publications_feed"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<item>" in body
    assert staff_publication.title not in body


def test_staff_of_another_institution_cannot_open_it(
    client, staff_item, staff_publication, fresh_site, django_user_model
):
    from django.contrib.auth.models import Group

    from disclosure.models import InstitutionSettings

    office = Group.objects.create(name="测试医院信息公开办公室")
    InstitutionSettings.objects.create(site=fresh_site, office_group=office)
    outsider = django_user_model.objects.create_user("other-office", password="x")
    outsider.groups.add(office)
    client.force_login(outsider)
    assert client.get(staff_item.url).status_code == 404
    assert client.get(staff_publication.url).status_code == 404
    # A public page of the same institution stays open to them.
    assert client.get(staff_item.get_parent().get_parent().url).status_code == 200
