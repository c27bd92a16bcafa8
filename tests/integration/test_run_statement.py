"""store.uow.run_statement: a unit of work of one statement, committed without BEGIN/COMMIT,
all or nothing, and retried after a deadlock or serialization failure like run_in_transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from store.db import create_engine
from store.uow import run_statement
from tests.conftest import _asyncpg_dsn

FLAKY = """
CREATE FUNCTION flaky(code text) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    IF nextval('tries') = 1 THEN  -- a sequence is not rolled back: the second call passes
        RAISE EXCEPTION 'first call fails' USING ERRCODE = code;
    END IF;
    RETURN 7;
END
$$
"""


@pytest.fixture
async def pg(db_url: str) -> AsyncIterator[Any]:
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    await conn.execute("CREATE TABLE t (n int NOT NULL); INSERT INTO t VALUES (1), (2)")
    await conn.execute("CREATE SEQUENCE tries")
    await conn.execute(FLAKY)
    yield conn
    await conn.close()


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url, pool_size=1)
    yield engine
    await engine.dispose()


async def test_the_statement_is_committed_by_itself(pg: Any, engine: AsyncEngine) -> None:
    assert await run_statement(engine, "UPDATE t SET n = n * $1 WHERE n = 2 RETURNING n", 10) == 20

    assert sorted(r["n"] for r in await pg.fetch("SELECT n FROM t")) == [1, 20]


async def test_a_failed_statement_leaves_nothing_behind(pg: Any, engine: AsyncEngine) -> None:
    with pytest.raises(asyncpg.DivisionByZeroError):
        await run_statement(engine, "UPDATE t SET n = 10 / (n - 2)")  # fails on the second row

    assert sorted(r["n"] for r in await pg.fetch("SELECT n FROM t")) == [1, 2]


@pytest.mark.parametrize("code", ["40P01", "40001"], ids=["deadlock", "serialization"])
async def test_a_deadlock_or_serialization_failure_is_tried_again(
    pg: Any, engine: AsyncEngine, code: str
) -> None:
    assert await run_statement(engine, "SELECT flaky($1)", code) == 7
    assert await pg.fetchval("SELECT last_value FROM tries") == 2


async def test_other_errors_are_not_tried_again(pg: Any, engine: AsyncEngine) -> None:
    with pytest.raises(asyncpg.PostgresError, match="first call fails"):
        await run_statement(engine, "SELECT flaky($1)", "22012")
    assert await pg.fetchval("SELECT last_value FROM tries") == 1
