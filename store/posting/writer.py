"""Inserts of posted rows, shared by every kind of posting (one statement per table)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.sales_posting import GlPostingLine
from store.tables import (
    BankAccountLedgerEntry,
    CustomerLedgerEntry,
    DetailedCustomerLedgerEntry,
    GLEntry,
)

CLE = CustomerLedgerEntry.__table__  # type: ignore[attr-defined]
DCLE = DetailedCustomerLedgerEntry.__table__  # type: ignore[attr-defined]
GL = GLEntry.__table__  # type: ignore[attr-defined]
BALE = BankAccountLedgerEntry.__table__  # type: ignore[attr-defined]


async def next_transaction_no(conn: AsyncConnection) -> int:
    return int((await conn.execute(sa.text("SELECT nextval('transaction_no_seq')"))).scalar_one())


async def insert_cle(conn: AsyncConnection, values: dict[str, Any]) -> int:
    row = (await conn.execute(sa.insert(CLE).values(**values).returning(CLE.c.entry_no))).one()
    return int(row.entry_no)


async def insert_dcles(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(sa.insert(DCLE), list(rows))


async def insert_gl(
    conn: AsyncConnection,
    lines: Sequence[GlPostingLine],
    *,
    posting_date: date,
    document_type: str,
    document_no: str,
    transaction_no: int,
    source_type: str,
    source_no: str,
) -> None:
    if sum(line.amount_lcy for line in lines) != 0:
        raise AssertionError(f"unbalanced G/L for {document_no}: {lines}")
    rows = [
        {
            "gl_account_no": line.account_no,
            "posting_date": posting_date,
            "document_type": document_type,
            "document_no": document_no,
            "description": line.description,
            "amount": line.amount_lcy,
            "source_type": source_type,
            "source_no": source_no,
            "transaction_no": transaction_no,
        }
        for line in lines
        if line.amount_lcy != 0
    ]
    if rows:
        await conn.execute(sa.insert(GL), rows)
