"""Middleware: what every API answer shares, the public site in Traditional script, and the
admin's page listings.

**APIMiddleware**: numbers the database can hold, and HTTP caching headers. Add
``disclosure.middleware.APIMiddleware`` to ``MIDDLEWARE`` (after the
authentication middleware). It applies to paths under ``DISCLOSURE_API_PATHS`` (default
``["/api/"]``, which covers the disclosure API and Wagtail's v3 API):

* a whole number in the path or the query string beyond 64 bits is refused (422, a problem
  document naming it) before any view runs: Wagtail's v3 API would hand it to the database,
  which fails with a server error (``?offset=10000000000000000000000``);

* a successful ``GET``/``HEAD`` gets an ``ETag`` (a digest of the body) and ``Last-Modified``
  (when something was last recorded), and answers ``304 Not Modified`` to a matching
  ``If-None-Match`` or ``If-Modified-Since``;
* an answer to an anonymous caller is ``Cache-Control: public, max-age=N``
  (``DISCLOSURE_API_MAX_AGE``, default 60 seconds); an answer to a request carrying a token
  or a session is ``private, no-cache``, so no shared cache keeps staff-only content;
* every answer varies on ``Authorization``.

**ScriptMiddleware**: a visitor who chose 繁體 (the ``disclosure_script`` cookie, set by the
``disclosure:script`` view) gets the public pages (Wagtail pages and the disclosure views, never
the admin) converted to Traditional characters by OpenCC. A converted page is kept in Django's
cache under a digest of the original, so each distinct page is converted once.

**AdminPagesMiddleware**: a few of Wagtail's admin views that list or name pages offer no
hook (the page chooser's first row and its search results' parents, "chosen multiple", the
page types usage report); this serves the plugin's versions of them instead, which show only
the pages the user may know of (``disclosure.views.admin_pages``). Add
``disclosure.middleware.AdminPagesMiddleware`` to ``MIDDLEWARE`` after the authentication
middleware; ``manage.py check`` refuses to pass without it.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date
from django.utils.translation import gettext
from wagtail.api.v3.errors import problem_response

from .rules.scripts import Script, html_to_traditional
from .selectors.audit import content_changed_at

SCRIPT_COOKIE = "disclosure_script"
LARGE_TEXT_COOKIE = "disclosure_large_text"  # read by templates (the html element's class)
_CONVERTED_FOR = 3600

INTEGER = re.compile(r"[+-]?\d+")
PORT = re.compile(r"\d{1,5}")
LARGEST = 2**63 - 1


def _too_large(value: str) -> bool:
    value = value.strip()
    if not INTEGER.fullmatch(value):
        return False
    digits = value.lstrip("+-").lstrip("0")
    # Checked by length first: Python refuses to convert a string of thousands of digits.
    return len(digits) > len(str(LARGEST)) or int(digits or "0") > LARGEST


def _out_of_range(request) -> list[dict]:
    values = [(("path", index), part) for index, part in enumerate(request.path.split("/"))]
    values += [(("query", name), value) for name, values in request.GET.lists() for value in values]
    return [
        {"type": "out_of_range", "loc": list(loc), "msg": gettext("Number out of range.")}
        for loc, value in values
        if _too_large(value)
    ]


def _bad_site_filters(request) -> list[dict]:
    """Wagtail's v3 API reads ``?site=host:port`` and hands the port to the database as it
    is: anything but a port number there was a server error."""
    return [
        {
            "type": "value_error",
            "loc": ["query", "site"],
            "msg": gettext("A site is a host name, optionally followed by “:” and a port number."),
        }
        for value in request.GET.getlist("site")
        if ":" in value and not PORT.fullmatch(value.split(":", 1)[1])
    ]


WAGTAIL_API_PREFIX = "/api/v3/"


def _nul_characters(request) -> list[dict]:
    """A NUL character is text no database column holds (PostgreSQL refuses it): Wagtail's v3
    API handed ``?html_path=…%00…`` to the database and answered with a server error. (The
    disclosure API validates its own parameters, as its OpenAPI document says.)"""
    if not request.path.startswith(WAGTAIL_API_PREFIX):
        return []
    return [
        {
            "type": "value_error",
            "loc": ["query", name],
            "msg": gettext("The value contains a NUL character."),
        }
        for name, values in request.GET.lists()
        for value in values
        if "\x00" in value or "\x00" in name
    ]


class APIMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "DISCLOSURE_API_PATHS", ["/api/"]))
        self.max_age = int(getattr(settings, "DISCLOSURE_API_MAX_AGE", 60))

    def __call__(self, request):
        if not request.path.startswith(self.prefixes):
            return self.get_response(request)
        errors = _out_of_range(request) + _bad_site_filters(request) + _nul_characters(request)
        if errors:
            return problem_response(status=422, detail="Validation failed", errors=errors)
        response = self.get_response(request)
        patch_vary_headers(response, ("Authorization",))
        # The API's own authentication has replaced request.user by now: the token's user,
        # or AnonymousUser even when a session cookie came along.
        user = getattr(request, "user", None)
        private = "HTTP_AUTHORIZATION" in request.META or bool(user and user.is_authenticated)
        if private:
            patch_cache_control(response, private=True, no_cache=True)
        cacheable = (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not response.streaming
        )
        if not cacheable:
            return response
        if not private:
            patch_cache_control(response, public=True, max_age=self.max_age)
        if not response.has_header("ETag"):
            set_response_etag(response)
        last_modified = content_changed_at()
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(last_modified.timestamp())
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(last_modified.timestamp()),
            response=response,
        )


def reads_traditional(request) -> bool:
    return request.COOKIES.get(SCRIPT_COOKIE) == Script.TRADITIONAL


def wants_large_text(request) -> bool:
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"


def _is_public_page(request) -> bool:
    match = request.resolver_match
    return match is not None and (
        match.url_name == "wagtail_serve" or "disclosure" in match.namespaces
    )


class ScriptMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not _is_public_page(request):
            return response
        patch_vary_headers(response, ["Cookie"])
        if (
            not reads_traditional(request)
            or response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        charset = response.charset or "utf-8"
        original = response.content
        key = "disclosure:zh-hant:" + hashlib.sha256(original).hexdigest()
        converted = cache.get(key)
        if converted is None:
            converted = html_to_traditional(original.decode(charset)).encode(charset)
            cache.set(key, converted, _CONVERTED_FOR)
        response.content = converted
        response["Content-Language"] = Script.TRADITIONAL.value
        return response


class AdminPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Keyed on the resolved URL name: Wagtail's admin URLs come before anything a plugin
        # can register, so its view is replaced here, after resolving, instead.
        from .views.admin_pages import REPLACED_VIEWS

        match = getattr(request, "resolver_match", None)
        view = REPLACED_VIEWS.get(match.view_name) if match is not None else None
        return None if view is None else view(request, *view_args, **view_kwargs)
