"""CustomerLedgerEntry and the party-neutral LedgerEntry interface bank suggestions point at."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.context import Context
from api.types.enums import DetailedEntryType, DocumentType, document_type
from domain import ledger


@strawberry.type(description="A detailed ledger entry: one change to a ledger entry's amount.")
class DetailedLedgerEntry:
    entry_no: int
    entry_type: DetailedEntryType
    posting_date: date
    document_type: DocumentType | None
    document_no: str
    currency_code: str
    amount: Decimal
    amount_lcy: Decimal
    applied_entry_no: int | None
    application_no: int | None
    unapplied: bool

    @classmethod
    def of(cls, r: ledger.DetailedLedgerEntry) -> DetailedLedgerEntry:
        return cls(
            entry_no=r.entry_no,
            entry_type=DetailedEntryType(r.entry_type),
            posting_date=r.posting_date,
            document_type=document_type(r.document_type),
            document_no=r.document_no,
            currency_code=r.currency_code,
            amount=r.amount,
            amount_lcy=r.amount_lcy,
            applied_entry_no=r.applied_entry_no,
            application_no=r.application_no,
            unapplied=r.unapplied,
        )


@strawberry.interface(description="An open or closed entry of a customer or vendor ledger.")
class LedgerEntry:
    entry_no: int
    party_no: str
    document_type: DocumentType | None
    document_no: str
    external_document_no: str
    posting_date: date
    due_date: date
    currency_code: str
    amount: Decimal
    remaining_amount: Decimal
    open: bool


@strawberry.type
class CustomerLedgerEntry(LedgerEntry):
    customer_no: str
    document_date: date
    description: str
    pmt_discount_date: date | None
    pmt_disc_tolerance_date: date | None
    original_pmt_disc_possible: Decimal
    remaining_pmt_disc_possible: Decimal
    max_payment_tolerance: Decimal
    amount_lcy: Decimal
    remaining_amount_lcy: Decimal
    currency_factor: Decimal
    closed_by_entry_no: int | None
    closed_at_date: date | None
    reversed: bool

    @strawberry.field(description="Every change to this entry's amount, oldest first.")
    async def detailed_entries(self, info: Info[Context, None]) -> list[DetailedLedgerEntry]:
        rows = await info.context.loaders.detailed_entries_by_entry_no.load(self.entry_no)
        return [DetailedLedgerEntry.of(r) for r in rows]

    @classmethod
    def of(cls, r: ledger.LedgerEntry) -> CustomerLedgerEntry:
        return cls(
            entry_no=r.entry_no,
            party_no=r.party_no,
            customer_no=r.party_no,
            document_type=document_type(r.document_type),
            document_no=r.document_no,
            external_document_no=r.external_document_no,
            posting_date=r.posting_date,
            document_date=r.document_date,
            description=r.description,
            due_date=r.due_date,
            pmt_discount_date=r.pmt_discount_date,
            pmt_disc_tolerance_date=r.pmt_disc_tolerance_date,
            original_pmt_disc_possible=r.original_pmt_disc_possible,
            remaining_pmt_disc_possible=r.remaining_pmt_disc_possible,
            max_payment_tolerance=r.max_payment_tolerance,
            currency_code=r.currency_code,
            currency_factor=r.currency_factor,
            amount=r.amount,
            remaining_amount=r.remaining_amount,
            amount_lcy=r.amount_lcy,
            remaining_amount_lcy=r.remaining_amount_lcy,
            open=r.open,
            closed_by_entry_no=r.closed_by_entry_no,
            closed_at_date=r.closed_at_date,
            reversed=r.reversed,
        )
