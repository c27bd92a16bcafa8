"""What every resolver may reach: the engine, the caller, per-request dataloaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from api.auth import Principal
from api.config import AppConfig
from api.loaders import Loaders, build_loaders


@dataclass
class Context:
    request: Request | Any
    engine: AsyncEngine
    config: AppConfig
    principal: Principal | None
    redis: Any = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = build_loaders(self.engine)
