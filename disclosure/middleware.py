"""All of the plugin's middleware, in the order it goes in ``MIDDLEWARE`` (README.md, "Use it in
your own Wagtail project", lists the lines a host project adds):

* ``APIRateLimitMiddleware``, after ``corsheaders.middleware.CorsMiddleware``;
* ``PageCacheMiddleware``, after WhiteNoise, django-cors-headers and the API rate limit, before
  the session middleware;
* ``RequestMemoMiddleware``, anywhere before the views;
* ``APIMiddleware``, ``ScriptMiddleware`` and ``AdminPagesMiddleware``, after the
  authentication middleware.

What they keep lives elsewhere: the page cache's keys, storage and invalidation in
``disclosure.page_cache``, the per-request lookups in ``disclosure.request_memo``, the rate
limits in ``disclosure.services.ratelimit``.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date
from django.utils.translation import gettext
from wagtail.api.v3.errors import problem_response

from . import frontend_cache, page_cache, request_memo
from .display import reads_traditional
from .rules.scripts import Script, html_to_traditional
from .selectors.audit import content_changed_at
from .services import ratelimit
from .views.admin_pages import REPLACED_VIEWS

_CONVERTED_FOR = 3600


class APIRateLimitMiddleware:
    """Every answer of the APIs counts against the client's ``api`` limit
    (``DISCLOSURE_API_RATE_LIMIT = (hits, seconds)``, default 600 a minute; ``None`` turns it
    off). Above it, the client gets a 429 problem document in Chinese with ``Retry-After``.

    After ``corsheaders.middleware.CorsMiddleware``, so that a browser can read the 429. It
    applies to the paths under ``DISCLOSURE_API_PATHS`` (default ``["/api/"]``: the disclosure
    API and Wagtail's v3 API). The count is kept in Django's cache: share it between workers
    (Redis).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "DISCLOSURE_API_PATHS", ["/api/"]))

    def __call__(self, request):
        if request.path.startswith(self.prefixes) and not ratelimit.allow_request(request, "api"):
            _limit, window = ratelimit.limit_of("api")
            response = problem_response(
                status=429,
                detail=gettext("Too many API requests in a short time. Please slow down."),
            )
            response["Retry-After"] = str(window)
            return response
        return self.get_response(request)


class PageCacheMiddleware:
    """Anonymous public pages and API reads from the shared cache (``disclosure.page_cache``
    says what is kept, under which key, and until when), and the same answers marked for the
    HTTP cache in front when one is configured (``disclosure.frontend_cache``). After WhiteNoise,
    ``corsheaders.middleware.CorsMiddleware`` and the API rate limit, before the session
    middleware (CORS headers are then added to each answer, cached or not), so that a cached
    answer costs one cache round trip."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = page_cache.excluded_prefixes()

    def __call__(self, request):
        seconds = page_cache.timeout()
        in_front = frontend_cache.configured()
        if not page_cache.cacheable_request(request, excluded=self.excluded):
            return _kept_private(request, self.get_response(request))
        if not (seconds or in_front):
            return self.get_response(request)
        if not seconds:
            response = self.get_response(request)
            if page_cache.cacheable_response(request, response):
                frontend_cache.offer(response)
            return response
        key = page_cache.key_for(request)
        stored, generation = page_cache.current_answer(key)
        if stored is not None:
            response = page_cache.replay(request, stored)
            # Only an answer just found current in the shared cache: this worker's own copy
            # may be a second older than another worker's change, and its ban.
            if in_front and generation is not None and response.status_code == 200:
                frontend_cache.offer(response)
            return response
        response = self.get_response(request)
        if generation is not None and page_cache.cacheable_response(request, response):
            page_cache.store(key, response, generation=generation, seconds=seconds)
            # Not when a change was committed while this answer was rendered (it may show the
            # old content): the ban that followed the change would not reach it.
            if in_front and page_cache.still_current(generation):
                frontend_cache.offer(response)
        return response


def _kept_private(request, response):
    """An answer for a logged-in user (the listings name their staff-only items) tells every
    cache on the way, and the browser, not to keep it, unless the view said otherwise."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
        add_never_cache_headers(response)
    return response


class RequestMemoMiddleware:
    """Each ``GET`` and ``HEAD`` request keeps its lookups (``disclosure.request_memo``) until
    it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with request_memo.kept_answers():
            return self.get_response(request)


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
    """Numbers the database can hold, and HTTP caching headers, for the paths under
    ``DISCLOSURE_API_PATHS`` (default ``["/api/"]``, which covers the disclosure API and
    Wagtail's v3 API):

    * a whole number in the path or the query string beyond 64 bits is refused (422, a problem
      document naming it) before any view runs: Wagtail's v3 API would hand it to the database,
      which fails with a server error (``?offset=10000000000000000000000``);
    * a successful ``GET``/``HEAD`` gets an ``ETag`` (a digest of the body) and
      ``Last-Modified`` (when something was last recorded), and answers ``304 Not Modified`` to
      a matching ``If-None-Match`` or ``If-Modified-Since``;
    * an answer to an anonymous caller is ``Cache-Control: public, max-age=N``
      (``DISCLOSURE_API_MAX_AGE``, default 60 seconds); an answer to a request carrying a token
      or a session is ``private, no-cache``, so no shared cache keeps staff-only content;
    * every answer varies on ``Authorization``.
    """

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


def _is_public_page(request) -> bool:
    match = request.resolver_match
    return match is not None and (
        match.url_name == "wagtail_serve" or "disclosure" in match.namespaces
    )


class ScriptMiddleware:
    """A visitor who chose 繁體 (the ``disclosure_script`` cookie, set by the
    ``disclosure:script`` view) gets the public pages (Wagtail pages and the disclosure views,
    never the admin) converted to Traditional characters by OpenCC. A converted page is kept in
    Django's cache under a digest of the original, so each distinct page is converted once."""

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
    """A few of Wagtail's admin views that list or name pages offer no hook (the page chooser's
    first row and its search results' parents, "chosen multiple", the page types usage report);
    this serves the plugin's versions of them instead, which show only the pages the user may
    know of (``disclosure.views.admin_pages``). ``manage.py check`` refuses to pass without it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Keyed on the resolved URL name: Wagtail's admin URLs come before anything a plugin
        # can register, so its view is replaced here, after resolving, instead.
        match = getattr(request, "resolver_match", None)
        view = REPLACED_VIEWS.get(match.view_name) if match is not None else None
        return None if view is None else view(request, *view_args, **view_kwargs)
