"""Payment registration: open sales documents of all customers, and their registration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.errors import DomainError, ErrorCode
from domain.ledger import LedgerEntry
from domain.payment_registration import OpenDocument, Registration, plan_payments
from domain.posting.journal import ApplyToInput, CashReceiptLine
from store.parties.ledger_tables import CUSTOMER_LEDGER
from store.posting.cash_receipts import CashReceiptOutcome, post_cash_receipt_lines
from store.tables import CUSTOMER_LEDGER_ENTRIES as CLE
from store.tables import CUSTOMERS as CUSTOMER

SALES_DOCUMENTS = ("INVOICE", "FINANCE_CHARGE_MEMO", "REMINDER")


@dataclass(frozen=True, slots=True)
class OpenSalesDocument:
    entry: LedgerEntry
    customer_name: str


def open_document(r: LedgerEntry) -> OpenDocument:
    return OpenDocument(
        r.entry_no,
        r.party_no,
        r.document_no,
        r.currency_code,
        r.remaining_amount,
        r.remaining_pmt_disc_possible,
        r.pmt_discount_date,
        r.pmt_disc_tolerance_date,
        r.max_payment_tolerance,
    )


async def open_sales_documents(
    conn: AsyncConnection,
    *,
    search: str | None,
    due_before: date | None,
    limit: int,
    after: tuple[date, int] | None,
) -> list[OpenSalesDocument]:
    query = (
        sa.select(CLE, CUSTOMER.c.name.label("customer_name"))
        .join(CUSTOMER, CUSTOMER.c.no == CLE.c.customer_no)
        .where(CLE.c.open, CLE.c.document_type.in_(SALES_DOCUMENTS), CLE.c.remaining_amount > 0)
        .order_by(CLE.c.due_date, CLE.c.entry_no)
        .limit(limit)
    )
    if due_before is not None:
        query = query.where(CLE.c.due_date <= due_before)
    if after is not None:
        query = query.where(sa.tuple_(CLE.c.due_date, CLE.c.entry_no) > sa.tuple_(*after))
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            sa.or_(
                CUSTOMER.c.name.ilike(pattern),
                CLE.c.customer_no.ilike(pattern),
                CLE.c.document_no.ilike(pattern),
                CLE.c.external_document_no.ilike(pattern),
            )
        )
    return [
        OpenSalesDocument(CUSTOMER_LEDGER.entry(r), r.customer_name)
        for r in await conn.execute(query)
    ]


@dataclass(frozen=True, slots=True)
class RegisteredLine:
    entry_no: int
    amount_received: Decimal
    date_received: date


async def register_payments(
    engine: AsyncEngine,
    lines: Sequence[RegisteredLine],
    *,
    lump: bool,
    bal_account_no: str,
    preview: bool,
    idempotency_key: str | None,
) -> CashReceiptOutcome:
    """Plan the payments (domain) and post them like a cash receipt journal."""
    if not lines:
        raise DomainError(ErrorCode.INVALID_INPUT, "register at least one document", ["lines"])
    async with engine.connect() as conn:
        rows = await conn.execute(
            sa.select(CLE).where(CLE.c.entry_no.in_([x.entry_no for x in lines]))
        )
        found = {r.entry_no: CUSTOMER_LEDGER.entry(r) for r in rows}
    registrations = []
    for i, x in enumerate(lines):
        record = found.get(x.entry_no)
        if record is None or record.document_type not in SALES_DOCUMENTS:
            raise DomainError(
                ErrorCode.ENTRY_NOT_FOUND,
                f"entry {x.entry_no} is not a posted sales document",
                ["lines", str(i), "entryNo"],
            )
        registrations.append(
            Registration(open_document(record), x.amount_received, x.date_received)
        )
    plans = plan_payments(registrations, lump)
    journal = [
        CashReceiptLine(
            posting_date=p.date_received,
            document_no=p.document_no,
            amount=p.amount,
            bal_account_no=bal_account_no,
            customer_no=p.customer_no,
            currency_code=p.currency_code,
            description=f"Payment registration {p.document_no}",
            apply_to=tuple(ApplyToInput(n, a) for n, a in p.apply_to),
        )
        for p in plans
    ]
    return await post_cash_receipt_lines(
        engine, journal, preview=preview, idempotency_key=idempotency_key
    )
