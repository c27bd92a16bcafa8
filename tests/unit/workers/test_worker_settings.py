"""The worker takes what the composition root hands it: its SMTP server and delivery policy
reach the jobs' context, and the start-up hook runs once everything is set up."""

from __future__ import annotations

from typing import Any

from workers.config import DeliveryPolicy, SmtpConfig, WorkerConfig
from workers.settings import build_worker


class _Redis:
    """What the start-up heartbeat writes to."""

    def __init__(self) -> None:
        self.members: dict[str, float] = {}

    async def zadd(self, key: str, mapping: dict[str, float]) -> None:
        self.members.update(mapping)

    async def zremrangebyscore(self, key: str, low: float, high: float) -> None:
        return None


async def test_the_worker_runs_on_its_configuration_and_settles_after_startup() -> None:
    config = WorkerConfig(
        database_url="postgresql://nobody@127.0.0.1:1/none",  # never connected to here
        redis_url="redis://127.0.0.1:1/0",
        smtp=SmtpConfig(host="mail.example.com", port=2525, sender="ar@example.com"),
        delivery=DeliveryPolicy(max_attempts=3, backoff_seconds=0.5),
        max_jobs=4,
        render_processes=0,
        job_timeout=42,
        queue_name="lettrage:test:settings",
    )
    calls: list[str] = []
    worker = build_worker(config, after_startup=lambda: calls.append("settled"))
    assert (worker.queue_name, worker.max_jobs, worker.job_timeout_s) == (
        "lettrage:test:settings",
        4,
        42,
    )
    assert worker.functions["send_statement"].max_tries == 3 + 10

    ctx: dict[str, Any] = {"redis": _Redis()}
    assert worker.on_startup is not None
    assert worker.on_shutdown is not None
    await worker.on_startup(ctx)
    try:
        assert calls == ["settled"]
        assert ctx["smtp"] == config.smtp
        assert ctx["smtp_sessions"].config == config.smtp
        assert ctx["smtp_sessions"].keep == 4
        assert ctx["delivery_policy"] == config.delivery
        assert ctx["render_pool"].processes == 0
        assert len(ctx["redis"].members) == 1  # the heartbeat
    finally:
        await worker.on_shutdown(ctx)
