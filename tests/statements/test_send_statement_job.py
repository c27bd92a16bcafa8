"""The delivery job called in-process on a real database and SMTP sink: every state a crash
can leave a delivery in is resumed without a second e-mail, and bad requests are refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from store.db import create_engine
from store.statements.deliveries import finish_delivery
from store.tables import CUSTOMERS as CUSTOMER
from store.tables import STATEMENT_DELIVERIES as DELIVERY
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import setup_customer
from tests.statements.conftest import RETRY_RUN, Sink, get_run, request_run, seed_customers
from workers.delivery import DeliveryPolicy, SmtpConfig
from workers.statement_jobs import send_statement


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url, pool_size=2)
    yield engine
    await engine.dispose()


def job_ctx(engine: AsyncEngine, sink: Sink, **policy: Any) -> dict[str, Any]:
    return {
        "engine": engine,
        "smtp": SmtpConfig(port=sink.port, sender="statements@example.com"),
        "delivery_policy": DeliveryPolicy(**{"max_attempts": 2, "backoff_seconds": 0.1, **policy}),
    }


async def set_state(engine: AsyncEngine, delivery_id: int, **values: Any) -> None:
    async with engine.begin() as conn:
        await conn.execute(sa.update(DELIVERY).where(DELIVERY.c.id == delivery_id).values(**values))


async def test_a_crash_after_data_without_a_mailbox_to_check_is_failed_as_uncertain_not_resent(
    gql: GraphQLClient, engine: AsyncEngine, sink: Sink
) -> None:
    await seed_customers(gql, 1)
    run = (await request_run(gql))["run"]
    delivery_id = run["deliveries"][0]["id"]
    await set_state(engine, delivery_id, status="SENDING", stage="DATA", attempts=1)

    assert await send_statement(job_ctx(engine, sink), delivery_id) == "FAILED"

    after = await get_run(gql, run["id"])
    delivery = after["deliveries"][0]
    assert (delivery["status"], delivery["uncertain"]) == ("FAILED", True)
    assert delivery["error"].startswith("uncertain")
    assert after["status"] == "COMPLETED"
    assert sink.handler.messages == []
    plain = (await gql.call(RETRY_RUN, {"i": {"id": run["id"]}}))["retryStatementRun"]
    assert plain["retried"] == 0
    forced = await gql.call(RETRY_RUN, {"i": {"id": run["id"], "includeUncertain": True}})
    assert forced["retryStatementRun"]["retried"] == 1
    assert await send_statement(job_ctx(engine, sink), delivery_id) == "SENT"
    assert len(sink.handler.messages) == 1


async def test_a_crash_after_data_is_marked_sent_when_the_mailbox_has_the_message_id(
    gql: GraphQLClient, engine: AsyncEngine, sink: Sink
) -> None:
    await seed_customers(gql, 1)
    run = (await request_run(gql))["run"]
    delivery = run["deliveries"][0]
    await set_state(engine, delivery["id"], status="SENDING", stage="DATA", attempts=1)
    sink.handler.directory.mkdir(parents=True)
    (sink.handler.directory / "earlier.eml").write_bytes(
        f"Message-ID: {delivery['messageId']}\r\nSubject: x\r\n\r\nbody\r\n".encode()
    )
    ctx = job_ctx(engine, sink, probe_dir=sink.handler.directory)

    assert await send_statement(ctx, delivery["id"]) == "SENT"
    assert sink.handler.messages == []
    assert await send_statement(ctx, delivery["id"]) == "SENT"  # a second run of the job
    assert sink.handler.messages == []


async def test_a_crash_before_data_is_resent_once(
    gql: GraphQLClient, engine: AsyncEngine, sink: Sink
) -> None:
    await seed_customers(gql, 1)
    run = (await request_run(gql))["run"]
    delivery_id = run["deliveries"][0]["id"]
    await set_state(engine, delivery_id, status="SENDING", stage="CONNECT", attempts=1)
    ctx = job_ctx(engine, sink)

    assert await send_statement(ctx, delivery_id) == "SENT"
    assert await send_statement(ctx, delivery_id) == "SENT"
    assert len(sink.handler.messages) == 1
    delivery = (await get_run(gql, run["id"]))["deliveries"][0]
    assert delivery["attempts"] == 2


async def test_a_cancelled_run_sends_nothing(
    gql: GraphQLClient, engine: AsyncEngine, sink: Sink
) -> None:
    await seed_customers(gql, 2)
    run = (await request_run(gql))["run"]
    cancelled = await gql.call(
        "mutation ($id: Int!) { cancelStatementRun(id: $id) { run { status cancelled } "
        "errors { code } } }",
        {"id": run["id"]},
    )
    assert cancelled["cancelStatementRun"]["run"] == {"status": "CANCELLED", "cancelled": 2}
    for d in run["deliveries"]:
        assert await send_statement(job_ctx(engine, sink), d["id"]) == "CANCELLED"
    assert sink.handler.messages == []


async def test_download_output_stores_the_pdf_and_completes_the_run(
    gql: GraphQLClient, engine: AsyncEngine, sink: Sink
) -> None:
    await seed_customers(gql, 1)
    await setup_customer(gql, "C02")  # no e-mail address: fine for a download
    run = (await request_run(gql, customerNos=["C01", "C02"], output="DOWNLOAD"))["run"]
    for d in run["deliveries"]:
        assert await send_statement(job_ctx(engine, sink), d["id"]) == "READY"
    after = await get_run(gql, run["id"])
    assert (after["status"], after["ready"], after["rendered"]) == ("COMPLETED", 2, 2)
    assert all(d["pdfUrl"] for d in after["deliveries"])
    assert sink.handler.messages == []


async def test_an_email_run_for_a_customer_without_address_fails_with_the_reason(
    gql: GraphQLClient, engine: AsyncEngine, sink: Sink
) -> None:
    await setup_customer(gql, "C01")
    run = (await request_run(gql, customerNos=["C01"]))["run"]
    assert await send_statement(job_ctx(engine, sink), run["deliveries"][0]["id"]) == "FAILED"
    delivery = (await get_run(gql, run["id"]))["deliveries"][0]
    assert "no e-mail address" in delivery["error"]
    assert delivery["pdfUrl"] is not None


async def test_an_address_that_is_not_one_mailbox_fails_without_sending(
    gql: GraphQLClient, engine: AsyncEngine, sink: Sink
) -> None:
    await setup_customer(gql, "C01")
    async with engine.begin() as conn:
        await conn.execute(
            sa.update(CUSTOMER)
            .where(CUSTOMER.c.no == "C01")
            .values(email="ar@one.example,ar@two.example")
        )
    run = (await request_run(gql, customerNos=["C01"]))["run"]
    assert await send_statement(job_ctx(engine, sink), run["deliveries"][0]["id"]) == "FAILED"
    after = await get_run(gql, run["id"])
    assert after["status"] == "COMPLETED"
    assert after["deliveries"][0]["error"].startswith("message: To is not exactly one mailbox")
    assert sink.handler.messages == []


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        pytest.param(
            {"startDate": "2026-04-01"}, "DATES_OUT_OF_ORDER", ["input", "startDate"], id="dates"
        ),
        pytest.param(
            {"includeAging": True, "agingPeriod": "CM"},
            "INVALID_DATE_FORMULA",
            ["input", "agingPeriod"],
            id="aging-period-does-not-step-back",
        ),
        pytest.param(
            {"customerNos": ["NOPE"]},
            "UNKNOWN_CUSTOMER",
            ["input", "customerNos", "0"],
            id="unknown-customer",
        ),
    ],
)
async def test_a_bad_request_is_refused_and_creates_no_run(
    gql: GraphQLClient, fields: dict[str, Any], code: str, field: list[str]
) -> None:
    payload = await request_run(gql, **fields)
    assert payload["run"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]
    assert (await gql.call("{ statementRun(id: 1) { id } }"))["statementRun"] is None


async def test_a_replayed_request_returns_the_same_run(gql: GraphQLClient) -> None:
    await seed_customers(gql, 2)
    first = await request_run(gql, idempotencyKey="run-march")
    again = await request_run(gql, idempotencyKey="run-march")
    assert (first["replayed"], again["replayed"]) == (False, True)
    assert again["run"]["id"] == first["run"]["id"]
    assert again["run"]["total"] == 2


async def test_deliveries_finished_at_once_complete_their_run_exactly_once(
    gql: GraphQLClient, engine: AsyncEngine, db_url: str
) -> None:
    """Each finish is one statement that first waits for the run row's lock, then looks for
    open deliveries with a fresh snapshot, so the last of concurrent finishers sees all the
    others. Shown by holding the lock: no finisher gets past it until it is released."""
    await seed_customers(gql, 12)
    run = (await request_run(gql))["run"]
    ids = [d["id"] for d in run["deliveries"]]
    assert len(ids) == 12
    finishers = create_engine(db_url, pool_size=12)
    try:
        async with engine.begin() as holder:
            await holder.execute(
                sa.text("SELECT id FROM statement_runs WHERE id = :id FOR UPDATE"),
                {"id": run["id"]},
            )
            tasks = [asyncio.create_task(finish_delivery(finishers, i, "READY")) for i in ids]
            await asyncio.sleep(0.5)
            assert not any(t.done() for t in tasks)
            waiting = await get_run(gql, run["id"])
            assert {d["status"] for d in waiting["deliveries"]} == {"PENDING"}
        done = await asyncio.gather(*tasks)
        again = await finish_delivery(finishers, ids[0], "FAILED", error="late")
    finally:
        await finishers.dispose()
    assert done == [True] * 12
    assert again is False  # no longer open: the first outcome stays
    after = await get_run(gql, run["id"])
    assert after["status"] == "COMPLETED"
    assert {d["status"] for d in after["deliveries"]} == {"READY"}
