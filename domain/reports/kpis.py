"""Collection figures people ask for beside the aged receivables: days sales outstanding (how
many days of sales the receivables represent) and the average days customers take to pay.

DSO is not a BC figure; it is the textbook ratio, written down in docs/reports.md. The average
days to pay is BC's "Avg. Days to Pay" of the Customer Entry Statistics: over the invoices
posted in the period that are closed, the mean of (closed at date - posting date).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from domain.errors import DomainError, ErrorCode

ZERO = Decimal(0)
_TENTH = Decimal("0.1")


@dataclass(frozen=True, slots=True, kw_only=True)
class DaysSalesOutstanding:
    """``receivables_lcy`` = the customer balance at the end of the period (Σ detailed
    entries in LCY up to ``end``); ``sales_lcy`` = invoices less credit memos posted in the
    period (LCY, VAT included, as the receivables are); ``dso`` = receivables / sales × days,
    to one decimal, ``None`` when there were no net sales."""

    start: date
    end: date
    days: int
    receivables_lcy: Decimal
    sales_lcy: Decimal
    dso: Decimal | None


@dataclass(frozen=True, slots=True, kw_only=True)
class DaysToPay:
    """``invoice_count`` closed invoices took ``average_days`` (one decimal) on average;
    ``None`` when there were none."""

    invoice_count: int
    average_days: Decimal | None


def check_period(start: date, end: date, field: str = "to") -> int:
    """The number of days of ``start``..``end`` (inclusive); refuses a reversed period."""
    if start > end:
        raise DomainError(
            ErrorCode.DATES_OUT_OF_ORDER,
            f"The period starts ({start}) after it ends ({end}).",
            [field],
        )
    return (end - start).days + 1


def days_sales_outstanding(
    start: date, end: date, receivables_lcy: Decimal, sales_lcy: Decimal
) -> DaysSalesOutstanding:
    """DSO over ``start``..``end``: receivables at the end / sales of the period × its days."""
    days = check_period(start, end)
    dso = None
    if sales_lcy > 0:
        dso = (receivables_lcy / sales_lcy * days).quantize(_TENTH, ROUND_HALF_UP)
    return DaysSalesOutstanding(
        start=start,
        end=end,
        days=days,
        receivables_lcy=receivables_lcy,
        sales_lcy=sales_lcy,
        dso=dso,
    )


def days_to_pay(posting_date: date, closed_at_date: date) -> int:
    """BC: the days from an invoice's posting date to the date it was closed."""
    return (closed_at_date - posting_date).days


def average_days_to_pay(invoices: Iterable[tuple[date, date]]) -> DaysToPay:
    """The mean days to pay of closed invoices given as (posting date, closed at date)."""
    count = 0
    total = 0
    for posted, closed in invoices:
        count += 1
        total += days_to_pay(posted, closed)
    if count == 0:
        return DaysToPay(invoice_count=0, average_days=None)
    average = (Decimal(total) / count).quantize(_TENTH, ROUND_HALF_UP)
    return DaysToPay(invoice_count=count, average_days=average)
