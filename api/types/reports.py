"""Receivables reports as GraphQL types: aged balances (a connection that also names its CSV
and PDF downloads), days sales outstanding and days to pay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from urllib.parse import urlencode

import strawberry

from api.pagination import Connection
from domain.reports import AgedBalance as AgedBalanceRecord
from domain.reports import AgingBasis, AgingLayout, DaysSalesOutstanding
from store.reports.kpis import CustomerDaysToPay


@strawberry.enum(
    name="AgingBy",
    description="The date that ages an entry (BC's Aging by): DUE_DATE puts what is due after "
    "asOf in notDue.",
)
class AgingBy(Enum):
    DUE_DATE = "DUE_DATE"
    POSTING_DATE = "POSTING_DATE"
    DOCUMENT_DATE = "DOCUMENT_DATE"


@strawberry.type(description="Open amounts aged from..to (inclusive; from null: open-ended).")
class AgingBucket:
    label: str = strawberry.field(description="Age in days, the as-of date being day 1.")
    from_: date | None = strawberry.field(name="from")
    to: date
    amount: Decimal


@strawberry.interface(
    description="A party's balance in one currency on the as-of date, split by age; amounts "
    "in the currency ('' = local currency) with the ledger's sign; total = notDue + Σ buckets."
)
class AgedBalance:
    party_no: str
    name: str
    currency_code: str
    not_due: Decimal
    buckets: list[AgingBucket]
    total: Decimal
    total_lcy: Decimal


@strawberry.type
class AgedReceivable(AgedBalance):
    customer_no: str


@strawberry.type
class AgedPayable(AgedBalance):
    vendor_no: str


def _fields(layout: AgingLayout, row: AgedBalanceRecord) -> dict[str, object]:
    return {
        "party_no": row.party_no,
        "name": row.party_name,
        "currency_code": row.currency_code,
        "not_due": row.not_due,
        "buckets": [
            AgingBucket(label=c.label, from_=c.start, to=c.end, amount=amount)
            for c, amount in zip(layout.columns, row.buckets, strict=True)
        ],
        "total": row.total,
        "total_lcy": row.total_lcy,
    }


def aged_receivable(layout: AgingLayout, row: AgedBalanceRecord) -> AgedReceivable:
    return AgedReceivable(customer_no=row.party_no, **_fields(layout, row))  # type: ignore[arg-type]


def aged_payable(layout: AgingLayout, row: AgedBalanceRecord) -> AgedPayable:
    return AgedPayable(vendor_no=row.party_no, **_fields(layout, row))  # type: ignore[arg-type]


_EXPORT_DESCRIPTION = (
    "GET with the same Bearer key (read scope): the whole report (every page) as {}."
)


@strawberry.type
class AgedReceivableConnection(Connection[AgedReceivable]):
    csv_url: str = strawberry.field(description=_EXPORT_DESCRIPTION.format("CSV"))
    pdf_url: str = strawberry.field(description=_EXPORT_DESCRIPTION.format("PDF"))


@strawberry.type
class AgedPayableConnection(Connection[AgedPayable]):
    csv_url: str = strawberry.field(description=_EXPORT_DESCRIPTION.format("CSV"))
    pdf_url: str = strawberry.field(description=_EXPORT_DESCRIPTION.format("PDF"))


def export_urls(
    report: str,
    layout: AgingLayout,
    currency_code: str | None,
    parties_arg: str,
    party_nos: list[str] | None,
) -> tuple[str, str]:
    """The CSV and PDF download paths of a report with these arguments (api/report_route)."""
    query: list[tuple[str, str]] = [
        ("asOf", layout.as_of.isoformat()),
        ("agingBy", layout.basis.value),
    ]
    query += [("periods", p) for p in layout.periods]
    if currency_code is not None:
        query.append(("currencyCode", currency_code))
    query += [(parties_arg, no) for no in party_nos or ()]
    encoded = urlencode(query)
    return f"/reports/{report}.csv?{encoded}", f"/reports/{report}.pdf?{encoded}"


def aging_basis(value: AgingBy) -> AgingBasis:
    return AgingBasis(value.value)


@strawberry.type(
    name="DaysSalesOutstanding",
    description="receivables / sales × days: receivablesLcy = Σ customer balances in LCY at "
    "`to`, salesLcy = invoices less credit memos posted from..to (LCY, VAT included); dso "
    "null when there were no net sales.",
)
class DaysSalesOutstandingResult:
    from_: date = strawberry.field(name="from")
    to: date
    days: int
    receivables_lcy: Decimal
    sales_lcy: Decimal
    dso: Decimal | None

    @classmethod
    def of(cls, r: DaysSalesOutstanding) -> DaysSalesOutstandingResult:
        return cls(
            from_=r.start,
            to=r.end,
            days=r.days,
            receivables_lcy=r.receivables_lcy,
            sales_lcy=r.sales_lcy,
            dso=r.dso,
        )


@strawberry.type(
    name="CustomerDaysToPay",
    description="BC's Avg. Days to Pay: over the customer's invoices posted from..to and "
    "closed since, the mean of (closed at date - posting date), one decimal; null for none.",
)
class CustomerDaysToPayResult:
    customer_no: str
    name: str
    invoice_count: int
    average_days: Decimal | None

    @classmethod
    def of(cls, r: CustomerDaysToPay) -> CustomerDaysToPayResult:
        return cls(
            customer_no=r.customer_no,
            name=r.name,
            invoice_count=r.days.invoice_count,
            average_days=r.days.average_days,
        )
