"""A fixed-window rate limit kept in Django's cache, so that every worker shares the count
(with a shared cache backend such as Redis in production)."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict

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


#: A process takes hits of a generous limit from the shared count this many at a time (a
#: sixtieth of the limit: 10 of the API's 600 a minute) and spends them itself, so that most
#: requests make no round trip to the cache (a cached API answer made two, a cached page none).
LEASE_FRACTION = 60
#: The clients whose leased hits a process keeps at most; the least recent go first.
LEASES_KEPT = 4096


class Leases:
    """The hits this process took from the shared counts and has not spent yet."""

    def __init__(self, size: int = LEASES_KEPT):
        self.size = size
        # bucket: (hits left, the bucket's window in seconds)
        self._left: OrderedDict[str, tuple[int, int]] = OrderedDict()
        self._lock = threading.Lock()

    def spend(self, bucket: str) -> bool:
        """Spend one hit leased for ``bucket``; False if none is left."""
        with self._lock:
            left, window = self._left.pop(bucket, (0, 0))
            if left <= 0:
                return False
            if left > 1:
                self._left[bucket] = (left - 1, window)
            return True

    def keep(self, bucket: str, left: int, window: int) -> None:
        """Keep ``left`` hits leased for ``bucket``. A lease pushed out by the bound gives its
        hits back to the shared count: unspent, they would be refused to their client."""
        if left <= 0:
            return
        evicted = []
        with self._lock:
            self._left[bucket] = (left, window)
            self._left.move_to_end(bucket)
            while len(self._left) > self.size:
                evicted.append(self._left.popitem(last=False))
        for old_bucket, (unspent, old_window) in evicted:
            _count(old_bucket, old_window, -unspent)

    def __len__(self) -> int:
        return len(self._left)


leases = Leases()


def lease_size(limit: int) -> int:
    """How many hits a process takes from the shared count at once for ``limit``: one (every
    hit counted in the cache at once) for the strict limits (30 searches a minute)."""
    return max(1, limit // LEASE_FRACTION)


def _count(bucket: str, window: int, amount: int) -> int:
    """Add ``amount`` hits to the shared count of ``bucket`` (fewer if negative: hits given
    back); its new total."""
    count_hit = getattr(cache, "count_hit", None)
    if count_hit is not None:  # disclosure.cache.RedisCache: one round trip
        return count_hit(bucket, window, amount)
    if cache.add(bucket, amount, timeout=window):
        return amount
    try:
        return cache.incr(bucket, amount)
    except ValueError:  # the bucket expired between add() and incr()
        cache.add(bucket, amount, timeout=window)
        return amount


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one hit of ``key`` in ``scope``; False once more than ``limit`` hits fell in the
    current window of ``window`` seconds.

    Hits are taken from the shared count :func:`lease_size` at a time and the rest spent by
    this process: never more than ``limit`` in a window between all processes; a client whose
    requests are spread over several processes may be refused up to ``lease_size - 1`` hits
    early for each other process holding unspent ones. Hits leased beyond the limit, and
    those of a lease pushed out of the table, go back to the shared count."""
    bucket = f"disclosure:ratelimit:{scope}:{key}:{int(time.time() // window)}"
    if leases.spend(bucket):
        return True
    amount = lease_size(limit)
    total = _count(bucket, window, amount)
    # This process took the hits numbered total - amount + 1 to total; those within the limit
    # are its to spend, this one first.
    usable = min(total, limit) - (total - amount)
    if usable <= 0:
        return False
    if usable < amount:  # the lease reached past the limit: what is beyond it goes back
        _count(bucket, window, usable - amount)
    leases.keep(bucket, usable - 1, window)
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
