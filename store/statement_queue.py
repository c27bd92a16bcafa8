"""Statement jobs are enqueued only after the run is committed, with job ids derived from run,
customer and retry round, so enqueuing twice (a replayed request, a resumed run) adds nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from arq.connections import ArqRedis
from arq.constants import default_queue_name

from store.statement_runs import SEND_STATEMENT, DeliveryJob

DEFAULT_QUEUE_NAME: str = default_queue_name


def arq_client(redis: Any) -> ArqRedis:
    """An arq client sharing the connection pool of a redis.asyncio client."""
    if isinstance(redis, ArqRedis):
        return redis
    return ArqRedis(pool_or_conn=redis.connection_pool)


async def enqueue_deliveries(
    redis: Any, jobs: Sequence[DeliveryJob], queue_name: str = DEFAULT_QUEUE_NAME
) -> int:
    """Enqueue one `send_statement` job per delivery; returns how many were new."""
    client = arq_client(redis)
    added = 0
    for job in jobs:
        created = await client.enqueue_job(
            SEND_STATEMENT, job.delivery_id, _job_id=job.job_id, _queue_name=queue_name
        )
        added += created is not None
    return added
