"""The Content-Security-Policy and the other security headers, as a browser receives them."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from disclosure.models import RequestCentrePage

INLINE = [
    re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I),
    re.compile(r"<style[\s>]", re.I),
    re.compile(r"\sstyle=", re.I),
    re.compile(r"\son[a-z]+=", re.I),
    re.compile(r"javascript:", re.I),
]


def _directives(response, header="Content-Security-Policy") -> dict[str, list[str]]:
    policy = response[header]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def _public_urls(demo_index, demo_site) -> list[str]:
    centre = RequestCentrePage.objects.live().descendant_of(demo_site.root_page).get()
    category = demo_index.get_children().live().first()
    item = category.get_children().live().first()
    publication = item.get_children().live().first()
    return [
        "/",
        demo_index.url,
        category.url,
        item.url,
        publication.url,
        reverse("disclosure:search") + "?q=收费",
        centre.url,
        centre.url + centre.reverse_subpage("request_form"),
        centre.url + centre.reverse_subpage("consultation_form"),
        centre.url + centre.reverse_subpage("track"),
        "/no-such-page/",
    ]


def test_public_pages_get_the_strict_policy_and_hold_nothing_inline(client, demo_index, demo_site):
    for url in _public_urls(demo_index, demo_site):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        policy = _directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert policy["object-src"] == ["'none'"], url
        assert "nonce" not in response["Content-Security-Policy"], url
        body = response.content.decode()
        for pattern in INLINE:
            assert not pattern.search(body), f"{url}: {pattern.search(body).group(0)}"


def test_the_server_error_page_holds_nothing_inline():
    body = render_to_string("500.html")
    for pattern in INLINE:
        assert not pattern.search(body)


@pytest.mark.parametrize("url", ["/api/disclosure/v1/institutions/", "/api/v3/pages/"])
def test_api_answers_get_the_strict_policy(client, db, url):
    policy = _directives(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]


def test_the_admin_gets_its_own_policy_for_wagtails_inline_scripts(client, db):
    policy = _directives(client.get("/admin/login/"))
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


def test_the_usual_security_headers(client, db):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
