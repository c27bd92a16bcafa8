"""A statement run through the real worker: N customers get N e-mails with the right PDF, a
worker killed mid-run sends nobody a second e-mail, and SMTP failures are recorded and retried
for the failed deliveries only."""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from email.message import Message
from pathlib import Path

import httpx
from pypdf import PdfReader

from tests.api.conftest import GraphQLClient, make_key
from tests.api.ledger_helpers import post_invoice, setup_customer
from tests.statements.conftest import (
    RETRY_RUN,
    Sink,
    WorkerFactory,
    free_port,
    request_run,
    seed_customers,
    wait_for_run,
)


def pdf_text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "application/pdf":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            reader = PdfReader(io.BytesIO(payload))
            return "\n".join(page.extract_text() for page in reader.pages)
    raise AssertionError("no PDF attached")


async def add_usd(gql: GraphQLClient) -> None:
    await gql.call('mutation { upsertCurrency(input: {code: "USD"}) { errors { code } } }')
    await gql.call(
        "mutation ($i: SetExchangeRateInput!) { setExchangeRate(input: $i) { errors { code } } }",
        {"i": {"currencyCode": "USD", "startingDate": "2026-01-01", "rate": "0.90"}},
    )


async def test_every_customer_gets_one_email_whose_pdf_shows_the_closing_balance_per_currency(
    gql: GraphQLClient,
    sink: Sink,
    start_worker: WorkerFactory,
    http: httpx.AsyncClient,
    db_url: str,
) -> None:
    expected = await seed_customers(gql, 3)
    await add_usd(gql)
    out = await post_invoice(
        gql,
        customerNo="C02",
        documentNo="INV-C02-USD",
        postingDate="2026-03-12",
        amount="777.25",
        currencyCode="USD",
    )
    assert out["errors"] == [], out
    worker = start_worker()
    requested = await request_run(gql, customerNos=["C01", "C02", "C03"])
    assert requested["errors"] == []
    run = await wait_for_run(gql, requested["run"]["id"], worker=worker)

    assert (run["total"], run["sent"], run["failed"], run["rendered"]) == (3, 3, 0, 3)
    by_customer = {d["customerNo"]: d for d in run["deliveries"]}
    assert by_customer["C02"]["currencyCodes"] == ["EUR", "USD"]
    assert by_customer["C02"]["smtpReply"].startswith("250 queued as")
    assert by_customer["C01"]["currencyCodes"] == ["EUR"]
    messages = {str(m["To"]): m for m in sink.handler.parsed()}
    assert sorted(messages) == ["c01@example.com", "c02@example.com", "c03@example.com"]
    for no, balance in expected.items():
        message = messages[f"{no.lower()}@example.com"]
        assert message["Message-ID"] == by_customer[no]["messageId"]
        text = pdf_text(message)
        assert balance in text, (no, balance, text)
    multi = pdf_text(messages["c02@example.com"])
    assert "USD" in multi
    assert "777.25" in multi
    assert multi.index(expected["C02"]) < multi.index("777.25")  # own currency section first

    pdf_url = by_customer["C01"]["pdfUrl"]
    got = await http.get(pdf_url, headers={"Authorization": f"Bearer {gql.key}"})
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/pdf"
    assert expected["C01"] in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(got.content)).pages
    )
    assert (await http.get(pdf_url)).status_code == 401
    no_read = await make_key(db_url, ["post"], "poster")
    denied = await http.get(pdf_url, headers={"Authorization": f"Bearer {no_read}"})
    assert denied.status_code == 403
    missing = await http.get(
        "/statements/999999.pdf", headers={"Authorization": f"Bearer {gql.key}"}
    )
    assert missing.status_code == 404


async def test_a_worker_killed_mid_run_then_restarted_sends_every_customer_exactly_one_email(
    gql: GraphQLClient, sink: Sink, start_worker: WorkerFactory
) -> None:
    await seed_customers(gql, 8)
    # the sink keeps each message, then waits before answering 250: a kill in that window
    # is the crash between "the server accepted it" and "we recorded SENT"
    sink.handler.delay_after_accept = 1.0
    # fewer jobs at once than customers, so the kill lands with some statements not sent
    first = start_worker(LETTRAGE_WORKER_MAX_JOBS="2")
    requested = await request_run(gql)
    run_id = requested["run"]["id"]
    assert requested["run"]["total"] == 8
    for _ in range(1000):
        if sink.handler.messages or first.poll() is not None:
            break
        await asyncio.sleep(0.02)
    assert sink.handler.messages, "the worker sent nothing"
    first.send_signal(signal.SIGKILL)
    first.wait()
    in_flight = len(sink.handler.messages)
    assert in_flight < 8
    sink.handler.delay_after_accept = 0.0

    second = start_worker()
    run = await wait_for_run(gql, run_id, timeout=45, worker=second)

    counts = Counter(sink.handler.message_ids())
    assert sorted(counts) == sorted(d["messageId"] for d in run["deliveries"])
    assert set(counts.values()) == {1}
    assert {d["status"] for d in run["deliveries"]} == {"SENT"}
    assert (run["sent"], run["failed"], run["pending"]) == (8, 0, 0)
    resolved = [d for d in run["deliveries"] if d["smtpReply"].startswith("found in")]
    assert 1 <= len(resolved) <= in_flight  # the interrupted ones were looked up, not resent


async def test_smtp_refusals_are_recorded_with_the_reason_and_a_retry_sends_only_those(
    gql: GraphQLClient, sink: Sink, start_worker: WorkerFactory
) -> None:
    await seed_customers(gql, 3)
    sink.handler.refuse = {
        "c02@example.com": "451 4.3.0 mailbox busy, try later",
        "c03@example.com": "550 5.1.1 no such user",
    }
    worker = start_worker()
    requested = await request_run(gql)
    run = await wait_for_run(gql, requested["run"]["id"], worker=worker)
    by_customer = {d["customerNo"]: d for d in run["deliveries"]}
    assert by_customer["C01"]["status"] == "SENT"
    assert by_customer["C02"]["status"] == "FAILED"
    assert by_customer["C02"]["attempts"] == 2
    assert "451" in by_customer["C02"]["error"]
    assert "after 2 attempts" in by_customer["C02"]["error"]
    assert by_customer["C03"]["status"] == "FAILED"
    assert by_customer["C03"]["attempts"] == 1
    assert "550" in by_customer["C03"]["error"]
    assert (run["sent"], run["failed"]) == (1, 2)
    assert len(sink.handler.messages) == 1

    sink.handler.refuse = {}
    retried = (await gql.call(RETRY_RUN, {"i": {"id": run["id"]}}))["retryStatementRun"]
    assert retried["retried"] == 2
    run = await wait_for_run(gql, run["id"], worker=worker)
    assert (run["sent"], run["failed"]) == (3, 0)
    assert sorted(str(m["To"]) for m in sink.handler.parsed()) == [
        "c01@example.com",
        "c02@example.com",
        "c03@example.com",
    ]


async def test_smtp_server_down_fails_the_deliveries_with_the_connection_error(
    gql: GraphQLClient, sink: Sink, start_worker: WorkerFactory
) -> None:
    await seed_customers(gql, 2)
    worker = start_worker(SMTP_PORT=str(free_port()))
    requested = await request_run(gql)
    run = await wait_for_run(gql, requested["run"]["id"], worker=worker)
    assert (run["sent"], run["failed"]) == (0, 2)
    for delivery in run["deliveries"]:
        assert delivery["status"] == "FAILED"
        assert delivery["error"].startswith("gave up after 2 attempts: SMTPConnect"), delivery
    assert sink.handler.messages == []


async def test_without_a_customer_list_only_customers_with_a_balance_are_selected(
    gql: GraphQLClient,
) -> None:
    await seed_customers(gql, 2)
    await setup_customer(gql, "C99", email="c99@example.com")
    requested = await request_run(gql, selection="WITH_BALANCE", output="DOWNLOAD")
    assert [d["customerNo"] for d in requested["run"]["deliveries"]] == ["C01", "C02"]
    assert requested["run"]["status"] == "QUEUED"


async def test_the_cli_requests_a_run_and_follows_it_to_completion(
    gql: GraphQLClient,
    sink: Sink,
    start_worker: WorkerFactory,
    db_url: str,
    redis_url: str,
    queue_name: str,
) -> None:
    await seed_customers(gql, 2)
    start_worker()
    lettrage = shutil.which("lettrage", path=str(Path(sys.executable).parent)) or "lettrage"
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "LETTRAGE_QUEUE_NAME": queue_name,
        "LOG_LEVEL": "WARNING",
    }
    done = await asyncio.to_thread(
        subprocess.run,
        [lettrage, "statements", "--end-date", "2026-03-31", "--customers", "C01,C02"],
        env=env,
        capture_output=True,
        timeout=40,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert "2 statements, 2 sent" in done.stdout.decode().splitlines()[-1]
    assert len(sink.handler.messages) == 2
