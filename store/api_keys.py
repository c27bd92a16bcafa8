"""API keys: only the SHA-256 of a key is stored, so a database dump leaks no credentials."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from store.tables import API_KEYS as _T


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    id: int
    name: str
    scopes: tuple[str, ...]


async def create_api_key(
    engine: AsyncEngine, name: str, key_hash: str, scopes: Sequence[str]
) -> ApiKeyRecord:
    async with engine.begin() as conn:
        row = (
            await conn.execute(
                sa.insert(_T)
                .values(name=name, key_hash=key_hash, scopes=list(scopes))
                .returning(_T.c.id)
            )
        ).one()
    return ApiKeyRecord(id=row.id, name=name, scopes=tuple(scopes))


async def find_api_key(engine: AsyncEngine, key_hash: str) -> ApiKeyRecord | None:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                sa.select(_T.c.id, _T.c.name, _T.c.scopes).where(_T.c.key_hash == key_hash)
            )
        ).one_or_none()
    if row is None:
        return None
    return ApiKeyRecord(id=row.id, name=row.name, scopes=tuple(row.scopes))
