"""A statement run should reach the customers who need one and nobody else: those with activity
in the period, with something owed, or with something overdue (BC's request-page choices)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from domain.statements.content import check_period, group_by_currency
from domain.statements.model import (
    ZERO,
    CurrencyAmount,
    CustomerSelection,
    CustomerSummary,
    StatementEntry,
)


def summarize_customer(
    customer_no: str,
    entries: Iterable[StatementEntry],
    start_date: date,
    end_date: date,
    lcy_code: str = "",
) -> CustomerSummary:
    """Count the ledger entries posted in the period; per currency, the balance and the
    overdue amount (remaining > 0, due before the end date) at the end date. Currencies whose
    amount is zero are left out."""
    check_period(start_date, end_date)
    entries = tuple(entries)
    in_period = sum(1 for e in entries if start_date <= e.posting_date <= end_date)
    balances: dict[str, Decimal] = defaultdict(lambda: ZERO)
    overdue: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for code, group in group_by_currency(entries, end_date, lcy_code).items():
        for entry in group:
            remaining = entry.remaining_as_of(end_date)
            balances[code] += remaining
            if remaining > ZERO and entry.due_date is not None and entry.due_date < end_date:
                overdue[code] += remaining
    return CustomerSummary(
        customer_no=customer_no,
        entries_in_period=in_period,
        balances=_non_zero(balances),
        overdue=_non_zero(overdue),
    )


def select_customers(
    summaries: Iterable[CustomerSummary], selection: CustomerSelection
) -> tuple[str, ...]:
    """Customer numbers that get a statement, in the order of ``summaries``.

    WITH_ENTRIES: at least one ledger entry posted in the period. WITH_BALANCE: a non-zero
    balance at the end date in some currency (credit balances too). WITH_OVERDUE: a positive
    overdue amount at the end date in some currency.
    """
    return tuple(s.customer_no for s in summaries if _selected(s, selection))


def _selected(summary: CustomerSummary, selection: CustomerSelection) -> bool:
    if selection is CustomerSelection.WITH_ENTRIES:
        return summary.entries_in_period > 0
    if selection is CustomerSelection.WITH_BALANCE:
        return any(b.amount != ZERO for b in summary.balances)
    return any(o.amount > ZERO for o in summary.overdue)


def _non_zero(amounts: dict[str, Decimal]) -> tuple[CurrencyAmount, ...]:
    return tuple(
        CurrencyAmount(code, amount) for code, amount in sorted(amounts.items()) if amount != ZERO
    )
