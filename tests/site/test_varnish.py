"""Varnish in front of the site, with the shipped VCL (``deploy/varnish/``): what it keeps, what
it never keeps, and a publication going live seen through it at once.

One demo hospital for the module (a copy of the tests' SQLite demo database) served by gunicorn
with ``VARNISH_URL`` set, behind one ``varnishd``. The changes are made by another process, as
another application server would make them. ``make test`` installs Varnish from Debian's
packages when it is missing.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from home import varnish
from tests import demo_database

pytestmark = pytest.mark.skipif(
    not varnish.installed(), reason="varnishd is missing (make test installs it)"
)

ROOT = Path(__file__).resolve().parent.parent.parent
ITEM = "药品价格"
STAFF_ITEM = "大额资金使用"
HOST = "localhost"

PREPARE = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import APIToken, Site
from disclosure.models import CatalogItemPage, RequestCentrePage

site = Site.objects.get(is_default_site=True)
pages = CatalogItemPage.objects.descendant_of(site.root_page)
supervisor = get_user_model().objects.get(username="supervisor")
client = Client()
client.force_login(supervisor)
_token, plaintext = APIToken.create_token(user=supervisor, name="varnish test")
centre = RequestCentrePage.objects.descendant_of(site.root_page).get()
print(json.dumps({
    "item": pages.get(title=%(item)r).relative_url(site),
    "staff_item": pages.get(title=%(staff_item)r).relative_url(site),
    "form": centre.relative_url(site) + "request/",
    "session": client.cookies["sessionid"].value,
    "token": plaintext,
}))
"""

PUBLISH = """
import json
from django.utils import timezone
from wagtail.models import Site
from disclosure.models import CatalogItemPage, PublicationPage
from tests.reviews import publish_reviewed

site = Site.objects.get(is_default_site=True)
item = CatalogItemPage.objects.descendant_of(site.root_page).get(title=%(item)r)
page = item.add_child(instance=PublicationPage(
    title=%(title)r, slug="varnish-test", publication_date=timezone.localdate(), live=False,
))
publish_reviewed(page)
print(json.dumps({"live": PublicationPage.objects.get(pk=page.pk).live}))
"""


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def cache(self) -> str:
        return self.headers.get("X-Cache", "")


@dataclass
class Front:
    """The site through Varnish, and the environment of its application server."""

    port: int
    env: dict[str, str]
    purge_port: int

    def get(self, path: str, **headers: str) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            names = {name.replace("_", "-"): value for name, value in headers.items()}
            connection.request("GET", path, headers={"Host": HOST, **names})
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read().decode())
        finally:
            connection.close()

    def purge(
        self, path: str, *, method: str = "PURGE", source: str = "127.0.0.1", public: bool = False
    ) -> int:
        """``method`` sent from ``source`` to the address that takes bans, or to the public one
        (where a TLS proxy on the same machine sends every visitor from 127.0.0.1)."""
        connection = http.client.HTTPConnection(
            "127.0.0.1",
            self.port if public else self.purge_port,
            timeout=60,
            source_address=(source, 0),
        )
        try:
            connection.request(method, path, headers={"Host": HOST})
            return connection.getresponse().status
        finally:
            connection.close()

    def run(self, script: str) -> dict:
        """A script run in the server's database, by a process of its own."""
        done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])


def _wait_for(port: int, server: subprocess.Popen, log: Path) -> None:
    for _ in range(150):
        if server.poll() is not None:
            break
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/", headers={"Host": HOST})
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"the application server did not start: {log.read_text()}")


@pytest.fixture(scope="module")
def front(tmp_path_factory) -> Front:
    folder = tmp_path_factory.mktemp("varnish")
    app_port, ports = varnish.free_port(), varnish.Ports.free()
    env = {
        **demo_database.served_copy(folder, settings="portal.settings.test"),
        "VARNISH_URL": ports.purge_url,
        # Varnish alone in front: the application's own page cache stays off.
        "REDIS_URL": "",
        "PAGE_CACHE_SECONDS": "0",
    }
    log = folder / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603 - our own interpreter
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                "--workers=2",
                f"--bind=127.0.0.1:{app_port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(app_port, server, log)
        with varnish.running(app_port, ports):
            yield Front(ports.front, env, ports.purge)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def urls(front) -> dict:
    return front.run(PREPARE % {"item": ITEM, "staff_item": STAFF_ITEM})


def test_a_second_anonymous_visit_is_a_hit(front, urls):
    url = urls["item"] + "?visit=second"
    first = front.get(url)
    assert (first.status, first.cache) == (200, "MISS")
    assert ITEM in first.text
    second = front.get(url)
    assert (second.status, second.cache) == (200, "HIT")
    assert second.text == first.text
    # The application's instruction is for Varnish alone.
    assert "Surrogate-Control" not in second.headers
    assert int(second.headers["Age"]) >= 0


def test_a_session_is_neither_stored_nor_answered_from_the_cache(front, urls):
    session = {"Cookie": f"sessionid={urls['session']}"}
    public = urls["item"] + "?visit=session"
    front.get(public)
    assert front.get(public).cache == "HIT"
    assert front.get(public, **session).cache == "PASS"
    for _ in range(2):
        staff = front.get(urls["staff_item"], **session)
        assert (staff.status, staff.cache) == (200, "PASS")
        assert STAFF_ITEM in staff.text
    anonymous = front.get(urls["staff_item"])
    assert anonymous.status == 302
    assert STAFF_ITEM not in anonymous.text
    # Spelled as Django still reads it (a space before "=").
    assert front.get(public, Cookie=f"_ga=1; sessionid ={urls['session']}").cache == "PASS"
    # Nor smuggled past the check in the header the VCL carries the visitor's cookies in.
    smuggled = front.get(urls["staff_item"], X_Disclosure_Cookie=session["Cookie"])
    assert smuggled.status == 302


def test_a_token_is_neither_stored_nor_answered_from_the_cache(front, urls):
    url = "/api/disclosure/v1/items/?limit=100"
    token = {"Authorization": f"Bearer {urls['token']}"}
    front.get(url)
    anonymous = front.get(url)
    assert anonymous.cache == "HIT"
    assert STAFF_ITEM not in anonymous.text
    for _ in range(2):
        with_token = front.get(url, **token)
        assert (with_token.status, with_token.cache) == (200, "PASS")
        assert STAFF_ITEM in with_token.text
    assert STAFF_ITEM not in front.get(url).text


def test_a_form_with_a_csrf_token_is_never_stored(front, urls):
    mine = "a" * 32
    for _ in range(2):
        form = front.get(urls["form"], Cookie=f"_ga=GA1.1.42; csrftoken={mine}")
        assert form.status == 200
        assert "csrfmiddlewaretoken" in form.text
        assert form.cache != "HIT"
        # The visitor's own CSRF cookie reached the application, which kept it.
        assert f"csrftoken={mine}" in form.headers["Set-Cookie"]
    assert front.get(urls["form"]).cache != "HIT"


def test_traditional_characters_are_an_entry_of_their_own(front, urls):
    url = urls["item"] + "?visit=script"
    simplified = front.get(url)
    assert front.get(url).cache == "HIT"
    traditional = front.get(url, Cookie="disclosure_script=zh-Hant")
    assert traditional.cache == "MISS"
    assert "藥品價格" in traditional.text
    assert "藥品價格" not in simplified.text
    # Other cookies, in another order: the same entry.
    again = front.get(url, Cookie="_ga=GA1.1.42; disclosure_script=zh-Hant; theme=dark")
    assert (again.cache, again.text) == ("HIT", traditional.text)
    back = front.get(url, Cookie="_ga=GA1.1.42")
    assert (back.cache, back.text) == ("HIT", simplified.text)


def test_an_answer_fetched_for_a_visitor_with_other_cookies_serves_everyone(front, urls):
    url = urls["item"] + "?visit=other-cookies"
    first = front.get(url, Cookie="_ga=GA1.1.42; theme=dark")
    assert (first.status, first.cache) == (200, "MISS")
    assert front.get(url).cache == "HIT"
    assert front.get(url, Cookie="theme=light").cache == "HIT"


def test_a_purge_drops_every_copy_of_one_url(front, urls):
    url, other = urls["item"] + "?visit=purge", urls["item"] + "?visit=purge-other"
    traditional = {"Cookie": "disclosure_script=zh-Hant; disclosure_large_text=1"}
    for path, headers in ((url, {}), (url, traditional), (other, {})):
        front.get(path, **headers)
        assert front.get(path, **headers).cache == "HIT"
    # Only from the addresses of disclosure_purgers (this machine's 127.0.0.1 and ::1), and
    # only on the address named "purge": never the visitors', even from this machine.
    assert front.purge(url, source="127.0.0.2") == 403
    assert front.purge("/", method="BAN", source="127.0.0.2") == 403
    assert front.purge(url, public=True) == 403
    assert front.purge("/", method="BAN", public=True) == 403
    assert front.get(url).cache == "HIT"
    assert front.purge(url) == 200
    assert front.get(url).cache == "MISS"
    assert front.get(url, **traditional).cache == "MISS"
    assert front.get(other).cache == "HIT"


def test_a_publication_going_live_is_seen_through_varnish_at_once(front, urls):
    """Another process publishes under the item: the item page (which lists it, and was not
    the page published) shows it at once, in both scripts."""
    title = "2099年3月药品价格（前端缓存测试）"
    traditional = {"Cookie": "disclosure_script=zh-Hant"}
    for headers in ({}, traditional):
        front.get(urls["item"], **headers)
        assert front.get(urls["item"], **headers).cache == "HIT"
    assert front.run(PUBLISH % {"item": ITEM, "title": title}) == {"live": True}
    simplified = front.get(urls["item"])
    assert simplified.cache == "MISS"
    assert title in simplified.text
    converted = front.get(urls["item"], **traditional)
    assert converted.cache == "MISS"
    assert "2099年3月藥品價格" in converted.text
    assert front.get(urls["item"]).cache == "HIT"
