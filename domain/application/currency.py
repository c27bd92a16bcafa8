"""Entries in different currencies are compared through LCY at the posting-date rates, and an
applied part of an entry carries its share of the LCY booked for it: this keeps totals exact."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from domain.application.model import (
    ZERO,
    ApplicationSetup,
    ApplnBetweenCurrencies,
    LedgerEntryState,
)
from domain.errors import DomainError, ErrorCode
from domain.money import round_amount

ONE = Decimal(1)


def rate_of(currency_code: str, rates: Mapping[str, Decimal]) -> Decimal:
    """LCY per unit of ``currency_code`` on the posting date ("" = LCY = 1)."""
    if currency_code == "":
        return ONE
    rate = rates.get(currency_code)
    if rate is None or rate <= 0:
        raise DomainError(
            ErrorCode.NO_EXCHANGE_RATE,
            f"There is no exchange rate for {currency_code} on the posting date.",
            field=["rates", currency_code],
        )
    return rate


def conversion_factor(own: str, appl: str, rates: Mapping[str, Decimal]) -> Decimal:
    """Units of the application currency per unit of ``own`` (exactly 1 for the same currency)."""
    if own == appl:
        return ONE
    return rate_of(own, rates) / rate_of(appl, rates)


def to_appl(amount: Decimal, factor: Decimal, precision: Decimal) -> Decimal:
    """Convert an own-currency amount to the application currency."""
    return amount if factor == ONE else round_amount(amount * factor, precision)


def to_own(amount: Decimal, factor: Decimal, precision: Decimal) -> Decimal:
    """Convert an application-currency amount back to an entry's own currency."""
    return amount if factor == ONE else round_amount(amount / factor, precision)


def share(total: Decimal, part: Decimal, whole: Decimal, precision: Decimal) -> Decimal:
    """``total`` x part / whole rounded, exact at the ends (0 and the whole)."""
    if part == whole:
        return total
    if part == 0 or whole == 0:
        return ZERO
    return round_amount(total * part / whole, precision)


def currencies_allowed(a: str, b: str, setup: ApplicationSetup) -> bool:
    """Whether entries in currencies ``a`` and ``b`` may be applied to each other."""
    if a == b:
        return True
    mode = setup.appln_between_currencies
    if mode is ApplnBetweenCurrencies.ALL:
        return True
    if mode is ApplnBetweenCurrencies.EMU:
        return all(code == "" or code in setup.emu_currencies for code in (a, b))
    return False


def check_currency(
    applying: LedgerEntryState, other: LedgerEntryState, setup: ApplicationSetup, field: list[str]
) -> None:
    """Refuse an application across currencies that the setup does not allow."""
    if currencies_allowed(applying.currency_code, other.currency_code, setup):
        return
    a = applying.currency_code or "LCY"
    b = other.currency_code or "LCY"
    raise DomainError(
        ErrorCode.CURRENCY_NOT_ALLOWED,
        f"Entry {other.entry_no} is in {b} and cannot be applied to entry "
        f"{applying.entry_no} in {a}: application between currencies is set to "
        f"{setup.appln_between_currencies.value}.",
        field=field,
    )
