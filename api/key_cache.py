"""Recently verified API keys, held in-process for a few seconds.

Every GraphQL request needs its key's scopes; looking them up costs a database round trip that
is often longer than a page read itself. A key found in the table is kept here for `ttl`
seconds (keyed by its SHA-256, never the key itself), so a key deleted from `api_keys` keeps
working for at most that long on each server process. Unknown keys are never cached: a new
key works at once and a flood of wrong keys cannot fill the cache.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from api.auth import Principal

DEFAULT_TTL_SECONDS = 5.0
DEFAULT_MAX_KEYS = 1024


class ApiKeyCache:
    def __init__(
        self,
        ttl: float = DEFAULT_TTL_SECONDS,
        max_keys: int = DEFAULT_MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_keys = max_keys
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, Principal]] = OrderedDict()

    def get(self, key_hash: str) -> Principal | None:
        found = self._entries.get(key_hash)
        if found is None:
            return None
        expires, principal = found
        if self._clock() >= expires:
            del self._entries[key_hash]
            return None
        return principal

    def put(self, key_hash: str, principal: Principal) -> None:
        if self.ttl <= 0 or self.max_keys <= 0:
            return
        self._entries[key_hash] = (self._clock() + self.ttl, principal)
        self._entries.move_to_end(key_hash)
        while len(self._entries) > self.max_keys:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
