"""Statement jobs are enqueued 500 per Redis script instead of one arq `enqueue_job` each:
the stored jobs must be the ones arq writes and reads, and a job that is queued, running or
done must not be added again (a replayed request, a resumed run)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis
from arq.constants import job_key_prefix, result_key_prefix
from arq.jobs import deserialize_job

from store.statements.queue import arq_client, enqueue_deliveries
from store.statements.runs import SEND_STATEMENT, DeliveryJob


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()


def _jobs(n: int, tag: str) -> list[DeliveryJob]:
    return [DeliveryJob(i, f"statement:test-{tag}:C{i:05d}") for i in range(1, n + 1)]


async def test_jobs_are_what_arq_would_enqueue_and_are_added_once(redis: aioredis.Redis) -> None:
    tag = uuid.uuid4().hex[:8]
    queue = f"q-{tag}"
    jobs = _jobs(1203, tag)  # three script calls, the last one partial
    try:
        assert await enqueue_deliveries(redis, jobs, queue) == 1203
        assert await enqueue_deliveries(redis, jobs, queue) == 0
        assert await redis.zcard(queue) == 1203
        ranked = [m.decode() for m in await redis.zrange(queue, 0, -1)]
        assert ranked == [j.job_id for j in jobs]  # customer order

        mine = jobs[7]
        stored = deserialize_job(await redis.get(job_key_prefix + mine.job_id))
        assert (stored.function, stored.args, stored.kwargs) == (SEND_STATEMENT, (8,), {})
        assert 0 < await redis.pttl(job_key_prefix + mine.job_id) <= 86_400_000

        # arq itself sees them as existing jobs, and a finished one is not re-added either
        client = arq_client(redis)
        again = await client.enqueue_job(SEND_STATEMENT, 8, _job_id=mine.job_id, _queue_name=queue)
        assert again is None
        done = jobs[0]
        await redis.delete(job_key_prefix + done.job_id)
        await redis.zrem(queue, done.job_id)
        await redis.set(result_key_prefix + done.job_id, b"r")
        assert await enqueue_deliveries(redis, jobs[:2], queue) == 0
        await redis.delete(result_key_prefix + done.job_id)
        assert await enqueue_deliveries(redis, jobs[:2], queue) == 1
    finally:
        keys = [job_key_prefix + j.job_id for j in jobs] + [queue]
        await redis.delete(*keys)
