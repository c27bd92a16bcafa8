"""Cash receipts and applications between posted entries (scope post)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from api.auth import PostScope
from api.context import Context
from api.errors import UserError
from api.inputs.cash_receipts import ApplyToEntryInput, CashReceiptLineInput
from api.inputs.fast import fast_input
from api.resolvers import mutate
from api.types.enums import PartyLedger
from api.types.gl_entry import GLEntry
from api.types.ledger_entry import CustomerLedgerEntry, DetailedLedgerEntry
from api.types.vendor import VendorLedgerEntry
from domain.ledger import Ledger
from domain.posting.journal import ApplyToInput
from store.parties import ledger as lq
from store.parties.ledger_tables import LEDGERS, LedgerTables
from store.posting import posted_applications as posted
from store.posting.cash_receipts import post_cash_receipt_lines


@fast_input
@strawberry.input
class PostCashReceiptLinesInput:
    lines: list[CashReceiptLineInput]
    preview_posting: bool = False
    idempotency_key: str | None = None


@strawberry.type(description="What a posting would write; nothing was posted.")
class PostingPreview:
    entries: list[CustomerLedgerEntry]
    detailed_entries: list[DetailedLedgerEntry]
    gl_entries: list[GLEntry]


@strawberry.type
class PostCashReceiptLinesPayload:
    """The posted entries are read only when a client asks for them (a batch of 500 lines
    posted by an integration that reads `errors` alone costs no read-back)."""

    preview: PostingPreview | None = None
    replayed: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)
    entry_nos: strawberry.Private[list[int]] = dataclasses.field(default_factory=list)
    vendor_entry_nos: strawberry.Private[list[int]] = dataclasses.field(default_factory=list)

    @strawberry.field(description="Customer ledger entries posted (payments and refunds).")
    async def entries(self, info: Info[Context, None]) -> list[CustomerLedgerEntry]:
        return await entries_of(info, self.entry_nos)

    @strawberry.field(description="Vendor ledger entries posted (payments and refunds).")
    async def vendor_entries(self, info: Info[Context, None]) -> list[VendorLedgerEntry]:
        return await vendor_entries_of(info, self.vendor_entry_nos)


def _tables(ledger: PartyLedger) -> LedgerTables:
    return LEDGERS[Ledger(ledger.value)]


@strawberry.input
class ApplyEntriesInput:
    entry_no: int
    apply_to: list[ApplyToEntryInput]
    posting_date: date
    ledger: PartyLedger = strawberry.field(
        default=PartyLedger.CUSTOMER, description="Which ledger the entry numbers belong to."
    )
    idempotency_key: str | None = None


@strawberry.input
class EntryActionInput:
    entry_no: int
    posting_date: date | None = None
    ledger: PartyLedger = PartyLedger.CUSTOMER
    idempotency_key: str | None = None


@strawberry.input
class AdjustExchangeRatesInput:
    posting_date: date
    idempotency_key: str | None = None


@strawberry.type
class EntriesPayload:
    entries: list[CustomerLedgerEntry] = strawberry.field(default_factory=list)
    vendor_entries: list[VendorLedgerEntry] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AdjustExchangeRatesPayload:
    adjusted_entries: int = 0
    errors: list[UserError] = strawberry.field(default_factory=list)


async def entries_of(info: Info[Context, None], nos: list[int]) -> list[CustomerLedgerEntry]:
    if not nos:
        return []
    async with info.context.read() as conn:
        found = await lq.entries_by_no(conn, Ledger.CUSTOMER, nos)
    return [CustomerLedgerEntry.of(found[n]) for n in nos if n in found]


async def vendor_entries_of(info: Info[Context, None], nos: list[int]) -> list[VendorLedgerEntry]:
    if not nos:
        return []
    async with info.context.read() as conn:
        found = await lq.entries_by_no(conn, Ledger.VENDOR, nos)
    return [VendorLedgerEntry.of(found[n]) for n in nos if n in found]


async def application_entries(
    info: Info[Context, None], application_no: int, ledger: PartyLedger
) -> EntriesPayload:
    """The entries one application changed, on the ledger it was posted to."""
    kind = Ledger(ledger.value)
    async with info.context.read() as conn:
        nos = await lq.entries_of_application(conn, kind, application_no)
        found = await lq.entries_by_no(conn, kind, nos)
    entries = [found[n] for n in nos if n in found]
    if kind is Ledger.VENDOR:
        return EntriesPayload(vendor_entries=[VendorLedgerEntry.of(e) for e in entries])
    return EntriesPayload(entries=[CustomerLedgerEntry.of(e) for e in entries])


def _preview(data: dict[str, Any]) -> PostingPreview:
    return PostingPreview(
        entries=[CustomerLedgerEntry.of(r) for r in data["entries"]],
        detailed_entries=[DetailedLedgerEntry.of(r) for r in data["detailed"]],
        gl_entries=[GLEntry.of(r) for r in data["gl"]],
    )


def _apply_to(items: list[ApplyToEntryInput]) -> list[ApplyToInput]:
    return [
        ApplyToInput(
            a.entry_no,
            a.amount_to_apply,
            a.accept_payment_discount_tolerance,
            a.accept_payment_tolerance,
        )
        for a in items
    ]


@strawberry.type
class CashReceiptMutation:
    @strawberry.mutation(permission_classes=[PostScope])
    async def post_cash_receipt_lines(
        self, info: Info[Context, None], input: PostCashReceiptLinesInput
    ) -> PostCashReceiptLinesPayload:
        async def work() -> PostCashReceiptLinesPayload:
            outcome = await post_cash_receipt_lines(
                info.context.engine,
                [x.to_line() for x in input.lines],
                preview=input.preview_posting,
                idempotency_key=input.idempotency_key,
            )
            if outcome.preview is not None:
                return PostCashReceiptLinesPayload(preview=_preview(outcome.preview))
            return PostCashReceiptLinesPayload(
                entry_nos=outcome.entry_nos,
                vendor_entry_nos=outcome.vendor_entry_nos,
                replayed=outcome.replayed,
            )

        return await mutate(PostCashReceiptLinesPayload, work)

    @strawberry.mutation(permission_classes=[PostScope])
    async def apply_entries(
        self, info: Info[Context, None], input: ApplyEntriesInput
    ) -> EntriesPayload:
        async def work() -> EntriesPayload:
            no = await posted.apply_entries(
                info.context.engine,
                input.entry_no,
                _apply_to(input.apply_to),
                input.posting_date,
                input.idempotency_key,
                _tables(input.ledger),
            )
            return await application_entries(info, no, input.ledger)

        return await mutate(EntriesPayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope], description="Undo the last application of the entry."
    )
    async def unapply_entries(
        self, info: Info[Context, None], input: EntryActionInput
    ) -> EntriesPayload:
        async def work() -> EntriesPayload:
            no = await posted.unapply_entries(
                info.context.engine,
                input.entry_no,
                input.posting_date,
                input.idempotency_key,
                _tables(input.ledger),
            )
            return await application_entries(info, no, input.ledger)

        return await mutate(EntriesPayload, work)

    @strawberry.mutation(
        permission_classes=[PostScope],
        description="Unapply every application, then post opposite entries.",
    )
    async def reverse_payment(
        self, info: Info[Context, None], input: EntryActionInput
    ) -> EntriesPayload:
        async def work() -> EntriesPayload:
            reversal = await posted.reverse_payment(
                info.context.engine,
                input.entry_no,
                input.posting_date,
                input.idempotency_key,
                _tables(input.ledger),
            )
            nos = [input.entry_no, reversal]
            if input.ledger is PartyLedger.VENDOR:
                return EntriesPayload(vendor_entries=await vendor_entries_of(info, nos))
            return EntriesPayload(entries=await entries_of(info, nos))

        return await mutate(EntriesPayload, work)

    @strawberry.mutation(permission_classes=[PostScope])
    async def adjust_exchange_rates(
        self, info: Info[Context, None], input: AdjustExchangeRatesInput
    ) -> AdjustExchangeRatesPayload:
        async def work() -> AdjustExchangeRatesPayload:
            n = await posted.adjust_rates(
                info.context.engine, input.posting_date, input.idempotency_key
            )
            return AdjustExchangeRatesPayload(adjusted_entries=n)

        return await mutate(AdjustExchangeRatesPayload, work)
