"""statementRunProgress over graphql-transport-ws, authenticated in connection_init, while
a real worker processes the run."""

from __future__ import annotations

import asyncio
import warnings
from typing import Any

from api.app import create_app
from api.config import AppConfig
from tests.api.conftest import GraphQLClient
from tests.statements.conftest import WorkerFactory, request_run, seed_customers

SUBSCRIBE = "subscription ($id: Int!) { statementRunProgress(id: $id) { status ready pending } }"


def subscribe(config: AppConfig, key: str | None, run_id: int) -> list[dict[str, Any]]:
    with warnings.catch_warnings():
        # starlette's TestClient (the only WebSocket client at hand) asks for httpx2
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    app = create_app(config)
    received: list[dict[str, Any]] = []
    with (
        TestClient(app) as client,
        client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        init: dict[str, Any] = {"type": "connection_init"}
        if key is not None:
            init["payload"] = {"Authorization": f"Bearer {key}"}
        ws.send_json(init)
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": {"id": run_id}},
            }
        )
        while True:
            message = ws.receive_json()
            received.append(message)
            if message["type"] in ("complete", "error"):
                return received


async def test_progress_is_pushed_until_the_run_completes(
    gql: GraphQLClient, app_config: AppConfig, start_worker: WorkerFactory
) -> None:
    await seed_customers(gql, 3)
    run = (await request_run(gql, output="DOWNLOAD"))["run"]
    start_worker()
    messages = await asyncio.to_thread(subscribe, app_config, gql.key, run["id"])

    updates = [
        m["payload"]["data"]["statementRunProgress"] for m in messages if m["type"] == "next"
    ]
    assert messages[-1]["type"] == "complete"
    assert updates[-1] == {"status": "COMPLETED", "ready": 3, "pending": 0}
    assert len(updates) == len({tuple(u.values()) for u in updates})  # only changes are pushed


async def test_progress_needs_an_api_key(gql: GraphQLClient, app_config: AppConfig) -> None:
    await seed_customers(gql, 1)
    run = (await request_run(gql, output="DOWNLOAD"))["run"]
    messages = await asyncio.to_thread(subscribe, app_config, None, run["id"])
    assert messages[-1]["type"] == "error"
    assert messages[-1]["payload"][0]["extensions"]["code"] == "FORBIDDEN"
