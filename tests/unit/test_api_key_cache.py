"""The in-process API-key cache: a verified key is reused for `ttl` seconds, never longer."""

from __future__ import annotations

import pytest

from api.auth import Principal
from api.key_cache import ApiKeyCache

READER = Principal(key_id=1, name="reader", scopes=frozenset({"read"}))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("ttl", "elapsed", "found"),
    [
        (5.0, 0.0, True),
        (5.0, 4.99, True),
        (5.0, 5.0, False),
        (5.0, 60.0, False),
        (0.0, 0.0, False),
        (-1.0, 0.0, False),
    ],
)
def test_a_key_is_served_from_the_cache_only_within_its_ttl(
    ttl: float, elapsed: float, found: bool
) -> None:
    clock = Clock()
    cache = ApiKeyCache(ttl=ttl, clock=clock)
    cache.put("h1", READER)
    clock.now += elapsed
    assert (cache.get("h1") == READER) is found


def test_an_unknown_hash_is_a_miss() -> None:
    cache = ApiKeyCache()
    cache.put("h1", READER)
    assert cache.get("h2") is None


def test_an_expired_entry_is_dropped_and_a_new_put_renews_it() -> None:
    clock = Clock()
    cache = ApiKeyCache(ttl=5.0, clock=clock)
    cache.put("h1", READER)
    clock.now += 6
    assert cache.get("h1") is None
    assert len(cache) == 0
    cache.put("h1", READER)
    clock.now += 4
    assert cache.get("h1") == READER


def test_the_cache_holds_at_most_max_keys_dropping_the_oldest() -> None:
    cache = ApiKeyCache(max_keys=3)
    for i in range(5):
        cache.put(f"h{i}", Principal(key_id=i, name=f"k{i}", scopes=frozenset({"read"})))
    assert len(cache) == 3
    assert [cache.get(f"h{i}") is not None for i in range(5)] == [False, False, True, True, True]
