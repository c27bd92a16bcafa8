"""Rounding, precision checks and exchange rates decide every cent that reaches the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.money import (
    CENT,
    ExchangeRate,
    check_positive,
    check_precision,
    from_lcy,
    rate_on,
    round_amount,
    to_lcy,
)

FIELD = ["amount"]
RATES = (
    ExchangeRate("USD", date(2026, 1, 1), Decimal("0.9200")),
    ExchangeRate("USD", date(2026, 3, 1), Decimal("0.9350")),
    ExchangeRate("GBP", date(2026, 1, 1), Decimal("1.1700")),
    ExchangeRate("USD", date(2026, 2, 1), Decimal("0.9100")),
)


@pytest.mark.parametrize(
    ("amount", "precision", "expected"),
    [
        pytest.param("2.345", "0.01", "2.35", id="half-cent-up"),
        pytest.param("-2.345", "0.01", "-2.35", id="half-cent-away-from-zero"),
        pytest.param("2.344", "0.01", "2.34", id="below-half"),
        pytest.param("12.5", "1", "13", id="whole-units"),
        pytest.param("-12.5", "1", "-13", id="negative-whole-units"),
        pytest.param("1.025", "0.05", "1.05", id="nickel-half-up"),
        pytest.param("1.024", "0.05", "1.00", id="nickel-down"),
        pytest.param("1000", "0.01", "1000.00", id="adds-decimals"),
    ],
)
def test_round_amount_rounds_half_away_from_zero(
    amount: str, precision: str, expected: str
) -> None:
    result = round_amount(Decimal(amount), Decimal(precision))
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(date(2026, 1, 1), "0.9200", id="on-the-first-starting-date"),
        pytest.param(date(2026, 2, 14), "0.9100", id="latest-before-mid-february"),
        pytest.param(date(2026, 3, 1), "0.9350", id="on-a-later-starting-date"),
        pytest.param(date(2027, 1, 1), "0.9350", id="long-after-the-last-rate"),
    ],
)
def test_rate_on_takes_the_latest_starting_date_not_after_the_day(on: date, expected: str) -> None:
    assert rate_on(RATES, "USD", on) == Decimal(expected)


def test_local_currency_rate_is_one_without_any_rate() -> None:
    assert rate_on((), "", date(2026, 1, 1)) == Decimal(1)
    assert rate_on((), "EUR", date(2026, 1, 1), lcy_code="EUR") == Decimal(1)


@pytest.mark.parametrize(
    ("currency", "on"),
    [
        pytest.param("USD", date(2025, 12, 31), id="before-the-first-rate"),
        pytest.param("CHF", date(2026, 3, 1), id="currency-without-rates"),
    ],
)
def test_missing_rate_names_the_currency_and_date(currency: str, on: date) -> None:
    with pytest.raises(DomainError) as caught:
        rate_on(RATES, currency, on)
    assert caught.value.code is ErrorCode.NO_EXCHANGE_RATE
    assert currency in caught.value.message
    assert on.isoformat() in caught.value.message


@pytest.mark.parametrize(
    ("amount", "rate", "precision", "lcy", "back"),
    [
        pytest.param("1000.00", "0.9350", "0.01", "935.00", "1000.00", id="usd-invoice"),
        pytest.param("333.33", "1.1700", "0.01", "390.00", "333.33", id="gbp-rounds-lcy"),
        pytest.param("-10.01", "0.9350", "0.01", "-9.36", "-10.01", id="negative-payment"),
        pytest.param("1500", "0.0061", "1", "9", "1475", id="whole-unit-precision"),
    ],
)
def test_conversion_to_and_from_lcy_rounds_to_the_precision(
    amount: str, rate: str, precision: str, lcy: str, back: str
) -> None:
    lcy_amount = to_lcy(Decimal(amount), Decimal(rate), Decimal(precision))
    assert lcy_amount == Decimal(lcy)
    assert from_lcy(lcy_amount, Decimal(rate), Decimal(precision)) == Decimal(back)


@pytest.mark.parametrize("rate", ["0", "-1.2", "NaN"])
def test_conversion_refuses_a_rate_that_is_not_positive(rate: str) -> None:
    with pytest.raises(DomainError) as caught:
        to_lcy(Decimal(10), Decimal(rate))
    assert caught.value.code is ErrorCode.INVALID_AMOUNT
    with pytest.raises(DomainError):
        from_lcy(Decimal(10), Decimal(rate))


@pytest.mark.parametrize(
    ("amount", "precision"),
    [
        pytest.param("10.00", "0.01", id="cents"),
        pytest.param("10.1", "0.01", id="fewer-decimals"),
        pytest.param("-7.25", "0.01", id="negative"),
        pytest.param("12", "1", id="whole"),
        pytest.param("12.00", "1", id="whole-with-zero-decimals"),
        pytest.param("1.05", "0.05", id="nickel"),
        pytest.param("0", "0.05", id="zero"),
    ],
)
def test_amounts_within_the_precision_are_accepted(amount: str, precision: str) -> None:
    check_precision(Decimal(amount), Decimal(precision), FIELD)


@pytest.mark.parametrize(
    ("amount", "precision", "code"),
    [
        pytest.param("10.001", "0.01", ErrorCode.TOO_MANY_DECIMALS, id="third-decimal"),
        pytest.param("12.5", "1", ErrorCode.TOO_MANY_DECIMALS, id="decimals-in-whole-currency"),
        pytest.param("1.02", "0.05", ErrorCode.TOO_MANY_DECIMALS, id="not-a-nickel"),
        pytest.param("NaN", "0.01", ErrorCode.INVALID_AMOUNT, id="nan"),
        pytest.param("Infinity", "0.01", ErrorCode.INVALID_AMOUNT, id="infinity"),
        pytest.param("1E+40", "0.01", ErrorCode.INVALID_AMOUNT, id="too-large"),
    ],
)
def test_amounts_finer_than_the_precision_are_refused(
    amount: str, precision: str, code: ErrorCode
) -> None:
    with pytest.raises(DomainError) as caught:
        check_precision(Decimal(amount), Decimal(precision), FIELD)
    assert caught.value.code is code
    assert caught.value.field == FIELD


@pytest.mark.parametrize("amount", ["0", "-0.01", "-100"])
def test_zero_and_negative_amounts_are_not_positive(amount: str) -> None:
    with pytest.raises(DomainError) as caught:
        check_positive(Decimal(amount), FIELD)
    assert caught.value.code is ErrorCode.INVALID_AMOUNT
    assert caught.value.field == FIELD


def test_a_cent_is_positive() -> None:
    check_positive(CENT, FIELD)


amounts = st.decimals(
    min_value=Decimal("-1000000000"),
    max_value=Decimal("1000000000"),
    places=6,
    allow_nan=False,
    allow_infinity=False,
)
precisions = st.sampled_from([Decimal("0.01"), Decimal("1"), Decimal("0.05"), Decimal("0.001")])


@settings(deadline=None, max_examples=200)
@given(amounts, precisions)
def test_rounding_is_idempotent(amount: Decimal, precision: Decimal) -> None:
    once = round_amount(amount, precision)
    assert round_amount(once, precision) == once


@settings(deadline=None, max_examples=200)
@given(amounts, precisions)
def test_rounding_moves_at_most_half_a_precision_step(amount: Decimal, precision: Decimal) -> None:
    assert abs(round_amount(amount, precision) - amount) <= precision / 2


@settings(deadline=None, max_examples=200)
@given(amounts, precisions)
def test_rounding_is_symmetric_in_sign(amount: Decimal, precision: Decimal) -> None:
    assert round_amount(-amount, precision) == -round_amount(amount, precision)


@settings(deadline=None, max_examples=200)
@given(amounts, precisions)
def test_rounded_amounts_pass_the_precision_check(amount: Decimal, precision: Decimal) -> None:
    check_precision(round_amount(amount, precision), precision, FIELD)
