"""A fixed-window rate limit kept in Django's cache, so that every worker shares the count
(with a shared cache backend such as Redis in production)."""

from __future__ import annotations

import ipaddress
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


def client_address(request) -> str | None:
    """Who is asking: the address of the client, for the rate limits and the login lockout
    (``None`` when the request has none, as a request made in code may not).

    Directly served, the web server's peer (``REMOTE_ADDR``). Behind reverse proxies that each
    append the address they were reached from to ``X-Forwarded-For``, set
    ``DISCLOSURE_TRUSTED_PROXY_COUNT`` to their number: the client is then the entry that many
    places from the right, the address the outermost proxy saw. Entries further left were
    written by the client and are never believed; a header too short or not an address falls
    back to the peer. With the default of 0 the header is ignored, so that nobody can pick
    their own address where no proxy overwrites it.
    """
    peer = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "DISCLOSURE_TRUSTED_PROXY_COUNT", 0)
    if not proxies:
        return peer
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        return peer
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return peer


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
    return allow(scope, client_address(request) or "unknown", limit=hits, window=window)
