"""The HTTP cache in front of the public site (Varnish with ``deploy/varnish/disclosure.vcl``):
what the application tells it, and how it is cleared.

**What it may keep.** An answer the page cache would keep (``page_cache.cacheable_request`` and
``cacheable_response``: anonymous, ``200``, no ``Set-Cookie``, no CSRF token, not ``private``)
carries ``Surrogate-Control: max-age=N``, N being the seconds until the next midnight in
``TIME_ZONE``: an item's standing (due soon, overdue) changes with the day even when nothing is
published, as the page cache's key holds the date. The VCL keeps such answers for N seconds,
strips the header, and keeps nothing else but static files. Sent only while a
``VarnishBackend`` is configured, so that no other shared cache is told to keep anything.

**Clearing.** Every change that starts a new page-cache generation (``page_cache.invalidate``:
publishing, unpublishing, a move, a catalog or settings change, an attestation, a calendar
edit) bans everything the HTTP cache keeps, once its transaction has committed. Everything,
and not the changed page's URLs: the item page lists its publications, the index its items,
the API lists, feeds, sitemap and search show them, and standings move with attestations; the
default site answers for host names of its own; a commission's pages show several
institutions. This is the page cache's generation, for Varnish; one ``BAN`` request per
change (Varnish drops identical older bans). A ban that fails is owed: nothing is marked
keepable until it has gone through, and the next answer that would be sends it (``offer``).
Bans are ordered by a number each takes from the shared cache before it is sent (not by the
servers' clocks), and with ``disclosure.cache.RedisCache`` the debt is raised and cleared
atomically: a ban that went through clears the failures numbered before it, never a later one
another server recorded meanwhile.

It goes through Wagtail's frontend cache (``wagtail.contrib.frontend_cache``): configure
``WAGTAILFRONTENDCACHE`` with ``"BACKEND": "disclosure.frontend_cache.VarnishBackend"`` and
the Varnish address as ``LOCATION`` (the example project does it from ``VARNISH_URL``).
Wagtail's own purges (its publish and unpublish handlers, ``purge_page_from_cache`` called by a
host project) reach this backend too, which turns each into the same ban, after the commit.

One window remains: an answer rendered from the old content while the change was being
committed, and stored by Varnish after the ban reached it. With the page cache on, an answer
whose request started before the generation moved is not marked (``still_current``), which
leaves only the time between that check and Varnish storing the answer. Without the page cache
(no Redis), the window is the time an answer takes to render: run the page cache behind
Varnish.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from urllib.error import URLError
from urllib.parse import urlunsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.utils import get_backends

logger = logging.getLogger("wagtail.frontendcache")

SURROGATE_CONTROL = "Surrogate-Control"
# A ban that failed, by its ticket (shared by the application servers, in Redis).
OWED_KEY = "disclosure:http-cache:ban-owed"
# Every ban takes a number from this counter before it is sent: the order of bans between
# servers, without comparing their clocks.
TICKET_KEY = "disclosure:http-cache:ban-ticket"
RETRY_LOCK_KEY = "disclosure:http-cache:ban-retry"
RETRY_SECONDS = 5
RETRY_TIMEOUT = 1
BACKEND_PATH = "disclosure.frontend_cache.VarnishBackend"


class BanRequest(Request):
    def get_method(self) -> str:
        return "BAN"


class VarnishBackend(HTTPBackend):
    """Wagtail's HTTP backend, turning every purge into one ban of everything, sent once the
    transaction that asked for it has committed (before, a request could store the old content
    again)."""

    def purge(self, url) -> None:
        self.purge_batch([url])

    def purge_batch(self, urls) -> None:
        transaction.on_commit(self.ban_everything, robust=True)

    def ban_everything(self, *, timeout: float = 5) -> bool:
        """Send the ban; a ban that fails is owed by this server (see ``offer``). Whether it
        was sent."""
        request = BanRequest(
            urlunsplit((self.cache_scheme, self.cache_netloc, "/", "", "")),
            headers={"User-Agent": f"Wagtail-frontendcache/{wagtail_version}"},
        )
        owed_key = _owed_key(self)
        ticket = _ticket()
        try:
            urlopen(request, timeout=timeout).close()  # noqa: S310 - the configured LOCATION
        except (URLError, OSError) as error:
            logger.error("Couldn't ban the HTTP cache at %s: %s", self.cache_netloc, error)
            _raise_to(owed_key, ticket)
            return False
        # This ban left after every ban numbered before it: it clears what they would have.
        _delete_if_at_most(owed_key, ticket)
        return True


def _ticket() -> int:
    """The next ban's number (shared by the application servers)."""
    try:
        return cache.incr(TICKET_KEY)
    except ValueError:  # the first ban since the cache was emptied
        cache.add(TICKET_KEY, 0, None)
        return cache.incr(TICKET_KEY)


def _raise_to(key: str, ticket: int) -> None:
    """Record that the ban numbered ``ticket`` is owed, unless a later one already is."""
    raise_to = getattr(cache, "raise_to", None)
    if raise_to is not None:  # disclosure.cache.RedisCache: atomic between workers
        raise_to(key, ticket)
        return
    owed = cache.get(key)
    if owed is None or owed < ticket:
        cache.set(key, ticket, None)


def _delete_if_at_most(key: str, ticket: int) -> None:
    """Clear the debt of every ban numbered ``ticket`` or less (not of a later one)."""
    delete_if_at_most = getattr(cache, "delete_if_at_most", None)
    if delete_if_at_most is not None:  # disclosure.cache.RedisCache: atomic between workers
        delete_if_at_most(key, ticket)
        return
    owed = cache.get(key)
    if owed is not None and owed <= ticket:
        cache.delete(key)


def _owed_key(backend: VarnishBackend) -> str:
    """Where a ban ``backend``'s server did not get is remembered: one key per server, so
    that another server's ban does not clear it."""
    return f"{OWED_KEY}:{backend.cache_netloc}"


def _varnishes() -> list[VarnishBackend]:
    return [backend for backend in get_backends().values() if isinstance(backend, VarnishBackend)]


def configured() -> bool:
    """Whether an HTTP cache in front is configured (``WAGTAILFRONTENDCACHE``)."""
    backends = getattr(settings, "WAGTAILFRONTENDCACHE", None) or {}
    return any(config.get("BACKEND") == BACKEND_PATH for config in backends.values())


def ban_everything(*, timeout: float = 5) -> bool:
    """Drop every answer the configured HTTP caches keep, now. Whether every ban was sent."""
    sent = [backend.ban_everything(timeout=timeout) for backend in _varnishes()]
    return all(sent)


def offer(response) -> None:
    """Let the HTTP cache keep ``response`` (``mark_keepable``), unless a ban is owed.

    A ban that could not be sent (Varnish restarting, the purge address unreachable) leaves
    answers stored before the change in that Varnish. Until every server has had a ban after
    it, no answer is marked keepable, and the request that would mark one sends the bans
    first (one request every few seconds, waiting at most a second per server): the first
    visitor after the outage clears the cache, instead of the stale answers staying until
    midnight or the next change."""
    owed = cache.get_many([_owed_key(backend) for backend in _varnishes()])
    if owed and not (
        cache.add(RETRY_LOCK_KEY, 1, RETRY_SECONDS) and ban_everything(timeout=RETRY_TIMEOUT)
    ):
        return
    mark_keepable(response)


def seconds_until_midnight() -> int:
    now = timezone.localtime()
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), now.tzinfo)
    return max(1, math.ceil((midnight - now).total_seconds()))


def mark_keepable(response) -> None:
    """Tell the HTTP cache in front that it may keep ``response`` until midnight."""
    response[SURROGATE_CONTROL] = f"max-age={seconds_until_midnight()}"
