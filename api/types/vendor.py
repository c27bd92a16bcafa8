"""Vendors and vendor ledger entries (the payables side of bank reconciliation); a vendor's
balance and bank accounts are batched per page by dataloaders, as a customer's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.context import Context
from api.types.customer import CustomerBankAccount
from api.types.enums import ApplicationMethod, document_type
from api.types.ledger_entry import LedgerEntry
from domain import ledger
from store.records import VendorRecord


@strawberry.type
class VendorLedgerEntry(LedgerEntry):
    vendor_no: str
    document_date: date
    description: str
    vendor_invoice_no: str
    amount_lcy: Decimal
    remaining_amount_lcy: Decimal
    pmt_discount_date: date | None
    original_pmt_disc_possible: Decimal

    @classmethod
    def of(cls, r: ledger.LedgerEntry) -> VendorLedgerEntry:
        return cls(
            entry_no=r.entry_no,
            party_no=r.party_no,
            vendor_no=r.party_no,
            document_type=document_type(r.document_type),
            document_no=r.document_no,
            external_document_no=r.external_document_no,
            vendor_invoice_no=r.external_document_no,
            posting_date=r.posting_date,
            document_date=r.document_date,
            description=r.description,
            due_date=r.due_date,
            currency_code=r.currency_code,
            amount=r.amount,
            remaining_amount=r.remaining_amount,
            amount_lcy=r.amount_lcy,
            remaining_amount_lcy=r.remaining_amount_lcy,
            open=r.open,
            pmt_discount_date=r.pmt_discount_date,
            original_pmt_disc_possible=r.original_pmt_disc_possible,
        )


@strawberry.type
class Vendor:
    no: str
    name: str
    currency_code: str
    payment_terms_code: str | None
    application_method: ApplicationMethod
    vendor_posting_group: str

    @strawberry.field
    async def bank_accounts(self, info: Info[Context, None]) -> list[CustomerBankAccount]:
        ibans = await info.context.loaders.ibans_by_vendor.load(self.no)
        return [CustomerBankAccount(iban=i) for i in ibans]

    @strawberry.field(
        description="Balance in the vendor's currency as of that date "
        "(negative: money owed to the vendor)."
    )
    async def balance(self, info: Info[Context, None], as_of: date | None = None) -> Decimal:
        found = await info.context.loaders.balances_by_vendor.load((self.no, as_of))
        return found.get(self.currency_code, (Decimal(0), Decimal(0)))[0]

    @classmethod
    def of(cls, r: VendorRecord) -> Vendor:
        return cls(
            no=r.no,
            name=r.name,
            currency_code=r.currency_code,
            payment_terms_code=r.payment_terms_code,
            application_method=ApplicationMethod(r.application_method),
            vendor_posting_group=r.vendor_posting_group,
        )
