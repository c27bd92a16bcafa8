"""Engines are built by the composition root from a plain postgresql:// URL, never at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def async_url(plain_url: str) -> str:
    """postgresql://user@host/db (as psql takes it) -> the asyncpg driver form."""
    url = make_url(plain_url)
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+asyncpg"):
        url = url.set(drivername="postgresql+asyncpg")
    return url.render_as_string(hide_password=False)


def create_engine(plain_url: str, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        async_url(plain_url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,
    )


@asynccontextmanager
async def driver_connection(engine: AsyncEngine) -> AsyncIterator[Any]:
    """The asyncpg connection of a pooled connection, with nothing begun: each statement
    commits by itself. Returned to the pool on exit (no reset needed: no transaction)."""
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        yield raw.driver_connection
