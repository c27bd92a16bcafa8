"""The currency facts of one posting: which currency (\"\" = LCY), its rate to LCY on the
posting date, its rounding, and its payment tolerance (a currency's own, else the company's)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.application import ApplicationSetup, ApplnBetweenCurrencies
from domain.company import CompanySetup
from domain.errors import DomainError, ErrorCode
from domain.money import ExchangeRate, rate_on


@dataclass(frozen=True, slots=True)
class Currency:
    """A foreign currency as the store loaded it, with all its exchange rates."""

    code: str
    amount_rounding_precision: Decimal
    payment_tolerance_pct: Decimal
    max_payment_tolerance_amount: Decimal
    rates: tuple[ExchangeRate, ...] = ()


@dataclass(frozen=True, slots=True)
class Pricing:
    currency_code: str
    rate: Decimal
    precision: Decimal
    tolerance_pct: Decimal
    max_tolerance: Decimal


def pricing(
    setup: CompanySetup,
    currency_code: str,
    on: date,
    currencies: Mapping[str, Currency],
    field: Sequence[str] = ("currencyCode",),
    index: int | None = None,
) -> Pricing:
    """The pricing of an amount in ``currency_code`` posted ``on`` (the LCY code or "" is LCY).

    An unknown currency or one without a rate by that day is a user error on ``field``.
    """
    if not currency_code or currency_code == setup.lcy_code:
        return Pricing(
            "",
            Decimal(1),
            setup.amount_rounding_precision,
            setup.payment_tolerance_pct,
            setup.max_payment_tolerance_amount,
        )
    currency = currencies.get(currency_code)
    if currency is None:
        raise DomainError(
            ErrorCode.UNKNOWN_CURRENCY,
            f"currency {currency_code!r} does not exist",
            field,
            index=index,
        )
    try:
        rate = rate_on(currency.rates, currency_code, on)
    except DomainError as exc:
        raise DomainError(exc.code, exc.message, field, index=index) from None
    return Pricing(
        currency_code,
        rate,
        currency.amount_rounding_precision,
        currency.payment_tolerance_pct,
        currency.max_payment_tolerance_amount,
    )


def rates_on(
    currencies: Mapping[str, Currency], codes: Sequence[str], on: date
) -> dict[str, Decimal]:
    """LCY per unit of each foreign currency on a day, for applications across currencies
    (a currency without a rate is left out: the engine says so if it needs it)."""
    out: dict[str, Decimal] = {}
    for code in sorted({c for c in codes if c}):
        currency = currencies.get(code)
        if currency is None:
            continue
        try:
            out[code] = rate_on(currency.rates, code, on)
        except DomainError:
            continue
    return out


def application_setup(setup: CompanySetup, currencies: Iterable[Currency]) -> ApplicationSetup:
    """The setup the application engine reads: the company's rules and each currency's
    rounding."""
    return ApplicationSetup(
        appln_between_currencies=ApplnBetweenCurrencies(setup.appln_between_currencies),
        payment_tolerance_warning=setup.payment_tolerance_warning,
        payment_discount_tolerance_warning=setup.payment_discount_tolerance_warning,
        appln_rounding_precision=setup.appln_rounding_precision,
        lcy_precision=setup.amount_rounding_precision,
        currency_precisions=tuple((c.code, c.amount_rounding_precision) for c in currencies),
    )
