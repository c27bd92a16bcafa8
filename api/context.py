"""What every resolver may reach: the engine, the caller, per-request dataloaders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from starlette.requests import Request

from api.auth import Principal
from api.config import AppConfig
from api.loaders import Loaders, build_loaders
from store.statements.queue import DEFAULT_QUEUE_NAME


@dataclass
class Context:
    request: Request | Any
    engine: AsyncEngine
    config: AppConfig
    principal: Principal | None
    redis: Any = None
    connection_params: dict[str, Any] | None = None  # graphql-transport-ws init
    read_engine: AsyncEngine | None = None  # autocommit view of `engine`, for reads
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = build_loaders(self.reads)

    @property
    def reads(self) -> AsyncEngine:
        """The engine for read-only resolvers: no transaction round trips around a read."""
        return self.read_engine or self.engine

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """The connection a resolver reads through (autocommit, so no transaction round
        trips); resolvers never open connections or transactions themselves."""
        async with self.reads.connect() as conn:
            yield conn

    @property
    def queue_name(self) -> str:
        """The arq queue statement jobs go to (`app.state.statement_queue`, tests set it)."""
        state = getattr(getattr(self.request, "app", None), "state", None)
        return str(getattr(state, "statement_queue", DEFAULT_QUEUE_NAME))
