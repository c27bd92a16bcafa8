"""Issued reminders and finance charge memos reach the customer through the statement workers'
delivery path: the real API, database, Redis, a `lettrage worker` subprocess and an SMTP sink.
Each document is e-mailed once with its PDF; replays and re-runs send nothing more."""

from __future__ import annotations

import asyncio
import email
import io
import subprocess
import time
from collections.abc import AsyncIterator
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import asyncpg
import httpx
import pytest
import redis.asyncio as aioredis
import sqlalchemy as sa
from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncEngine

from store.collections.deliveries import enqueue_documents, load_document_delivery
from store.db import create_engine
from store.statements.runs import DeliveryJob
from store.tables import STATEMENT_DELIVERIES as DELIVERY
from tests.api.conftest import GraphQLClient
from tests.api.ledger_helpers import post_invoice, setup_customer
from tests.conftest import _asyncpg_dsn
from tests.statements.conftest import Sink, WorkerFactory, request_run, seed_customers
from workers.delivery import DeliveryPolicy, SmtpConfig
from workers.document_jobs import send_document
from workers.statement_jobs import send_statement

DELIVERY_FIELDS = "id status output error uncertain attempts messageId recipient smtpReply pdfUrl"

REMINDER_TERMS = """mutation ($i: UpsertReminderTermsInput!) { upsertReminderTerms(input: $i) {
  errors { code message } } }"""
CREATE_REMINDERS = """mutation ($i: CreateRemindersInput!) { createReminders(input: $i) {
  reminders { id currencyCode totalAmount delivery { id } } errors { code message } } }"""
ISSUE_REMINDERS = f"""mutation ($i: IssueRemindersInput!) {{ issueReminders(input: $i) {{
  issued {{ id postedEntry {{ entryNo }} delivery {{ {DELIVERY_FIELDS} }} }}
  replayed errors {{ code message field }} }} }}"""
REMINDER = f"""query ($id: Int!) {{ reminder(id: $id) {{ id status documentNo currencyCode
  delivery {{ {DELIVERY_FIELDS} }} }} }}"""
CANCEL_REMINDER = """mutation ($i: CancelIssuedReminderInput!) { cancelIssuedReminder(input: $i) {
  reminder { status } errors { code } } }"""

MEMO_TERMS = """mutation ($i: UpsertFinanceChargeTermsInput!) {
  upsertFinanceChargeTerms(input: $i) { errors { code message } } }"""
CREATE_MEMOS = """mutation ($i: CreateFinanceChargeMemosInput!) {
  createFinanceChargeMemos(input: $i) { memos { id totalAmount } errors { code message } } }"""
ISSUE_MEMOS = f"""mutation ($i: IssueFinanceChargeMemosInput!) {{
  issueFinanceChargeMemos(input: $i) {{ issued {{ id delivery {{ {DELIVERY_FIELDS} }} }}
  replayed errors {{ code message field }} }} }}"""
MEMO = f"""query ($id: Int!) {{ financeChargeMemo(id: $id) {{ id status documentNo
  delivery {{ {DELIVERY_FIELDS} }} }} }}"""

FINISHED = ("SENT", "READY", "FAILED", "CANCELLED")


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url, pool_size=2)
    yield engine
    await engine.dispose()


def job_ctx(engine: AsyncEngine, sink: Sink, **policy: Any) -> dict[str, Any]:
    return {
        "engine": engine,
        "smtp": SmtpConfig(port=sink.port, sender="ar@example.com"),
        "delivery_policy": DeliveryPolicy(**{"max_attempts": 2, "backoff_seconds": 0.1, **policy}),
    }


def parsed(sink: Sink) -> list[EmailMessage]:
    return [email.message_from_bytes(m, policy=default_policy) for m in list(sink.handler.messages)]


def pdf_text(message: EmailMessage) -> tuple[str, str]:
    """(attachment file name, text of the attached PDF)."""
    for part in message.iter_attachments():
        if part.get_content_type() == "application/pdf":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(payload)).pages)
            return str(part.get_filename()), text
    raise AssertionError("no PDF attached")


async def deliveries_in_db(db_url: str) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(**_asyncpg_dsn(db_url))
    try:
        rows = await conn.fetch(
            "SELECT id, document_kind, reminder_id, finance_charge_memo_id, run_id, status "
            "FROM statement_deliveries ORDER BY id"
        )
    finally:
        await conn.close()
    return [dict(r) for r in rows]


async def wait_for(
    gql: GraphQLClient,
    query: str,
    field: str,
    document_id: int,
    worker: subprocess.Popen[bytes],
    timeout: float = 60.0,
) -> dict[str, Any]:
    """Poll the document until its delivery is finished (or the worker died)."""
    deadline = time.monotonic() + timeout
    while True:
        doc: dict[str, Any] = (await gql.call(query, {"id": document_id}))[field]
        if doc["delivery"] and doc["delivery"]["status"] in FINISHED:
            return doc
        if worker.poll() is not None:
            err = worker.stderr.read().decode() if worker.stderr else ""
            raise AssertionError(f"worker exited with {worker.returncode}: {err[-2000:]}")
        assert time.monotonic() < deadline, f"delivery did not finish: {doc}"
        await asyncio.sleep(0.1)


async def reminder_setup(
    gql: GraphQLClient, texts: list[dict[str, str]] | None = None, **customer: Any
) -> None:
    level: dict[str, Any] = {
        "no": 1,
        "gracePeriod": "5D",
        "dueDateCalculation": "14D",
        "fixedFee": "10",
        "texts": texts or [],
    }
    data = await gql.call(REMINDER_TERMS, {"i": {"code": "STD", "levels": [level]}})
    assert data["upsertReminderTerms"]["errors"] == []
    fields = {"email": "c1@example.com", "address": "3 avenue Foch\n69006 Lyon", **customer}
    await setup_customer(gql, "C1", reminderTermsCode="STD", **fields)


async def invoice(gql: GraphQLClient, no: str, amount: str, **fields: Any) -> None:
    out = await post_invoice(
        gql, customerNo="C1", documentNo=no, postingDate="2026-01-10", amount=amount, **fields
    )
    assert out["errors"] == [], out


async def create_reminders(gql: GraphQLClient) -> list[dict[str, Any]]:
    day = {"postingDate": "2026-02-01", "documentDate": "2026-02-01", "customerNos": ["C1"]}
    data = (await gql.call(CREATE_REMINDERS, {"i": day}))["createReminders"]
    assert data["errors"] == [], data
    reminders: list[dict[str, Any]] = data["reminders"]
    assert all(r["delivery"] is None for r in reminders)  # proposals are not sent
    return reminders


async def issue_reminders(
    gql: GraphQLClient, ids: list[int], key: str | None = None
) -> dict[str, Any]:
    data = await gql.call(ISSUE_REMINDERS, {"i": {"reminderIds": ids, "idempotencyKey": key}})
    return dict(data["issueReminders"])


async def test_an_issued_reminder_is_emailed_once_with_its_pdf_and_replays_send_nothing_more(
    gql: GraphQLClient,
    sink: Sink,
    start_worker: WorkerFactory,
    engine: AsyncEngine,
    redis_url: str,
    queue_name: str,
    db_url: str,
) -> None:
    await reminder_setup(gql)
    await invoice(gql, "INV-1", "1000.00")
    [proposal] = await create_reminders(gql)
    worker = start_worker()

    issued = await issue_reminders(gql, [proposal["id"]], "remind-1")
    assert issued["errors"] == []
    queued = issued["issued"][0]["delivery"]
    assert (queued["status"], queued["output"]) == ("PENDING", "EMAIL")
    done = await wait_for(gql, REMINDER, "reminder", proposal["id"], worker)

    delivery = done["delivery"]
    assert (delivery["status"], delivery["attempts"]) == ("SENT", 1)
    assert delivery["smtpReply"].startswith("250 queued as")
    assert delivery["recipient"] == "c1@example.com"
    [message] = parsed(sink)
    assert message["To"] == "c1@example.com"
    assert message["Message-ID"] == delivery["messageId"] == queued["messageId"]
    assert str(message["Subject"]).startswith(f"Payment reminder {done['documentNo']} – ")
    filename, text = pdf_text(message)
    assert filename == f"{done['documentNo']}.pdf"
    for expected in ("Payment reminder", done["documentNo"], "Invoice INV-1", "1,010.00 EUR"):
        assert expected in text, (expected, text)
    body = message.get_body(("plain",))
    assert body is not None
    assert "please pay 1,010.00 EUR by Feb 15, 2026" in body.get_content()

    replay = await issue_reminders(gql, [proposal["id"]], "remind-1")
    assert replay["replayed"] is True
    assert replay["issued"][0]["delivery"]["id"] == delivery["id"]
    assert replay["issued"][0]["delivery"]["status"] == "SENT"
    rows = [r for r in await deliveries_in_db(db_url) if r["reminder_id"] == proposal["id"]]
    assert len(rows) == 1
    # the same job again: arq refuses the id while its result is kept, and run by hand it
    # finds the delivery SENT
    async with engine.connect() as conn:
        record = await load_document_delivery(conn, delivery["id"])
    assert record is not None
    client = aioredis.Redis.from_url(redis_url)
    try:
        job = DeliveryJob(record.id, record.job_id)
        assert await enqueue_documents(client, [job], queue_name) == 0
    finally:
        await client.aclose()
    assert await send_document(job_ctx(engine, sink), delivery["id"]) == "SENT"
    assert len(sink.handler.messages) == 1


async def test_an_issued_finance_charge_memo_is_emailed_once_in_the_customers_language(
    gql: GraphQLClient, sink: Sink, start_worker: WorkerFactory, db_url: str
) -> None:
    terms = {"code": "FIN", "interestRatePct": "1.5", "interestPeriodDays": 30}
    assert (await gql.call(MEMO_TERMS, {"i": terms}))["upsertFinanceChargeTerms"]["errors"] == []
    await setup_customer(
        gql, "C1", financeChargeTermsCode="FIN", email="c1@example.com", languageCode="fr"
    )
    await invoice(gql, "INV-1", "1000.00")
    day = {"postingDate": "2026-03-01", "documentDate": "2026-03-01", "customerNos": ["C1"]}
    created = (await gql.call(CREATE_MEMOS, {"i": day}))["createFinanceChargeMemos"]
    assert created["errors"] == []
    [memo] = created["memos"]
    assert memo["totalAmount"] == "15.00"  # BC's Balance Due: 1000 × 1.5 %
    worker = start_worker()

    data = await gql.call(ISSUE_MEMOS, {"i": {"memoIds": [memo["id"]], "idempotencyKey": "m1"}})
    assert data["issueFinanceChargeMemos"]["errors"] == []
    done = await wait_for(gql, MEMO, "financeChargeMemo", memo["id"], worker)

    assert done["delivery"]["status"] == "SENT"
    [message] = parsed(sink)
    assert message["Message-ID"] == done["delivery"]["messageId"]
    assert str(message["Subject"]).startswith(f"Facture d’intérêts de retard {done['documentNo']}")
    _, text = pdf_text(message)
    for expected in ("Facture d’intérêts de retard", "× 1,5 % × 50 / 30 jours", "15,00 EUR"):
        assert expected in text, (expected, text)

    again = await gql.call(ISSUE_MEMOS, {"i": {"memoIds": [memo["id"]], "idempotencyKey": "m1"}})
    assert again["issueFinanceChargeMemos"]["replayed"] is True
    assert again["issueFinanceChargeMemos"]["issued"][0]["delivery"]["status"] == "SENT"
    memo_rows = [r for r in await deliveries_in_db(db_url) if r["finance_charge_memo_id"]]
    assert len(memo_rows) == 1
    assert len(sink.handler.messages) == 1


async def test_the_terms_own_level_text_is_sent_in_the_customers_language(
    gql: GraphQLClient, sink: Sink, start_worker: WorkerFactory
) -> None:
    own = "Cher client, merci de virer {total} au plus tard le {due_date}. {{Réf. STD}}"
    texts = [{"languageCode": "de", "text": "Bitte zahlen"}, {"languageCode": "fr", "text": own}]
    await reminder_setup(gql, texts=texts, languageCode="fr")
    await invoice(gql, "INV-1", "1000.00")
    (proposal,) = await create_reminders(gql)
    worker = start_worker()

    assert (await issue_reminders(gql, [proposal["id"]]))["errors"] == []
    done = await wait_for(gql, REMINDER, "reminder", proposal["id"], worker)

    assert done["delivery"]["status"] == "SENT"
    (message,) = parsed(sink)
    expected = "Cher client, merci de virer 1 010,00 EUR au plus tard le 15 févr. 2026. {Réf. STD}"
    body = message.get_body(("plain",))
    assert body is not None
    assert expected in body.get_content().replace("\u202f", " ").replace("\xa0", " ")
    _, text = pdf_text(message)
    assert "Cher client" in text
    assert "Bitte" not in text


async def test_a_customer_with_two_currencies_gets_two_reminders_and_two_emails(
    gql: GraphQLClient, sink: Sink, start_worker: WorkerFactory
) -> None:
    await gql.call('mutation { upsertCurrency(input: {code: "USD"}) { errors { code } } }')
    await gql.call(
        "mutation ($i: SetExchangeRateInput!) { setExchangeRate(input: $i) { errors { code } } }",
        {"i": {"currencyCode": "USD", "startingDate": "2026-01-01", "rate": "0.90"}},
    )
    await reminder_setup(gql)
    await invoice(gql, "INV-EUR", "1000.00")
    await invoice(gql, "INV-USD", "777.25", currencyCode="USD")
    proposals = await create_reminders(gql)
    assert sorted(r["currencyCode"] for r in proposals) == ["", "USD"]
    worker = start_worker()

    issued = await issue_reminders(gql, [r["id"] for r in proposals], "both")
    assert issued["errors"] == []
    done = [await wait_for(gql, REMINDER, "reminder", r["id"], worker) for r in proposals]

    assert [d["delivery"]["status"] for d in done] == ["SENT", "SENT"]
    messages = {str(m["Message-ID"]): m for m in parsed(sink)}
    assert sorted(messages) == sorted(d["delivery"]["messageId"] for d in done)
    for doc in done:
        _, text = pdf_text(messages[doc["delivery"]["messageId"]])
        assert doc["documentNo"] in text
        if doc["currencyCode"] == "USD":
            assert "Invoice INV-USD" in text
            assert "INV-EUR" not in text
            assert "USD" in text
        else:
            assert "Invoice INV-EUR" in text
            assert "INV-USD" not in text


async def test_a_customer_without_email_gets_a_pdf_to_download_and_no_email(
    gql: GraphQLClient, sink: Sink, engine: AsyncEngine, http: httpx.AsyncClient
) -> None:
    await reminder_setup(gql, email="")
    await invoice(gql, "INV-1", "1000.00")
    [proposal] = await create_reminders(gql)
    issued = await issue_reminders(gql, [proposal["id"]])
    delivery = issued["issued"][0]["delivery"]
    assert (delivery["output"], delivery["pdfUrl"]) == ("DOWNLOAD", None)

    assert await send_document(job_ctx(engine, sink), delivery["id"]) == "READY"

    done = (await gql.call(REMINDER, {"id": proposal["id"]}))["reminder"]
    assert done["delivery"]["status"] == "READY"
    got = await http.get(done["delivery"]["pdfUrl"], headers={"Authorization": f"Bearer {gql.key}"})
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/pdf"
    assert f'filename="{done["documentNo"]}.pdf"' in got.headers["content-disposition"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(got.content)).pages)
    assert "1,010.00 EUR" in text
    assert (await http.get(done["delivery"]["pdfUrl"])).status_code == 401
    assert sink.handler.messages == []


async def test_an_issue_that_fails_leaves_no_delivery_and_nothing_is_sent(
    gql: GraphQLClient, db_url: str
) -> None:
    await reminder_setup(gql)
    await invoice(gql, "INV-1", "1000.00")
    [proposal] = await create_reminders(gql)

    out = await issue_reminders(gql, [proposal["id"], 999_999], "bad")

    assert [e["code"] for e in out["errors"]] == ["NOT_FOUND"]
    assert await deliveries_in_db(db_url) == []
    after = (await gql.call(REMINDER, {"id": proposal["id"]}))["reminder"]
    assert (after["status"], after["delivery"]) == ("PROPOSED", None)


async def test_a_reminder_canceled_before_it_went_out_is_not_sent(
    gql: GraphQLClient, sink: Sink, engine: AsyncEngine
) -> None:
    await reminder_setup(gql)
    await invoice(gql, "INV-1", "1000.00")
    [proposal] = await create_reminders(gql)
    delivery = (await issue_reminders(gql, [proposal["id"]]))["issued"][0]["delivery"]

    canceled = await gql.call(CANCEL_REMINDER, {"i": {"id": proposal["id"]}})
    assert canceled["cancelIssuedReminder"]["errors"] == []

    assert await send_document(job_ctx(engine, sink), delivery["id"]) == "CANCELLED"
    after = (await gql.call(REMINDER, {"id": proposal["id"]}))["reminder"]["delivery"]
    assert (after["status"], after["error"]) == (
        "CANCELLED",
        "reminder canceled before it was sent",
    )
    assert sink.handler.messages == []


async def test_a_reminder_interrupted_after_data_is_never_blindly_resent(
    gql: GraphQLClient, sink: Sink, engine: AsyncEngine
) -> None:
    await reminder_setup(gql)
    await invoice(gql, "INV-1", "1000.00")
    [proposal] = await create_reminders(gql)
    delivery = (await issue_reminders(gql, [proposal["id"]]))["issued"][0]["delivery"]
    async with engine.begin() as conn:
        await conn.execute(
            sa.update(DELIVERY)
            .where(DELIVERY.c.id == delivery["id"])
            .values(status="SENDING", stage="DATA", attempts=1)
        )

    assert await send_document(job_ctx(engine, sink), delivery["id"]) == "FAILED"

    after = (await gql.call(REMINDER, {"id": proposal["id"]}))["reminder"]["delivery"]
    assert (after["status"], after["uncertain"]) == ("FAILED", True)
    assert after["error"].startswith("uncertain")
    assert sink.handler.messages == []


async def test_statement_and_document_jobs_do_not_take_each_others_deliveries(
    gql: GraphQLClient, sink: Sink, engine: AsyncEngine
) -> None:
    await seed_customers(gql, 1)
    run = (await request_run(gql))["run"]
    await reminder_setup(gql)
    await invoice(gql, "INV-1", "1000.00")
    [proposal] = await create_reminders(gql)
    delivery = (await issue_reminders(gql, [proposal["id"]]))["issued"][0]["delivery"]
    ctx = job_ctx(engine, sink)

    assert await send_document(ctx, run["deliveries"][0]["id"]) == "MISSING"
    assert await send_statement(ctx, delivery["id"]) == "MISSING"
    assert sink.handler.messages == []
