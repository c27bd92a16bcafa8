"""The exchange rate adjustment planner: open foreign-currency entries of both ledgers valued
at the day's rate, one transaction per ledger (domain.md's example: 1,000 at 1.123, adjusted
at 1.125, is an unrealized gain of 2 on a receivable, a loss of 2 on a payable)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain.errors import DomainError, ErrorCode
from domain.ledger import Ledger, LedgerEntry
from domain.money import ExchangeRate
from domain.posting.numbers import APPLICATION, TRANSACTION
from domain.posting.pricing import Currency
from domain.posting.revaluation import numbers_needed, plan_revaluation
from tests.unit.posting.factories import SETUP, invoice, ledger_facts
from tests.unit.posting.memory_ledger import MemoryLedger, pool

D = Decimal
MONTH_END = date(2026, 1, 31)
USD = Currency(
    "USD",
    D("0.01"),
    D(0),
    D(0),
    (
        ExchangeRate("USD", date(2026, 1, 1), D("1.123")),
        ExchangeRate("USD", MONTH_END, D("1.125")),
    ),
)


def _usd(entry_no: int, amount: str, party: str) -> LedgerEntry:
    return replace(
        invoice(entry_no, amount, party=party, currency="USD", rate="1.123"),
        posting_date=date(2026, 1, 15),
    )


def test_open_currency_entries_of_both_ledgers_post_unrealized_gains_and_losses() -> None:
    customers = MemoryLedger(_usd(1, "1000", "C1"), invoice(2, "500"))
    vendors = MemoryLedger(_usd(5, "-1000", "V1"), ledger=Ledger.VENDOR)
    books = (customers, vendors)
    ledgers = [(ledger_facts(b.ledger, currencies=(USD,)), list(b.entries.values())) for b in books]
    assert numbers_needed([e for _, e in ledgers], MONTH_END) == {APPLICATION: 2, TRANSACTION: 2}

    numbers = pool()
    revaluation = plan_revaluation(MONTH_END, SETUP, ledgers, numbers)

    assert revaluation.adjusted == 2
    for book in books:
        book.write(revaluation.plan)
        book.check()
    assert customers.entries[1].remaining_amount_lcy == D("1125.00")
    assert customers.entries[1].unrealized_lcy == D(2)
    assert customers.entries[2] == invoice(2, "500")
    assert vendors.entries[5].remaining_amount_lcy == D("-1125.00")
    assert customers.gl_by_account() == {"1200": D(2), "7910": D(-2)}
    assert vendors.gl_by_account() == {"2100": D(-2), "8910": D(2)}
    assert {(g.document_no, g.description) for g in revaluation.plan.gl} == {
        ("ADJ-2026-01-31", "Exchange rate adjustment 2026-01-31")
    }
    assert {d.transaction_no for d in revaluation.plan.detailed} == {100, 101}

    again = plan_revaluation(
        MONTH_END,
        SETUP,
        [(ledger_facts(b.ledger, currencies=(USD,)), list(b.entries.values())) for b in books],
        numbers,
    )
    assert again.adjusted == 0
    assert again.plan.detailed == ()


def test_entries_posted_after_the_day_or_in_lcy_are_left_alone() -> None:
    later = replace(_usd(1, "1000", "C1"), posting_date=date(2026, 2, 1))
    ledgers = [(ledger_facts(currencies=(USD,)), [later, invoice(2, "500")])]
    assert numbers_needed([e for _, e in ledgers], MONTH_END) == {APPLICATION: 0, TRANSACTION: 0}
    revaluation = plan_revaluation(MONTH_END, SETUP, ledgers, pool())
    assert (revaluation.adjusted, revaluation.plan.gl) == (0, ())


def test_a_currency_without_a_rate_on_the_day_is_refused() -> None:
    no_rate = replace(USD, rates=(ExchangeRate("USD", date(2026, 2, 1), D("1.2")),))
    ledgers = [(ledger_facts(currencies=(no_rate,)), [_usd(1, "1000", "C1")])]
    with pytest.raises(DomainError) as caught:
        plan_revaluation(MONTH_END, SETUP, ledgers, pool())
    assert caught.value.code is ErrorCode.NO_EXCHANGE_RATE


def test_an_adjustment_outside_the_posting_window_is_refused() -> None:
    closed = replace(SETUP, allow_posting_from=date(2026, 2, 1))
    with pytest.raises(DomainError) as caught:
        plan_revaluation(MONTH_END, closed, [], pool())
    assert (caught.value.code, caught.value.field) == (
        ErrorCode.POSTING_DATE_NOT_ALLOWED,
        ["postingDate"],
    )
