"""Issued reminders and finance charge memos are sent like statements: one delivery row per
document, written in the issuing transaction (a rolled-back issue leaves none), then one arq
job per open delivery whose id is derived from the document, so enqueuing again adds nothing.
The worker-side steps are those of store.statements.deliveries (the rows are the same)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import structlog
from redis.exceptions import RedisError
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from store.records import CustomerRecord
from store.statements.queue import DEFAULT_QUEUE_NAME, arq_client
from store.statements.runs import OPEN_DELIVERY, DeliveryJob
from store.tables import FINANCE_CHARGE_MEMOS as MEMOS
from store.tables import REMINDERS
from store.tables import STATEMENT_DELIVERIES as DELIVERY

log = structlog.get_logger(__name__)


REMINDER = "REMINDER"
FINANCE_CHARGE_MEMO = "FINANCE_CHARGE_MEMO"
SEND_DOCUMENT = "send_document"

_WITH_DOCUMENT = DELIVERY.outerjoin(REMINDERS, REMINDERS.c.id == DELIVERY.c.reminder_id).outerjoin(
    MEMOS, MEMOS.c.id == DELIVERY.c.finance_charge_memo_id
)
_DOCUMENT_NO = sa.func.coalesce(REMINDERS.c.document_no, MEMOS.c.document_no)
_LINK = {REMINDER: DELIVERY.c.reminder_id, FINANCE_CHARGE_MEMO: DELIVERY.c.finance_charge_memo_id}
_PREFIX = {REMINDER: "reminder", FINANCE_CHARGE_MEMO: "finance-charge-memo"}


@dataclass(frozen=True, slots=True)
class DocumentDelivery:
    """The delivery of one issued reminder or memo, as the API and the worker read it."""

    id: int
    document_kind: str
    document_id: int
    document_no: str
    customer_no: str
    output: str
    status: str
    stage: str
    attempts: int
    error: str
    uncertain: bool
    message_id: str
    recipient: str
    has_pdf: bool
    smtp_reply: str
    sent_at: datetime | None
    document_created_at: datetime

    @property
    def job_id(self) -> str:
        return job_id(self.document_kind, self.document_id, self.document_created_at)


def _stamp(created_at: datetime) -> int:
    return int(created_at.timestamp() * 1_000_000)


def message_id(kind: str, document_id: int, created_at: datetime) -> str:
    """``<reminder-12-{created µs}@lettrage>``: fixed for every attempt; the document's
    creation stamp keeps it unique when a database is recreated and ids restart."""
    return f"<{_PREFIX[kind]}-{document_id}-{_stamp(created_at)}@lettrage>"


def job_id(kind: str, document_id: int, created_at: datetime) -> str:
    """``reminder:{id}:{created µs}``: one arq job per document (arq refuses duplicates)."""
    return f"{_PREFIX[kind]}:{document_id}:{_stamp(created_at)}"


async def record_delivery(
    conn: AsyncConnection,
    kind: str,
    document_id: int,
    customer: CustomerRecord,
    created_at: datetime,
) -> None:
    """A PENDING delivery for an issued document, in the caller's transaction: by e-mail when
    the customer has an address, else stored for download. At most one per document."""
    values: dict[str, Any] = {
        "document_kind": kind,
        _LINK[kind].name: document_id,
        "customer_no": customer.no,
        "output": "EMAIL" if customer.email.strip() else "DOWNLOAD",
        "message_id": message_id(kind, document_id, created_at),
        "currency_codes": [],
    }
    await conn.execute(pg_insert(DELIVERY).values(**values).on_conflict_do_nothing())


async def cancel_pending(conn: AsyncConnection, kind: str, document_id: int, reason: str) -> None:
    """A document withdrawn before it went out is not sent (one being sent finishes)."""
    await conn.execute(
        sa.update(DELIVERY)
        .where(_LINK[kind] == document_id, DELIVERY.c.status == "PENDING")
        .values(status="CANCELLED", error=reason)
    )


def _select() -> sa.Select[Any]:
    document_id = sa.func.coalesce(DELIVERY.c.reminder_id, DELIVERY.c.finance_charge_memo_id)
    return sa.select(
        DELIVERY.c.id,
        DELIVERY.c.document_kind,
        document_id.label("document_id"),
        _DOCUMENT_NO.label("document_no"),
        DELIVERY.c.customer_no,
        DELIVERY.c.output,
        DELIVERY.c.status,
        DELIVERY.c.stage,
        DELIVERY.c.attempts,
        DELIVERY.c.error,
        DELIVERY.c.uncertain,
        DELIVERY.c.message_id,
        DELIVERY.c.recipient,
        DELIVERY.c.pdf.is_not(None).label("has_pdf"),
        DELIVERY.c.smtp_reply,
        DELIVERY.c.sent_at,
        sa.func.coalesce(REMINDERS.c.created_at, MEMOS.c.created_at).label("document_created_at"),
    ).select_from(_WITH_DOCUMENT)


def _record(row: Any) -> DocumentDelivery:
    return DocumentDelivery(**row._mapping)


async def deliveries_of(
    conn: AsyncConnection, kind: str, document_ids: Sequence[int]
) -> dict[int, DocumentDelivery]:
    """Document id -> its delivery, for the documents that have one."""
    if not document_ids:
        return {}
    rows = await conn.execute(_select().where(_LINK[kind].in_(list(document_ids))))
    return {r.document_id: _record(r) for r in rows}


async def load_document_delivery(
    conn: AsyncConnection, delivery_id: int
) -> DocumentDelivery | None:
    """The delivery, or None when it does not exist or belongs to a statement run."""
    row = (
        await conn.execute(
            _select().where(DELIVERY.c.id == delivery_id, DELIVERY.c.run_id.is_(None))
        )
    ).one_or_none()
    return None if row is None else _record(row)


def open_jobs(deliveries: Iterable[DocumentDelivery | None]) -> list[DeliveryJob]:
    """The jobs still to run: PENDING or SENDING deliveries."""
    return [
        DeliveryJob(d.id, d.job_id)
        for d in deliveries
        if d is not None and d.status in OPEN_DELIVERY
    ]


async def enqueue_documents(
    redis: Any, jobs: Sequence[DeliveryJob], queue_name: str = DEFAULT_QUEUE_NAME
) -> int:
    """Enqueue one `send_document` job per delivery (after the commit); returns how many were
    new. Redis being down is logged, not raised: the document is issued and its delivery stays
    PENDING until the same issue request is replayed (same idempotency key), which enqueues
    it again."""
    if redis is None or not jobs:
        return 0
    client = arq_client(redis)
    added = 0
    try:
        for job in jobs:
            created = await client.enqueue_job(
                SEND_DOCUMENT, job.delivery_id, _job_id=job.job_id, _queue_name=queue_name
            )
            added += created is not None
    except (RedisError, OSError) as exc:
        log.warning("document_enqueue_failed", error=f"{type(exc).__name__}: {exc}")
    return added


async def delivery_pdf_file(conn: AsyncConnection, delivery_id: int) -> tuple[bytes, str] | None:
    """The stored PDF of any delivery with a file name saying what it is, or None."""
    row = (
        await conn.execute(
            sa.select(DELIVERY.c.pdf, DELIVERY.c.document_kind, _DOCUMENT_NO.label("no"))
            .select_from(_WITH_DOCUMENT)
            .where(DELIVERY.c.id == delivery_id)
        )
    ).one_or_none()
    if row is None or row.pdf is None:
        return None
    if row.document_kind == "STATEMENT" or not row.no:
        name = f"{row.document_kind.lower().replace('_', '-')}-{delivery_id}.pdf"
    else:
        name = f"{row.no}.pdf"
    return bytes(row.pdf), name
