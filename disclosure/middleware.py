"""HTTP caching headers for the APIs: validators on every answer, shared caching only for
anonymous ones.

Add ``disclosure.middleware.APICacheHeadersMiddleware`` to ``MIDDLEWARE`` (after the
authentication middleware). It applies to paths under ``DISCLOSURE_API_PATHS`` (default
``["/api/"]``, which covers the disclosure API and Wagtail's v3 API):

* a successful ``GET``/``HEAD`` gets an ``ETag`` (a digest of the body) and ``Last-Modified``
  (when something was last recorded), and answers ``304 Not Modified`` to a matching
  ``If-None-Match`` or ``If-Modified-Since``;
* an answer to an anonymous caller is ``Cache-Control: public, max-age=N``
  (``DISCLOSURE_API_MAX_AGE``, default 60 seconds); an answer to a request carrying a token
  or a session is ``private, no-cache``, so no shared cache keeps staff-only content;
* every answer varies on ``Authorization``.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date

from .selectors.audit import content_changed_at


class APICacheHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "DISCLOSURE_API_PATHS", ["/api/"]))
        self.max_age = int(getattr(settings, "DISCLOSURE_API_MAX_AGE", 60))

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.prefixes):
            return response
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
