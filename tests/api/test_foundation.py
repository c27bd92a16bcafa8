"""The HTTP contract every client relies on: auth, scopes, limits, errors, health, metrics."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from asgi_lifespan import LifespanManager

from api.app import create_app
from api.config import AppConfig
from tests.api.conftest import GraphQLClient, make_key


async def test_valid_key_answers_typename(gql: GraphQLClient) -> None:
    data = await gql.call("{ __typename viewer { name scopes } }")
    assert data == {
        "__typename": "Query",
        "viewer": {"name": "admin", "scopes": ["admin", "post", "read"]},
    }


async def test_missing_key_is_401_json(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert "API key" in error["message"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_unknown_key_is_401(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={"Authorization": "Bearer lt_not-a-real-key"},
    )
    assert response.status_code == 401


async def test_wrong_scheme_is_401(http: httpx.AsyncClient, admin_key: str) -> None:
    response = await http.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"Authorization": admin_key}
    )
    assert response.status_code == 401


async def test_read_key_cannot_run_admin_mutation(gql: GraphQLClient, db_url: str) -> None:
    reader = await make_key(db_url, ["read"])
    body = await gql.execute(
        'mutation { createApiKey(input: {name: "x", scopes: ["read"]}) { key } }', key=reader
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "admin" in body["errors"][0]["message"]


async def test_admin_creates_a_key_that_works(gql: GraphQLClient) -> None:
    data = await gql.call(
        'mutation { createApiKey(input: {name: "erp", scopes: ["read"]}) '
        "{ key scopes errors { code } } }"
    )
    key = data["createApiKey"]["key"]
    assert key.startswith("lt_")
    body = await gql.execute("{ viewer { name scopes } }", key=key)
    assert body["data"]["viewer"] == {"name": "erp", "scopes": ["read"]}


async def test_unknown_scope_is_a_user_error(gql: GraphQLClient) -> None:
    data = await gql.call(
        'mutation { createApiKey(input: {name: "x", scopes: ["root"]}) '
        "{ key errors { code field } } }"
    )
    assert data["createApiKey"]["key"] is None
    assert data["createApiKey"]["errors"][0]["code"] == "INVALID_INPUT"


async def test_too_deep_query_is_refused_with_a_clear_message(
    app_config: AppConfig, admin_key: str
) -> None:
    app = create_app(replace(app_config, max_query_depth=4))
    deep = "{ customers { edges { node { openEntries { detailedEntries { amount } } } } } }"
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            body = await GraphQLClient(client, admin_key).execute(deep)
    assert "exceeds maximum operation depth of 4" in body["errors"][0]["message"]
    assert body.get("data") is None


async def test_too_many_aliases_are_refused(gql: GraphQLClient) -> None:
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }"
    body = await gql.execute(query)
    assert "aliases" in body["errors"][0]["message"].lower()


async def test_too_many_tokens_are_refused(gql: GraphQLClient) -> None:
    query = "{ " + " ".join("__typename" for _ in range(6000)) + " }"
    body = await gql.execute(query)
    assert "token" in body["errors"][0]["message"].lower()


async def test_malformed_json_is_400(http: httpx.AsyncClient, admin_key: str) -> None:
    response = await http.post(
        "/graphql",
        content=b'{"query": "{ __typename ',
        headers={"Authorization": f"Bearer {admin_key}", "content-type": "application/json"},
    )
    assert response.status_code == 400


async def test_wrong_content_type_is_4xx(http: httpx.AsyncClient, admin_key: str) -> None:
    response = await http.post(
        "/graphql",
        content=b"query=%7B__typename%7D",
        headers={"Authorization": f"Bearer {admin_key}", "content-type": "text/plain"},
    )
    assert 400 <= response.status_code < 500


async def test_huge_body_is_413(http: httpx.AsyncClient, admin_key: str) -> None:
    response = await http.post(
        "/graphql",
        content=b'{"query": "' + b"x" * 2_000_000 + b'"}',
        headers={"Authorization": f"Bearer {admin_key}", "content-type": "application/json"},
    )
    assert response.status_code == 413


async def test_huge_chunked_body_without_length_is_413(
    http: httpx.AsyncClient, admin_key: str
) -> None:
    async def chunks():  # no content-length: the server must count
        for _ in range(30):
            yield b"x" * 100_000

    response = await http.post(
        "/graphql",
        content=chunks(),
        headers={"Authorization": f"Bearer {admin_key}", "content-type": "application/json"},
    )
    assert response.status_code == 413


async def test_syntax_error_is_a_graphql_error_not_500(gql: GraphQLClient) -> None:
    response = await gql.raw("{ viewer { ")
    assert response.status_code in (200, 400)
    assert "Syntax Error" in response.json()["errors"][0]["message"]


async def test_float_is_refused_for_a_decimal(gql: GraphQLClient) -> None:
    body = await gql.execute(
        'query ($d: Date!) { calcDate(formula: "1D", date: $d) }', {"d": 20260101}
    )
    assert body["errors"]


async def test_healthz_reports_database_and_redis(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok"}


async def test_metrics_count_operations_by_name(gql: GraphQLClient) -> None:
    await gql.call("query WhoAmI { viewer { name } }")
    text = (await gql.http.get("/metrics")).text
    assert 'lettrage_graphql_requests_total{operation="WhoAmI",outcome="ok"} 1.0' in text


async def test_responses_carry_a_request_id(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz", headers={"x-request-id": "abc123"})
    assert response.headers["x-request-id"] == "abc123"


async def test_graphiql_page_uses_only_local_assets(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "http://" not in response.text
    assert "https://" not in response.text
    for asset in ("graphiql.min.js", "graphiql.min.css", "react.production.min.js"):
        assert (await http.get(f"/static/graphiql/{asset}")).status_code == 200


async def test_unexpected_errors_are_masked_and_logged(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("api.mutations.auth.create_api_key", explode)
    body = await gql.execute(
        'mutation { createApiKey(input: {name: "x", scopes: ["read"]}) { key } }'
    )
    message = body["errors"][0]["message"]
    assert "secret" not in message
    assert "Traceback" not in message
    assert message.startswith("Unexpected error")


async def test_nul_characters_are_refused_with_400(http: httpx.AsyncClient, admin_key: str) -> None:
    response = await http.post(
        "/graphql",
        json={
            "query": "query ($n: String!) { customer(no: $n) { name } }",
            "variables": {"n": "A\u0000B"},
        },
        headers={"Authorization": f"Bearer {admin_key}"},
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["errors"][0]["message"]
