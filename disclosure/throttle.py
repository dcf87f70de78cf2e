"""**APIRateLimitMiddleware**: every answer of the APIs counts against the client's ``api``
limit (``DISCLOSURE_API_RATE_LIMIT = (hits, seconds)``, default 600 a minute; ``None`` turns
it off). Above it, the client gets a 429 problem document in Chinese with ``Retry-After``.

Add ``disclosure.throttle.APIRateLimitMiddleware`` to ``MIDDLEWARE`` after
``corsheaders.middleware.CorsMiddleware`` (so that a browser can read the 429). It applies to
the paths under ``DISCLOSURE_API_PATHS`` (default ``["/api/"]``: the disclosure API and
Wagtail's v3 API). The count is kept in Django's cache: share it between workers (Redis).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from wagtail.api.v3.errors import problem_response

from .services import ratelimit


class APIRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "DISCLOSURE_API_PATHS", ["/api/"]))

    def __call__(self, request):
        if request.path.startswith(self.prefixes) and not ratelimit.allow_request(request, "api"):
            _limit, window = ratelimit.limit_of("api")
            response = problem_response(
                status=429, detail=_("Too many API requests in a short time. Please slow down.")
            )
            response["Retry-After"] = str(window)
            return response
        return self.get_response(request)
