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


@override_settings(DISCLOSURE_API_RATE_LIMIT=(2, 60), DISCLOSURE_TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_client_has_its_own_limit(client, db):
    """Every request reaches the site from the proxy (one REMOTE_ADDR); the proxy appends the
    address it was reached from to X-Forwarded-For."""

    def through_proxy(forwarded_for):
        return client.get(
            "/api/v3/pages/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    assert [through_proxy("198.51.100.7") for _n in range(3)] == [200, 200, 429]
    # Another visitor behind the same proxy is not held back...
    assert through_proxy("198.51.100.8") == 200
    # ...and the first cannot escape by writing an address of their own in front of the
    # proxy's entry: only the entry the proxy appended counts.
    assert through_proxy("203.0.113.1, 198.51.100.7") == 429
