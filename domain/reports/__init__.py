"""Receivables and payables reports: aged balances, days sales outstanding, days to pay; pure
rules over as-of amounts the store has summed."""

from __future__ import annotations

from domain.reports.aging import (
    DEFAULT_PERIODS,
    AgedBalance,
    AgingBasis,
    AgingColumn,
    AgingLayout,
    age_balance,
    aged_balance,
    aging_layout,
    currency_totals,
)
from domain.reports.kpis import (
    DaysSalesOutstanding,
    DaysToPay,
    average_days_to_pay,
    check_period,
    days_sales_outstanding,
    days_to_pay,
)

__all__ = [
    "DEFAULT_PERIODS",
    "AgedBalance",
    "AgingBasis",
    "AgingColumn",
    "AgingLayout",
    "DaysSalesOutstanding",
    "DaysToPay",
    "age_balance",
    "aged_balance",
    "aging_layout",
    "average_days_to_pay",
    "check_period",
    "currency_totals",
    "days_sales_outstanding",
    "days_to_pay",
]
