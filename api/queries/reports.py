"""Receivables report queries (scope read): aged receivables and payables, days sales
outstanding, average days to pay. Resolvers parse the arguments, call the store, map."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, TypeVar

import strawberry
from strawberry.types import Info

from api.auth import ReadScope
from api.context import Context
from api.pagination import Connection, build_connection, decode_cursor, page_size
from api.resolvers import query
from api.types.reports import (
    AgedPayable,
    AgedPayableConnection,
    AgedReceivable,
    AgedReceivableConnection,
    AgingBy,
    CustomerDaysToPayResult,
    DaysSalesOutstandingResult,
    aged_payable,
    aged_receivable,
    aging_basis,
    export_urls,
)
from domain.reports import DEFAULT_PERIODS, AgedBalance, AgingLayout, aging_layout
from store.reports import kpis
from store.reports.aging import PAYABLES, RECEIVABLES, AgedLedger, aged_page

N = TypeVar("N")
From = Annotated[date, strawberry.argument(name="from")]
_AGED = (
    "Per {party} and currency, the balance on `asOf` (default today) split into notDue and "
    "aging buckets, with its total in LCY (BC's {report}). `periods`: date formulas, each the "
    "length of one bucket, newest first; one formula alone (default 30D) is repeated like "
    "BC's Period Length. Keyset-paginated by ({party} no., currency code)."
)


def layout_of(as_of: date | None, aging_by: AgingBy, periods: list[str] | None) -> AgingLayout:
    given = DEFAULT_PERIODS if periods is None else periods
    return aging_layout(as_of or date.today(), aging_basis(aging_by), given)


async def _aged(
    info: Info[Context, None],
    ledger: AgedLedger,
    layout: AgingLayout,
    currency_code: str | None,
    party_nos: list[str] | None,
    first: int | None,
    after: str | None,
    to_node: Callable[[AgingLayout, AgedBalance], N],
) -> Connection[N]:
    n = page_size(first)
    key = decode_cursor(after, 2)
    async with info.context.reads.connect() as conn:
        rows = await aged_page(
            conn,
            ledger,
            layout,
            currency_code=currency_code,
            party_nos=party_nos,
            after=(str(key[0]), str(key[1])) if key else None,
            limit=n + 1,
        )
    return build_connection(
        rows,
        n,
        lambda r: (r.party_no, r.currency_code),
        lambda r: to_node(layout, r),
        key is not None,
    )


@strawberry.type
class ReportQuery:
    @strawberry.field(
        permission_classes=[ReadScope],
        description=_AGED.format(party="customer", report="Aged Accounts Receivable"),
    )
    async def aged_receivables(
        self,
        info: Info[Context, None],
        as_of: date | None = None,
        aging_by: AgingBy = AgingBy.DUE_DATE,
        periods: list[str] | None = None,
        currency_code: str | None = None,
        customer_nos: list[str] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> AgedReceivableConnection:
        async def work() -> AgedReceivableConnection:
            layout = layout_of(as_of, aging_by, periods)
            page: Connection[AgedReceivable] = await _aged(
                info, RECEIVABLES, layout, currency_code, customer_nos, first, after,
                aged_receivable,
            )  # fmt: skip
            csv_url, pdf_url = export_urls(
                "aged-receivables", layout, currency_code, "customerNos", customer_nos
            )
            return AgedReceivableConnection(
                edges=page.edges, page_info=page.page_info, csv_url=csv_url, pdf_url=pdf_url
            )

        return await query(work)

    @strawberry.field(
        permission_classes=[ReadScope],
        description=_AGED.format(party="vendor", report="Aged Accounts Payable")
        + " Amounts keep the vendor ledger's sign: what is owed is negative.",
    )
    async def aged_payables(
        self,
        info: Info[Context, None],
        as_of: date | None = None,
        aging_by: AgingBy = AgingBy.DUE_DATE,
        periods: list[str] | None = None,
        currency_code: str | None = None,
        vendor_nos: list[str] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> AgedPayableConnection:
        async def work() -> AgedPayableConnection:
            layout = layout_of(as_of, aging_by, periods)
            page: Connection[AgedPayable] = await _aged(
                info, PAYABLES, layout, currency_code, vendor_nos, first, after, aged_payable
            )
            csv_url, pdf_url = export_urls(
                "aged-payables", layout, currency_code, "vendorNos", vendor_nos
            )
            return AgedPayableConnection(
                edges=page.edges, page_info=page.page_info, csv_url=csv_url, pdf_url=pdf_url
            )

        return await query(work)

    @strawberry.field(
        permission_classes=[ReadScope],
        description="Days sales outstanding over from..to (see DaysSalesOutstanding).",
    )
    async def days_sales_outstanding(
        self, info: Info[Context, None], from_: From, to: date
    ) -> DaysSalesOutstandingResult:
        async def work() -> DaysSalesOutstandingResult:
            async with info.context.reads.connect() as conn:
                return DaysSalesOutstandingResult.of(await kpis.dso(conn, from_, to))

        return await query(work)

    @strawberry.field(
        permission_classes=[ReadScope],
        description="Per customer (by no.), BC's average days to pay over from..to.",
    )
    async def average_days_to_pay(
        self,
        info: Info[Context, None],
        from_: From,
        to: date,
        customer_nos: list[str] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CustomerDaysToPayResult]:
        async def work() -> Connection[CustomerDaysToPayResult]:
            n = page_size(first)
            key = decode_cursor(after, 1)
            async with info.context.reads.connect() as conn:
                rows = await kpis.days_to_pay_page(
                    conn,
                    from_,
                    to,
                    customer_nos=customer_nos,
                    after=str(key[0]) if key else None,
                    limit=n + 1,
                )
            return build_connection(
                rows, n, lambda r: (r.customer_no,), CustomerDaysToPayResult.of, key is not None
            )

        return await query(work)
