"""Real PostgreSQL and Redis for every test that needs them.

TEST_DATABASE_URL / TEST_REDIS_URL when set, else embedded servers started once per session.
`alembic upgrade head` runs once into a template database; each test gets a clone of it.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from lettrage.migrations import upgrade_head

os.environ.setdefault("LOG_LEVEL", "WARNING")


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _asyncpg_dsn(url: str) -> dict[str, Any]:
    u = make_url(url)
    kw: dict[str, Any] = {"user": u.username or "postgres", "database": u.database or "postgres"}
    if u.password:
        kw["password"] = u.password
    host = u.query.get("host") or u.host
    if isinstance(host, tuple):
        host = host[0]
    kw["host"] = host or "127.0.0.1"
    if u.port:
        kw["port"] = u.port
    return kw


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lettrage-data")


@pytest.fixture(scope="session")
def pg_url(data_dir: Path) -> Iterator[str]:
    given = os.environ.get("TEST_DATABASE_URL")
    if given:
        yield given
        return
    from lettrage.runtime import start_embedded_postgres

    url, server = start_embedded_postgres(data_dir)
    try:
        yield url
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def redis_url(data_dir: Path) -> Iterator[str]:
    given = os.environ.get("TEST_REDIS_URL")
    if given:
        yield given
        return
    from lettrage.runtime import start_embedded_redis

    url, server = start_embedded_redis(data_dir)
    try:
        yield url
    finally:
        server.shutdown()


async def _admin(pg_url: str, sql: str) -> None:
    conn = await asyncpg.connect(**_asyncpg_dsn(_with_database(pg_url, "postgres")))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def template_db(pg_url: str) -> Iterator[str]:
    name = f"lt_tpl_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(pg_url, f'CREATE DATABASE "{name}"'))
    url = _with_database(pg_url, name)
    upgrade_head(url)
    try:
        yield name
    finally:
        asyncio.run(_admin(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def db_url(pg_url: str, template_db: str) -> AsyncIterator[str]:
    """A fresh database cloned from the migrated template (milliseconds)."""
    name = f"lt_t_{uuid.uuid4().hex[:12]}"
    await _admin(pg_url, f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"')
    try:
        yield _with_database(pg_url, name)
    finally:
        await _admin(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
