"""disclosure.cache.RedisCache against a real Redis: one client per process, and a hit counter
that is atomic between workers and keeps the expiry it was made with."""

import os
import threading
import uuid
from types import SimpleNamespace

import pytest
import redis
from django.core.cache import cache

from disclosure import frontend_cache
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
def one_window(monkeypatch):
    """One rate-limit window throughout each test: the windows are fixed (a minute from the
    minute's start), and a loop of hits crossing a minute's boundary would open a second one
    and let the limit through twice (as CI once saw: 240 hits allowed of 120)."""
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))


@pytest.fixture(autouse=True)
def _redis_cache(settings):
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "disclosure.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield
    # This test's keys only: cache.clear() would empty the database under the tests that
    # other workers run at the same time.
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


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


def from_eight_threads(take) -> list:
    """What ``take()`` answered, called 50 times by each of 8 threads at once."""
    answers: list = []
    lock = threading.Lock()

    def run():
        for _ in range(50):
            answer = take()
            with lock:
                answers.append(answer)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_count_hit_never_loses_or_repeats_a_count_under_concurrency():
    counts = from_eight_threads(lambda: cache.count_hit("busy", 60))
    assert sorted(counts) == list(range(1, 401))


def test_rate_limit_uses_the_counter_and_refuses_past_the_limit():
    key = f"client-{uuid.uuid4().hex}"
    answers = [ratelimit.allow("api", key, limit=3, window=60) for _ in range(5)]
    assert answers == [True, True, True, False, False]


def test_count_hit_adds_an_amount_in_one_step():
    assert cache.count_hit("leased", 60, 10) == 10
    assert cache.count_hit("leased", 60) == 11
    assert cache.count_hit("leased", 60, 10) == 21


# A generous limit is counted in leases ---------------------------------------------------


@pytest.fixture
def processes(monkeypatch):
    """Hand out this process's leased hits as if from one of several processes: each takes
    its own from the shared count."""
    tables = [ratelimit.Leases() for _ in range(3)]
    monkeypatch.setattr(ratelimit, "leases", tables[0])

    def use(index: int):
        monkeypatch.setattr(ratelimit, "leases", tables[index])

    return use


def round_trips(monkeypatch) -> list[int]:
    """The amount taken from the shared count at each round trip to Redis."""
    calls: list[int] = []
    count = ratelimit._count

    def counted(bucket, window, amount):
        calls.append(amount)
        return count(bucket, window, amount)

    monkeypatch.setattr(ratelimit, "_count", counted)
    return calls


def test_one_process_lets_exactly_the_limit_through_with_a_round_trip_per_lease(
    monkeypatch, processes
):
    key = f"client-{uuid.uuid4().hex}"
    calls = round_trips(monkeypatch)
    answers = [ratelimit.allow("api", key, limit=600, window=60) for _ in range(603)]
    assert answers == [True] * 600 + [False] * 3
    # Ten hits at a time: 60 round trips for the 600, then one for each refusal.
    assert ratelimit.lease_size(600) == 10
    assert calls == [10] * 63


def test_several_processes_never_let_more_than_the_limit_through(monkeypatch, processes):
    key = f"client-{uuid.uuid4().hex}"
    allowed = 0
    for hit in range(700):
        processes(hit % 3)  # a client's requests spread over three processes
        allowed += ratelimit.allow("api", key, limit=120, window=60)
    # Never above the limit; below it by at most the hits the two other processes still hold
    # (a lease of 2 each: one unspent hit apiece).
    assert 120 - 2 <= allowed <= 120


def test_a_strict_limit_counts_every_hit_in_the_shared_cache(monkeypatch, processes):
    key = f"client-{uuid.uuid4().hex}"
    calls = round_trips(monkeypatch)
    answers = [ratelimit.allow("search", key, limit=30, window=60) for _ in range(31)]
    assert answers == [True] * 30 + [False]
    assert calls == [1] * 31


def test_the_leases_kept_are_bounded(processes):
    table = ratelimit.Leases(size=5)
    for client in range(20):
        table.keep(f"bucket-{client}", 9, 60)
    assert len(table) == 5
    # The most recent are kept, the oldest went first.
    assert table.spend("bucket-19") and not table.spend("bucket-0")


def test_a_lease_pushed_out_gives_its_hits_back(monkeypatch):
    """Many other clients between each of one client's requests push its lease out of the
    table every time: the hits it had not spent go back to the shared count, so the client
    still gets its whole limit (and never more)."""
    monkeypatch.setattr(ratelimit, "leases", ratelimit.Leases(size=4))
    victim = f"client-{uuid.uuid4().hex}"
    others = [f"other-{uuid.uuid4().hex}" for _ in range(6)]
    allowed = 0
    for _ in range(650):
        allowed += ratelimit.allow("api", victim, limit=600, window=60)
        for other in others:
            ratelimit.allow("api", other, limit=600, window=60)
    assert allowed == 600


# The record of an owed HTTP-cache ban ----------------------------------------------------


def test_raise_to_keeps_the_largest_and_delete_if_at_most_spares_a_larger_one():
    cache.raise_to("owed", 3)
    cache.raise_to("owed", 1)  # a failure recorded late does not lower the debt
    assert cache.get("owed") == 3
    assert cache.delete_if_at_most("owed", 2) is False  # a ban before it does not clear it
    assert cache.get("owed") == 3
    assert cache.delete_if_at_most("owed", 3) is True
    assert cache.get("owed") is None
    assert cache.delete_if_at_most("owed", 9) is False


def test_a_ban_that_succeeds_never_clears_a_later_failure_whatever_the_order(settings):
    """Three application servers ban at once: B takes its number, C takes the next and fails,
    A (the first) fails and is recorded last, then B succeeds. C's failure is still owed: B
    left before it and cannot have cleared what C's change stored."""
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": frontend_cache.BACKEND_PATH, "LOCATION": "http://127.0.0.1:9"}
    }
    (backend,) = frontend_cache._varnishes()
    owed = frontend_cache._owed_key(backend)
    a, b, c = (frontend_cache._ticket() for _ in range(3))
    assert a < b < c
    frontend_cache._raise_to(owed, c)
    frontend_cache._raise_to(owed, a)
    frontend_cache._delete_if_at_most(owed, b)
    assert cache.get(owed) == c
    # A ban that leaves afterwards clears it, and the next request may mark answers again.
    frontend_cache._delete_if_at_most(owed, frontend_cache._ticket())
    assert cache.get(owed) is None


def test_tickets_are_never_repeated_between_workers():
    tickets = from_eight_threads(frontend_cache._ticket)
    assert len(tickets) == len(set(tickets)) == 400
