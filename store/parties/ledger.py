"""Ledger reads. "As of" a date = Σ of the detailed entries posted on or before it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.ledger import DetailedLedgerEntry, LedgerEntry
from store.parties.ledger_tables import CUSTOMER_LEDGER
from store.records import GLEntryRecord, from_row
from store.tables import CUSTOMER_LEDGER_ENTRIES as CLE
from store.tables import DETAILED_CUSTOMER_LEDGER_ENTRIES as DCLE
from store.tables import GL_ENTRIES as GL


def _entry(row: sa.Row[object]) -> LedgerEntry:
    return CUSTOMER_LEDGER.entry(row)


async def get_entry(conn: AsyncConnection, entry_no: int) -> LedgerEntry | None:
    row = (await conn.execute(sa.select(CLE).where(CLE.c.entry_no == entry_no))).one_or_none()
    return None if row is None else _entry(row)


async def entries_by_no(conn: AsyncConnection, nos: Sequence[int]) -> dict[int, LedgerEntry]:
    rows = await conn.execute(sa.select(CLE).where(CLE.c.entry_no.in_(nos)))
    return {r.entry_no: _entry(r) for r in rows}


async def list_entries(
    conn: AsyncConnection,
    *,
    customer_no: str | None,
    document_no: str | None,
    open_only: bool | None,
    limit: int,
    after_entry_no: int | None,
) -> list[LedgerEntry]:
    query = sa.select(CLE).order_by(CLE.c.entry_no).limit(limit)
    if customer_no is not None:
        query = query.where(CLE.c.customer_no == customer_no)
    if document_no is not None:
        query = query.where(CLE.c.document_no == document_no)
    if open_only is not None:
        query = query.where(CLE.c.open.is_(open_only))
    if after_entry_no is not None:
        query = query.where(CLE.c.entry_no > after_entry_no)
    return [_entry(r) for r in await conn.execute(query)]


async def open_entries(
    conn: AsyncConnection,
    customer_no: str,
    as_of: date | None,
    limit: int,
    after: tuple[date, int] | None,
) -> list[LedgerEntry]:
    """Open entries by due date then entry no.; with as_of, as they stood at that date."""
    if as_of is None:
        query = sa.select(CLE).where(CLE.c.customer_no == customer_no, CLE.c.open)
        if after is not None:
            query = query.where(sa.tuple_(CLE.c.due_date, CLE.c.entry_no) > sa.tuple_(*after))
        query = query.order_by(CLE.c.due_date, CLE.c.entry_no).limit(limit)
        return [_entry(r) for r in await conn.execute(query)]
    sums = (
        sa.select(
            sa.func.coalesce(sa.func.sum(DCLE.c.amount), 0).label("rem"),
            sa.func.coalesce(sa.func.sum(DCLE.c.amount_lcy), 0).label("rem_lcy"),
        )
        .where(DCLE.c.cust_ledger_entry_no == CLE.c.entry_no, DCLE.c.posting_date <= as_of)
        .lateral("r")
    )
    query = (
        sa.select(CLE, sums.c.rem, sums.c.rem_lcy)
        .join(sums, sa.true())
        .where(CLE.c.customer_no == customer_no, CLE.c.posting_date <= as_of, sums.c.rem != 0)
    )
    if after is not None:
        query = query.where(sa.tuple_(CLE.c.due_date, CLE.c.entry_no) > sa.tuple_(*after))
    query = query.order_by(CLE.c.due_date, CLE.c.entry_no).limit(limit)
    return [
        replace(_entry(r), remaining_amount=r.rem, remaining_amount_lcy=r.rem_lcy, open=True)
        for r in await conn.execute(query)
    ]


async def open_entries_by_customer(
    conn: AsyncConnection, customer_nos: Sequence[str], first: int
) -> dict[str, list[LedgerEntry]]:
    """The first `first` open entries of each customer, in one statement (for a page)."""
    ranked = (
        sa.select(
            CLE,
            sa.func.row_number()
            .over(partition_by=CLE.c.customer_no, order_by=(CLE.c.due_date, CLE.c.entry_no))
            .label("rn"),
        )
        .where(CLE.c.customer_no.in_(customer_nos), CLE.c.open)
        .subquery()
    )
    rows = await conn.execute(
        sa.select(ranked).where(ranked.c.rn <= first).order_by(ranked.c.customer_no, ranked.c.rn)
    )
    out: dict[str, list[LedgerEntry]] = {}
    for r in rows:
        out.setdefault(r.customer_no, []).append(_entry(r))
    return out


async def balances(
    conn: AsyncConnection, customer_nos: Sequence[str], as_of: date | None
) -> dict[str, dict[str, tuple[Decimal, Decimal]]]:
    """customer -> currency -> (amount, amount_lcy) = Σ detailed entries up to as_of."""
    query = (
        sa.select(
            DCLE.c.customer_no,
            DCLE.c.currency_code,
            sa.func.sum(DCLE.c.amount).label("amount"),
            sa.func.sum(DCLE.c.amount_lcy).label("amount_lcy"),
        )
        .where(DCLE.c.customer_no.in_(customer_nos))
        .group_by(DCLE.c.customer_no, DCLE.c.currency_code)
    )
    if as_of is not None:
        query = query.where(DCLE.c.posting_date <= as_of)
    out: dict[str, dict[str, tuple[Decimal, Decimal]]] = {}
    for r in await conn.execute(query):
        out.setdefault(r.customer_no, {})[r.currency_code] = (r.amount, r.amount_lcy)
    return out


async def detailed_by_entry(
    conn: AsyncConnection, entry_nos: Sequence[int]
) -> dict[int, list[DetailedLedgerEntry]]:
    rows = await conn.execute(
        sa.select(DCLE).where(DCLE.c.cust_ledger_entry_no.in_(entry_nos)).order_by(DCLE.c.entry_no)
    )
    out: dict[int, list[DetailedLedgerEntry]] = {}
    for r in rows:
        out.setdefault(r.cust_ledger_entry_no, []).append(CUSTOMER_LEDGER.detailed_entry(r))
    return out


async def gl_entries(conn: AsyncConnection, document_no: str) -> list[GLEntryRecord]:
    rows = await conn.execute(
        sa.select(GL).where(GL.c.document_no == document_no).order_by(GL.c.entry_no)
    )
    return [from_row(GLEntryRecord, r) for r in rows]


async def entries_of_application(conn: AsyncConnection, application_no: int) -> list[int]:
    rows = await conn.execute(
        sa.select(DCLE.c.cust_ledger_entry_no)
        .where(DCLE.c.application_no == application_no)
        .distinct()
        .order_by(DCLE.c.cust_ledger_entry_no)
    )
    return [int(r[0]) for r in rows]
