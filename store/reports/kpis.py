"""The sums behind days sales outstanding and the average days to pay; the domain turns them
into the figures (domain/reports/kpis.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.reports import (
    DaysSalesOutstanding,
    DaysToPay,
    average_days_to_pay,
    check_period,
    days_sales_outstanding,
)
from store.reports.aging import RECEIVABLES, check_parties
from store.tables import CUSTOMER_LEDGER_ENTRIES as CLE
from store.tables import CUSTOMERS
from store.tables import DETAILED_CUSTOMER_LEDGER_ENTRIES as DCLE

SALES_DOCUMENTS = ("INVOICE", "CREDIT_MEMO")


@dataclass(frozen=True, slots=True)
class CustomerDaysToPay:
    customer_no: str
    name: str
    days: DaysToPay


async def dso(conn: AsyncConnection, start: date, end: date) -> DaysSalesOutstanding:
    """Receivables at the end of the period (Σ detailed entries in LCY up to `end`) against
    the invoices less credit memos posted in it (their LCY amounts), in one statement."""
    check_period(start, end)
    receivables = sa.select(sa.func.coalesce(sa.func.sum(DCLE.c.amount_lcy), 0)).where(
        DCLE.c.posting_date <= end
    )
    sales = sa.select(sa.func.coalesce(sa.func.sum(CLE.c.amount_lcy), 0)).where(
        CLE.c.document_type.in_(SALES_DOCUMENTS),
        CLE.c.posting_date >= start,
        CLE.c.posting_date <= end,
    )
    row = (
        await conn.execute(
            sa.select(receivables.scalar_subquery().label("r"), sales.scalar_subquery().label("s"))
        )
    ).one()
    return days_sales_outstanding(start, end, Decimal(row.r), Decimal(row.s))


async def days_to_pay_page(
    conn: AsyncConnection,
    start: date,
    end: date,
    *,
    customer_nos: Sequence[str] | None,
    after: str | None,
    limit: int,
) -> list[CustomerDaysToPay]:
    """Up to `limit` customers after `after` (by no.), each with BC's average days to pay over
    its invoices posted in the period and closed since (reversed ones left out)."""
    check_period(start, end)
    if customer_nos is not None:
        await check_parties(conn, RECEIVABLES, customer_nos)
    query = sa.select(CUSTOMERS.c.no, CUSTOMERS.c.name).order_by(CUSTOMERS.c.no).limit(limit)
    if customer_nos is not None:
        query = query.where(CUSTOMERS.c.no.in_(customer_nos))
    if after is not None:
        query = query.where(CUSTOMERS.c.no > after)
    customers = list(await conn.execute(query))
    invoices: dict[str, list[tuple[date, date]]] = {}
    if customers:
        rows = await conn.execute(
            sa.select(CLE.c.customer_no, CLE.c.posting_date, CLE.c.closed_at_date).where(
                CLE.c.customer_no.in_([c.no for c in customers]),
                CLE.c.posting_date >= start,
                CLE.c.posting_date <= end,
                CLE.c.document_type == "INVOICE",
                sa.not_(CLE.c.open),
                sa.not_(CLE.c.reversed),
                CLE.c.closed_at_date.is_not(None),
            )
        )
        for r in rows:
            invoices.setdefault(r.customer_no, []).append((r.posting_date, r.closed_at_date))
    return [
        CustomerDaysToPay(c.no, c.name, average_days_to_pay(invoices.get(c.no, ())))
        for c in customers
    ]
