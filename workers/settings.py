"""The arq worker definition: which jobs exist and how they get their resources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from arq import cron, func
from arq.connections import RedisSettings
from arq.worker import Worker

from store.db import create_engine
from store.queue import redis_settings
from workers.config import WorkerConfig
from workers.document_jobs import send_document
from workers.heartbeat import heartbeat
from workers.render_pool import RenderPool
from workers.report_jobs import render_aged_report
from workers.smtp_sessions import SmtpSessions
from workers.statement_jobs import send_statement


def build_worker(
    config: WorkerConfig, *, after_startup: Callable[[], None] | None = None
) -> Worker:
    """A Worker bound to our database and Redis (no module-level settings, no globals).

    ``after_startup`` runs once the worker and each of its render processes are set up (the
    composition root settles the garbage collector there, lettrage.gc_tuning; it must be a
    module-level function, which the render processes receive pickled).
    """
    max_jobs = config.max_jobs

    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx["engine"] = create_engine(config.database_url, pool_size=max(5, max_jobs))
        ctx["smtp"] = config.smtp
        ctx["smtp_sessions"] = SmtpSessions(config.smtp, keep=max_jobs)
        ctx["delivery_policy"] = config.delivery
        ctx["render_pool"] = RenderPool(config.render_processes, after_startup)
        await ctx["render_pool"].start()
        await heartbeat(ctx)
        if after_startup is not None:
            after_startup()

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        if "render_pool" in ctx:
            ctx["render_pool"].close()
        if "smtp_sessions" in ctx:
            await ctx["smtp_sessions"].close()
        await ctx["engine"].dispose()

    settings: RedisSettings = redis_settings(config.redis_url)
    attempts = config.delivery.max_attempts
    return Worker(
        functions=[
            heartbeat,
            # delivery attempts are counted in the database; arq must not give up first
            func(send_statement, max_tries=attempts + 10),
            func(send_document, max_tries=attempts + 10),
            func(render_aged_report, max_tries=1),
        ],
        cron_jobs=[cron(heartbeat, second={0, 30}, run_at_startup=False)],
        redis_settings=settings,
        on_startup=on_startup,
        on_shutdown=on_shutdown,
        handle_signals=False,
        max_jobs=max_jobs,
        # arq reads the queue only when a slot is free at poll time, then sleeps poll_delay:
        # with its 0.5 s default, a busy worker idled up to half a second per 100 jobs
        poll_delay=0.05,
        queue_read_limit=1000,
        job_timeout=config.job_timeout,
        max_tries=5,
        keep_result=3600,
        queue_name=config.queue_name,
    )
