"""Finance charge interest on late invoices, to the cent, for both BC calculation methods
(BC, "Set Up Finance Charges": learn.microsoft.com/dynamics365/business-central/
finance-setup-finance-charges)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.finance_charges import (
    FinanceChargeEntry,
    FinanceChargeTerms,
    InterestMethod,
    compute_memo,
    compute_memos,
    validate_finance_charge_terms,
)
from domain.money import round_amount

CENT = Decimal("0.01")
AS_OF = date(2026, 3, 17)

BALANCE_DUE = FinanceChargeTerms(
    code="1.5 PCT",
    interest_rate_pct=Decimal("1.5"),
    interest_period_days=30,
    minimum_amount=Decimal(0),
    grace_period="",
    additional_fee=Decimal(0),
    method=InterestMethod.BALANCE_DUE,
)
AVERAGE = replace(BALANCE_DUE, method=InterestMethod.AVERAGE_DAILY_BALANCE)
YEARLY = replace(BALANCE_DUE, interest_rate_pct=Decimal(12), interest_period_days=365)
ZERO = Decimal(0)
PAID_JAN_15 = (date(2026, 1, 15), Decimal(1000))


def entry(entry_no: int, amount: str, due: date, **overrides: Any) -> FinanceChargeEntry:
    """An open EUR invoice of Acme Trading."""
    values: dict[str, Any] = {
        "entry_no": entry_no,
        "document_type": "INVOICE",
        "document_no": f"INV-{1000 + entry_no}",
        "currency_code": "EUR",
        "due_date": due,
        "remaining_amount": Decimal(amount),
    }
    values.update(overrides)
    return FinanceChargeEntry(**values)


@pytest.mark.parametrize(
    ("terms", "item", "precision", "days", "base", "interest", "text"),
    [
        pytest.param(
            BALANCE_DUE,
            entry(1, "1000.00", date(2026, 2, 14)),
            CENT,
            31,
            "1000.00",
            "15.00",  # BC's Balance Due: 1,000 × 1.5 % (the days play no part)
            "1,000.00 × 1.5 %",
            id="balance-due-31-days",
        ),
        pytest.param(
            YEARLY,
            entry(1, "2500.00", date(2026, 1, 31)),
            CENT,
            45,
            "2500.00",
            "300.00",  # BC's Balance Due: 2,500 × 12 %, whatever the interest period
            "2,500.00 × 12 %",
            id="yearly-rate-rounds-to-the-cent",
        ),
        pytest.param(
            BALANCE_DUE,
            entry(1, "150000", date(2026, 2, 14), currency_code="JPY"),
            Decimal(1),
            31,
            "150000",
            "2250",
            "150,000 × 1.5 %",
            id="whole-unit-currency",
        ),
        pytest.param(
            AVERAGE,
            entry(1, "1000.00", date(2026, 2, 15)),
            CENT,
            30,
            "1000.00",
            "15.00",
            "average balance 1,000.00 × 1.5 % × 30 / 30 days",
            id="bc-average-daily-balance-1000-over-30-days",
        ),
        pytest.param(
            AVERAGE,
            entry(
                1,
                "400.00",
                date(2026, 2, 15),
                balance_history=(PAID_JAN_15, (date(2026, 3, 2), Decimal(400))),
            ),
            CENT,
            30,
            "680.00",  # (14 days × 1,000 + 16 days × 400) / 30
            "10.20",
            "average balance 680.00 × 1.5 % × 30 / 30 days",
            id="average-daily-balance-partly-paid",
        ),
        pytest.param(
            AVERAGE,
            entry(
                1,
                "0.00",
                date(2026, 2, 15),
                balance_history=(PAID_JAN_15, (date(2026, 3, 2), Decimal(0))),
            ),
            CENT,
            30,
            "466.67",
            "7.00",  # 14 days × 1,000 × 1.5 % / 30
            "average balance 466.67 × 1.5 % × 30 / 30 days",
            id="average-daily-balance-paid-late-in-full",
        ),
        pytest.param(
            replace(BALANCE_DUE, grace_period="10D"),
            entry(1, "1000.00", date(2026, 3, 6)),
            CENT,
            11,
            "1000.00",
            "15.00",
            "1,000.00 × 1.5 %",
            id="past-grace-interest-counts-from-due-date",
        ),
        pytest.param(
            BALANCE_DUE,
            entry(1, "1000.00", date(2026, 2, 14), charged_until=date(2026, 3, 1)),
            CENT,
            16,
            "1000.00",
            "15.00",
            "1,000.00 × 1.5 %",
            id="only-days-not-charged-before",
        ),
    ],
)
def test_interest_line_to_the_cent(
    terms: FinanceChargeTerms,
    item: FinanceChargeEntry,
    precision: Decimal,
    days: int,
    base: str,
    interest: str,
    text: str,
) -> None:
    memo = compute_memo(terms, (item,), AS_OF, AS_OF, precision)
    assert memo is not None
    (line,) = memo.lines
    assert (line.entry_no, line.document_no) == (item.entry_no, item.document_no)
    assert line.days == days
    assert line.base_amount == Decimal(base)
    assert line.interest_amount == Decimal(interest)
    assert line.formula_text == text
    assert memo.interest_amount == memo.total == Decimal(interest)
    assert memo.currency_code == item.currency_code


def test_memo_adds_the_fee_to_the_interest_of_all_lines() -> None:
    terms = replace(BALANCE_DUE, additional_fee=Decimal("5.00"))
    entries = (entry(2, "333.33", date(2026, 3, 7)), entry(1, "1000.00", date(2026, 2, 14)))
    memo = compute_memo(terms, entries, AS_OF, AS_OF, CENT)
    assert memo is not None
    assert [(line.entry_no, line.interest_amount) for line in memo.lines] == [
        (1, Decimal("15.00")),
        (2, Decimal("5.00")),  # 333.33 × 1.5 % = 4.99995
    ]
    assert memo.interest_amount == Decimal("20.00")
    assert memo.additional_fee == Decimal("5.00")
    assert memo.total == Decimal("25.00")


@pytest.mark.parametrize(
    ("interest_on_fees", "charged"),
    [
        pytest.param(False, [1], id="fees-bear-no-interest"),
        pytest.param(True, [1, 2, 3], id="fees-bear-interest"),
    ],
)
def test_interest_on_fees_decides_whether_fee_entries_are_charged(
    interest_on_fees: bool, charged: list[int]
) -> None:
    entries = (
        entry(1, "1000.00", date(2026, 2, 14)),
        entry(2, "10.00", date(2026, 2, 14), document_type="REMINDER"),
        entry(3, "15.50", date(2026, 2, 14), document_type="FINANCE_CHARGE_MEMO"),
    )
    terms = replace(BALANCE_DUE, interest_on_fees=interest_on_fees)
    memo = compute_memo(terms, entries, AS_OF, AS_OF, CENT)
    assert memo is not None
    assert [line.entry_no for line in memo.lines] == charged


@pytest.mark.parametrize(
    ("terms", "entries"),
    [
        pytest.param(BALANCE_DUE, (entry(1, "1000.00", date(2026, 3, 17)),), id="due-today"),
        pytest.param(BALANCE_DUE, (entry(1, "1000.00", date(2026, 4, 1)),), id="not-yet-due"),
        pytest.param(BALANCE_DUE, (), id="no-entries"),
        pytest.param(
            replace(BALANCE_DUE, grace_period="10D"),
            (entry(1, "1000.00", date(2026, 3, 7)),),
            id="still-in-grace",
        ),
        pytest.param(
            replace(BALANCE_DUE, minimum_amount=Decimal("15.51")),
            (entry(1, "1000.00", date(2026, 2, 14)),),
            id="interest-below-minimum",
        ),
        pytest.param(BALANCE_DUE, (entry(1, "-50.00", date(2026, 2, 1)),), id="credit-balance"),
        pytest.param(
            BALANCE_DUE,
            (entry(1, "0.10", date(2026, 3, 16)),),
            id="interest-rounds-to-zero",
        ),
        pytest.param(
            BALANCE_DUE,
            (entry(1, "1000.00", date(2026, 2, 14), charged_until=date(2026, 3, 17)),),
            id="already-charged-to-date",
        ),
    ],
)
def test_no_memo_when_no_interest_is_due(
    terms: FinanceChargeTerms, entries: tuple[FinanceChargeEntry, ...]
) -> None:
    assert compute_memo(terms, entries, AS_OF, AS_OF, CENT) is None


def test_memo_at_exactly_the_minimum_is_issued() -> None:
    terms = replace(BALANCE_DUE, minimum_amount=Decimal("15.00"))
    memo = compute_memo(terms, (entry(1, "1000.00", date(2026, 2, 14)),), AS_OF, AS_OF, CENT)
    assert memo is not None


def test_each_currency_gets_its_own_memo() -> None:
    entries = (
        entry(1, "1000.00", date(2026, 2, 14), currency_code="USD"),
        entry(2, "1000.00", date(2026, 2, 15)),
        entry(3, "1000.00", date(2026, 3, 20), currency_code="GBP"),
    )
    memos = compute_memos(BALANCE_DUE, entries, AS_OF, AS_OF, CENT)
    assert [(m.currency_code, m.total) for m in memos] == [
        ("EUR", Decimal("15.00")),
        ("USD", Decimal("15.00")),
    ]


def test_one_memo_cannot_mix_currencies() -> None:
    entries = (
        entry(1, "1.00", date(2026, 2, 1)),
        entry(2, "1.00", date(2026, 2, 1), currency_code=""),
    )
    with pytest.raises(DomainError) as caught:
        compute_memo(BALANCE_DUE, entries, AS_OF, AS_OF, CENT)
    assert caught.value.code is ErrorCode.INVALID_INPUT


def test_as_of_after_document_date_is_out_of_order() -> None:
    with pytest.raises(DomainError) as caught:
        compute_memo(BALANCE_DUE, (), AS_OF, AS_OF + timedelta(days=1), CENT)
    assert caught.value.code is ErrorCode.DATES_OUT_OF_ORDER


@pytest.mark.parametrize(
    ("terms", "code", "field"),
    [
        pytest.param(replace(BALANCE_DUE, interest_rate_pct=Decimal("-1")),
                     ErrorCode.INVALID_AMOUNT, ["interestRatePct"], id="negative-rate"),
        pytest.param(replace(BALANCE_DUE, interest_period_days=0), ErrorCode.INVALID_TERMS,
                     ["interestPeriodDays"], id="zero-period"),
        pytest.param(replace(BALANCE_DUE, interest_period_days=-30), ErrorCode.INVALID_TERMS,
                     ["interestPeriodDays"], id="negative-period"),
        pytest.param(replace(BALANCE_DUE, minimum_amount=Decimal("-0.01")),
                     ErrorCode.INVALID_AMOUNT, ["minimumAmount"], id="negative-minimum"),
        pytest.param(replace(BALANCE_DUE, additional_fee=Decimal("-5")), ErrorCode.INVALID_AMOUNT,
                     ["additionalFee"], id="negative-fee"),
        pytest.param(replace(BALANCE_DUE, grace_period="1X"), ErrorCode.INVALID_DATE_FORMULA,
                     ["gracePeriod"], id="bad-grace-formula"),
    ],
)  # fmt: skip
def test_invalid_terms_are_refused(
    terms: FinanceChargeTerms, code: ErrorCode, field: list[str]
) -> None:
    with pytest.raises(DomainError) as caught:
        validate_finance_charge_terms(terms)
    assert caught.value.code is code
    assert caught.value.field == field
    with pytest.raises(DomainError):
        compute_memo(terms, (entry(1, "1000.00", date(2026, 2, 14)),), AS_OF, AS_OF, CENT)


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000000"), places=2)
rates = st.decimals(min_value=Decimal(0), max_value=Decimal(50), places=3)


def _interest(terms: FinanceChargeTerms, item: FinanceChargeEntry, as_of: date) -> Decimal:
    memo = compute_memo(terms, (item,), as_of, as_of, CENT)
    return ZERO if memo is None else memo.interest_amount


@settings(deadline=None, max_examples=200)
@given(
    amounts,
    rates,
    st.integers(1, 365),
    st.integers(0, 400),
    st.integers(0, 400),
    st.sampled_from(list(InterestMethod)),
)
def test_interest_is_non_negative_and_grows_with_the_days(
    amount: Decimal, rate: Decimal, period: int, days: int, more: int, method: InterestMethod
) -> None:
    terms = replace(BALANCE_DUE, interest_rate_pct=rate, interest_period_days=period, method=method)
    item = entry(1, str(amount), date(2026, 1, 1))
    earlier = _interest(terms, item, date(2026, 1, 1) + timedelta(days=days))
    later = _interest(terms, item, date(2026, 1, 1) + timedelta(days=days + more))
    assert ZERO <= earlier <= later


@settings(deadline=None, max_examples=200)
@given(amounts, st.integers(1, 200), st.integers(0, 60))
def test_average_daily_balance_is_the_balance_due_charge_times_days_over_period_when_unpaid(
    amount: Decimal, days: int, paid_after: int
) -> None:
    """BC's two formulas (finance-setup-finance-charges): Balance Due = overdue × rate / 100;
    Average Daily Balance = overdue × (days overdue / interest period) × rate / 100."""
    due = date(2026, 1, 1)
    plain = entry(1, str(amount), due)
    with_history = replace(plain, balance_history=((due - timedelta(days=paid_after), amount),))
    as_of = due + timedelta(days=days)
    balance_due = _interest(BALANCE_DUE, plain, as_of)
    average = _interest(AVERAGE, plain, as_of)
    assert balance_due == round_amount(amount * Decimal("1.5") / 100, CENT)
    # × days / period, computed exactly (days / 30 first would round in Decimal)
    assert average == round_amount(amount * days * Decimal("1.5") / 100 / 30, CENT)
    assert _interest(AVERAGE, with_history, as_of) == average
