"""A fixed-window rate limit kept in Django's cache, so that every worker shares the count
(with a shared cache backend such as Redis in production)."""

from __future__ import annotations

import time

from django.core.cache import cache


def client_key(request) -> str:
    """Who is asking: the client address as the web server saw it."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit of ``key`` in ``scope``; False once more than ``limit`` hits fell in the
    current window of ``window`` seconds."""
    bucket = f"disclosure:ratelimit:{scope}:{key}:{int(time.time() // window)}"
    if cache.add(bucket, 1, timeout=window):
        return True
    try:
        return cache.incr(bucket) <= limit
    except ValueError:  # the bucket expired between add() and incr()
        cache.add(bucket, 1, timeout=window)
        return True
