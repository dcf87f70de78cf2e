"""**RedisCache**: Django's Redis cache backend, with one client per server kept for the
life of the process and a counter the rate limits can bump in one round trip.

Set ``CACHES["default"]["BACKEND"] = "disclosure.cache.RedisCache"``. Django's own backend
builds a new ``redis.Redis`` object for every cache call; with redis-py 5 that object fills a
table of some 170 reply handlers first, which cost more than the round trip to the server on
every page the page cache answers (``docs/benchmarks.md``). A ``redis.Redis`` object is safe
to share between threads: it draws a connection from its pool for each command.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClientRedisCacheClient

    def count_hit(self, key: str, timeout: int, amount: int = 1) -> int:
        """Add ``amount`` to the counter ``key`` (made if missing, expiring ``timeout`` seconds
        after it was made) and return its new value: one round trip, atomic between workers."""
        key = self.make_and_validate_key(key)
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=True)
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incrby(key, amount)
        _made, count = pipeline.execute()
        return count
