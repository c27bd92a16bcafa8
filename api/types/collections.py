"""GraphQL shapes of reminders and finance charge memos: what the customer is chased for, and
how the issued document reached them (the same delivery fields as a statement's)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from api.types.statements import StatementDeliveryStatus, StatementOutput
from store.collections.deliveries import DocumentDelivery as DocumentDeliveryRecord
from store.collections.finance_charges import StoredMemo
from store.collections.reminders import StoredReminder


@strawberry.type(
    description="How an issued reminder or finance charge memo is sent: one PDF, e-mailed "
    "exactly once (output EMAIL) or stored for download when the customer has no e-mail "
    "address (DOWNLOAD)."
)
class DocumentDelivery:
    id: int
    output: StatementOutput
    status: StatementDeliveryStatus
    error: str | None
    uncertain: bool = strawberry.field(
        description="The SMTP connection broke after DATA: maybe delivered, so not resent."
    )
    attempts: int
    message_id: str
    recipient: str
    smtp_reply: str | None
    sent_at: datetime | None
    pdf_url: str | None = strawberry.field(
        description="GET with the same Bearer key (read scope) once the PDF is rendered."
    )

    @classmethod
    def of(cls, d: DocumentDeliveryRecord | None) -> DocumentDelivery | None:
        if d is None:
            return None
        return cls(
            id=d.id,
            output=StatementOutput(d.output),
            status=StatementDeliveryStatus(d.status),
            error=d.error or None,
            uncertain=d.uncertain,
            attempts=d.attempts,
            message_id=d.message_id,
            recipient=d.recipient,
            smtp_reply=d.smtp_reply or None,
            sent_at=d.sent_at,
            pdf_url=f"/statements/{d.id}.pdf" if d.has_pdf else None,
        )


@strawberry.type
class ReminderLine:
    entry_no: int
    document_type: str
    document_no: str
    due_date: date
    remaining_amount: Decimal
    level: int


@strawberry.type(description="A reminder for one customer and currency.")
class Reminder:
    id: int
    customer_no: str
    currency_code: str
    level: int
    posting_date: date
    document_date: date
    due_date: date
    status: str = strawberry.field(description="PROPOSED, ISSUED or CANCELED.")
    document_no: str = strawberry.field(description="Set when issued.")
    lines: list[ReminderLine]
    remaining_amount: Decimal
    fee_amount: Decimal
    total_amount: Decimal
    posted_entry_no: int | None
    cancel_entry_no: int | None
    delivery: DocumentDelivery | None = strawberry.field(description="Set when issued.")

    @classmethod
    def of(cls, r: StoredReminder) -> Reminder:
        return cls(
            id=r.id,
            customer_no=r.customer_no,
            currency_code=r.currency_code,
            level=r.level,
            posting_date=r.posting_date,
            document_date=r.document_date,
            due_date=r.due_date,
            status=r.status,
            document_no=r.document_no,
            lines=[
                ReminderLine(
                    entry_no=x.entry_no,
                    document_type=x.document_type,
                    document_no=x.document_no,
                    due_date=x.due_date,
                    remaining_amount=x.remaining_amount,
                    level=x.level,
                )
                for x in r.lines
            ],
            remaining_amount=r.remaining_amount,
            fee_amount=r.fee_amount,
            total_amount=r.total_amount,
            posted_entry_no=r.posted_entry_no,
            cancel_entry_no=r.cancel_entry_no,
            delivery=DocumentDelivery.of(r.delivery),
        )


@strawberry.type
class FinanceChargeMemoLine:
    entry_no: int
    document_no: str
    days: int
    base_amount: Decimal
    interest_amount: Decimal
    formula_text: str


@strawberry.type(description="A finance charge memo for one customer and currency.")
class FinanceChargeMemo:
    id: int
    customer_no: str
    currency_code: str
    posting_date: date
    document_date: date
    as_of: date
    status: str = strawberry.field(description="PROPOSED or ISSUED.")
    document_no: str = strawberry.field(description="Set when issued.")
    lines: list[FinanceChargeMemoLine]
    interest_amount: Decimal
    additional_fee: Decimal
    total_amount: Decimal
    posted_entry_no: int | None
    delivery: DocumentDelivery | None = strawberry.field(description="Set when issued.")

    @classmethod
    def of(cls, m: StoredMemo) -> FinanceChargeMemo:
        return cls(
            id=m.id,
            customer_no=m.customer_no,
            currency_code=m.currency_code,
            posting_date=m.posting_date,
            document_date=m.document_date,
            as_of=m.as_of,
            status=m.status,
            document_no=m.document_no,
            lines=[
                FinanceChargeMemoLine(
                    entry_no=x.entry_no,
                    document_no=x.document_no,
                    days=x.days,
                    base_amount=x.base_amount,
                    interest_amount=x.interest_amount,
                    formula_text=x.formula_text,
                )
                for x in m.lines
            ],
            interest_amount=m.interest_amount,
            additional_fee=m.additional_fee,
            total_amount=m.total_amount,
            posted_entry_no=m.posted_entry_no,
            delivery=DocumentDelivery.of(m.delivery),
        )
