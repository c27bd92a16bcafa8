"""Aged balances read in one statement per page: for each party in number order, the as-of
remaining amount of every entry (Σ of its detailed entries posted on or before the date, the
truth, never the cached remaining amount) with its aging date, grouped per currency; the
domain puts them in the report's columns.

The page is keyset-paginated over (party no., currency code): PostgreSQL walks the parties
from the cursor and stops after `limit` groups, so a page costs what its parties' detailed
entries cost, whatever the size of the ledger.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.errors import DomainError, ErrorCode
from domain.ledger import Ledger
from domain.reports import AgedBalance, AgingBasis, AgingLayout, aged_balance
from store.parties.ledger_tables import LEDGERS
from store.tables import COMPANY_SETUP, CUSTOMERS, VENDORS

EXPORT_PAGE = 500
_BASIS_COLUMN = {
    AgingBasis.DUE_DATE: "due_date",
    AgingBasis.POSTING_DATE: "posting_date",
    AgingBasis.DOCUMENT_DATE: "document_date",
}


@dataclass(frozen=True)
class AgedLedger:
    """Where one side's balances live: receivables (customers) or payables (vendors)."""

    name: str
    parties: sa.Table
    entries: sa.Table
    detailed: sa.Table
    party_col: str
    entry_fk: str
    unknown: ErrorCode
    party_field: str  # the request's name for the list of parties (errors)


RECEIVABLES = AgedLedger(
    "RECEIVABLES",
    CUSTOMERS,
    LEDGERS[Ledger.CUSTOMER].entries,
    LEDGERS[Ledger.CUSTOMER].detailed,
    LEDGERS[Ledger.CUSTOMER].party_col,
    LEDGERS[Ledger.CUSTOMER].entry_fk,
    ErrorCode.UNKNOWN_CUSTOMER,
    "customerNos",
)
PAYABLES = AgedLedger(
    "PAYABLES",
    VENDORS,
    LEDGERS[Ledger.VENDOR].entries,
    LEDGERS[Ledger.VENDOR].detailed,
    LEDGERS[Ledger.VENDOR].party_col,
    LEDGERS[Ledger.VENDOR].entry_fk,
    ErrorCode.UNKNOWN_VENDOR,
    "vendorNos",
)
_SETUP = COMPANY_SETUP


def page_query(
    ledger: AgedLedger,
    layout: AgingLayout,
    currency_codes: Sequence[str] | None,
    party_nos: Sequence[str] | None,
    after: tuple[str, str] | None,
    limit: int,
) -> sa.Select[Any]:
    """One page: rows (party_no, party_name, currency_code, dates[], amounts[], total_lcy) in
    key order.

    `currency_codes` (stored codes, blank = LCY) and `party_nos` filter when given; `after`
    is the last (party no., currency code) of the previous page.
    """
    p, d, e = ledger.parties, ledger.detailed, ledger.entries
    remaining = (
        sa.select(
            d.c[ledger.entry_fk].label("entry_no"),
            sa.func.sum(d.c.amount).label("rem"),
            sa.func.sum(d.c.amount_lcy).label("rem_lcy"),
        )
        .where(d.c[ledger.party_col] == p.c.no, d.c.posting_date <= layout.as_of)
        .group_by(d.c[ledger.entry_fk])
        .having(sa.func.sum(d.c.amount) != 0)
        .correlate(p)
    )
    if currency_codes is not None:
        remaining = remaining.where(d.c.currency_code.in_(currency_codes))
    r = remaining.subquery("r")
    groups = (
        sa.select(
            e.c.currency_code,
            sa.func.array_agg(e.c[_BASIS_COLUMN[layout.basis]]).label("dates"),
            sa.func.array_agg(r.c.rem).label("amounts"),
            sa.func.sum(r.c.rem_lcy).label("total_lcy"),
        )
        .select_from(r.join(e, e.c.entry_no == r.c.entry_no))
        .group_by(e.c.currency_code)
        .lateral("g")
    )
    query = (
        sa.select(
            p.c.no.label("party_no"),
            p.c.name.label("party_name"),
            groups.c.currency_code,
            groups.c.dates,
            groups.c.amounts,
            groups.c.total_lcy,
        )
        .select_from(p.join(groups, sa.true()))
        .order_by(p.c.no, groups.c.currency_code)
        .limit(limit)
    )
    if party_nos is not None:
        query = query.where(p.c.no.in_(party_nos))
    if after is not None:
        query = query.where(
            p.c.no >= after[0],
            sa.tuple_(p.c.no, groups.c.currency_code) > sa.tuple_(*after),
        )
    return query


async def aged_page(
    conn: AsyncConnection,
    ledger: AgedLedger,
    layout: AgingLayout,
    *,
    currency_code: str | None,
    party_nos: Sequence[str] | None,
    after: tuple[str, str] | None,
    limit: int,
) -> list[AgedBalance]:
    """Up to `limit` rows after `after`; `currency_code` may name the LCY by its code."""
    if party_nos is not None:
        await check_parties(conn, ledger, party_nos)
    codes = None if currency_code is None else await stored_codes(conn, currency_code)
    return await _page(conn, ledger, layout, codes, party_nos, after, limit)


async def _page(
    conn: AsyncConnection,
    ledger: AgedLedger,
    layout: AgingLayout,
    codes: Sequence[str] | None,
    party_nos: Sequence[str] | None,
    after: tuple[str, str] | None,
    limit: int,
) -> list[AgedBalance]:
    rows = await conn.execute(page_query(ledger, layout, codes, party_nos, after, limit))
    return [
        aged_balance(
            layout,
            r.party_no,
            r.currency_code,
            zip(r.dates, r.amounts, strict=True),
            r.total_lcy,
            r.party_name,
        )
        for r in rows
    ]


async def aged_rows(
    conn: AsyncConnection,
    ledger: AgedLedger,
    layout: AgingLayout,
    *,
    currency_code: str | None,
    party_nos: Sequence[str] | None,
) -> AsyncIterator[list[AgedBalance]]:
    """Every row of the report, a page at a time (exports)."""
    if party_nos is not None:
        await check_parties(conn, ledger, party_nos)
    codes = None if currency_code is None else await stored_codes(conn, currency_code)
    after: tuple[str, str] | None = None
    while True:
        page = await _page(conn, ledger, layout, codes, party_nos, after, EXPORT_PAGE)
        if page:
            yield page
        if len(page) < EXPORT_PAGE:
            return
        after = (page[-1].party_no, page[-1].currency_code)


async def check_parties(conn: AsyncConnection, ledger: AgedLedger, nos: Sequence[str]) -> None:
    """Every party named exists, else UNKNOWN_CUSTOMER / UNKNOWN_VENDOR naming the first
    unknown one by its position in the request."""
    p = ledger.parties
    known = set((await conn.execute(sa.select(p.c.no).where(p.c.no.in_(nos)))).scalars())
    for i, no in enumerate(nos):
        if no not in known:
            noun = "customer" if ledger is RECEIVABLES else "vendor"
            raise DomainError(
                ledger.unknown, f'There is no {noun} "{no}".', [ledger.party_field, str(i)]
            )


async def lcy_code(conn: AsyncConnection) -> str:
    found = (await conn.execute(sa.select(_SETUP.c.lcy_code))).scalar_one_or_none()
    return str(found or "")


async def stored_codes(conn: AsyncConnection, currency_code: str) -> list[str]:
    """The stored codes a currency filter matches: LCY entries carry a blank code, so the
    local currency is asked for by its code or by a blank."""
    code = currency_code.strip()
    lcy = await lcy_code(conn)
    return ["", lcy] if code in ("", lcy) else [code]
