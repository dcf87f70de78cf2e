"""**RedisCache**: Django's Redis cache backend, with one client per server kept for the
life of the process, a counter the rate limits can bump in one round trip, and the two atomic
steps the record of an owed HTTP-cache ban needs (``raise_to``, ``delete_if_at_most``).

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

    # Integers are stored as Redis integers by Django's serializer (anything else pickled), so
    # a script can compare them. Both steps are one script: atomic between workers.
    _RAISE_TO = """
        local current = tonumber(redis.call('GET', KEYS[1]))
        if current == nil or current < tonumber(ARGV[1]) then
            redis.call('SET', KEYS[1], ARGV[1])
        end
    """
    _DELETE_IF_AT_MOST = """
        local current = tonumber(redis.call('GET', KEYS[1]))
        if current ~= nil and current <= tonumber(ARGV[1]) then
            return redis.call('DEL', KEYS[1])
        end
        return 0
    """

    def raise_to(self, key: str, value: int) -> None:
        """Set the integer ``key`` to ``value`` unless it holds a larger one (kept forever)."""
        key = self.make_and_validate_key(key)
        self._cache.get_client(key, write=True).eval(self._RAISE_TO, 1, key, int(value))

    def delete_if_at_most(self, key: str, value: int) -> bool:
        """Delete the integer ``key`` if it holds ``value`` or less; whether it was deleted."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        return bool(client.eval(self._DELETE_IF_AT_MOST, 1, key, int(value)))
