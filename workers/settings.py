"""The arq worker definition: which jobs exist and how they get their resources."""

from __future__ import annotations

from typing import Any

from arq import cron
from arq.connections import RedisSettings
from arq.worker import Worker

from store.db import create_engine
from workers.heartbeat import heartbeat
from store.queue import redis_settings


def build_worker(database_url: str, redis_url: str, **overrides: Any) -> Worker:
    """A Worker bound to our database and Redis (no module-level settings, no globals)."""

    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx["engine"] = create_engine(database_url, pool_size=5)
        await heartbeat(ctx)

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        await ctx["engine"].dispose()

    settings: RedisSettings = redis_settings(redis_url)
    params: dict[str, Any] = {
        "functions": [heartbeat],
        "cron_jobs": [cron(heartbeat, second={0, 30}, run_at_startup=False)],
        "redis_settings": settings,
        "on_startup": on_startup,
        "on_shutdown": on_shutdown,
        "handle_signals": False,
        "max_jobs": 4,
        "job_timeout": 300,
        "max_tries": 5,
        "keep_result": 3600,
    }
    params.update(overrides)
    return Worker(**params)
