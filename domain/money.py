"""Money is Decimal, rounded per currency the way BC rounds: half away from zero."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.errors import DomainError, ErrorCode

ZERO = Decimal(0)
ONE = Decimal(1)
CENT = Decimal("0.01")


def round_amount(amount: Decimal, precision: Decimal = CENT) -> Decimal:
    """Round to a multiple of ``precision`` (0.01, 1, 0.05, ...), halves away from zero.

    Decimal's ROUND_HALF_UP already rounds half away from zero for negative numbers too.
    """
    if precision <= 0:
        raise ValueError("rounding precision must be positive")
    units = (amount / precision).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (units * precision).quantize(precision)


@dataclass(frozen=True, slots=True)
class ExchangeRate:
    """LCY per one unit of ``currency_code``, valid from ``starting_date`` until the next one."""

    currency_code: str
    starting_date: date
    rate: Decimal


def rate_on(
    rates: Sequence[ExchangeRate], currency_code: str, on: date, lcy_code: str = ""
) -> Decimal:
    """The rate with the latest starting date on or before ``on``; LCY is always 1.

    ``currency_code`` "" (or equal to ``lcy_code``) means local currency. When two rates share
    a starting date, the last one in ``rates`` wins.
    """
    if currency_code == "" or currency_code == lcy_code:
        return ONE
    best: ExchangeRate | None = None
    for candidate in rates:
        if candidate.currency_code != currency_code or candidate.starting_date > on:
            continue
        if best is None or candidate.starting_date >= best.starting_date:
            best = candidate
    if best is None:
        raise DomainError(
            ErrorCode.NO_EXCHANGE_RATE,
            f"There is no exchange rate for {currency_code} on or before {on.isoformat()}.",
            field=["currencyCode"],
        )
    return best.rate


def _check_rate(rate: Decimal) -> None:
    if not rate.is_finite() or rate <= 0:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT,
            f"An exchange rate must be a positive number, not {rate}.",
            field=["rate"],
        )


def to_lcy(amount: Decimal, rate: Decimal, precision: Decimal = CENT) -> Decimal:
    """Convert a foreign-currency amount to LCY at ``rate`` (LCY per unit), rounded."""
    _check_rate(rate)
    return round_amount(amount * rate, precision)


def from_lcy(amount_lcy: Decimal, rate: Decimal, precision: Decimal = CENT) -> Decimal:
    """Convert an LCY amount to the currency whose rate is ``rate``, rounded to its precision."""
    _check_rate(rate)
    return round_amount(amount_lcy / rate, precision)


def check_finite(amount: Decimal, field: Sequence[str]) -> None:
    """Refuse NaN and infinities, which no ledger can hold."""
    if not amount.is_finite():
        raise DomainError(
            ErrorCode.INVALID_AMOUNT, f"{amount} is not an amount.", field=list(field)
        )


def check_precision(amount: Decimal, precision: Decimal, field: Sequence[str]) -> None:
    """Refuse amounts finer than the currency's rounding precision (0.01, 1, 0.05 ...)."""
    check_finite(amount, field)
    if precision <= 0:
        raise ValueError("rounding precision must be positive")
    try:
        remainder = amount % precision
    except InvalidOperation:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT, f"{amount} is too large to be an amount.", field=list(field)
        ) from None
    if remainder != 0:
        raise DomainError(
            ErrorCode.TOO_MANY_DECIMALS,
            f"{amount} is not a multiple of the currency's rounding precision {precision}.",
            field=list(field),
        )


def check_positive(amount: Decimal, field: Sequence[str]) -> None:
    """Refuse zero and negative amounts where the user must type a positive one."""
    check_finite(amount, field)
    if amount <= 0:
        raise DomainError(
            ErrorCode.INVALID_AMOUNT,
            f"The amount must be greater than zero, not {amount}.",
            field=list(field),
        )
