"""Idempotency keys: a replayed posting returns the first result and posts nothing.

The key row is inserted in the same transaction as the posting, so a crash or an error
leaves no key behind, and a concurrent duplicate waits on the unique index and then reads
the committed response.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from domain.errors import DomainError, ErrorCode
from store.tables import IDEMPOTENCY_KEYS as _T
from store.uow import UnitOfWork


def request_hash(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def idempotent(
    uow: UnitOfWork,
    operation: str,
    key: str | None,
    payload: Any,
    work: Callable[[], Awaitable[dict[str, Any]]],
) -> dict[str, Any]:
    """Run `work` once per (operation, key); replays return the stored response."""
    if key is None:
        return await work()
    digest = request_hash(payload)
    inserted = (
        await uow.conn.execute(
            insert(_T)
            .values(key=key, operation=operation, request_hash=digest, response={})
            .on_conflict_do_nothing()
            .returning(_T.c.key)
        )
    ).one_or_none()
    if inserted is None:
        row = (
            await uow.conn.execute(
                sa.select(_T.c.request_hash, _T.c.response).where(
                    _T.c.key == key, _T.c.operation == operation
                )
            )
        ).one()
        if row.request_hash != digest:
            raise DomainError(
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
                f"idempotency key {key!r} was already used for {operation} with another input",
                ["idempotencyKey"],
            )
        return {**row.response, "replayed": True}
    response = await work()
    await uow.conn.execute(
        sa.update(_T).where(_T.c.key == key, _T.c.operation == operation).values(response=response)
    )
    return response
