"""disclosure.cache.RedisCache against a real Redis: one client per process, and a hit counter
that is atomic between workers and keeps the expiry it was made with."""

import os
import threading
import uuid

import pytest
import redis
from django.core.cache import cache

from disclosure.services import ratelimit

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _reachable() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


if not _reachable():
    if os.environ.get("CI"):
        raise RuntimeError(f"CI runs these tests against Redis at {REDIS_URL}, which is down.")
    pytest.skip(f"no Redis at {REDIS_URL}", allow_module_level=True)


@pytest.fixture(autouse=True)
def _redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "disclosure.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    yield
    cache.clear()


def test_one_client_serves_every_call():
    first = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=False) is first
    cache.set("greeting", {"text": "你好"}, 30)
    assert cache.get("greeting") == {"text": "你好"}
    assert cache.get_many(["greeting", "absent"]) == {"greeting": {"text": "你好"}}
    assert cache._cache.get_client() is first


def test_count_hit_counts_from_one_and_keeps_its_first_expiry():
    assert cache.count_hit("hits", 60) == 1
    assert cache.count_hit("hits", 60) == 2
    client = cache._cache.get_client()
    key = cache.make_key("hits")
    assert 0 < client.ttl(key) <= 60
    # A later hit with a longer window does not push the expiry back.
    assert cache.count_hit("hits", 3600) == 3
    assert client.ttl(key) <= 60
    # The counter reads back through the cache like any integer.
    assert cache.get("hits") == 3


def test_count_hit_never_loses_or_repeats_a_count_under_concurrency():
    counts: list[int] = []
    lock = threading.Lock()

    def hit():
        for _ in range(50):
            value = cache.count_hit("busy", 60)
            with lock:
                counts.append(value)

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 401))


def test_rate_limit_uses_the_counter_and_refuses_past_the_limit():
    key = f"client-{uuid.uuid4().hex}"
    answers = [ratelimit.allow("api", key, limit=3, window=60) for _ in range(5)]
    assert answers == [True, True, True, False, False]
