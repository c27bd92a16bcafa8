"""One unit of work per mutation or job: it rolls back unless told to commit.

Deadlocks and serialization failures are retried a bounded number of times, each retry in a
fresh transaction, so callers see either a full posting or a typed error. A unit of work of
one statement (the delivery steps) runs without BEGIN/COMMIT: run_statement.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, TypeVar

import asyncpg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction

from store.db import driver_connection

T = TypeVar("T")
RETRYABLE_SQLSTATES = {"40001", "40P01"}


class UnitOfWork:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None
        self._tx: AsyncTransaction | None = None
        self._committed = False

    @property
    def conn(self) -> AsyncConnection:
        if self._conn is None:
            raise RuntimeError("unit of work used outside its `async with` block")
        return self._conn

    async def __aenter__(self) -> UnitOfWork:
        self._conn = await self._engine.connect()
        self._tx = await self._conn.begin()
        return self

    async def commit(self) -> None:
        assert self._tx is not None
        await self._tx.commit()
        self._committed = True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._tx is not None and not self._committed and self._tx.is_active:
                await self._tx.rollback()
        finally:
            if self._conn is not None:
                await self._conn.close()


def _is_retryable(exc: DBAPIError) -> bool:
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(
        getattr(orig, "__cause__", None), "sqlstate", None
    )
    return code in RETRYABLE_SQLSTATES


async def run_in_transaction(
    engine: AsyncEngine,
    work: Callable[[UnitOfWork], Awaitable[T]],
    retries: int = 8,
) -> T:
    """Run `work` in a unit of work and commit; retry on deadlock/serialization failure."""
    for attempt in range(retries + 1):
        try:
            async with UnitOfWork(engine) as uow:
                result = await work(uow)
                await uow.commit()
                return result
        except DBAPIError as exc:
            if attempt >= retries or not _is_retryable(exc):
                raise
            await asyncio.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
    raise AssertionError("unreachable")


async def run_statement(engine: AsyncEngine, query: str, *args: Any, retries: int = 8) -> Any:
    """One statement as a unit of work of its own, on the pooled connection's asyncpg
    connection; returns the first column of its first row (None when there is none).

    PostgreSQL runs a statement sent outside BEGIN as a transaction of its own, committed when
    it succeeds and rolled back when it fails: for a unit of work of one statement that is
    all of it, without the BEGIN and COMMIT round trips (a worker takes the delivery steps
    thousands of times a minute) nor SQLAlchemy's layers. One statement per call, so nothing
    can be half-written; deadlocks and serialization failures are retried, as in
    run_in_transaction (a failed statement left nothing behind).
    """
    for attempt in range(retries + 1):
        try:
            async with driver_connection(engine) as pg:
                return await pg.fetchval(query, *args)
        except asyncpg.PostgresError as exc:
            if attempt >= retries or getattr(exc, "sqlstate", None) not in RETRYABLE_SQLSTATES:
                raise
            await asyncio.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
    raise AssertionError("unreachable")
