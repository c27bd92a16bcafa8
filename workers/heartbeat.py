"""Workers announce themselves in Redis so /healthz and operators can see one is alive."""

from __future__ import annotations

import os
import socket
import time
from typing import Any

HEARTBEAT_KEY = "lettrage:workers"
HEARTBEAT_TTL_SECONDS = 120


async def heartbeat(ctx: dict[str, Any]) -> float:
    """Record this worker as alive now; entries older than the TTL are pruned."""
    redis = ctx["redis"]
    now = time.time()
    member = f"{socket.gethostname()}:{os.getpid()}"
    await redis.zadd(HEARTBEAT_KEY, {member: now})
    await redis.zremrangebyscore(HEARTBEAT_KEY, 0, now - HEARTBEAT_TTL_SECONDS)
    return now
