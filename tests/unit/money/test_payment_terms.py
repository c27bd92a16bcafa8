"""BC-style payment terms give each posted document its due date, discount date and discount."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.errors import DomainError, ErrorCode
from domain.payment_terms import (
    PaymentTerms,
    TermsResult,
    check_payment_terms,
    compute_terms,
    pmt_disc_tolerance_date,
)

CENT = Decimal("0.01")
TERMS = {
    "14 DAYS": PaymentTerms("14 DAYS", "14D", "", Decimal(0)),
    "1M(8D)": PaymentTerms("1M(8D)", "1M", "8D", Decimal(2)),
    "CM": PaymentTerms("CM", "CM", "", Decimal(0)),
    "21 DAYS": PaymentTerms("21 DAYS", "21D", "", Decimal(0)),
    "COD": PaymentTerms("COD", "0D", "", Decimal(0)),
    "2%10NET30": PaymentTerms("2%10NET30", "30D", "10D", Decimal("2.5"), True),
}


@pytest.mark.parametrize(
    ("code", "document_date", "amount", "expected"),
    [
        pytest.param(
            "14 DAYS",
            date(2026, 3, 17),
            "1000.00",
            TermsResult(date(2026, 3, 31), None, Decimal(0)),
            id="14-days",
        ),
        pytest.param(
            "1M(8D)",
            date(2026, 1, 31),
            "1000.00",
            TermsResult(date(2026, 2, 28), date(2026, 2, 8), Decimal("20.00")),
            id="1M-8D-from-jan-31",
        ),
        pytest.param(
            "1M(8D)",
            date(2026, 3, 17),
            "1234.56",
            TermsResult(date(2026, 4, 17), date(2026, 3, 25), Decimal("24.69")),
            id="1M-8D-rounds-discount-to-the-cent",
        ),
        pytest.param(
            "1M(8D)",
            date(2026, 3, 17),
            "0.25",
            TermsResult(date(2026, 4, 17), date(2026, 3, 25), Decimal("0.01")),
            id="1M-8D-half-cent-rounds-up",
        ),
        pytest.param(
            "CM",
            date(2026, 2, 3),
            "500.00",
            TermsResult(date(2026, 2, 28), None, Decimal(0)),
            id="current-month",
        ),
        pytest.param(
            "21 DAYS",
            date(2026, 12, 20),
            "99.99",
            TermsResult(date(2027, 1, 10), None, Decimal(0)),
            id="21-days-into-next-year",
        ),
        pytest.param(
            "COD",
            date(2026, 3, 17),
            "10.00",
            TermsResult(date(2026, 3, 17), None, Decimal(0)),
            id="cash-on-delivery",
        ),
        pytest.param(
            "2%10NET30",
            date(2026, 3, 17),
            "-80.10",
            TermsResult(date(2026, 4, 16), date(2026, 3, 27), Decimal("-2.00")),
            id="negative-amount-keeps-its-sign",
        ),
    ],
)
def test_invoice_gets_due_date_discount_date_and_discount(
    code: str, document_date: date, amount: str, expected: TermsResult
) -> None:
    result = compute_terms(TERMS[code], document_date, Decimal(amount), False, CENT)
    assert result == expected


def test_without_terms_the_document_is_due_on_its_date() -> None:
    result = compute_terms(None, date(2026, 3, 17), Decimal("100.00"), False, CENT)
    assert result == TermsResult(date(2026, 3, 17), None, Decimal(0))


def test_credit_memo_without_the_flag_is_due_at_once_without_discount() -> None:
    result = compute_terms(TERMS["1M(8D)"], date(2026, 3, 17), Decimal("100.00"), True, CENT)
    assert result == TermsResult(date(2026, 3, 17), None, Decimal(0))


def test_credit_memo_with_the_flag_gets_the_discount() -> None:
    result = compute_terms(TERMS["2%10NET30"], date(2026, 3, 17), Decimal("100.00"), True, CENT)
    assert result == TermsResult(date(2026, 4, 16), date(2026, 3, 27), Decimal("2.50"))


def test_discount_percent_without_discount_formula_gives_no_discount() -> None:
    terms = PaymentTerms("NODATE", "30D", "", Decimal(3))
    result = compute_terms(terms, date(2026, 3, 17), Decimal("100.00"), False, CENT)
    assert result == TermsResult(date(2026, 4, 16), None, Decimal(0))


def test_discount_rounds_to_a_whole_unit_currency() -> None:
    result = compute_terms(TERMS["1M(8D)"], date(2026, 3, 17), Decimal(1975), False, Decimal(1))
    assert result.pmt_disc_possible == Decimal(40)


@pytest.mark.parametrize(
    ("discount_date", "grace", "expected"),
    [
        pytest.param(date(2026, 2, 8), "5D", date(2026, 2, 13), id="five-days-grace"),
        pytest.param(date(2026, 2, 8), "", date(2026, 2, 8), id="no-grace"),
        pytest.param(date(2026, 2, 8), "CM", date(2026, 2, 28), id="end-of-month-grace"),
        pytest.param(None, "5D", None, id="no-discount-date"),
    ],
)
def test_discount_tolerance_date_adds_the_grace_period(
    discount_date: date | None, grace: str, expected: date | None
) -> None:
    assert pmt_disc_tolerance_date(discount_date, grace) == expected


@pytest.mark.parametrize(
    ("terms", "code", "field"),
    [
        pytest.param(
            PaymentTerms("X", "1X", "", Decimal(0)),
            ErrorCode.INVALID_DATE_FORMULA,
            ["dueDateCalculation"],
            id="bad-due-formula",
        ),
        pytest.param(
            PaymentTerms("X", "1M", "D40", Decimal(2)),
            ErrorCode.INVALID_DATE_FORMULA,
            ["discountDateCalculation"],
            id="bad-discount-formula",
        ),
        pytest.param(
            PaymentTerms("X", "1M", "8D", Decimal(-1)),
            ErrorCode.INVALID_AMOUNT,
            ["discountPct"],
            id="negative-discount",
        ),
        pytest.param(
            PaymentTerms("X", "1M", "8D", Decimal("100.01")),
            ErrorCode.INVALID_AMOUNT,
            ["discountPct"],
            id="discount-above-100",
        ),
    ],
)
def test_unusable_terms_are_refused(terms: PaymentTerms, code: ErrorCode, field: list[str]) -> None:
    with pytest.raises(DomainError) as caught:
        check_payment_terms(terms)
    assert caught.value.code is code
    assert caught.value.field == field


def test_bc_like_terms_are_all_valid() -> None:
    for terms in TERMS.values():
        check_payment_terms(terms)
