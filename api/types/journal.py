"""Saved cash receipt journals as an SPA edits them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from store.posting.journals import Draft, DraftLine


@strawberry.type
class JournalApplyTo:
    entry_no: int
    amount_to_apply: Decimal | None
    accept_payment_discount_tolerance: bool | None
    accept_payment_tolerance: bool | None


@strawberry.type
class CashReceiptJournalLine:
    id: int
    line_no: int
    posting_date: date
    document_type: str
    document_no: str
    customer_no: str | None
    gl_account_no: str | None
    bal_account_type: str
    bal_account_no: str
    amount: Decimal
    currency_code: str | None
    description: str
    applies_to_doc_type: str | None
    applies_to_doc_no: str | None
    applies_to_id: str | None
    apply_to: list[JournalApplyTo]

    @classmethod
    def of(cls, d: DraftLine) -> CashReceiptJournalLine:
        x = d.line
        return cls(
            id=d.id,
            line_no=d.line_no,
            posting_date=x.posting_date,
            document_type=x.document_type,
            document_no=x.document_no,
            customer_no=x.customer_no,
            gl_account_no=x.gl_account_no,
            bal_account_type=x.bal_account_type,
            bal_account_no=x.bal_account_no,
            amount=x.amount,
            currency_code=x.currency_code,
            description=x.description,
            applies_to_doc_type=x.applies_to_doc_type,
            applies_to_doc_no=x.applies_to_doc_no,
            applies_to_id=x.applies_to_id,
            apply_to=[
                JournalApplyTo(
                    entry_no=a.entry_no,
                    amount_to_apply=a.amount_to_apply,
                    accept_payment_discount_tolerance=(a.accept_payment_discount_tolerance),
                    accept_payment_tolerance=a.accept_payment_tolerance,
                )
                for a in x.apply_to
            ],
        )


@strawberry.type
class CashReceiptJournal:
    name: str
    description: str
    lines: list[CashReceiptJournalLine]

    @classmethod
    def of(cls, d: Draft) -> CashReceiptJournal:
        return cls(
            name=d.name,
            description=d.description,
            lines=[CashReceiptJournalLine.of(x) for x in d.lines],
        )
