"""Statement run progress over graphql-transport-ws: a browser cannot set headers on a
WebSocket, so the API key may also come in the connection_init payload."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info

from api.auth import Principal, bearer_token, hash_key
from api.context import Context
from api.types.statements import StatementRun, StatementRunStatus, load_statement_run
from store.api_keys import find_api_key

POLL_SECONDS = 0.5
_FINAL = (StatementRunStatus.COMPLETED, StatementRunStatus.CANCELLED)


class WsReadScope(BasePermission):
    """Read scope, from the handshake's Authorization header or connection_init's payload
    (``{"Authorization": "Bearer <key>"}``)."""

    error_extensions = {"code": "FORBIDDEN"}
    message = "This operation needs the 'read' scope on your API key."

    async def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        context: Context = info.context
        if context.principal is None:
            context.principal = await _principal(context)
        return context.principal is not None and "read" in context.principal.scopes


async def _principal(context: Context) -> Principal | None:
    params = context.connection_params or {}
    header = params.get("Authorization") or params.get("authorization")
    if not isinstance(header, str):
        headers = getattr(context.request, "headers", None)
        header = headers.get("authorization") if headers is not None else None
    token = bearer_token(header)
    if token is None:
        return None
    record = await find_api_key(context.engine, hash_key(token))
    if record is None:
        return None
    return Principal(key_id=record.id, name=record.name, scopes=frozenset(record.scopes))


def _progress(run: StatementRun) -> tuple[object, ...]:
    return (run.status, run.rendered, run.sent, run.ready, run.failed, run.cancelled, run.pending)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        permission_classes=[WsReadScope],
        description="The run now, then each time its status or counts change; ends when the "
        "run is completed or cancelled.",
    )
    async def statement_run_progress(
        self, info: Info[Context, None], id: int
    ) -> AsyncGenerator[StatementRun, None]:
        last: tuple[object, ...] | None = None
        while True:
            run = await load_statement_run(info, id)
            if run is None:
                return
            if _progress(run) != last:
                last = _progress(run)
                yield run
            if run.status in _FINAL:
                return
            await asyncio.sleep(POLL_SECONDS)
