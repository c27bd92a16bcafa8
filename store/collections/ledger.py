"""Ledger access shared by reminders and finance charge memos: remaining amounts as of a
date, posting a fee or interest entry, serializing issuing per customer, and issuing a list
of documents once per idempotency key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.errors import DomainError, ErrorCode
from domain.money import to_lcy
from domain.sales_posting import GlPostingLine, check_posting_date
from store.idempotency import idempotent
from store.parties import master
from store.posting.sales import pricing_for
from store.posting.writer import insert_cle, insert_dcles, insert_gl, next_transaction_no
from store.records import CustomerRecord
from store.setup import load_setup
from store.tables import CUSTOMER_LEDGER_ENTRIES as CLE
from store.tables import CUSTOMERS as CUSTOMER
from store.tables import DETAILED_CUSTOMER_LEDGER_ENTRIES as DCLE
from store.uow import UnitOfWork, run_in_transaction

D = TypeVar("D")

CHASED_DOCUMENT_TYPES = ("INVOICE", "FINANCE_CHARGE_MEMO", "REMINDER")


@dataclass(frozen=True, slots=True)
class OpenEntry:
    """A customer ledger entry as of a day: remaining then, and its balance steps."""

    entry_no: int
    document_type: str
    document_no: str
    currency_code: str
    posting_date: date
    document_date: date
    due_date: date
    remaining_amount: Decimal
    history: tuple[tuple[date, Decimal], ...]


async def entries_as_of(conn: AsyncConnection, customer_no: str, as_of: date) -> list[OpenEntry]:
    """The customer's sales documents posted by ``as_of`` that were unpaid after their due date.

    The remaining amount is Σ of the detailed entries posted on or before ``as_of``, so a
    payment posted later does not hide an entry that was overdue on that day.
    """
    query = (
        sa.select(
            CLE.c.entry_no,
            CLE.c.document_type,
            CLE.c.document_no,
            CLE.c.currency_code,
            CLE.c.posting_date,
            CLE.c.document_date,
            CLE.c.due_date,
            DCLE.c.posting_date.label("dcle_date"),
            DCLE.c.amount.label("dcle_amount"),
        )
        .join(DCLE, DCLE.c.cust_ledger_entry_no == CLE.c.entry_no)
        .where(
            CLE.c.customer_no == customer_no,
            CLE.c.document_type.in_(CHASED_DOCUMENT_TYPES),
            CLE.c.posting_date <= as_of,
            CLE.c.amount > 0,
            DCLE.c.posting_date <= as_of,
            sa.or_(
                CLE.c.open,
                CLE.c.closed_at_date.is_(None),
                CLE.c.closed_at_date > CLE.c.due_date,
            ),
        )
        .order_by(CLE.c.entry_no, DCLE.c.posting_date, DCLE.c.entry_no)
    )
    steps: dict[int, list[tuple[date, Decimal]]] = {}
    heads: dict[int, Any] = {}
    for row in await conn.execute(query):
        heads.setdefault(row.entry_no, row)
        history = steps.setdefault(row.entry_no, [])
        balance = (history[-1][1] if history else Decimal(0)) + row.dcle_amount
        if history and history[-1][0] == row.dcle_date:
            history[-1] = (row.dcle_date, balance)
        else:
            history.append((row.dcle_date, balance))
    return [
        OpenEntry(
            head.entry_no,
            head.document_type,
            head.document_no,
            head.currency_code,
            head.posting_date,
            head.document_date,
            head.due_date,
            steps[no][-1][1],
            tuple(steps[no]),
        )
        for no, head in heads.items()
    ]


async def post_fee_entry(
    conn: AsyncConnection,
    customer: CustomerRecord,
    *,
    document_type: str,
    document_no: str,
    posting_date: date,
    document_date: date,
    due_date: date,
    currency_code: str,
    amount: Decimal,
    income_account: str,
    description: str,
) -> int:
    """Post a fee (or its negative, to cancel it) as a CLE + Initial Entry + balanced G/L."""
    setup = await load_setup(conn)
    check_posting_date(posting_date, setup.allow_posting_from, setup.allow_posting_to)
    price = await pricing_for(conn, currency_code, posting_date, ["currencyCode"])
    amount_lcy = to_lcy(amount, price.rate, setup.amount_rounding_precision)
    receivables = await master.posting_account(
        conn, master.CUSTOMER, customer.customer_posting_group
    )
    tx = await next_transaction_no(conn)
    entry_no = await insert_cle(
        conn,
        {
            "customer_no": customer.no,
            "posting_date": posting_date,
            "document_date": document_date,
            "document_type": document_type,
            "document_no": document_no,
            "description": description,
            "currency_code": price.currency_code,
            "currency_factor": price.rate,
            "amount": amount,
            "amount_lcy": amount_lcy,
            "remaining_amount": amount,
            "remaining_amount_lcy": amount_lcy,
            "open": True,
            "due_date": due_date,
            "customer_posting_group": customer.customer_posting_group,
            "transaction_no": tx,
        },
    )
    await insert_dcles(
        conn,
        [
            {
                "cust_ledger_entry_no": entry_no,
                "customer_no": customer.no,
                "entry_type": "INITIAL_ENTRY",
                "posting_date": posting_date,
                "document_type": document_type,
                "document_no": document_no,
                "currency_code": price.currency_code,
                "amount": amount,
                "amount_lcy": amount_lcy,
                "transaction_no": tx,
            }
        ],
    )
    await insert_gl(
        conn,
        (
            GlPostingLine(receivables, amount_lcy, description),
            GlPostingLine(income_account, -amount_lcy, description),
        ),
        posting_date=posting_date,
        document_type=document_type,
        document_no=document_no,
        transaction_no=tx,
        source_type="CUSTOMER",
        source_no=customer.no,
    )
    return entry_no


async def lock_customer(conn: AsyncConnection, no: str, field: list[str]) -> CustomerRecord:
    """Serialize reminder and memo issuing per customer (levels and charged days)."""
    await conn.execute(sa.select(CUSTOMER.c.no).where(CUSTOMER.c.no == no).with_for_update())
    return await master.require_party(conn, master.CUSTOMER, no, field)


def require_customer_nos(customer_nos: Sequence[str]) -> None:
    if not customer_nos:
        raise DomainError(ErrorCode.INVALID_INPUT, "Name at least one customer.", ["customerNos"])


async def propose_documents(
    engine: AsyncEngine,
    customer_nos: Sequence[str],
    propose: Callable[[AsyncConnection, CustomerRecord, int], Awaitable[list[int]]],
    load: Callable[[AsyncConnection, Sequence[int]], Awaitable[list[D]]],
    nothing_due: str,
) -> list[D]:
    """Propose each customer's documents (``propose`` gets the customer and its index in the
    input) in one transaction; NOTHING_OVERDUE with ``nothing_due`` when none results."""
    require_customer_nos(customer_nos)

    async def work(uow: UnitOfWork) -> list[D]:
        ids: list[int] = []
        for index, no in enumerate(dict.fromkeys(customer_nos)):
            customer = await master.require_party(
                uow.conn, master.CUSTOMER, no, ["customerNos", str(index)]
            )
            ids += await propose(uow.conn, customer, index)
        if not ids:
            raise DomainError(ErrorCode.NOTHING_OVERDUE, nothing_due)
        return await load(uow.conn, ids)

    return await run_in_transaction(engine, work)


@dataclass(frozen=True, slots=True)
class Issued(Generic[D]):
    documents: tuple[D, ...]
    replayed: bool


async def issue_documents(
    engine: AsyncEngine,
    operation: str,
    ids: Sequence[int],
    idempotency_key: str | None,
    issue_one: Callable[[AsyncConnection, int, int], Awaitable[int]],
    load: Callable[[AsyncConnection, Sequence[int]], Awaitable[list[D]]],
) -> Issued[D]:
    """Issue each document (a repeated id once) in one transaction; the same key twice issues
    once and returns the documents as they are now."""

    async def work(uow: UnitOfWork) -> Issued[D]:
        async def once() -> dict[str, Any]:
            done = [
                await issue_one(uow.conn, doc_id, i) for i, doc_id in enumerate(dict.fromkeys(ids))
            ]
            return {"ids": done}

        response = await idempotent(uow, operation, idempotency_key, {"ids": list(ids)}, once)
        loaded = await load(uow.conn, [int(i) for i in response["ids"]])
        return Issued(tuple(loaded), bool(response.get("replayed", False)))

    return await run_in_transaction(engine, work)
