"""Nothing is served, listed or exposed below a page that is not live.

An outside review unpublished an item (without ticking "include descendants", the default)
and its publications still answered at their addresses, in the v3 API and in sitemap.xml.
Unpublishing a disclosure page now takes every page below it along, whatever path unpublishes
it; and should a live page stand below an unpublished one anyway, no face shows it.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Page, PageLogEntry

from disclosure.models import PublicationPage
from disclosure.services.moderation import FULL_CHECKLIST, approve, submit_for_review
from disclosure.services.visibility import refresh_visibility

ITEM = "健康讲座与义诊"  # 医务科, 社会公众, with live publications
API = "/api/disclosure/v1"


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def item(demo_item):
    return demo_item(ITEM)


@pytest.fixture
def publications(item):
    live = list(PublicationPage.objects.child_of(item).live())
    assert live
    return live


def still_live(pages) -> list[str]:
    live = PublicationPage.objects.filter(pk__in=[p.pk for p in pages], live=True)
    return [page.title for page in live]


def test_unpublishing_an_item_in_the_admin_unpublishes_its_publications(
    client, login, item, publications
):
    login("office")
    client.post(reverse("wagtailadmin_pages:unpublish", args=[item.pk]))  # descendants unticked

    assert not Page.objects.get(pk=item.pk).live
    assert still_live(publications) == []
    unpublished = PageLogEntry.objects.filter(
        page__in=[p.pk for p in publications], action="wagtail.unpublish"
    )
    assert {entry.user for entry in unpublished} == {user("office")}  # who did it, each time
    client.logout()
    for publication in publications:
        assert client.get(publication.url).status_code == 404


def test_unpublishing_an_item_in_code_takes_its_publications_too(item, publications):
    item.unpublish()
    assert still_live(publications) == []


def test_unpublishing_a_category_takes_its_items_and_their_publications(item, publications):
    category = item.get_parent().specific
    category.unpublish(user=user("office"))
    assert not Page.objects.get(pk=item.pk).live
    assert still_live(publications) == []


@pytest.fixture
def orphan(item, publications):
    """A live publication below an unpublished item, as if something got around the cascade
    (but not around the stored readers: check_audit reports those, see test_visibility.py)."""
    Page.objects.filter(pk=item.pk).update(live=False)
    refresh_visibility(below=item)
    return publications[0]


def test_a_live_page_below_an_unpublished_one_is_not_served(client, orphan):
    assert client.get(orphan.url).status_code == 404


def test_nor_exposed_by_either_api(client, orphan, item):
    assert client.get(f"/api/v3/pages/{orphan.pk}/").status_code == 404
    assert client.get(f"{API}/publications/{orphan.pk}/").status_code == 404
    listed = client.get(f"{API}/publications/?item={item.pk}").json()
    assert orphan.title not in str(listed)


def test_nor_listed_in_the_sitemap_or_the_feed(client, orphan):
    assert orphan.slug not in client.get("/sitemap.xml").content.decode()
    assert orphan.title not in client.get("/feeds/publications/").content.decode()


def test_check_audit_names_it(orphan):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_audit", stdout=io.StringIO(), stderr=err)
    assert "live-under-unpublished" in err.getvalue()
    assert orphan.title in err.getvalue()


def test_a_publication_cannot_go_live_below_an_unpublished_item(item):
    page = PublicationPage(title="讲座通知（待审）", slug="pending-lecture", live=False)
    item.add_child(instance=page)
    submit_for_review(page=page, user=user("medical-editor"))
    approve(page=page, user=user("medical-head"))
    item.unpublish(user=user("office"))

    with pytest.raises(PermissionDenied, match="未公开"):
        approve(page=page, user=user("office"), checklist=FULL_CHECKLIST)
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_task.specific.__class__.__name__ == "OfficeReviewTask"
