"""GraphQL tests go through the real Starlette app (httpx over ASGI, lifespan run)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from api.app import create_app
from api.auth import hash_key, new_key
from api.config import AppConfig
from store.api_keys import create_api_key
from store.db import create_engine


class GraphQLClient:
    """Posts operations with a key; `call` returns data and fails on top-level errors."""

    def __init__(self, http: httpx.AsyncClient, key: str) -> None:
        self.http = http
        self.key = key

    async def raw(
        self, query: str, variables: dict[str, Any] | None = None, key: str | None = None
    ) -> httpx.Response:
        return await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {key or self.key}"},
        )

    async def execute(
        self, query: str, variables: dict[str, Any] | None = None, key: str | None = None
    ) -> dict[str, Any]:
        response = await self.raw(query, variables, key)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def call(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = await self.execute(query, variables)
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data


async def make_key(db_url: str, scopes: list[str], name: str = "test") -> str:
    key = new_key()
    engine = create_engine(db_url, pool_size=1)
    try:
        await create_api_key(engine, name, hash_key(key), scopes)
    finally:
        await engine.dispose()
    return key


@pytest.fixture
async def app_config(db_url: str, redis_url: str, tmp_path: Path) -> AppConfig:
    return AppConfig(database_url=db_url, redis_url=redis_url, data_dir=tmp_path)


@pytest.fixture
async def http(app_config: AppConfig) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(app_config)
    # jobs this app enqueues (e.g. reminder deliveries) stay out of any real worker's queue
    app.state.statement_queue = f"arq:test:{uuid.uuid4().hex}"
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


@pytest.fixture
async def admin_key(db_url: str) -> str:
    return await make_key(db_url, ["read", "post", "admin"], "admin")


@pytest.fixture
async def gql(http: httpx.AsyncClient, admin_key: str) -> GraphQLClient:
    return GraphQLClient(http, admin_key)
