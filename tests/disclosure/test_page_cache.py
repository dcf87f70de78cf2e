"""The page cache: anonymous public answers from the cache, gone the moment content changes,
and never an answer meant for staff, a token or a form."""

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from disclosure.models import PublicationPage
from disclosure.page_cache import GENERATION_KEY, HEADER, local_copies
from disclosure.services.compliance import record_attestation

ITEM = "药品价格"
STAFF_ITEM = "大额资金使用"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.DISCLOSURE_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block's on-commit callbacks, as its real transaction's commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def _new_publication(item, title: str) -> PublicationPage:
    page = PublicationPage(
        title=title,
        slug=f"cache-{abs(hash(title)) % 10**8}",
        publication_date=timezone.localdate(),
        live=False,
    )
    item.add_child(instance=page)
    return page


def test_second_anonymous_visit_is_served_from_the_cache(
    client, demo_item, django_assert_num_queries
):
    url = demo_item(ITEM).url
    first = client.get(url)
    assert first[HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second[HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_publication_going_live_is_shown_at_once(client, demo_item, publish_reviewed, committed):
    item = demo_item(ITEM)
    client.get(item.url)
    assert client.get(item.url)[HEADER] == "hit"
    with committed():
        publish_reviewed(_new_publication(item, "2099年1月药品价格（缓存测试）"))
    response = client.get(item.url)
    assert response[HEADER] == "miss"
    assert "2099年1月药品价格（缓存测试）" in response.content.decode()


def test_an_unpublished_publication_disappears_at_once(client, demo_item, committed):
    item = demo_item(ITEM)
    publication = PublicationPage.objects.child_of(item).live().order_by("-publication_date")[0]
    assert client.get(publication.url).status_code == 200
    assert publication.title in client.get(item.url).content.decode()
    with committed():
        publication.unpublish()
    assert client.get(publication.url).status_code == 404
    assert publication.title not in client.get(item.url).content.decode()


def test_a_catalog_change_is_shown_at_once(client, demo_item, publish_reviewed, committed):
    item = demo_item(ITEM)
    client.get(item.url)
    item.content_elements = "药品通用名、规格、价格（缓存测试修订）"
    with committed():
        publish_reviewed(item)
    assert "缓存测试修订" in client.get(item.url).content.decode()


def test_an_attestation_changes_the_standing_at_once(client, demo_item, committed):
    item = demo_item("历史沿革")
    api = f"/api/disclosure/v1/items/{item.pk}/"
    before = client.get(api).json()["standing"]
    assert client.get(api)[HEADER] == "hit"
    with committed():
        record_attestation(
            item=item,
            user=item.department.editors_group.user_set.first(),
            note="已核查，内容无变化。",
            on=timezone.localdate(),
        )
    after = client.get(api)
    assert after[HEADER] == "miss"
    assert after.json()["standing"]["next_due"] > before["next_due"]


def test_nothing_is_served_from_the_cache_the_next_day(client, demo_item, monkeypatch):
    url = demo_item(ITEM).url
    client.get(url)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr("disclosure.page_cache.timezone.localdate", lambda: tomorrow)
    assert client.get(url)[HEADER] == "miss"


def test_staff_pages_are_never_stored_nor_served_to_staff_from_the_cache(client, login, demo_item):
    item = demo_item(STAFF_ITEM)
    login("supervisor")
    for _ in range(2):
        response = client.get(item.url)
        assert response.status_code == 200
        assert HEADER not in response
    client.logout()
    anonymous = client.get(item.url)
    assert anonymous.status_code == 302
    assert item.title not in anonymous.content.decode()


def test_a_logged_in_editor_never_gets_the_anonymous_copy(client, login, demo_item):
    url = demo_item(ITEM).url
    client.get(url)
    assert client.get(url)[HEADER] == "hit"
    login("medical-editor")
    assert HEADER not in client.get(url)


def test_a_logged_in_listing_tells_every_cache_and_the_browser_not_to_keep_it(
    client, login, demo_index
):
    """The index lists a staff member's staff-only items: a shared browser after logout, or a
    cache other than ours, must not keep it."""
    login("supervisor")
    listing = client.get(demo_index.url)
    assert STAFF_ITEM in listing.content.decode()
    assert {"private", "no-store", "no-cache"} <= {
        part.strip().split("=")[0] for part in listing["Cache-Control"].split(",")
    }
    client.logout()
    assert "Cache-Control" not in client.get(demo_index.url)


def test_token_answers_are_never_stored(client, token_for, demo_item):
    staff_item = demo_item(STAFF_ITEM)
    url = "/api/disclosure/v1/items/?limit=100"
    with_token = client.get(url, **token_for("supervisor"))
    assert staff_item.title in with_token.content.decode()
    assert HEADER not in with_token
    anonymous = client.get(url)
    assert anonymous[HEADER] == "miss"
    assert staff_item.title not in anonymous.content.decode()
    again = client.get(url, **token_for("supervisor"))
    assert HEADER not in again
    assert staff_item.title in again.content.decode()


def test_forms_with_a_csrf_token_are_never_stored(client, demo_index):
    from disclosure.models import RequestCentrePage

    centre = RequestCentrePage.objects.descendant_of(demo_index).get()
    url = centre.url + "request/"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert HEADER not in response


def test_each_script_has_its_own_copy(client, demo_item):
    url = demo_item(ITEM).url
    simplified = client.get(url)
    client.cookies["disclosure_script"] = "zh-Hant"
    traditional = client.get(url)
    assert traditional[HEADER] == "miss"
    assert "藥品價格" in traditional.content.decode()
    assert client.get(url)[HEADER] == "hit"
    del client.cookies["disclosure_script"]
    again = client.get(url)
    assert again[HEADER] == "hit"
    assert again.content == simplified.content


def test_a_cached_api_answer_keeps_its_etag(client, db):
    url = "/api/disclosure/v1/publications/?limit=5"
    first = client.get(url)
    cached = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert cached.status_code == 304
    assert cached[HEADER] == "hit"


def test_the_cache_is_off_unless_configured(client, demo_item, settings):
    settings.DISCLOSURE_PAGE_CACHE_SECONDS = 0
    url = demo_item(ITEM).url
    client.get(url)
    assert HEADER not in client.get(url)


def test_the_admin_is_never_cached(client, db):
    for _ in range(2):
        response = client.get("/admin/login/")
        assert HEADER not in response


def _fail_on_shared_cache(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the shared cache was asked")

    monkeypatch.setattr("disclosure.page_cache.cache.get_many", refuse)


def test_a_worker_serves_its_own_copy_without_asking_the_shared_cache(
    client, demo_item, monkeypatch
):
    url = demo_item(ITEM).url
    first = client.get(url)  # rendered and stored in the shared cache
    client.get(url)  # found current there, and kept by this worker
    _fail_on_shared_cache(monkeypatch)
    again = client.get(url)
    assert again[HEADER] == "hit"
    assert again.content == first.content


def test_another_workers_change_is_seen_once_the_local_second_is_over(
    client, demo_item, monkeypatch
):
    """A change committed by another process moves the shared generation without clearing this
    process's copies: they are trusted for one second, then checked again."""
    url = demo_item(ITEM).url
    client.get(url)
    assert client.get(url)[HEADER] == "hit"
    cache.set(GENERATION_KEY, time.time_ns(), None)  # what another worker's commit does
    assert client.get(url)[HEADER] == "hit"  # this worker's copy, less than a second old
    later = time.monotonic() + 1.5
    monkeypatch.setattr("disclosure.page_cache.time.monotonic", lambda: later)
    assert client.get(url)[HEADER] == "miss"


def test_a_change_in_this_process_drops_its_copies_at_once(
    client, demo_item, publish_reviewed, committed
):
    item = demo_item(ITEM)
    client.get(item.url)
    assert client.get(item.url)[HEADER] == "hit"
    assert local_copies._entries
    with committed():
        publish_reviewed(_new_publication(item, "2099年2月药品价格（本进程缓存测试）"))
    assert not local_copies._entries
    assert "2099年2月药品价格（本进程缓存测试）" in client.get(item.url).content.decode()


def test_local_copies_are_bounded_and_can_be_turned_off(client, demo_item, settings):
    settings.DISCLOSURE_PAGE_CACHE_LOCAL_SIZE = 2
    for n in range(4):
        url = f"{demo_item(ITEM).url}?from=test-{n}"  # a query the page ignores: its own key
        client.get(url)
        client.get(url)
    assert len(local_copies._entries) == 2
    # And bounded in bytes: a budget below two pages keeps one.
    local_copies.clear()
    page_bytes = len(client.get(demo_item(ITEM).url).content)
    settings.DISCLOSURE_PAGE_CACHE_LOCAL_SIZE = 256
    settings.DISCLOSURE_PAGE_CACHE_LOCAL_BYTES = page_bytes * 3 // 2
    for n in range(3):
        url = f"{demo_item(ITEM).url}?from=bytes-{n}"
        client.get(url)
        client.get(url)
    assert len(local_copies._entries) == 1
    assert 0 < local_copies._bytes <= settings.DISCLOSURE_PAGE_CACHE_LOCAL_BYTES
    local_copies.clear()
    settings.DISCLOSURE_PAGE_CACHE_LOCAL_SECONDS = 0
    url = demo_item(ITEM).url
    client.get(url)
    client.get(url)
    assert not local_copies._entries
