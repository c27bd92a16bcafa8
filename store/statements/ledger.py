"""A statement must tie to the ledger, so the worker reads the customer's entries and their
detailed entries up to the end date exactly as posted; the run selects its customers with the
same definitions as `domain.statements.select_customers`, computed in SQL so a run over ten
thousand customers does not load every ledger into memory."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.statements import (
    CustomerSelection,
    DocumentType,
    MovementType,
    StatementCustomer,
    StatementEntry,
    StatementMovement,
)
from store.records import CustomerRecord
from store.tables import CUSTOMER_LEDGER_ENTRIES as CLE
from store.tables import DETAILED_CUSTOMER_LEDGER_ENTRIES as DCLE

_NO_DUE_DATE = {DocumentType.PAYMENT, DocumentType.REFUND}


def statement_customer(record: CustomerRecord) -> StatementCustomer:
    """The addressee as printed: the address field holds one line per line break."""
    lines = tuple(x.strip() for x in record.address.splitlines() if x.strip())
    return StatementCustomer(
        no=record.no,
        name=record.name,
        address_lines=lines,
        email=record.email,
        language_code=record.language_code,
        currency_code=record.currency_code,
    )


_ENTRIES = """
SELECT entry_no, document_type, document_no, posting_date, amount, currency_code,
       external_document_no, document_date, due_date
  FROM customer_ledger_entries
 WHERE customer_no = $1 AND posting_date <= $2
 ORDER BY entry_no
"""
_MOVEMENTS = """
SELECT cust_ledger_entry_no, posting_date, entry_type, amount
  FROM detailed_customer_ledger_entries
 WHERE customer_no = $1 AND posting_date <= $2
 ORDER BY entry_no
"""


async def statement_entries(pg: Any, customer_no: str, end_date: date) -> list[StatementEntry]:
    """The customer's ledger entries posted on or before the end date, with their detailed
    entries posted on or before it (remaining amounts are sums of those); ``pg`` is an
    asyncpg connection (a worker reads this once per statement)."""
    rows = await pg.fetch(_ENTRIES, customer_no, end_date)
    if not rows:
        return []
    detailed: dict[int, list[StatementMovement]] = {}
    for no, posted, kind, amount in await pg.fetch(_MOVEMENTS, customer_no, end_date):
        detailed.setdefault(no, []).append(StatementMovement(posted, MovementType(kind), amount))
    out: list[StatementEntry] = []
    for r in rows:
        doc_type = DocumentType(r["document_type"]) if r["document_type"] else None
        out.append(
            StatementEntry(
                entry_no=r["entry_no"],
                document_type=doc_type,
                document_no=r["document_no"],
                posting_date=r["posting_date"],
                amount=r["amount"],
                detailed=tuple(detailed.get(r["entry_no"], ())),
                currency_code=r["currency_code"],
                external_document_no=r["external_document_no"],
                document_date=r["document_date"],
                due_date=None if doc_type in _NO_DUE_DATE else r["due_date"],
            )
        )
    return out


async def select_statement_customers(
    conn: AsyncConnection,
    selection: CustomerSelection,
    start_date: date,
    end_date: date,
    among: Sequence[str] | None = None,
) -> list[str]:
    """Customer numbers (sorted) that get a statement, as `select_customers` defines them.

    WITH_ENTRIES: an entry posted in the period; WITH_BALANCE: a non-zero balance at the end
    date in some currency; WITH_OVERDUE: an entry with a positive remaining amount at the end
    date, due before it (payments and refunds have no due date).
    """
    if selection is CustomerSelection.WITH_ENTRIES:
        query = sa.select(CLE.c.customer_no).where(
            CLE.c.posting_date >= start_date, CLE.c.posting_date <= end_date
        )
    elif selection is CustomerSelection.WITH_BALANCE:
        query = (
            sa.select(DCLE.c.customer_no)
            .join(CLE, CLE.c.entry_no == DCLE.c.cust_ledger_entry_no)
            .where(DCLE.c.posting_date <= end_date, CLE.c.posting_date <= end_date)
            .group_by(DCLE.c.customer_no, CLE.c.currency_code)
            .having(sa.func.sum(DCLE.c.amount) != 0)
        )
    else:
        remaining = (
            sa.select(sa.func.coalesce(sa.func.sum(DCLE.c.amount), 0))
            .where(DCLE.c.cust_ledger_entry_no == CLE.c.entry_no, DCLE.c.posting_date <= end_date)
            .scalar_subquery()
        )
        query = sa.select(CLE.c.customer_no).where(
            CLE.c.posting_date <= end_date,
            CLE.c.due_date < end_date,
            CLE.c.document_type.not_in([t.value for t in _NO_DUE_DATE]),
            remaining > 0,
        )
    if among is not None:
        query = query.where(CLE.c.customer_no.in_(list(among)))
    sub = query.subquery()
    rows = await conn.execute(sa.select(sub.c.customer_no).distinct().order_by(sub.c.customer_no))
    return [r.customer_no for r in rows]
