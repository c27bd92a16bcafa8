"""Engines are built by the composition root from a plain postgresql:// URL, never at import."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def async_url(plain_url: str) -> str:
    """postgresql://user@host/db (as psql takes it) -> the asyncpg driver form."""
    url = make_url(plain_url)
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+asyncpg"):
        url = url.set(drivername="postgresql+asyncpg")
    return url.render_as_string(hide_password=False)


def sync_url(plain_url: str) -> str:
    """The psycopg2 form, for alembic."""
    url = make_url(plain_url).set(drivername="postgresql+psycopg2")
    return url.render_as_string(hide_password=False)


def create_engine(plain_url: str, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        async_url(plain_url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,
    )
