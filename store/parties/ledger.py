"""Reads of the customer and the vendor ledger: one set of functions, given which ledger.

"As of" a date = Σ of the detailed entries posted on or before it. The statements are the
ones tuned on the customer ledger (bench/read_open_entries.py): open entries walk the partial
index `ix_cle_customer_open_due` (`ix_vle_vendor_open_due` on the vendor ledger).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.ledger import DetailedLedgerEntry, Ledger, LedgerEntry
from store.parties.ledger_tables import LEDGERS
from store.records import GLEntryRecord, from_row
from store.tables import GL_ENTRIES as GL


async def get_entry(conn: AsyncConnection, ledger: Ledger, entry_no: int) -> LedgerEntry | None:
    tables = LEDGERS[ledger]
    t = tables.entries
    row = (await conn.execute(sa.select(t).where(t.c.entry_no == entry_no))).one_or_none()
    return None if row is None else tables.entry(row)


async def entries_by_no(
    conn: AsyncConnection, ledger: Ledger, nos: Sequence[int]
) -> dict[int, LedgerEntry]:
    if not nos:
        return {}
    tables = LEDGERS[ledger]
    t = tables.entries
    rows = await conn.execute(sa.select(t).where(t.c.entry_no.in_(nos)))
    return {r.entry_no: tables.entry(r) for r in rows}


async def list_entries(
    conn: AsyncConnection,
    ledger: Ledger,
    *,
    party_no: str | None,
    document_no: str | None,
    open_only: bool | None,
    limit: int,
    after_entry_no: int | None,
) -> list[LedgerEntry]:
    tables = LEDGERS[ledger]
    t = tables.entries
    query = sa.select(t).order_by(t.c.entry_no).limit(limit)
    if party_no is not None:
        query = query.where(t.c[tables.party_col] == party_no)
    if document_no is not None:
        query = query.where(t.c.document_no == document_no)
    if open_only is not None:
        query = query.where(t.c.open.is_(open_only))
    if after_entry_no is not None:
        query = query.where(t.c.entry_no > after_entry_no)
    return [tables.entry(r) for r in await conn.execute(query)]


async def open_entries(
    conn: AsyncConnection,
    ledger: Ledger,
    party_no: str,
    as_of: date | None,
    limit: int,
    after: tuple[date, int] | None,
) -> list[LedgerEntry]:
    """Open entries by due date then entry no.; with as_of, as they stood at that date
    (remaining amounts, in currency and LCY, = Σ of the detailed entries up to it)."""
    tables = LEDGERS[ledger]
    t, dt = tables.entries, tables.detailed
    party = t.c[tables.party_col]
    if as_of is None:
        query = sa.select(t).where(party == party_no, t.c.open)
        if after is not None:
            query = query.where(sa.tuple_(t.c.due_date, t.c.entry_no) > sa.tuple_(*after))
        query = query.order_by(t.c.due_date, t.c.entry_no).limit(limit)
        return [tables.entry(r) for r in await conn.execute(query)]
    sums = (
        sa.select(
            sa.func.coalesce(sa.func.sum(dt.c.amount), 0).label("rem"),
            sa.func.coalesce(sa.func.sum(dt.c.amount_lcy), 0).label("rem_lcy"),
        )
        .where(dt.c[tables.entry_fk] == t.c.entry_no, dt.c.posting_date <= as_of)
        .lateral("r")
    )
    query = (
        sa.select(t, sums.c.rem, sums.c.rem_lcy)
        .join(sums, sa.true())
        .where(party == party_no, t.c.posting_date <= as_of, sums.c.rem != 0)
    )
    if after is not None:
        query = query.where(sa.tuple_(t.c.due_date, t.c.entry_no) > sa.tuple_(*after))
    query = query.order_by(t.c.due_date, t.c.entry_no).limit(limit)
    return [
        replace(tables.entry(r), remaining_amount=r.rem, remaining_amount_lcy=r.rem_lcy, open=True)
        for r in await conn.execute(query)
    ]


async def open_entries_by_party(
    conn: AsyncConnection, ledger: Ledger, party_nos: Sequence[str], first: int
) -> dict[str, list[LedgerEntry]]:
    """The first `first` open entries of each party, in one statement (for a page)."""
    tables = LEDGERS[ledger]
    t = tables.entries
    party = t.c[tables.party_col]
    ranked = (
        sa.select(
            t,
            sa.func.row_number()
            .over(partition_by=party, order_by=(t.c.due_date, t.c.entry_no))
            .label("rn"),
        )
        .where(party.in_(party_nos), t.c.open)
        .subquery()
    )
    ranked_party = ranked.c[tables.party_col]
    rows = await conn.execute(
        sa.select(ranked).where(ranked.c.rn <= first).order_by(ranked_party, ranked.c.rn)
    )
    out: dict[str, list[LedgerEntry]] = {}
    for r in rows:
        entry = tables.entry(r)
        out.setdefault(entry.party_no, []).append(entry)
    return out


async def balances(
    conn: AsyncConnection, ledger: Ledger, party_nos: Sequence[str], as_of: date | None
) -> dict[str, dict[str, tuple[Decimal, Decimal]]]:
    """party -> currency -> (amount, amount_lcy) = Σ detailed entries up to as_of."""
    tables = LEDGERS[ledger]
    dt = tables.detailed
    party = dt.c[tables.party_col]
    query = (
        sa.select(
            party,
            dt.c.currency_code,
            sa.func.sum(dt.c.amount).label("amount"),
            sa.func.sum(dt.c.amount_lcy).label("amount_lcy"),
        )
        .where(party.in_(party_nos))
        .group_by(party, dt.c.currency_code)
    )
    if as_of is not None:
        query = query.where(dt.c.posting_date <= as_of)
    out: dict[str, dict[str, tuple[Decimal, Decimal]]] = {}
    for no, currency, amount, amount_lcy in await conn.execute(query):
        out.setdefault(no, {})[currency] = (amount, amount_lcy)
    return out


async def detailed_by_entry(
    conn: AsyncConnection, ledger: Ledger, entry_nos: Sequence[int]
) -> dict[int, list[DetailedLedgerEntry]]:
    tables = LEDGERS[ledger]
    dt = tables.detailed
    rows = await conn.execute(
        sa.select(dt).where(dt.c[tables.entry_fk].in_(entry_nos)).order_by(dt.c.entry_no)
    )
    out: dict[int, list[DetailedLedgerEntry]] = {}
    for r in rows:
        detailed = tables.detailed_entry(r)
        out.setdefault(detailed.ledger_entry_no, []).append(detailed)
    return out


async def entries_of_application(
    conn: AsyncConnection, ledger: Ledger, application_no: int
) -> list[int]:
    """The entries one application changed, by entry no."""
    tables = LEDGERS[ledger]
    entry = tables.detailed.c[tables.entry_fk]
    rows = await conn.execute(
        sa.select(entry)
        .where(tables.detailed.c.application_no == application_no)
        .distinct()
        .order_by(entry)
    )
    return [int(r[0]) for r in rows]


async def gl_entries(conn: AsyncConnection, document_no: str) -> list[GLEntryRecord]:
    rows = await conn.execute(
        sa.select(GL).where(GL.c.document_no == document_no).order_by(GL.c.entry_no)
    )
    return [from_row(GLEntryRecord, r) for r in rows]
