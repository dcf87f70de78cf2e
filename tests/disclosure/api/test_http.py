"""HTTP behaviour of the APIs: validators and 304s, cache control, CORS, one error shape, docs."""

import pytest
from django.test import override_settings
from django.utils import timezone

from disclosure.models import PublicationPage

from .conftest import API

ITEMS = f"{API}/items/"


def test_an_unchanged_answer_is_not_sent_twice(client, db):
    first = client.get(ITEMS)
    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert first["Last-Modified"].endswith("GMT")

    again = client.get(ITEMS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(ITEMS, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_publication_changes_the_validators(client, demo_item, publish_reviewed):
    url = f"{API}/publications/"
    before = client.get(url)
    page = PublicationPage(
        title="新的公开信息", slug="api-etag", publication_date=timezone.localdate(), live=False
    )
    demo_item("健康讲座与义诊").add_child(instance=page)
    publish_reviewed(page)

    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["items"][0]["title"] == "新的公开信息"
    assert after["ETag"] != before["ETag"]


def test_public_answers_may_be_shared_and_answers_to_a_token_are_private(client, db, token_for):
    public = client.get(ITEMS)
    assert public["Cache-Control"] == "public, max-age=60"
    assert "Authorization" in public["Vary"]

    private = client.get(ITEMS, **token_for("supervisor"))
    assert private["Cache-Control"] == "private, no-cache"
    assert "Authorization" in private["Vary"]

    pages = client.get("/api/v3/pages/", **token_for("supervisor"))
    assert pages["Cache-Control"] == "private, no-cache"


@override_settings(CORS_ALLOWED_ORIGINS=["https://wx.hospital.example"])
def test_only_configured_front_end_origins_may_call_from_a_browser(client, db):
    allowed = client.get(ITEMS, HTTP_ORIGIN="https://wx.hospital.example")
    assert allowed["Access-Control-Allow-Origin"] == "https://wx.hospital.example"
    other = client.get(ITEMS, HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in other

    preflight = client.options(
        ITEMS,
        HTTP_ORIGIN="https://wx.hospital.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight.status_code == 200
    assert "authorization" in preflight["Access-Control-Allow-Headers"]
    # Not for the public site: only the APIs answer other origins.
    assert "Access-Control-Allow-Origin" not in client.get(
        "/xxgk/", HTTP_ORIGIN="https://wx.hospital.example"
    )


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"{API}/no-such-endpoint/", 404),
        (f"{API}/items/99999999/", 404),
        (f"{API}/items/not-a-number/", 422),
        (f"{API}/publications/?offset=-1", 422),
        (f"{API}/compliance/departments/", 401),
    ],
)
def test_every_error_is_a_problem_document(client, db, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert {"type", "title", "status", "detail"} <= set(problem)
    if status == 422:
        assert problem["errors"] and all("loc" in error for error in problem["errors"])


def test_the_openapi_document_and_interactive_docs_are_served_without_a_cdn(client, db):
    document = client.get(f"{API}/openapi.json").json()
    assert document["info"]["title"] == "Hospital information disclosure API"
    assert f"{API}/catalog/" in document["paths"]
    docs = client.get(f"{API}/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v3/documents/?offset=7106893978616286150656",
        "/api/v3/pages/99999999999999999999/",
        f"{API}/publications/?item=1{'0' * 5000}",
    ],
)
def test_a_number_beyond_64_bits_is_refused_before_it_reaches_the_database(client, db, url):
    response = client.get(url)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["type"] == "out_of_range"
    assert error["msg"] == "数值超出范围。"


@pytest.mark.parametrize("site", ["localhost:false", "localhost:80x", "a:b:c"])
def test_a_site_filter_whose_port_is_not_a_number_gets_a_field_error(client, db, site):
    """Wagtail's v3 API handed it to the database: a server error (found by schemathesis)."""
    response = client.get("/api/v3/pages/find/", {"site": site, "html_path": "/"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["loc"] == ["query", "site"]
    assert "端口" in error["msg"]


@pytest.mark.parametrize(
    "query",
    [
        {"id": "366", "html_path": "*\x00ò", "version": "draft"},
        {"search": "收\x00费"},
    ],
)
def test_a_nul_character_gets_a_field_error_not_a_server_error(client, db, query):
    """Found by schemathesis on PostgreSQL, which holds no NUL in text: a server error."""
    path = "/api/v3/pages/find/" if "html_path" in query else "/api/v3/pages/"
    response = client.get(path, query)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["loc"] == ["query", next(k for k, v in query.items() if "\x00" in v)]
    assert "NUL" in error["msg"]


def test_a_site_filter_with_a_port_still_finds_the_site(client, db):
    response = client.get("/api/v3/pages/", {"site": "localhost:80", "limit": 1})
    assert response.status_code == 200
