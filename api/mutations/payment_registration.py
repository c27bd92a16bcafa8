"""BC's Payment Registration page for SPAs: list what is due, tick, register (scope post)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from api.auth import PostScope, ReadScope
from api.context import Context
from api.errors import UserError
from api.mutations.cash_receipts import PostingPreview, _preview, entries_of
from api.pagination import Connection, build_connection, decode_cursor, page_size
from api.resolvers import mutate
from api.types.ledger_entry import CustomerLedgerEntry
from domain.payment_registration import discount_if_paid_on, discount_last_date
from store.posting.payment_registration import (
    OpenSalesDocument,
    RegisteredLine,
    open_document,
    open_sales_documents,
    register_payments,
)


@strawberry.type
class PaymentRegistrationLine:
    entry: CustomerLedgerEntry
    customer_name: str
    due_date: date
    remaining_amount: Decimal
    discount_available: Decimal
    discount_last_date: date | None
    discount_if_paid_today: bool

    @classmethod
    def of(cls, d: OpenSalesDocument, today: date) -> PaymentRegistrationLine:
        doc = open_document(d.entry)
        return cls(
            entry=CustomerLedgerEntry.of(d.entry),
            customer_name=d.customer_name,
            due_date=d.entry.due_date,
            remaining_amount=d.entry.remaining_amount,
            discount_available=d.entry.remaining_pmt_disc_possible,
            discount_last_date=discount_last_date(doc),
            discount_if_paid_today=discount_if_paid_on(doc, today) > 0,
        )


@strawberry.input
class RegisterPaymentLineInput:
    entry_no: int
    amount_received: Decimal
    date_received: date


@strawberry.input
class RegisterPaymentsInput:
    lines: list[RegisterPaymentLineInput]
    bal_account_no: str
    lump_payment: bool = False
    preview: bool = False
    idempotency_key: str | None = None


@strawberry.type(description="What the registration does to one entry, said before posting.")
class ApplicationNote:
    code: str
    message: str
    entry_no: int | None
    amount: Decimal | None


@strawberry.type
class RegisterPaymentsPayload:
    payments: list[CustomerLedgerEntry] = strawberry.field(default_factory=list)
    notes: list[ApplicationNote] = strawberry.field(default_factory=list)
    preview: PostingPreview | None = None
    replayed: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PaymentRegistrationQuery:
    @strawberry.field(
        permission_classes=[ReadScope],
        description="Open sales documents of all customers, by due date.",
    )
    async def payment_registration(
        self,
        info: Info[Context, None],
        search: str | None = None,
        due_before: date | None = None,
        first: int | None = None,
        after: str | None = None,
        work_date: date | None = None,
    ) -> Connection[PaymentRegistrationLine]:
        n = page_size(first)
        key = decode_cursor(after, 2)
        after_key = (date.fromisoformat(key[0]), int(key[1])) if key else None
        today = work_date or date.today()
        async with info.context.engine.connect() as conn:
            rows = await open_sales_documents(
                conn, search=search, due_before=due_before, limit=n + 1, after=after_key
            )
        return build_connection(
            rows,
            n,
            lambda r: (r.entry.due_date.isoformat(), r.entry.entry_no),
            lambda r: PaymentRegistrationLine.of(r, today),
            key is not None,
        )


@strawberry.type
class PaymentRegistrationMutation:
    @strawberry.mutation(permission_classes=[PostScope])
    async def register_payments(
        self, info: Info[Context, None], input: RegisterPaymentsInput
    ) -> RegisterPaymentsPayload:
        async def work() -> RegisterPaymentsPayload:
            outcome = await register_payments(
                info.context.engine,
                [
                    RegisteredLine(x.entry_no, x.amount_received, x.date_received)
                    for x in input.lines
                ],
                lump=input.lump_payment,
                bal_account_no=input.bal_account_no,
                preview=input.preview,
                idempotency_key=input.idempotency_key,
            )
            notes = [
                ApplicationNote(
                    code=n.code.value, message=n.message, entry_no=n.entry_no, amount=n.amount
                )
                for n in outcome.notes
            ]
            if outcome.preview is not None:
                return RegisterPaymentsPayload(notes=notes, preview=_preview(outcome.preview))
            return RegisterPaymentsPayload(
                payments=await entries_of(info, outcome.entry_nos),
                notes=notes,
                replayed=outcome.replayed,
            )

        return await mutate(RegisterPaymentsPayload, work)
