"""Benchmark plumbing: a scratch database (DATABASE_URL or embedded) and the output format.

Every benchmark prints `name  value  unit  baseline  ratio` lines, baseline measured in the
same run against the same PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from lettrage.migrations import upgrade_head


def asyncpg_kwargs(url: str) -> dict[str, object]:
    u = make_url(url)
    host = u.query.get("host") or u.host or "127.0.0.1"
    kw: dict[str, object] = {
        "user": u.username or "postgres",
        "database": u.database,
        "host": host[0] if isinstance(host, tuple) else host,
    }
    if u.port:
        kw["port"] = u.port
    if u.password:
        kw["password"] = u.password
    return kw


@contextmanager
def scratch_database() -> Iterator[str]:
    """A freshly migrated database, dropped afterwards."""
    base = os.environ.get("DATABASE_URL")
    server = None
    tmp = None
    if base is None:
        from lettrage.runtime import start_embedded_postgres

        tmp = tempfile.TemporaryDirectory()
        base, server = start_embedded_postgres(Path(tmp.name))
    name = f"lettrage_bench_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(
            **asyncpg_kwargs(make_url(base).set(database="postgres").render_as_string(False))
        )
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade_head(url)
        yield url
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if server is not None:
            server.cleanup()
        if tmp is not None:
            tmp.cleanup()


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def report(name: str, value: float, unit: str, baseline: float | None) -> None:
    ratio = f"{value / baseline:.2f}" if baseline else "-"
    base = f"{baseline:.3f}" if baseline is not None else "-"
    print(f"{name:<40} {value:>12.3f} {unit:<8} {base:>12} {ratio:>8}", flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine_speed_ms() -> float:
    """Best of 5 ``sum(range(10**6))`` in ms: how fast this machine is right now (the VM's
    speed varies from day to day), to compare figures across runs."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sum(range(10**6))
        best = min(best, time.perf_counter() - started)
    return best * 1000
