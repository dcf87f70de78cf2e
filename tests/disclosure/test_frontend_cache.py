"""What the application tells the HTTP cache in front (``disclosure.frontend_cache``): which
answers it may keep, until midnight, and the ban after every change, once committed. Varnish
itself, with the shipped VCL, is tested in ``tests/site/test_varnish.py``."""

import datetime as dt
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from disclosure import frontend_cache
from disclosure.models import PublicationPage, RequestCentrePage
from disclosure.page_cache import GENERATION_KEY, HEADER

ITEM = "药品价格"
SURROGATE = frontend_cache.SURROGATE_CONTROL


@pytest.fixture
def bans(settings, monkeypatch) -> list[str]:
    """An HTTP cache in front is configured; the bans it would get are listed here."""
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "disclosure.frontend_cache.VarnishBackend",
            "LOCATION": "http://127.0.0.1:6081",
        }
    }
    sent = []
    monkeypatch.setattr(
        frontend_cache.VarnishBackend,
        "ban_everything",
        lambda backend, **_options: sent.append(backend.cache_netloc) or True,
    )
    return sent


def _max_age(response) -> int:
    name, _equals, seconds = response[SURROGATE].partition("=")
    assert name == "max-age"
    return int(seconds)


def test_nothing_is_marked_without_an_http_cache_in_front(client, demo_item):
    assert SURROGATE not in client.get(demo_item(ITEM).url)


def test_an_anonymous_page_is_kept_until_midnight(client, demo_item, bans, monkeypatch):
    shanghai = ZoneInfo("Asia/Shanghai")
    evening = dt.datetime(2026, 12, 7, 23, 0, 30, tzinfo=shanghai)
    monkeypatch.setattr(frontend_cache.timezone, "now", lambda: evening)
    response = client.get(demo_item(ITEM).url)
    assert response.status_code == 200
    assert _max_age(response) == 59 * 60 + 30


@pytest.mark.parametrize("page_cache_seconds", [0, 300])
def test_what_the_page_cache_would_not_keep_is_not_marked(
    client, demo_item, demo_index, login, token_for, bans, settings, page_cache_seconds
):
    settings.DISCLOSURE_PAGE_CACHE_SECONDS = page_cache_seconds
    form = RequestCentrePage.objects.descendant_of(demo_index).get().url + "request/"
    assert "csrfmiddlewaretoken" in client.get(form).content.decode()
    assert SURROGATE not in client.get(form)
    api = "/api/disclosure/v1/items/"
    assert SURROGATE in client.get(api)
    assert SURROGATE not in client.get(api, **token_for("supervisor"))
    assert SURROGATE not in client.get("/admin/login/")
    login("supervisor")
    assert SURROGATE not in client.get(demo_item(ITEM).url)


def test_cached_answers_are_marked_only_when_found_current(client, demo_item, bans, settings):
    settings.DISCLOSURE_PAGE_CACHE_SECONDS = 300
    url = demo_item(ITEM).url
    first = client.get(url)
    assert (first[HEADER], SURROGATE in first) == ("miss", True)
    second = client.get(url)  # found current in the shared cache
    assert (second[HEADER], SURROGATE in second) == ("hit", True)
    # This worker's own copy, not asked again of the shared cache: another worker may have
    # committed a change (and banned) within the last second.
    third = client.get(url)
    assert (third[HEADER], SURROGATE in third) == ("hit", False)


def test_an_answer_rendered_while_a_change_committed_is_not_marked(
    client, demo_item, bans, settings, monkeypatch
):
    """It may show the old content, and the change's ban reached Varnish before it."""
    settings.DISCLOSURE_PAGE_CACHE_SECONDS = 300
    item = demo_item(ITEM)
    serve = type(item).serve

    def serve_while_another_worker_commits(page, request, *args, **kwargs):
        cache.set(GENERATION_KEY, time.time_ns(), None)
        return serve(page, request, *args, **kwargs)

    monkeypatch.setattr(type(item), "serve", serve_while_another_worker_commits)
    response = client.get(item.url)
    assert response.status_code == 200
    assert SURROGATE not in response


def test_every_change_bans_once_committed(
    demo_item, publish_reviewed, bans, django_capture_on_commit_callbacks
):
    item = demo_item(ITEM)
    page = item.add_child(
        instance=PublicationPage(
            title="2099年4月药品价格（前端缓存）",
            slug="frontend-cache-ban",
            publication_date=timezone.localdate(),
            live=False,
        )
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish_reviewed(page)
    assert bans == []  # nothing before the commit: a request could store the old page again
    for callback in callbacks:
        callback()
    assert bans and set(bans) == {"127.0.0.1:6081"}


class _Varnish(BaseHTTPRequestHandler):
    """Answers each ``BAN`` with the server's ``status`` and counts them."""

    def do_BAN(self):
        self.server.bans += 1
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *args):
        pass


def _start_varnish() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Varnish)
    server.bans, server.status = 0, 200
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _in_front(settings, *servers) -> None:
    settings.WAGTAILFRONTENDCACHE = {
        f"varnish{number}": {
            "BACKEND": "disclosure.frontend_cache.VarnishBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
        for number, server in enumerate(servers)
    }


@pytest.fixture
def varnishes(settings):
    servers = [_start_varnish(), _start_varnish()]
    yield servers
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def varnish(settings, varnishes):
    _in_front(settings, varnishes[0])
    return varnishes[0]


def test_a_failed_ban_is_owed_and_sent_before_anything_is_kept_again(client, demo_item, varnish):
    """Answers stored before a change would outlive a ban that failed: until one goes
    through, nothing is marked keepable, and the request that would mark one sends it."""
    url = demo_item(ITEM).url
    varnish.status = 503  # restarting
    assert frontend_cache.ban_everything() is False
    assert SURROGATE not in client.get(url)  # this request tried again, and failed
    assert varnish.bans == 2

    varnish.status = 200
    assert SURROGATE not in client.get(url)  # within the retry window: not tried, not marked
    assert varnish.bans == 2
    cache.delete(frontend_cache.RETRY_LOCK_KEY)  # the window has passed
    assert SURROGATE in client.get(url)  # the owed ban went through first
    assert varnish.bans == 3
    assert SURROGATE in client.get(url)  # nothing owed any more
    assert varnish.bans == 3


def test_a_ban_one_server_missed_is_owed_whatever_the_others_got(
    client, demo_item, varnishes, settings
):
    """Each Varnish keeps its own stale answers: another's ban does not clear the debt."""
    _in_front(settings, *varnishes)
    url = demo_item(ITEM).url
    for down, up in (varnishes, reversed(varnishes)):
        cache.delete(frontend_cache.RETRY_LOCK_KEY)
        down.status, up.status = 503, 200
        assert frontend_cache.ban_everything() is False
        cache.delete(frontend_cache.RETRY_LOCK_KEY)
        assert SURROGATE not in client.get(url)  # tried again: that server still refuses
        down.status = 200
        cache.delete(frontend_cache.RETRY_LOCK_KEY)
        assert SURROGATE in client.get(url)
