"""Each delivery moves PENDING -> SENDING -> SENT/READY/FAILED in small committed steps, so a
worker that dies mid-job leaves a row that says how far it got; the run completes (with its
counts) in the same transaction as its last delivery, under a lock on the run row. Deliveries
of reminders and finance charge memos have no run and take the same steps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from store.customers import get_customer
from store.records import CustomerRecord
from store.statement_runs import (
    _DELIVERY_COLUMNS,
    DELIVERY,
    OPEN_DELIVERY,
    RUN,
    DeliveryRecord,
    StatementRunRecord,
    delivery_record,
    get_run,
)
from store.tables import CompanySetup
from store.uow import UnitOfWork, run_in_transaction

SETUP = CompanySetup.__table__  # type: ignore[attr-defined]

STAGE_CONNECT = "CONNECT"
STAGE_DATA = "DATA"


async def _alone(engine: AsyncEngine, statement: sa.Executable) -> sa.CursorResult[Any]:
    """Run one statement in autocommit: it commits by itself, without the BEGIN and COMMIT
    round trips of a transaction (each costs about as much as the statement on this path)."""
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        return await conn.execute(statement)


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


async def load_sender(conn: AsyncConnection) -> SenderInfo:
    row = (
        await conn.execute(
            sa.select(
                SETUP.c.name,
                SETUP.c.address,
                SETUP.c.email,
                SETUP.c.vat_no,
                SETUP.c.lcy_code,
                SETUP.c.logo_png,
            ).where(SETUP.c.id == 1)
        )
    ).one()
    logo = None if row.logo_png is None else bytes(row.logo_png)
    return SenderInfo(row.name, row.address, row.email, row.vat_no, row.lcy_code, logo)


async def load_delivery(conn: AsyncConnection, delivery_id: int) -> DeliveryContext | None:
    row = (
        await conn.execute(
            sa.select(*_DELIVERY_COLUMNS).where(
                DELIVERY.c.id == delivery_id, DELIVERY.c.run_id.is_not(None)
            )
        )
    ).one_or_none()
    if row is None:  # unknown, or not a statement run's delivery
        return None
    delivery = delivery_record(row)
    run = await get_run(conn, delivery.run_id)
    customer = await get_customer(conn, delivery.customer_no)
    assert run is not None  # foreign key
    assert customer is not None  # foreign key
    return DeliveryContext(delivery, run, customer)


async def stored_email(conn: AsyncConnection, delivery_id: int) -> StoredEmail | None:
    row = (
        await conn.execute(
            sa.select(
                DELIVERY.c.pdf,
                DELIVERY.c.email_subject,
                DELIVERY.c.email_text,
                DELIVERY.c.email_html,
            ).where(DELIVERY.c.id == delivery_id)
        )
    ).one()
    if row.pdf is None:
        return None
    return StoredEmail(bytes(row.pdf), row.email_subject, row.email_text, row.email_html)


async def save_rendering(
    engine: AsyncEngine,
    delivery_id: int,
    run_id: int | None,
    rendered: StoredEmail,
    currency_codes: Sequence[str],
) -> StoredEmail:
    """Store the PDF and e-mail once (a concurrent or earlier rendering wins); the run, if
    any, is RUNNING from its first rendering."""
    save = (
        sa.update(DELIVERY)
        .where(DELIVERY.c.id == delivery_id, DELIVERY.c.pdf.is_(None))
        .values(
            pdf=rendered.pdf,
            email_subject=rendered.subject,
            email_text=rendered.text,
            email_html=rendered.html,
            currency_codes=list(currency_codes),
            rendered_at=sa.func.now(),
        )
    )
    if run_id is not None:  # the same statement: a data-modifying CTE runs either way
        save = save.add_cte(
            sa.update(RUN)
            .where(RUN.c.id == run_id, RUN.c.status == "QUEUED")
            .values(status="RUNNING")
            .cte("running")
        )
    if (await _alone(engine, save)).rowcount == 1:  # ours is the stored one
        return rendered
    async with engine.connect() as conn:
        stored = await stored_email(conn, delivery_id)
    assert stored is not None
    return stored


async def claim_for_sending(engine: AsyncEngine, delivery_id: int, recipient: str) -> int | None:
    """PENDING (or SENDING that provably never reached DATA) -> SENDING at stage CONNECT,
    one more attempt; returns the attempt number, or None when the delivery moved on."""
    row = (
        await _alone(
            engine,
            sa.update(DELIVERY)
            .where(
                DELIVERY.c.id == delivery_id,
                sa.or_(
                    DELIVERY.c.status == "PENDING",
                    sa.and_(DELIVERY.c.status == "SENDING", DELIVERY.c.stage != STAGE_DATA),
                ),
            )
            .values(
                status="SENDING",
                stage=STAGE_CONNECT,
                attempts=DELIVERY.c.attempts + 1,
                recipient=recipient,
                sending_at=sa.func.now(),
            )
            .returning(DELIVERY.c.attempts),
        )
    ).one_or_none()
    return None if row is None else int(row.attempts)


async def mark_data_stage(engine: AsyncEngine, delivery_id: int) -> None:
    """Committed just before the DATA command: from here on a crash leaves the outcome
    uncertain (the server may accept the message after we die)."""
    await _alone(
        engine,
        sa.update(DELIVERY)
        .where(DELIVERY.c.id == delivery_id, DELIVERY.c.status == "SENDING")
        .values(stage=STAGE_DATA),
    )


async def release_for_retry(engine: AsyncEngine, delivery_id: int, error: str) -> None:
    """A temporary failure that provably did not deliver: back to PENDING with the reason."""
    await _alone(
        engine,
        sa.update(DELIVERY)
        .where(DELIVERY.c.id == delivery_id, DELIVERY.c.status == "SENDING")
        .values(status="PENDING", stage="", error=error),
    )


async def finish_delivery(
    engine: AsyncEngine,
    delivery_id: int,
    run_id: int | None,
    status: str,
    *,
    error: str = "",
    uncertain: bool = False,
    smtp_reply: str = "",
) -> bool:
    """Record the outcome (SENT, READY or FAILED) of an open delivery and complete its run
    (if any) when it was the last one; False when the delivery was no longer open."""

    async def work(uow: UnitOfWork) -> bool:
        if run_id is not None:
            await uow.conn.execute(sa.select(RUN.c.id).where(RUN.c.id == run_id).with_for_update())
        changed = (
            await uow.conn.execute(
                sa.update(DELIVERY)
                .where(DELIVERY.c.id == delivery_id, DELIVERY.c.status.in_(OPEN_DELIVERY))
                .values(
                    status=status,
                    error=error,
                    uncertain=uncertain,
                    smtp_reply=smtp_reply,
                    sent_at=sa.func.now() if status == "SENT" else None,
                )
            )
        ).rowcount
        if run_id is not None:
            await complete_if_done(uow.conn, run_id)
        return bool(changed)

    return await run_in_transaction(engine, work)


async def complete_if_done(conn: AsyncConnection, run_id: int) -> bool:
    """The run becomes COMPLETED when no delivery is open (call with the run row locked)."""
    still_open = (
        await conn.execute(
            sa.select(
                sa.exists().where(DELIVERY.c.run_id == run_id, DELIVERY.c.status.in_(OPEN_DELIVERY))
            )
        )
    ).scalar_one()
    if still_open:
        return False
    done = (
        await conn.execute(
            sa.update(RUN)
            .where(RUN.c.id == run_id, RUN.c.status.in_(("QUEUED", "RUNNING")))
            .values(status="COMPLETED", completed_at=sa.func.now())
        )
    ).rowcount
    return bool(done)
