"""The read path's shortcuts keep the contract: cached keys expire, cursors stay the same."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import event
from sqlalchemy.engine import Engine
from strawberry.extensions import AddValidationRules, ValidationCache

from api.app import create_app
from api.auth import hash_key
from api.config import AppConfig
from api.key_cache import ApiKeyCache
from api.schema import build_schema
from tests.api.conftest import GraphQLClient, make_key
from tests.api.ledger_helpers import post_invoice, setup_customer
from tests.conftest import _asyncpg_dsn


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def app_with_clock(app_config: AppConfig) -> AsyncIterator[tuple[httpx.AsyncClient, Clock]]:
    app = create_app(app_config)
    clock = Clock()
    app.state.key_cache = ApiKeyCache(ttl=5.0, clock=clock)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client, clock


async def _delete_key(db_url: str, key: str) -> None:
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        await conn.execute("DELETE FROM api_keys WHERE key_hash = $1", hash_key(key))
    finally:
        await conn.close()


async def test_a_deleted_key_works_until_the_cache_ttl_then_is_refused(
    app_with_clock: tuple[httpx.AsyncClient, Clock], db_url: str
) -> None:
    client, clock = app_with_clock
    key = await make_key(db_url, ["read"], "short-lived")
    headers = {"Authorization": f"Bearer {key}"}
    body = {"query": "{ viewer { name } }"}
    assert (await client.post("/graphql", json=body, headers=headers)).status_code == 200
    await _delete_key(db_url, key)
    clock.now += 4.9
    response = await client.post("/graphql", json=body, headers=headers)
    assert response.json()["data"]["viewer"]["name"] == "short-lived"
    clock.now += 0.2
    assert (await client.post("/graphql", json=body, headers=headers)).status_code == 401


async def test_a_cached_key_costs_no_query(gql: GraphQLClient) -> None:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    await gql.call("{ __typename }")
    event.listen(Engine, "before_cursor_execute", count)
    try:
        await gql.call("{ __typename }")
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert statements == []


def test_validation_rules_are_built_once_so_the_validation_cache_can_hit() -> None:
    schema = build_schema()

    def rules() -> list[type[Any]]:
        return [
            rule
            for ext in schema.get_extensions()
            if isinstance(ext, AddValidationRules)
            for rule in ext.validation_rules
        ]

    first, second = rules(), rules()
    assert len(first) == 2
    assert all(a is b for a, b in zip(first, second, strict=True))


async def test_a_repeated_query_is_validated_once(gql: GraphQLClient) -> None:
    cache: Any = ValidationCache(maxsize=512).cached_validate_document
    query = "query RepeatedOnce { viewer { name scopes } }"
    await gql.call(query)
    before = cache.cache_info()
    await gql.call(query)
    after = cache.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (1, 0)


async def test_edge_cursors_match_page_info_and_resume_the_walk(gql: GraphQLClient) -> None:
    await setup_customer(gql)
    for i in range(5):
        await post_invoice(
            gql, customerNo="C0001", documentNo=f"I{i}", postingDate="2026-03-01", amount="1.00"
        )
    query = """query ($a: String) { openEntries(customerNo: "C0001", first: 2, after: $a) {
      edges { cursor node { documentNo } } pageInfo { startCursor endCursor } } }"""
    page = (await gql.call(query))["openEntries"]
    cursors = [e["cursor"] for e in page["edges"]]
    assert cursors[0] == page["pageInfo"]["startCursor"]
    assert cursors[-1] == page["pageInfo"]["endCursor"]
    resumed = (await gql.call(query, {"a": cursors[0]}))["openEntries"]
    assert resumed["edges"][0]["node"]["documentNo"] == page["edges"][1]["node"]["documentNo"]
