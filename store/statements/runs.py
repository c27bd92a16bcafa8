"""A statement run is asked for once and may be replayed, cancelled or retried, so the run and
one delivery per customer are written in one transaction (with the idempotency key), and the
jobs that deliver them are derived from the rows, never from the request."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.errors import DomainError, ErrorCode
from domain.statements import AgingBy, CustomerSelection, StatementStyle, bucket_ranges
from domain.statements import check_period as check_statement_period
from store.idempotency import idempotent
from store.statements.ledger import select_statement_customers
from store.tables import CUSTOMERS as CUSTOMER
from store.tables import STATEMENT_DELIVERIES as DELIVERY
from store.tables import STATEMENT_RUNS as RUN
from store.uow import UnitOfWork, run_in_transaction

RUN_STATUSES = ("QUEUED", "RUNNING", "COMPLETED", "CANCELLED")
DELIVERY_STATUSES = ("PENDING", "SENDING", "SENT", "READY", "FAILED", "CANCELLED")
OPEN_DELIVERY = ("PENDING", "SENDING")
OUTPUTS = ("EMAIL", "DOWNLOAD")
SEND_STATEMENT = "send_statement"
_SAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementRunRequest:
    """What `requestStatementRun` asks for; ``customer_nos`` None means "select them"."""

    start_date: date
    end_date: date
    customer_nos: tuple[str, ...] | None = None
    style: StatementStyle = StatementStyle.BALANCE
    include_aging: bool = False
    aging_by: AgingBy = AgingBy.DUE_DATE
    aging_period: str = "1M+CM"
    include_overdue: bool = False
    selection: CustomerSelection = CustomerSelection.WITH_ENTRIES
    output: str = "EMAIL"
    language_code: str = ""


@dataclass(frozen=True, slots=True)
class StatementRunRecord:
    id: int
    start_date: date
    end_date: date
    style: str
    include_aging: bool
    aging_by: str
    aging_period: str
    include_overdue: bool
    selection: str
    output: str
    language_code: str
    status: str
    total: int
    created_at: datetime
    completed_at: datetime | None


@dataclass(frozen=True, slots=True)
class RunCounts:
    total: int
    rendered: int
    sent: int
    ready: int
    failed: int
    cancelled: int
    pending: int


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    id: int
    run_id: int
    customer_no: str
    output: str
    status: str
    stage: str
    attempts: int
    retry_round: int
    error: str
    uncertain: bool
    message_id: str
    recipient: str
    currency_codes: tuple[str, ...]
    has_pdf: bool
    smtp_reply: str
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class DeliveryJob:
    """One arq job: its id is derived from run, customer and retry round (no duplicates)."""

    delivery_id: int
    job_id: str


def message_id(run_id: int, customer_no: str) -> str:
    """The fixed Message-ID of a delivery: the same on every attempt."""
    safe = _SAFE.sub(lambda m: f"={ord(m.group()):02X}", customer_no)
    return f"<run-{run_id}-{safe}@lettrage>"


def job_id(run_id: int, created_at: datetime, customer_no: str, retry_round: int) -> str:
    """``statement:{run}:{customer}:{run created, µs}[:retry{n}]``: the creation stamp keeps
    ids unique when a database is recreated and run ids restart (arq keeps results 1 h)."""
    stamp = int(created_at.timestamp() * 1_000_000)
    base = f"statement:{run_id}:{customer_no}:{stamp}"
    return base if retry_round == 0 else f"{base}:retry{retry_round}"


_DELIVERY_COLUMNS = (
    DELIVERY.c.id,
    DELIVERY.c.run_id,
    DELIVERY.c.customer_no,
    DELIVERY.c.output,
    DELIVERY.c.status,
    DELIVERY.c.stage,
    DELIVERY.c.attempts,
    DELIVERY.c.retry_round,
    DELIVERY.c.error,
    DELIVERY.c.uncertain,
    DELIVERY.c.message_id,
    DELIVERY.c.recipient,
    DELIVERY.c.currency_codes,
    DELIVERY.c.pdf.is_not(None).label("has_pdf"),
    DELIVERY.c.smtp_reply,
    DELIVERY.c.sent_at,
)


def delivery_record(row: Any) -> DeliveryRecord:
    m = row._mapping
    return DeliveryRecord(**{**m, "currency_codes": tuple(m["currency_codes"])})


def _run_record(row: Any) -> StatementRunRecord:
    m = row._mapping
    return StatementRunRecord(**{k: m[k] for k in StatementRunRecord.__slots__})


def validate_request(request: StatementRunRequest) -> None:
    """Dates in order, an aging period that steps back, a known output."""
    check_statement_period(request.start_date, request.end_date)
    if request.include_aging:
        bucket_ranges(request.aging_period, request.end_date, request.aging_by)
    if request.output not in OUTPUTS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"output must be one of {OUTPUTS}", ["output"])


async def _customers(uow: UnitOfWork, request: StatementRunRequest) -> list[str]:
    if request.customer_nos is None:
        return await select_statement_customers(
            uow.conn, request.selection, request.start_date, request.end_date
        )
    wanted = list(dict.fromkeys(no.strip() for no in request.customer_nos))
    known = {
        r.no
        for r in await uow.conn.execute(sa.select(CUSTOMER.c.no).where(CUSTOMER.c.no.in_(wanted)))
    }
    for i, no in enumerate(wanted):
        if no not in known:
            raise DomainError(
                ErrorCode.UNKNOWN_CUSTOMER,
                f"customer {no!r} does not exist",
                ["customerNos", str(i)],
            )
    return wanted


async def create_statement_run(
    engine: AsyncEngine, request: StatementRunRequest, idempotency_key: str | None = None
) -> tuple[int, bool]:
    """Create the run and its PENDING deliveries in one transaction; ``(run_id, replayed)``.

    A replay with the same idempotency key returns the first run. The caller enqueues
    `pending_jobs(run_id)` after this returns (after the commit).
    """
    validate_request(request)

    async def work(uow: UnitOfWork) -> dict[str, Any]:
        async def create() -> dict[str, Any]:
            customers = await _customers(uow, request)
            values = asdict(request)
            values["customer_nos"] = list(request.customer_nos or ())
            values["total"] = len(customers)
            values["status"] = "QUEUED" if customers else "COMPLETED"
            if not customers:
                values["completed_at"] = sa.func.now()
            run_id = int(
                (await uow.conn.execute(sa.insert(RUN).values(**values).returning(RUN.c.id)))
                .one()
                .id
            )
            if customers:
                await uow.conn.execute(
                    sa.insert(DELIVERY),
                    [
                        {
                            "run_id": run_id,
                            "customer_no": no,
                            "output": request.output,
                            "message_id": message_id(run_id, no),
                            "currency_codes": [],
                        }
                        for no in customers
                    ],
                )
            return {"run_id": run_id}

        return await idempotent(
            uow, "requestStatementRun", idempotency_key, asdict(request), create
        )

    result = await run_in_transaction(engine, work)
    return int(result["run_id"]), bool(result.get("replayed", False))


async def pending_jobs(conn: AsyncConnection, run_id: int) -> list[DeliveryJob]:
    """The jobs that still have work: PENDING or SENDING deliveries of a run not cancelled."""
    rows = await conn.execute(
        sa.select(DELIVERY.c.id, DELIVERY.c.customer_no, DELIVERY.c.retry_round, RUN.c.created_at)
        .join(RUN, RUN.c.id == DELIVERY.c.run_id)
        .where(
            DELIVERY.c.run_id == run_id,
            DELIVERY.c.status.in_(OPEN_DELIVERY),
            RUN.c.status != "CANCELLED",
        )
        .order_by(DELIVERY.c.customer_no)
    )
    return [
        DeliveryJob(r.id, job_id(run_id, r.created_at, r.customer_no, r.retry_round)) for r in rows
    ]


async def _lock_run(conn: AsyncConnection, run_id: int) -> StatementRunRecord:
    row = (
        await conn.execute(sa.select(RUN).where(RUN.c.id == run_id).with_for_update())
    ).one_or_none()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"statement run {run_id} does not exist", ["id"])
    return _run_record(row)


async def cancel_statement_run(engine: AsyncEngine, run_id: int) -> None:
    """PENDING deliveries become CANCELLED; one being sent right now finishes its attempt."""

    async def work(uow: UnitOfWork) -> None:
        run = await _lock_run(uow.conn, run_id)
        if run.status in ("COMPLETED", "CANCELLED"):
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                f"statement run {run_id} is already {run.status.lower()}",
                ["id"],
            )
        await uow.conn.execute(
            sa.update(DELIVERY)
            .where(DELIVERY.c.run_id == run_id, DELIVERY.c.status == "PENDING")
            .values(status="CANCELLED", error="cancelled")
        )
        await uow.conn.execute(
            sa.update(RUN)
            .where(RUN.c.id == run_id)
            .values(status="CANCELLED", completed_at=sa.func.now())
        )

    await run_in_transaction(engine, work)


async def retry_statement_run(
    engine: AsyncEngine, run_id: int, include_uncertain: bool = False
) -> int:
    """FAILED deliveries go back to PENDING in a new retry round; returns how many.

    Uncertain ones (the SMTP server may have accepted the message) are left alone unless
    ``include_uncertain``: resending them could send the statement twice.
    """

    async def work(uow: UnitOfWork) -> int:
        run = await _lock_run(uow.conn, run_id)
        if run.status == "CANCELLED":
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                f"statement run {run_id} was cancelled: request a new run",
                ["id"],
            )
        cond = [DELIVERY.c.run_id == run_id, DELIVERY.c.status == "FAILED"]
        if not include_uncertain:
            cond.append(DELIVERY.c.uncertain.is_(False))
        count = (
            await uow.conn.execute(
                sa.update(DELIVERY)
                .where(*cond)
                .values(
                    status="PENDING",
                    stage="",
                    attempts=0,
                    error="",
                    uncertain=False,
                    retry_round=DELIVERY.c.retry_round + 1,
                )
            )
        ).rowcount
        if count:
            await uow.conn.execute(
                sa.update(RUN).where(RUN.c.id == run_id).values(status="RUNNING", completed_at=None)
            )
        return int(count)

    return await run_in_transaction(engine, work)


async def get_run(conn: AsyncConnection, run_id: int) -> StatementRunRecord | None:
    row = (await conn.execute(sa.select(RUN).where(RUN.c.id == run_id))).one_or_none()
    return None if row is None else _run_record(row)


async def run_counts(conn: AsyncConnection, run_id: int) -> RunCounts:
    def n(*statuses: str) -> Any:
        return sa.func.count().filter(DELIVERY.c.status.in_(statuses))

    row = (
        await conn.execute(
            sa.select(
                sa.func.count().label("total"),
                sa.func.count().filter(DELIVERY.c.pdf.is_not(None)).label("rendered"),
                n("SENT").label("sent"),
                n("READY").label("ready"),
                n("FAILED").label("failed"),
                n("CANCELLED").label("cancelled"),
                n(*OPEN_DELIVERY).label("pending"),
            ).where(DELIVERY.c.run_id == run_id)
        )
    ).one()
    return RunCounts(**row._mapping)


async def run_deliveries(
    conn: AsyncConnection, run_id: int, statuses: Sequence[str] | None = None
) -> list[DeliveryRecord]:
    query = (
        sa.select(*_DELIVERY_COLUMNS)
        .where(DELIVERY.c.run_id == run_id)
        .order_by(DELIVERY.c.customer_no)
    )
    if statuses:
        query = query.where(DELIVERY.c.status.in_(list(statuses)))
    return [delivery_record(r) for r in await conn.execute(query)]


async def delivery_pdf(conn: AsyncConnection, delivery_id: int) -> bytes | None:
    """The stored PDF of a delivery, or None when there is none (yet)."""
    row = (
        await conn.execute(sa.select(DELIVERY.c.pdf).where(DELIVERY.c.id == delivery_id))
    ).one_or_none()
    return None if row is None or row.pdf is None else bytes(row.pdf)
