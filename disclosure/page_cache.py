"""Whole public answers from the shared cache: anonymous pages and API reads.

``disclosure.middleware.PageCacheMiddleware`` asks here and stores here; set
``DISCLOSURE_PAGE_CACHE_SECONDS`` (0, the default, turns it off). Use a cache that every
worker shares (Redis): a cache inside each process would keep serving a page after another
process published its replacement.

**What is cached.** A ``GET`` that carries neither a session cookie nor an ``Authorization``
header, outside the admin, answered ``200`` with no ``Set-Cookie``, no CSRF token in it, no
``private``/``no-store``/``no-cache`` and no authenticated user. So a staff-only page (a login
redirect for anyone anonymous), an answer to a token, a form page and anything seen by a
logged-in editor never enters the cache, and nobody with a session or a token is ever served
from it.

**The key** is the host, the path with its query string, the visitor's display choices (简/繁
and large text, both cookies) and today's date, because an item's standing (due soon,
overdue) changes with the day even when nothing is published.

**Invalidation** is by generation: every cached answer is stored with the generation current
when its request started, and is served only while that is still the current one.
``invalidate()`` starts a new generation once the transaction that changed something has been
committed (publishing, unpublishing, moving or deleting a page, a catalog or settings change,
an attestation, a calendar edit: see ``signal_handlers``). A request that rendered the old
content while the change was being committed stored it under the old generation, so it is
never served.

**This worker's copies.** Each process also keeps the answers it served last
(``DISCLOSURE_PAGE_CACHE_LOCAL_SIZE``, default 256 answers, and
``DISCLOSURE_PAGE_CACHE_LOCAL_BYTES``, default 16 MiB of content) and serves them again
without asking the shared cache for ``DISCLOSURE_PAGE_CACHE_LOCAL_SECONDS`` (default 1; 0
turns this off) after it last found them current there. A change clears the copies of the
process that committed it at once; another worker may go on serving its copy for at most that
second. Asking Redis is the one cost a cached answer has that a static file has not
(``docs/benchmarks.md``).

**The HTTP cache in front** (Varnish, ``frontend_cache``) keeps the same answers, told so by a
header the middleware adds, and is cleared by the same ``invalidate()``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response

from . import frontend_cache
from .display import LARGE_TEXT_COOKIE, SCRIPT_COOKIE

GENERATION_KEY = "disclosure:page-cache:generation"
HEADER = "X-Disclosure-Cache"
_SKIPPED_HEADERS = {"set-cookie", HEADER.lower()}


def timeout() -> int:
    return int(getattr(settings, "DISCLOSURE_PAGE_CACHE_SECONDS", 0) or 0)


def invalidate() -> None:
    """Stop serving every cached answer, once the current transaction commits: here, and in
    the HTTP cache in front when one is configured (``frontend_cache``)."""
    if timeout():
        transaction.on_commit(_new_generation, robust=True)
    if frontend_cache.configured():
        transaction.on_commit(frontend_cache.ban_everything, robust=True)


def _new_generation() -> None:
    # A clock value rather than a counter: if the cache lost the key, a counter would start
    # again at a number whose answers may still be stored.
    cache.set(GENERATION_KEY, time.time_ns(), None)
    local_copies.clear()


class LocalCopies:
    """The answers this process served last, each with the time it was last found current in
    the shared cache. The least recently used go first once more than ``size`` answers or
    ``max_bytes`` of content are kept; an answer larger than that is not kept."""

    def __init__(self):
        self._entries: OrderedDict[str, tuple[float, tuple]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def _settings() -> tuple[float, int, int]:
        return (
            float(getattr(settings, "DISCLOSURE_PAGE_CACHE_LOCAL_SECONDS", 1)),
            int(getattr(settings, "DISCLOSURE_PAGE_CACHE_LOCAL_SIZE", 256)),
            int(getattr(settings, "DISCLOSURE_PAGE_CACHE_LOCAL_BYTES", 16 * 1024 * 1024)),
        )

    @staticmethod
    def _size_of(stored: tuple) -> int:
        return len(stored[3])

    def get(self, key: str) -> tuple | None:
        """The stored answer of ``key`` if it was found current less than the set time ago."""
        seconds, _size, _max_bytes = self._settings()
        if seconds <= 0:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if time.monotonic() - entry[0] >= seconds:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: str, stored: tuple) -> None:
        seconds, size, max_bytes = self._settings()
        if seconds <= 0 or size <= 0 or self._size_of(stored) > max_bytes:
            return
        with self._lock:
            self._drop(key)
            self._entries[key] = (time.monotonic(), stored)
            self._bytes += self._size_of(stored)
            while len(self._entries) > size or self._bytes > max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= self._size_of(entry[1])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


local_copies = LocalCopies()


def excluded_prefixes() -> tuple[str, ...]:
    return tuple(getattr(settings, "DISCLOSURE_PAGE_CACHE_EXCLUDE", ("/admin/", "/django-admin/")))


def cacheable_request(request, *, excluded: tuple[str, ...]) -> bool:
    """An anonymous ``GET`` (no session, no token) outside the ``excluded`` paths."""
    return (
        request.method == "GET"
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(excluded)
    )


def key_for(request) -> str:
    parts = (
        request.get_host(),
        request.get_full_path(),
        request.COOKIES.get(SCRIPT_COOKIE, ""),
        request.COOKIES.get(LARGE_TEXT_COOKIE, ""),
        timezone.localdate().isoformat(),
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"disclosure:page-cache:{digest}"


def current_answer(key: str) -> tuple[tuple | None, int | None]:
    """The answer stored under ``key`` if it is still current (else None), and the generation
    an answer rendered now is to be stored under (None when this worker's copy answered)."""
    stored = local_copies.get(key)
    if stored is not None:
        return stored, None
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(GENERATION_KEY)
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        local_copies.put(key, stored)
        return stored, generation
    return None, generation


def still_current(generation: int) -> bool:
    """Whether no change has started a new generation since ``generation`` was read."""
    return cache.get(GENERATION_KEY) == generation


def cacheable_response(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a form with this visitor's token
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def store(key: str, response, *, generation: int, seconds: int) -> None:
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in _SKIPPED_HEADERS
    ]
    cache.set(key, (generation, response.status_code, headers, response.content), seconds)
    response[HEADER] = "miss"


def replay(request, stored: tuple) -> HttpResponse:
    _generation, status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    etag = response.get("ETag")
    if etag:
        response = get_conditional_response(request, etag=etag, response=response)
    response[HEADER] = "hit"
    return response


def __getattr__(name: str):
    # Kept for host projects configured before the middleware moved to disclosure.middleware.
    # Deferred: disclosure.middleware imports this module.
    if name == "PageCacheMiddleware":
        from .middleware import PageCacheMiddleware

        return PageCacheMiddleware
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
