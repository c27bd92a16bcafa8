"""The arq worker definition: which jobs exist and how they get their resources."""

from __future__ import annotations

import os
from typing import Any

from arq import cron, func
from arq.connections import RedisSettings
from arq.worker import Worker

from domain.gc_tuning import settle_after_startup
from store.db import create_engine
from store.queue import redis_settings
from workers.delivery import DeliveryPolicy, SmtpConfig, config_from_env
from workers.document_jobs import send_document
from workers.heartbeat import heartbeat
from workers.render_pool import RenderPool, render_processes
from workers.report_jobs import render_aged_report
from workers.smtp_sessions import SmtpSessions
from workers.statement_jobs import send_statement


def build_worker(
    database_url: str,
    redis_url: str,
    *,
    smtp: SmtpConfig | None = None,
    delivery_policy: DeliveryPolicy | None = None,
    **overrides: Any,
) -> Worker:
    """A Worker bound to our database and Redis (no module-level settings, no globals).

    SMTP settings and the delivery policy default to the environment (SMTP_*,
    LETTRAGE_SMTP_*); LETTRAGE_QUEUE_NAME and LETTRAGE_JOB_TIMEOUT default the queue and
    the job timeout (a killed worker's jobs are picked up again after timeout + 10 s).
    LETTRAGE_WORKER_MAX_JOBS (16) jobs run at once: their database and SMTP steps overlap
    while LETTRAGE_RENDER_PROCESSES child processes (one per core, at most 4) render PDFs.
    """
    env_smtp, env_policy = config_from_env(os.environ)
    smtp = smtp or env_smtp
    policy = delivery_policy or env_policy
    max_jobs = int(
        overrides.pop("max_jobs", None) or os.environ.get("LETTRAGE_WORKER_MAX_JOBS") or 16
    )

    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx["engine"] = create_engine(database_url, pool_size=max(5, max_jobs))
        ctx["smtp"] = smtp
        ctx["smtp_sessions"] = SmtpSessions(smtp, keep=max_jobs)
        ctx["delivery_policy"] = policy
        ctx["render_pool"] = RenderPool(render_processes(os.environ))
        await ctx["render_pool"].start()
        await heartbeat(ctx)
        settle_after_startup()

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        if "render_pool" in ctx:
            ctx["render_pool"].close()
        if "smtp_sessions" in ctx:
            await ctx["smtp_sessions"].close()
        await ctx["engine"].dispose()

    settings: RedisSettings = redis_settings(redis_url)
    params: dict[str, Any] = {
        "functions": [
            heartbeat,
            # delivery attempts are counted in the database; arq must not give up first
            func(send_statement, max_tries=policy.max_attempts + 10),
            func(send_document, max_tries=policy.max_attempts + 10),
            func(render_aged_report, max_tries=1),
        ],
        "cron_jobs": [cron(heartbeat, second={0, 30}, run_at_startup=False)],
        "redis_settings": settings,
        "on_startup": on_startup,
        "on_shutdown": on_shutdown,
        "handle_signals": False,
        "max_jobs": max_jobs,
        # arq reads the queue only when a slot is free at poll time, then sleeps poll_delay:
        # with its 0.5 s default, a busy worker idled up to half a second per 100 jobs
        "poll_delay": 0.05,
        "queue_read_limit": 1000,
        "job_timeout": int(os.environ.get("LETTRAGE_JOB_TIMEOUT") or 300),
        "max_tries": 5,
        "keep_result": 3600,
    }
    if os.environ.get("LETTRAGE_QUEUE_NAME"):
        params["queue_name"] = os.environ["LETTRAGE_QUEUE_NAME"]
    params.update(overrides)
    return Worker(**params)
