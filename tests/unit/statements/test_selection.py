"""Which customers a statement run reaches: with entries, with a balance, or with overdue."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import DomainError, ErrorCode
from domain.statements import (
    CurrencyAmount,
    CustomerSelection,
    CustomerSummary,
    select_customers,
    summarize_customer,
)
from tests.unit.statements.builders import applied, d, invoice, payment

START, END = d("2026-03-01"), d("2026-03-31")


def test_a_summary_counts_period_entries_and_sums_balances_and_overdue_per_currency() -> None:
    entries = [
        invoice(1, "2026-02-01", "100.00", due="2026-02-28"),
        invoice(2, "2026-03-05", "50.00", due="2026-04-05"),
        invoice(3, "2026-03-06", "70.00", applied("2026-03-20", "-70.00"), currency="USD"),
        payment(4, "2026-03-20", "-70.00", applied("2026-03-20", "70.00"), currency="USD"),
        invoice(5, "2026-04-02", "999.00"),  # after the period: not counted, not in balances
    ]

    summary = summarize_customer("C-1", entries, START, END, lcy_code="EUR")

    assert summary == CustomerSummary(
        customer_no="C-1",
        entries_in_period=3,
        balances=(CurrencyAmount("EUR", Decimal("150.00")),),
        overdue=(CurrencyAmount("EUR", Decimal("100.00")),),
    )


def test_a_summary_refuses_a_backward_period() -> None:
    with pytest.raises(DomainError) as caught:
        summarize_customer("C-1", [], END, START)

    assert caught.value.code is ErrorCode.DATES_OUT_OF_ORDER


SUMMARIES = [
    CustomerSummary(customer_no="A-quiet", entries_in_period=0),
    CustomerSummary(customer_no="B-active-settled", entries_in_period=4, balances=(), overdue=()),
    CustomerSummary(
        customer_no="C-owes",
        entries_in_period=0,
        balances=(CurrencyAmount("EUR", Decimal("10.00")),),
    ),
    CustomerSummary(
        customer_no="D-credit",
        entries_in_period=1,
        balances=(CurrencyAmount("USD", Decimal("-5.00")),),
    ),
    CustomerSummary(
        customer_no="E-late",
        entries_in_period=0,
        balances=(CurrencyAmount("EUR", Decimal("30.00")),),
        overdue=(CurrencyAmount("EUR", Decimal("30.00")),),
    ),
]


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        pytest.param(
            CustomerSelection.WITH_ENTRIES, ("B-active-settled", "D-credit"), id="with_entries"
        ),
        pytest.param(
            CustomerSelection.WITH_BALANCE, ("C-owes", "D-credit", "E-late"), id="with_balance"
        ),
        pytest.param(CustomerSelection.WITH_OVERDUE, ("E-late",), id="with_overdue"),
    ],
)
def test_select_customers_keeps_those_meeting_the_chosen_criterion_in_order(
    selection: CustomerSelection, expected: tuple[str, ...]
) -> None:
    assert select_customers(SUMMARIES, selection) == expected
