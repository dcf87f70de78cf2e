"""The benchmark (``make bench``): production's settings, served over plain HTTP on this machine.

The Makefile sets the environment production requires (a fresh ``SECRET_KEY`` per run,
``ALLOWED_HOSTS``, ``REDIS_URL``, a scratch ``STATIC_ROOT``); the load generator sends
``X-Forwarded-Proto: https`` as a TLS-terminating proxy would.
"""

from .production import *  # noqa: F403

# The benchmark measures throughput, not the per-client limits that protect a real site: every
# request comes from one address.
DISCLOSURE_SEARCH_RATE_LIMIT = (10**9, 60)
DISCLOSURE_API_RATE_LIMIT = (10**9, 60)
