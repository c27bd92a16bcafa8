"""Each delivery moves PENDING -> SENDING -> SENT/READY/FAILED in small committed steps (the
table of domain.delivery), so a worker that dies mid-job leaves a row that says how far it
got; the run completes (with its counts) in the same transaction as its last delivery, under
a lock on the run row. Deliveries of reminders and finance charge memos have no run and take
the same steps.

Each step is one statement, its own unit of work (store.uow.run_statement) on the pooled
connection's asyncpg connection: a worker takes them thousands of times a minute, and
BEGIN/COMMIT round trips or SQLAlchemy's compile, cache key and result layers would cost
more than the statement itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.delivery import DeliveryStatus, DeliveryStep, RunStep, delivery_target
from store.db import driver_connection
from store.records import CustomerRecord
from store.statements.runs import DeliveryRecord, StatementRunRecord
from store.statements.states import may_take, run_may_take, run_target, writes
from store.uow import run_statement


@dataclass(frozen=True, slots=True)
class DeliveryContext:
    """Everything a job reads before rendering: the delivery, its run and its customer."""

    delivery: DeliveryRecord
    run: StatementRunRecord
    customer: CustomerRecord


@dataclass(frozen=True, slots=True)
class StoredEmail:
    pdf: bytes
    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class SenderInfo:
    """The company as printed on statements (setup), with its logo if any."""

    name: str
    address: str
    email: str
    vat_no: str
    lcy_code: str
    logo_png: bytes | None


_S = ["name", "address", "email", "vat_no", "lcy_code", "logo_png"]
_SENDER = ", ".join(_S)


def _sender(row: Any) -> SenderInfo:
    logo = None if row["logo_png"] is None else bytes(row["logo_png"])
    return SenderInfo(
        row["name"], row["address"], row["email"], row["vat_no"], row["lcy_code"], logo
    )


async def load_sender(conn: AsyncConnection) -> SenderInfo:
    row = (await conn.execute(sa.text(f"SELECT {_SENDER} FROM company_setup WHERE id = 1"))).one()
    return _sender(row._mapping)


def _columns(alias: str, names: Sequence[str]) -> str:
    return ", ".join(f"{alias}.{n} AS {alias}_{n}" for n in names)


def _take(row: Any, alias: str, names: Sequence[str]) -> dict[str, Any]:
    return {n: row[f"{alias}_{n}"] for n in names}


_D = [f.name for f in fields(DeliveryRecord) if f.name != "has_pdf"]
_R = list(StatementRunRecord.__slots__)
_C = [f.name for f in fields(CustomerRecord)]
_JOB = f"""
SELECT {_columns("d", _D)}, d.pdf IS NOT NULL AS d_has_pdf, {_columns("r", _R)},
       {_columns("c", _C)}, {_columns("s", _S)}
  FROM statement_deliveries d
  JOIN statement_runs r ON r.id = d.run_id
  JOIN customers c ON c.no = d.customer_no
  CROSS JOIN company_setup s
 WHERE d.id = $1 AND s.id = 1
"""


async def load_job(pg: Any, delivery_id: int) -> tuple[DeliveryContext, SenderInfo] | None:
    """A statement delivery with its run, customer and the company, in one query (None when
    unknown, or not a run's delivery); ``pg`` is an asyncpg connection."""
    row = await pg.fetchrow(_JOB, delivery_id)
    if row is None:
        return None
    delivery = _take(row, "d", [*_D, "has_pdf"])
    delivery["currency_codes"] = tuple(delivery["currency_codes"])
    job = DeliveryContext(
        DeliveryRecord(**delivery),
        StatementRunRecord(**_take(row, "r", _R)),
        CustomerRecord(**_take(row, "c", _C)),
    )
    return job, _sender(_take(row, "s", _S))


_STORED = (
    "SELECT pdf, email_subject, email_text, email_html FROM statement_deliveries WHERE id = $1"
)


async def stored_email(pg: Any, delivery_id: int) -> StoredEmail | None:
    row = await pg.fetchrow(_STORED, delivery_id)
    if row is None or row["pdf"] is None:
        return None
    return StoredEmail(
        bytes(row["pdf"]), row["email_subject"], row["email_text"], row["email_html"]
    )


_SAVE = f"""
WITH running AS (
    UPDATE statement_runs SET status = '{run_target(RunStep.START)}'
     WHERE id = $7 AND {run_may_take(RunStep.START)}
)
UPDATE statement_deliveries
   SET pdf = $2, email_subject = $3, email_text = $4, email_html = $5, currency_codes = $6,
       rendered_at = now()
 WHERE id = $1 AND pdf IS NULL
RETURNING id
"""


async def save_rendering(
    engine: AsyncEngine,
    delivery_id: int,
    run_id: int | None,
    rendered: StoredEmail,
    currency_codes: Sequence[str],
) -> StoredEmail:
    """Store the PDF and e-mail once (a concurrent or earlier rendering wins); the run, if
    any, is RUNNING from its first rendering (in the same statement)."""
    saved = await run_statement(
        engine,
        _SAVE,
        delivery_id,
        rendered.pdf,
        rendered.subject,
        rendered.text,
        rendered.html,
        list(currency_codes),
        run_id,
    )
    if saved is not None:  # ours is the stored one
        return rendered
    async with driver_connection(engine) as pg:
        stored = await stored_email(pg, delivery_id)
    assert stored is not None
    return stored


_CLAIM = f"""
UPDATE statement_deliveries
   SET {writes(DeliveryStep.CLAIM)}, attempts = attempts + 1, recipient = $2, sending_at = now()
 WHERE id = $1 AND {may_take(DeliveryStep.CLAIM)}
RETURNING attempts
"""
_REACH_DATA = f"""
UPDATE statement_deliveries SET {writes(DeliveryStep.REACH_DATA)}
 WHERE id = $1 AND {may_take(DeliveryStep.REACH_DATA)}
"""
_RELEASE = f"""
UPDATE statement_deliveries SET {writes(DeliveryStep.RELEASE)}, error = $2
 WHERE id = $1 AND {may_take(DeliveryStep.RELEASE)}
"""


async def claim_for_sending(engine: AsyncEngine, delivery_id: int, recipient: str) -> int | None:
    """PENDING (or SENDING that provably never reached DATA) -> SENDING at stage CONNECT,
    one more attempt; returns the attempt number, or None when the delivery moved on."""
    attempts = await run_statement(engine, _CLAIM, delivery_id, recipient)
    return None if attempts is None else int(attempts)


async def mark_data_stage(engine: AsyncEngine, delivery_id: int) -> None:
    """Committed just before the DATA command: from here on a crash leaves the outcome
    uncertain (the server may accept the message after we die)."""
    await run_statement(engine, _REACH_DATA, delivery_id)


async def release_for_retry(engine: AsyncEngine, delivery_id: int, error: str) -> None:
    """A temporary failure that provably did not deliver: back to PENDING with the reason."""
    await run_statement(engine, _RELEASE, delivery_id, error)


async def finish_delivery(
    engine: AsyncEngine,
    delivery_id: int,
    status: DeliveryStatus | str,
    *,
    error: str = "",
    uncertain: bool = False,
    smtp_reply: str = "",
) -> bool:
    """Record the outcome (SENT, READY or FAILED) of an open delivery and complete its run
    (if any) when it was the last one, under a lock on the run row (one statement: the
    function of migration 0018); False when the delivery was no longer open. Any other
    status raises ValueError."""
    outcome, _ = delivery_target(DeliveryStep.FINISH, status)
    changed = await run_statement(
        engine,
        "SELECT lettrage_finish_delivery($1, $2, $3, $4, $5)",
        delivery_id,
        outcome.value,
        error,
        uncertain,
        smtp_reply,
    )
    return bool(changed)
