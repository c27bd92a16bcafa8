"""`lettrage statements`: the same request as the API's requestStatementRun, from a shell, with
a progress bar fed by the run's counts (the workers do the work)."""

from __future__ import annotations

import asyncio
from datetime import date

import redis.asyncio as aioredis
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.delivery import RunStatus
from domain.errors import DomainError
from lettrage.runtime import Services
from store.db import create_engine
from store.statements.queue import enqueue_deliveries
from store.statements.runs import (
    StatementRunRequest,
    create_statement_run,
    get_run,
    pending_jobs,
    run_counts,
)


async def run_statements(
    svc: Services,
    start: date,
    end: date,
    customer_nos: tuple[str, ...] | None,
    output: str,
    *,
    queue: str,
    wait: bool,
) -> tuple[int, str]:
    """Create the run and enqueue it on the workers' ``queue``; with ``wait``, follow it.
    Returns (exit code, message)."""
    engine = create_engine(svc.database_url, pool_size=2)
    redis = aioredis.Redis.from_url(svc.redis_url)
    try:
        request = StatementRunRequest(
            start_date=start, end_date=end, customer_nos=customer_nos, output=output
        )
        try:
            run_id, _ = await create_statement_run(engine, request)
        except DomainError as exc:
            return 1, exc.message
        async with engine.connect() as conn:
            jobs = await pending_jobs(conn, run_id)
        await enqueue_deliveries(redis, jobs, queue)
        if not wait:
            return 0, f"statement run {run_id} queued ({len(jobs)} statements)"
        return await _follow(engine, run_id)
    finally:
        await redis.aclose()
        await engine.dispose()


async def _follow(engine: AsyncEngine, run_id: int) -> tuple[int, str]:
    columns = (
        TextColumn("[bold]statements"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns) as progress:
        task = progress.add_task("run", total=None, detail="")
        while True:
            async with engine.connect() as conn:
                run = await get_run(conn, run_id)
                counts = await run_counts(conn, run_id)
            assert run is not None
            done = counts.total - counts.pending
            detail = f"sent {counts.sent} ready {counts.ready} failed {counts.failed}"
            progress.update(task, total=counts.total, completed=done, detail=detail)
            if run.status in (RunStatus.COMPLETED, RunStatus.CANCELLED):
                break
            await asyncio.sleep(0.5)
    message = (
        f"statement run {run_id} {run.status.lower()}: {counts.total} statements, "
        f"{counts.sent} sent, {counts.ready} ready, {counts.failed} failed"
    )
    return (1 if counts.failed else 0), message
