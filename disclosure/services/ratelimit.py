"""A fixed-window rate limit kept in Django's cache, so that every worker shares the count
(with a shared cache backend such as Redis in production)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

#: (hits, seconds) per client for each limited face; each can be set in the settings as
#: ``DISCLOSURE_<SCOPE>_RATE_LIMIT`` (for example ``DISCLOSURE_SEARCH_RATE_LIMIT = (30, 60)``).
DEFAULT_LIMITS = {
    "intake": (10, 3600),  # request and consultation submissions
    "tracking": (30, 600),  # tracking look-ups (number and code)
    "search": (30, 60),  # public and API searches
    "api": (600, 60),  # every request to the APIs
}


def client_key(request) -> str:
    """Who is asking: the client address as the web server saw it."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit of ``key`` in ``scope``; False once more than ``limit`` hits fell in the
    current window of ``window`` seconds."""
    bucket = f"disclosure:ratelimit:{scope}:{key}:{int(time.time() // window)}"
    count_hit = getattr(cache, "count_hit", None)
    if count_hit is not None:  # disclosure.cache.RedisCache: one round trip
        return count_hit(bucket, window) <= limit
    if cache.add(bucket, 1, timeout=window):
        return True
    try:
        return cache.incr(bucket) <= limit
    except ValueError:  # the bucket expired between add() and incr()
        cache.add(bucket, 1, timeout=window)
        return True


def limit_of(scope: str) -> tuple[int, int] | None:
    """``(hits, seconds)`` of ``scope`` as the settings give it; ``None`` when it is off."""
    return getattr(settings, f"DISCLOSURE_{scope.upper()}_RATE_LIMIT", DEFAULT_LIMITS[scope])


def allow_request(request, scope: str) -> bool:
    """Count one hit of ``request``'s client against the limit of ``scope`` (always allowed
    when the limit is set to ``None``)."""
    limit = limit_of(scope)
    if limit is None:
        return True
    hits, window = limit
    return allow(scope, client_key(request), limit=hits, window=window)
