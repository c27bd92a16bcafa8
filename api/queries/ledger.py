"""Ledger queries (scope read): customers, entries as of a date, G/L, date formulas."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.auth import ReadScope
from api.context import Context
from api.pagination import Connection, build_connection, decode_cursor, page_size
from api.resolvers import query, query_sync
from api.types.customer import Customer
from api.types.gl_entry import GLEntry
from api.types.ledger_entry import CustomerLedgerEntry
from api.types.setup import CompanySetup
from domain.dates import calc_date
from domain.ledger import Ledger
from store.parties import ledger as lq
from store.parties.master import CUSTOMER, get_party, list_parties
from store.setup import load_setup


@strawberry.type
class LedgerQuery:
    @strawberry.field(permission_classes=[ReadScope])
    async def company_setup(self, info: Info[Context, None]) -> CompanySetup:
        async with info.context.reads.connect() as conn:
            return CompanySetup.of(await load_setup(conn))

    @strawberry.field(permission_classes=[ReadScope])
    async def customers(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
    ) -> Connection[Customer]:
        n = page_size(first)
        key = decode_cursor(after, 1)
        async with info.context.reads.connect() as conn:
            rows = await list_parties(conn, CUSTOMER, n + 1, key[0] if key else None, search)
        return build_connection(rows, n, lambda r: (r.no,), Customer.of, key is not None)

    @strawberry.field(permission_classes=[ReadScope])
    async def customer(self, info: Info[Context, None], no: str) -> Customer | None:
        async with info.context.reads.connect() as conn:
            record = await get_party(conn, CUSTOMER, no)
        return None if record is None else Customer.of(record)

    @strawberry.field(
        permission_classes=[ReadScope],
        description="Open entries by due date; with asOf, as they stood at the end of that "
        "date (remaining = Σ detailed entries up to it).",
    )
    async def open_entries(
        self,
        info: Info[Context, None],
        customer_no: str,
        as_of: date | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CustomerLedgerEntry]:
        n = page_size(first)
        key = decode_cursor(after, 2)
        after_key = (date.fromisoformat(key[0]), int(key[1])) if key else None
        async with info.context.reads.connect() as conn:
            rows = await lq.open_entries(
                conn, Ledger.CUSTOMER, customer_no, as_of, n + 1, after_key
            )
        return build_connection(
            rows,
            n,
            lambda r: (r.due_date.isoformat(), r.entry_no),
            CustomerLedgerEntry.of,
            key is not None,
        )

    @strawberry.field(permission_classes=[ReadScope])
    async def customer_ledger_entry(
        self, info: Info[Context, None], entry_no: int
    ) -> CustomerLedgerEntry | None:
        async with info.context.reads.connect() as conn:
            record = await lq.get_entry(conn, Ledger.CUSTOMER, entry_no)
        return None if record is None else CustomerLedgerEntry.of(record)

    @strawberry.field(permission_classes=[ReadScope])
    async def customer_ledger_entries(
        self,
        info: Info[Context, None],
        customer_no: str | None = None,
        document_no: str | None = None,
        open: bool | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CustomerLedgerEntry]:
        n = page_size(first)
        key = decode_cursor(after, 1)
        async with info.context.reads.connect() as conn:
            rows = await lq.list_entries(
                conn,
                Ledger.CUSTOMER,
                party_no=customer_no,
                document_no=document_no,
                open_only=open,
                limit=n + 1,
                after_entry_no=int(key[0]) if key else None,
            )
        return build_connection(
            rows, n, lambda r: (r.entry_no,), CustomerLedgerEntry.of, key is not None
        )

    @strawberry.field(permission_classes=[ReadScope])
    async def gl_entries(self, info: Info[Context, None], document_no: str) -> list[GLEntry]:
        async with info.context.reads.connect() as conn:
            return [GLEntry.of(r) for r in await lq.gl_entries(conn, document_no)]

    @strawberry.field(
        permission_classes=[ReadScope],
        description="Evaluate a date formula such as 1M+CM, -CY, D10 or 2W+1D.",
    )
    def calc_date(self, formula: str, date: date) -> date:
        return query_sync(lambda: calc_date(formula, date))


__all__ = ["LedgerQuery", "query"]
