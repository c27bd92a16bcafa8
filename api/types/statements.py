"""Statement runs as GraphQL types: the run with its counts and one delivery per customer
(one e-mail, one PDF with a section per currency)."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from api.context import Context
from store.statements.runs import DeliveryRecord, RunCounts, StatementRunRecord, run_deliveries


@strawberry.enum(description="BALANCE: running balance of the period; OPEN_ITEM: open entries.")
class StatementStyle(Enum):
    BALANCE = "BALANCE"
    OPEN_ITEM = "OPEN_ITEM"


@strawberry.enum
class StatementAgingBy(Enum):
    DUE_DATE = "DUE_DATE"
    POSTING_DATE = "POSTING_DATE"


@strawberry.enum(description="Which customers get a statement when customerNos is not given.")
class StatementCustomerSelection(Enum):
    WITH_ENTRIES = "WITH_ENTRIES"
    WITH_BALANCE = "WITH_BALANCE"
    WITH_OVERDUE = "WITH_OVERDUE"


@strawberry.enum
class StatementOutput(Enum):
    EMAIL = "EMAIL"
    DOWNLOAD = "DOWNLOAD"


@strawberry.enum
class StatementRunStatus(Enum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


@strawberry.enum(
    description="PENDING -> SENDING -> SENT (e-mail) / READY (download) / FAILED; CANCELLED."
)
class StatementDeliveryStatus(Enum):
    PENDING = "PENDING"
    SENDING = "SENDING"
    SENT = "SENT"
    READY = "READY"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


@strawberry.type(description="One customer's statement in a run: one e-mail, one PDF.")
class StatementDelivery:
    id: int
    customer_no: str
    currency_code: str | None = strawberry.field(
        description="The first section's currency (the customer's own); see currencyCodes."
    )
    currency_codes: list[str] = strawberry.field(
        description="One PDF section per currency, in print order (known once rendered)."
    )
    output: StatementOutput
    status: StatementDeliveryStatus
    error: str | None
    uncertain: bool = strawberry.field(
        description="The SMTP connection broke after DATA: maybe delivered, so not resent."
    )
    attempts: int
    message_id: str
    recipient: str
    smtp_reply: str | None = strawberry.field(
        description="The server's answer to DATA (e.g. 250 queued as ...), or how an "
        "interrupted attempt was resolved."
    )
    sent_at: datetime | None
    pdf_url: str | None = strawberry.field(
        description="GET with the same Bearer key (read scope) once the PDF is rendered."
    )

    @classmethod
    def of(cls, r: DeliveryRecord) -> StatementDelivery:
        return cls(
            id=r.id,
            customer_no=r.customer_no,
            currency_code=r.currency_codes[0] if r.currency_codes else None,
            currency_codes=list(r.currency_codes),
            output=StatementOutput(r.output),
            status=StatementDeliveryStatus(r.status),
            error=r.error or None,
            uncertain=r.uncertain,
            attempts=r.attempts,
            message_id=r.message_id,
            recipient=r.recipient,
            smtp_reply=r.smtp_reply or None,
            sent_at=r.sent_at,
            pdf_url=f"/statements/{r.id}.pdf" if r.has_pdf else None,
        )


@strawberry.type
class StatementRun:
    id: int
    status: StatementRunStatus
    start_date: date
    end_date: date
    style: StatementStyle
    output: StatementOutput
    total: int
    rendered: int
    sent: int
    ready: int
    failed: int
    cancelled: int
    pending: int = strawberry.field(description="PENDING or SENDING deliveries.")
    created_at: datetime
    completed_at: datetime | None

    @strawberry.field
    async def deliveries(
        self, info: Info[Context, None], status: list[StatementDeliveryStatus] | None = None
    ) -> list[StatementDelivery]:
        wanted = [s.value for s in status] if status else None
        async with info.context.engine.connect() as conn:
            rows = await run_deliveries(conn, self.id, wanted)
        return [StatementDelivery.of(r) for r in rows]

    @classmethod
    def of(cls, run: StatementRunRecord, counts: RunCounts) -> StatementRun:
        return cls(
            id=run.id,
            status=StatementRunStatus(run.status),
            start_date=run.start_date,
            end_date=run.end_date,
            style=StatementStyle(run.style),
            output=StatementOutput(run.output),
            total=run.total,
            rendered=counts.rendered,
            sent=counts.sent,
            ready=counts.ready,
            failed=counts.failed,
            cancelled=counts.cancelled,
            pending=counts.pending,
            created_at=run.created_at,
            completed_at=run.completed_at,
        )


async def load_statement_run(info: Info[Context, None], run_id: int) -> StatementRun | None:
    from store.statements.runs import get_run, run_counts

    async with info.context.engine.connect() as conn:
        run = await get_run(conn, run_id)
        if run is None:
            return None
        return StatementRun.of(run, await run_counts(conn, run_id))
