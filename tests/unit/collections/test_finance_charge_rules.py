"""BC's finance charge rules beyond the two formulas: which entries bear interest (Interest
Calculation: open, closed or all entries) and rates that change over time (Finance Charge
Interest Rates), each table citing the BC page it follows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain.errors import DomainError, ErrorCode
from domain.finance_charges import (
    FinanceChargeEntry,
    FinanceChargeTerms,
    InterestCalculation,
    InterestMethod,
    compute_memo,
    validate_finance_charge_terms,
)
from domain.interest_rates import InterestRate

CENT = Decimal("0.01")
AS_OF = date(2026, 3, 17)
D = Decimal

TERMS = FinanceChargeTerms(
    code="FIN",
    interest_rate_pct=D("1.5"),
    interest_period_days=30,
    minimum_amount=D(0),
    grace_period="5D",
    additional_fee=D(0),
    method=InterestMethod.AVERAGE_DAILY_BALANCE,
)
BALANCE_DUE = replace(TERMS, method=InterestMethod.BALANCE_DUE)

OPEN = FinanceChargeEntry(1, "INVOICE", "INV-1", "", date(2026, 2, 15), D(1000))
# paid on Mar 2, 15 days after its due date (past the 5-day grace period)
PAID_LATE = FinanceChargeEntry(
    2,
    "INVOICE",
    "INV-2",
    "",
    date(2026, 2, 15),
    D(0),
    ((date(2026, 1, 15), D(1000)), (date(2026, 3, 2), D(0))),
)
# paid on Feb 18, within the grace period
PAID_IN_GRACE = replace(
    PAID_LATE,
    entry_no=3,
    document_no="INV-3",
    balance_history=((date(2026, 1, 15), D(1000)), (date(2026, 2, 18), D(0))),
)


# BC, "Set Up Finance Charges" (learn.microsoft.com/dynamics365/business-central/
# finance-setup-finance-charges): Balance Due = overdue amount × interest rate / 100;
# Average Daily Balance = overdue amount × (days overdue / interest period) × rate / 100.
@pytest.mark.parametrize(
    ("method", "interest"),
    [
        pytest.param(InterestMethod.BALANCE_DUE, "15.00", id="balance-due-1000x1.5%"),
        pytest.param(InterestMethod.AVERAGE_DAILY_BALANCE, "22.50", id="average-1000x(45/30)x1.5%"),
    ],
)
def test_bc_formulas_for_one_invoice_45_days_overdue(method: InterestMethod, interest: str) -> None:
    item = replace(OPEN, due_date=date(2026, 1, 31))
    memo = compute_memo(replace(TERMS, method=method), (item,), AS_OF, AS_OF, CENT)
    assert memo is not None
    assert memo.lines[0].days == 45
    assert memo.interest_amount == D(interest)


# BC, Finance Charge Terms "Interest Calculation" (Create Finance Charge Memos batch job,
# learn.microsoft.com/previous-versions/dynamicsnav-2013/hh168556): open entries, closed
# entries (paid late: after due date + grace period) or all entries.
@pytest.mark.parametrize(
    ("calculation", "charged"),
    [
        pytest.param(InterestCalculation.OPEN_ENTRIES, {1: "15.00"}, id="open-entries"),
        pytest.param(InterestCalculation.CLOSED_ENTRIES, {2: "7.00"}, id="closed-entries"),
        pytest.param(InterestCalculation.ALL_ENTRIES, {1: "15.00", 2: "7.00"}, id="all-entries"),
    ],
)
def test_interest_calculation_chooses_open_closed_or_all_entries(
    calculation: InterestCalculation, charged: dict[int, str]
) -> None:
    terms = replace(TERMS, interest_calculation=calculation)
    memo = compute_memo(terms, (OPEN, PAID_LATE, PAID_IN_GRACE), AS_OF, AS_OF, CENT)
    assert memo is not None
    # open: 1,000 × 30 days (Feb 16..Mar 17) / 30 × 1.5 % = 15.00; paid late: 1,000 over
    # the 14 days Feb 16..Mar 1 = 7.00; paid within the grace period: nothing
    got = {line.entry_no: str(line.interest_amount) for line in memo.lines}
    assert got == charged


def test_a_closed_entry_bears_no_balance_due_interest() -> None:
    """BC's Balance Due charges the remaining amount: nothing once the entry is closed."""
    terms = replace(BALANCE_DUE, interest_calculation=InterestCalculation.CLOSED_ENTRIES)
    assert compute_memo(terms, (PAID_LATE,), AS_OF, AS_OF, CENT) is None


RATES = (
    InterestRate(date(2025, 1, 1), D("1.5"), 30),
    InterestRate(date(2026, 3, 1), D(3), 30),
)


# BC, "Fin. Charge Interest Rate Table" (learn.microsoft.com/previous-versions/dynamicsnav-2016/
# hh936698): rates with start dates; "a separate line is generated for each interest rate,
# showing calculated interest for that interest period"; the terms' own rate is ignored
# while the table has rows. BC splits Average Daily Balance only; Balance Due takes the rate
# in force on the calculation date.
@pytest.mark.parametrize(
    ("method", "interest", "parts"),
    [
        pytest.param(
            InterestMethod.AVERAGE_DAILY_BALANCE,
            "31.00",
            [
                (date(2026, 2, 1), date(2026, 2, 28), 28, "1.5", "14.00"),
                (date(2026, 3, 1), date(2026, 3, 17), 17, "3", "17.00"),
            ],
            id="average-split-at-the-rate-change",
        ),
        pytest.param(
            InterestMethod.BALANCE_DUE,
            "30.00",
            [(date(2026, 2, 1), date(2026, 3, 17), 45, "3", "30.00")],
            id="balance-due-at-the-rate-of-the-day",
        ),
    ],
)
def test_interest_rates_that_change_over_time(
    method: InterestMethod,
    interest: str,
    parts: list[tuple[date, date, int, str, str]],
) -> None:
    terms = replace(TERMS, method=method, interest_rate_pct=D(99), interest_rates=RATES)
    item = replace(OPEN, due_date=date(2026, 1, 31))
    memo = compute_memo(terms, (item,), AS_OF, AS_OF, CENT)
    assert memo is not None
    (line,) = memo.lines
    assert line.interest_amount == D(interest)
    got = [
        (p.first, p.last, p.days, f"{p.interest_rate_pct.normalize():f}", str(p.interest_amount))
        for p in line.parts
    ]
    assert got == parts


def test_each_rate_period_shows_in_the_line_text() -> None:
    terms = replace(TERMS, interest_rates=RATES)
    memo = compute_memo(terms, (replace(OPEN, due_date=date(2026, 1, 31)),), AS_OF, AS_OF, CENT)
    assert memo is not None
    assert memo.lines[0].formula_text == (
        "average balance 1,000.00 × 1.5 % × 28 / 30 days + "
        "average balance 1,000.00 × 3 % × 17 / 30 days"
    )


def test_a_rate_period_uses_its_own_interest_period() -> None:
    rates = (InterestRate(date(2025, 1, 1), D(12), 360), InterestRate(date(2026, 3, 1), D(1), 10))
    terms = replace(TERMS, interest_rates=rates)
    memo = compute_memo(terms, (replace(OPEN, due_date=date(2026, 1, 31)),), AS_OF, AS_OF, CENT)
    assert memo is not None
    # 1,000 × 28 × 12 % / 360 = 9.33; 1,000 × 17 × 1 % / 10 = 17.00
    assert [p.interest_amount for p in memo.lines[0].parts] == [D("9.33"), D("17.00")]
    assert memo.interest_amount == D("26.33")


def test_no_rate_in_force_on_the_first_overdue_day_is_refused() -> None:
    """BC: "Create interest rate with start date prior to %1"."""
    terms = replace(TERMS, interest_rates=(InterestRate(date(2026, 3, 1), D(3), 30),))
    with pytest.raises(DomainError) as caught:
        compute_memo(terms, (replace(OPEN, due_date=date(2026, 1, 31)),), AS_OF, AS_OF, CENT)
    assert caught.value.code is ErrorCode.INVALID_TERMS
    assert caught.value.field == ["interestRates"]


@pytest.mark.parametrize(
    ("rates", "code", "field"),
    [
        pytest.param(
            (InterestRate(date(2026, 1, 1), D(1), 0),),
            ErrorCode.INVALID_TERMS,
            ["interestRates", "0", "interestPeriodDays"],
            id="zero-period",
        ),
        pytest.param(
            (InterestRate(date(2026, 1, 1), D(-1), 30),),
            ErrorCode.INVALID_AMOUNT,
            ["interestRates", "0", "interestRatePct"],
            id="negative-rate",
        ),
        pytest.param(
            (InterestRate(date(2026, 1, 1), D(1), 30), InterestRate(date(2026, 1, 1), D(2), 30)),
            ErrorCode.INVALID_TERMS,
            ["interestRates", "1", "startDate"],
            id="two-rates-on-one-day",
        ),
    ],
)
def test_invalid_interest_rates_are_refused(
    rates: tuple[InterestRate, ...], code: ErrorCode, field: list[str]
) -> None:
    with pytest.raises(DomainError) as caught:
        validate_finance_charge_terms(replace(TERMS, interest_rates=rates))
    assert caught.value.code is code
    assert caught.value.field == field
