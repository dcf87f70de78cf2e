"""Both APIs share one per-client limit (the ``api`` scope of the rate limiter)."""

import pytest
from django.test import override_settings

from disclosure.services.ratelimit import DEFAULT_LIMITS


@override_settings(DISCLOSURE_API_RATE_LIMIT=(3, 60))
def test_a_client_above_the_limit_gets_a_chinese_429_from_either_api(client, db):
    for path in ("/api/disclosure/v1/institutions/", "/api/v3/pages/", "/api/disclosure/v1/items/"):
        assert client.get(path).status_code == 200, path
    response = client.get("/api/v3/pages/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "60"
    assert response.json()["detail"] == "API 请求过于频繁，请稍后再试。"
    assert client.get("/api/disclosure/v1/items/").status_code == 429
    # Another client is not held back, nor is the public site.
    assert client.get("/api/v3/pages/", REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get("/").status_code == 200


def test_the_default_is_generous():
    hits, seconds = DEFAULT_LIMITS["api"]
    assert hits / seconds >= 10


@pytest.mark.parametrize(
    ("value", "limit"), [("600/60", (600, 60)), ("off", None), ("120", (120, 60))]
)
def test_the_limit_is_read_from_the_environment(monkeypatch, value, limit):
    from portal.settings import environment

    monkeypatch.setenv("API_RATE_LIMIT", value)
    assert environment._rate("API_RATE_LIMIT", "600/60") == limit
